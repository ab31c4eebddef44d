package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// relayConn is what the two peers' clients (peerConn for Socket.IO,
// cfConn for Centrifuge) share: the dial, the counted send, the close and
// the end of the connection. Each embeds it and brings its own OnMessage,
// which speaks its relay's protocol and signals ready once the relay has
// taken it into the board.
type relayConn struct {
	gws.BuiltinEventHandler
	c      *client
	conn   *gws.Conn
	ready  chan error
	opcode gws.Opcode // of the frames it sends
	state  int        // how far the handshake has come, each protocol's own steps
	step   string     // what it waits for before ready, for the error if it closes first
}

// dial connects h (the peer's client, which embeds r) to addr and starts
// its read loop.
func (r *relayConn) dial(h gws.Event, c *client, addr, what string) error {
	r.c, r.ready = c, make(chan error, 1)
	conn, _, err := gws.NewClient(h, &gws.ClientOption{
		Addr:               addr,
		ReadBufferSize:     1024,
		ReadMaxPayloadSize: canvas.MaxServerFrame,
		HandshakeTimeout:   10 * time.Second,
		NewDialer:          dialerFor(c.id),
	})
	if err != nil {
		return fmt.Errorf("dial %s %s: %w", what, addr, err)
	}
	r.conn = conn
	go conn.ReadLoop()
	return nil
}

func (r *relayConn) send(frame []byte) error {
	r.c.countUp(len(frame))
	return r.conn.WriteMessage(r.opcode, frame)
}

func (r *relayConn) close() { _ = r.conn.WriteClose(1000, nil) }

func (r *relayConn) OnClose(_ *gws.Conn, err error) {
	r.c.ended(err)
	select {
	case r.ready <- fmt.Errorf("closed before %s: %v", r.step, err):
	default:
	}
}

// countUp counts a frame of n bytes sent, while the run measures.
func (c *client) countUp(n int) {
	if l := c.l; l.measuring.Load() {
		l.bytesUp.Add(int64(n + wsHeader(n, true)))
		l.framesUp.Add(1)
	}
}

// countDown counts a frame of n bytes received, while the run measures.
func (l *load) countDown(n int) {
	if l.measuring.Load() {
		l.bytesDown.Add(int64(n + wsHeader(n, false)))
		l.framesDown.Add(1)
	}
}

// ended records, once, how c's connection ended (err from OnClose).
func (c *client) ended(err error) {
	if c.closed.CompareAndSwap(false, true) {
		c.byServer.Store(!c.byUs.Load())
		msg := fmt.Sprint(err)
		var ce *gws.CloseError
		if errors.As(err, &ce) {
			msg = fmt.Sprintf("close %d %s", ce.Code, ce.Reason)
		}
		c.closeMsg.Store(&msg)
		close(c.done)
	}
}
