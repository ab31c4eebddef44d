package room

import (
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// stallPeer is a fakePeer whose writes of the room's frames can be held
// up: once armed, the next frame for everyone it is sent waits in Send
// until the test lets it go, as a write to a busy socket takes its time.
type stallPeer struct {
	*fakePeer
	once    sync.Once
	armed   chan struct{} // closed: hold the next frame
	stalled chan struct{} // closed when a frame is being held
	release chan struct{} // closed: let it go
}

func newStallPeer(name string) *stallPeer {
	return &stallPeer{fakePeer: newPeer(name), armed: make(chan struct{}),
		stalled: make(chan struct{}), release: make(chan struct{})}
}

func (p *stallPeer) Send(frame []byte) {
	select {
	case <-p.armed:
		p.once.Do(func() {
			close(p.stalled)
			<-p.release
		})
	default:
	}
	p.fakePeer.Send(frame)
}

// An op that arrives while the room's last frame is still being written
// goes to the log at once, not after the writes: they no longer hold up
// the room. Everyone still gets every op once, in order.
func TestARoomSubmitsOpsWhileItsFrameIsBeingWritten(t *testing.T) {
	h, l, _ := newTestHub(t, false, nil)
	r, a, _ := join(t, h, "b", "ann", nil)
	s := newStallPeer("slow")
	var release sync.Once
	letGo := func() { release.Do(func() { close(s.release) }) }
	t.Cleanup(letGo) // before the hub closes: a failed test must not hang
	if got, why := h.Acquire("b", nil); got != r {
		t.Fatalf("acquire: %s", why)
	}
	r.Join(s, &canvas.Hello{Version: canvas.Version, Name: s.name})
	s.welcome(t)
	a.waitFor(t, "slow's presence", func(v *peerView) bool { return len(v.people) == 2 })

	ops := strokes(1, 2) // four ops
	close(s.armed)
	draw(r, a, ops[:1])
	<-s.stalled // the frame with op 1 is being written
	submits := l.submitCount()
	draw(r, a, ops[1:2])
	l.waitFor(t, "op 2 submitted while op 1's frame is written", func() bool { return l.submits > submits })

	letGo()
	draw(r, a, ops[2:])
	for _, p := range []*fakePeer{a, s.fakePeer} {
		v := p.waitSeq(t, 4)
		if got := v.opsBy(a.welcome(t).Author); len(got) != 4 {
			t.Fatalf("%s: %d of ann's 4 ops", p.name, len(got))
		}
	}
}
