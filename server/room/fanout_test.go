package room

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// seqPeer records the numbers of the frames it is sent. It has no lock on
// purpose: two goroutines writing one peer for two frames at once is what
// the split must never do, and the race detector reports it.
type seqPeer struct {
	got  []uint64
	sent func(n uint64) // called after each frame is recorded (nil: none)
}

func (p *seqPeer) Send(frame []byte) {
	n, _ := binary.Uvarint(frame)
	p.got = append(p.got, n)
	if p.sent != nil {
		p.sent(n)
	}
}
func (p *seqPeer) SendParts(head, shared, tail []byte) {}
func (p *seqPeer) Close(canvas.CloseCode, string)      {}
func (p *seqPeer) Closed() bool                        { return false }

// Three big rooms send at once through one pool of workers: every
// session gets every frame of its room once, in the order the room sent
// them.
func TestASplitFrameReachesEverySessionOnceInOrder(t *testing.T) {
	f := startFanout(2)
	defer f.stop()
	const rooms, people, frames = 3, 150, 200
	var wg sync.WaitGroup
	peers := make([][]*seqPeer, rooms)
	for r := range peers {
		peers[r] = make([]*seqPeer, people)
		list := make([]Peer, people)
		for i := range peers[r] {
			peers[r][i] = &seqPeer{}
			list[i] = peers[r][i]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range uint64(frames) {
				f.send(binary.AppendUvarint(nil, n), list)
			}
		}()
	}
	wg.Wait()
	for r := range peers {
		for i, p := range peers[r] {
			if len(p.got) != frames {
				t.Fatalf("room %d, session %d got %d frames, want %d", r, i, len(p.got), frames)
			}
			for n, got := range p.got {
				if got != uint64(n) {
					t.Fatalf("room %d, session %d: frame %d is the room's frame %d, want them in order", r, i, n, got)
				}
			}
		}
	}
}

// While the room writes its share of a frame, a worker writes another:
// the room's first session takes its frame only once the last session
// (a worker's share) has had it.
func TestAFramesSharesAreWrittenAtOnce(t *testing.T) {
	f := startFanout(1)
	defer f.stop()
	const people = 100
	list := make([]Peer, people)
	last := make(chan struct{})
	for i := range list {
		list[i] = &seqPeer{}
	}
	list[people-1].(*seqPeer).sent = func(uint64) { close(last) }
	wrote := true
	list[0].(*seqPeer).sent = func(uint64) {
		select {
		case <-last:
		case <-time.After(10 * time.Second): // a guard against hanging, not a timing
			wrote = false
		}
	}
	f.send(binary.AppendUvarint(nil, 7), list)
	if !wrote {
		t.Fatal("the last session's share was not written while the room wrote the first's: the frame was not split")
	}
	for i, p := range list {
		if got := p.(*seqPeer).got; len(got) != 1 || got[0] != 7 {
			t.Fatalf("session %d got %v, want the frame once", i, got)
		}
	}
}

// On a board big enough for its frames to be split, two people drawing at
// once: everyone, late joiner included, gets each author's ops once and
// in order, and the same board.
func TestABigBoardsSplitFramesReachEveryone(t *testing.T) {
	h, _, _ := newTestHub(t, false, nil)
	h.fan.stop()
	h.fan = startFanout(2) // split whatever the cores, as on the replica
	const people, ops = 2 * fanSplitMin, 30
	ps := make([]*fakePeer, people)
	var r *Room
	authors := make([]uint32, people)
	for i := range ps {
		var w canvas.Welcome
		r, ps[i], w = join(t, h, "big", fmt.Sprintf("p%d", i), nil)
		authors[i] = w.Author
	}
	drawn := [][][]byte{strokes(1, ops/2), strokes(1, ops/2)}
	var wg sync.WaitGroup
	for d := range drawn {
		wg.Add(1)
		go func() {
			defer wg.Done()
			draw(r, ps[d], drawn[d])
		}()
	}
	wg.Wait()
	_, late, _ := join(t, h, "big", "late", nil)
	final := late.waitSeq(t, uint64(2*ops)).board
	for i, p := range ps {
		v := p.waitSeq(t, uint64(2*ops))
		sameBoard(t, fmt.Sprintf("p%d's and the late joiner's", i), v.board, final)
		for d := range drawn {
			if !sameOps(v.opsBy(authors[d]), drawn[d]) {
				t.Fatalf("p%d did not get p%d's ops once each, in order", i, d)
			}
		}
	}
}
