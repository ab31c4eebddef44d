package room

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// An op that comes while the room writes a frame to its people goes to
// the log before the frame's last write, not after it: the log's sync
// then runs under the rest of the writes instead of after them.
func TestAnOpThatComesDuringAFramesWritesIsSubmittedBeforeTheyEnd(t *testing.T) {
	h, l, _ := newTestHub(t, false, nil)
	r, drawer, _ := join(t, h, "b", "drawer", nil)
	peers := []*fakePeer{drawer}
	for i := range 3 * intakeEvery {
		_, p, _ := join(t, h, "b", fmt.Sprintf("p%d", i), nil)
		peers = append(peers, p)
	}
	submits := func() int {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.submits
	}
	var (
		mu    sync.Mutex
		held  bool  // the frame's first write is under way
		later []int // the log's submits at each later write of the frame
	)
	goOn := make(chan struct{})
	for _, p := range peers {
		p.mu.Lock()
		p.sent = func(ops int) {
			if ops != 1 {
				return // not the frame of the first op
			}
			mu.Lock()
			first := !held
			held = true
			mu.Unlock()
			if first {
				<-goOn // the next op comes while the room writes this
				return
			}
			n := submits()
			mu.Lock()
			later = append(later, n)
			mu.Unlock()
		}
		p.mu.Unlock()
	}
	begin := func(n uint32) []byte {
		return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: n, Color: 0xff, Width: 4,
			Points: []canvas.Point{{X: int32(n), Y: 1}}})
	}
	draw(r, drawer, [][]byte{begin(1)})
	waitUntil(t, "write of the first op's frame", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return held
	})
	before := submits()
	draw(r, drawer, [][]byte{begin(2)})
	close(goOn)
	for _, p := range peers {
		p.waitSeq(t, 2)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(later) != len(peers)-1 {
		t.Fatalf("the first op's frame was written to %d of %d people", len(later)+1, len(peers))
	}
	if later[len(later)-1] == before {
		t.Fatalf("the second op reached the log only after the whole frame of the first was written (%d writes)", len(peers))
	}
}
