package room

import (
	"sync"

	"github.com/sketchpad/sketchpad/canvas"
)

// fakePeer is a connection that keeps what the room sends it.
type fakePeer struct {
	mu     sync.Mutex
	frames [][]byte
	code   canvas.CloseCode
	reason string
	closed bool
}

func (p *fakePeer) Send(frame []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.frames = append(p.frames, frame)
	}
}

func (p *fakePeer) SendParts(head, shared, tail []byte) {
	p.Send(append(append(append([]byte(nil), head...), shared...), tail...))
}

func (p *fakePeer) Close(code canvas.CloseCode, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed, p.code, p.reason = true, code, reason
	}
}

func (p *fakePeer) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}
