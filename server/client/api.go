package client

import (
	"context"
	"fmt"
	"net"
	"slices"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// Send sends one op. While disconnected it is kept and sent after the next
// Connect; it counts as acknowledged once it comes back from the room.
func (c *Client) Send(op *canvas.Op) error {
	b := canvas.AppendOp(nil, op)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	c.sent = append(c.sent, b)
	conn, live := c.conn, c.live
	c.mu.Unlock()
	if live {
		// A write on a dying connection fails; the op is kept and sent
		// again after the next Connect, like one drawn offline. Ops sent
		// while not live go out with the resend after the next Welcome,
		// which happens before live is set.
		_ = conn.WriteMessage(gws.OpcodeBinary, b)
	}
	return nil
}

// Notices returns every Notice the server sent, in order.
func (c *Client) Notices() []canvas.Notice {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]canvas.Notice(nil), c.notices...)
}

// SetURL points the next Connect at another WebSocket URL (another
// replica serving the same board); what the client holds carries over.
func (c *Client) SetURL(url string) {
	c.mu.Lock()
	c.url = url
	c.mu.Unlock()
}

// SendRaw writes bytes as one frame, bypassing the codec: for tests of
// what the server does with bad input.
func (c *Client) SendRaw(frame []byte) error {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn == nil {
		return fmt.Errorf("client: not connected")
	}
	return conn.WriteMessage(gws.OpcodeBinary, frame)
}

// SendCursor sends the pointer position (not sequenced, not kept).
func (c *Client) SendCursor(x, y int32) error {
	return c.SendRaw(canvas.AppendCursor(nil, canvas.Cursor{X: x, Y: y}))
}

// Stroke draws a whole stroke through absolute points: Begin with the
// first, then Trace ops of at most batch points each (each one's residuals
// taken against the points sent before it), then End. It returns the
// stroke's id. Pressure is not sent.
func (c *Client) Stroke(color, width uint32, pts []canvas.Point, batch int) (canvas.StrokeID, error) {
	c.mu.Lock()
	c.stroke++
	id := canvas.StrokeID{Author: c.author, N: c.stroke}
	c.mu.Unlock()
	first := []canvas.Point{{X: pts[0].X, Y: pts[0].Y}}
	if err := c.Send(&canvas.Op{Type: canvas.OpBegin, Stroke: id.N, Color: color, Width: width, Points: first}); err != nil {
		return id, err
	}
	for sent := 1; sent < len(pts); {
		n := min(batch, len(pts)-sent)
		if err := c.Send(&canvas.Op{Type: canvas.OpTrace, Points: canvas.TraceResiduals(nil, pts[:sent], pts[sent:sent+n])}); err != nil {
			return id, err
		}
		sent += n
	}
	return id, c.Send(&canvas.Op{Type: canvas.OpEnd})
}

// wait blocks until cond (called with c.mu held) is true.
func (c *Client) wait(ctx context.Context, what string, cond func() bool) error {
	for {
		c.mu.Lock()
		ok, ch, err, closed := cond(), c.change, c.err, c.closed
		c.mu.Unlock()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			if closed != nil {
				// Waiting on a connection that ended: say how, it is
				// most likely why.
				return fmt.Errorf("client: waiting for %s: %w (the connection was closed: %d %s)",
					what, ctx.Err(), closed.Code, closed.Reason)
			}
			return fmt.Errorf("client: waiting for %s: %w", what, ctx.Err())
		}
	}
}

// WaitSeq waits until the client has applied sequence number seq.
func (c *Client) WaitSeq(ctx context.Context, seq uint64) error {
	return c.wait(ctx, fmt.Sprintf("seq %d", seq), func() bool { return c.board.Seq >= seq })
}

// WaitAcked waits until every op sent so far came back from the room.
func (c *Client) WaitAcked(ctx context.Context) error {
	return c.wait(ctx, "acks", func() bool { return c.acked >= uint64(len(c.sent)) })
}

// WaitClosed waits until the server closed the connection and returns its
// close code and reason.
func (c *Client) WaitClosed(ctx context.Context) (uint16, string, error) {
	var code uint16
	var reason string
	err := c.wait(ctx, "close", func() bool {
		if c.closed != nil {
			code, reason = c.closed.Code, string(c.closed.Reason)
		}
		return c.closed != nil
	})
	return code, reason, err
}

// WaitPeople waits until n people are present.
func (c *Client) WaitPeople(ctx context.Context, n int) error {
	return c.wait(ctx, fmt.Sprintf("%d people", n), func() bool { return len(c.people) == n })
}

// WaitCursor waits for a cursor of author at (x, y).
func (c *Client) WaitCursor(ctx context.Context, author uint32, x, y int32) error {
	return c.wait(ctx, "cursor", func() bool {
		cu, ok := c.cursors[author]
		return ok && cu.X == x && cu.Y == y
	})
}

// SendLaser sends a stretch of laser pointer trail (relayed, never kept).
func (c *Client) SendLaser(pts ...canvas.Cursor) error {
	return c.SendRaw(canvas.AppendLaser(nil, &canvas.Laser{Points: pts}))
}

// WaitLaser waits until author's laser points received end with want.
func (c *Client) WaitLaser(ctx context.Context, author uint32, want ...canvas.Cursor) error {
	return c.wait(ctx, "laser", func() bool {
		got := c.lasers[author]
		return len(got) >= len(want) && slices.Equal(got[len(got)-len(want):], want)
	})
}

// SendEditing says which text this client types into ({0, 0}: none).
func (c *Client) SendEditing(text canvas.StrokeID) error {
	return c.SendRaw(canvas.AppendEditing(nil, text))
}

// WaitEditing waits until Editors said that editor edits text.
func (c *Client) WaitEditing(ctx context.Context, editor uint32, text canvas.StrokeID) error {
	return c.wait(ctx, "editing", func() bool { return c.editors[editor] == text })
}

// Lasers is every laser point received from author.
func (c *Client) Lasers(author uint32) []canvas.Cursor {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.lasers[author])
}

// Seq is the last sequence number applied.
func (c *Client) Seq() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.board.Seq
}

// Author is the client's author id.
func (c *Client) Author() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.author
}

// BoardBytes is the canonical encoding of the client's board.
func (c *Client) BoardBytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, _ := c.board.MarshalBinary()
	return b
}

// Board returns a copy of the client's board.
func (c *Client) Board() *canvas.Board {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.board.Clone()
}

// Log returns the ops received since the client started (not those inside
// snapshots), in order.
func (c *Client) Log() []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Entry(nil), c.log...)
}

// Snapshots counts the snapshots received.
func (c *Client) Snapshots() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snaps
}

// People returns who is present.
func (c *Client) People() map[uint32]canvas.Presence {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[uint32]canvas.Presence, len(c.people))
	for k, v := range c.people {
		out[k] = v
	}
	return out
}

// Drop cuts the TCP connection without a close handshake, as a network
// failure would.
func (c *Client) Drop() {
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		if tcp, ok := conn.NetConn().(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
		_ = conn.NetConn().Close()
	}
}

// Close ends the session with a normal close (and the client's
// reconnecting by itself, if it does).
func (c *Client) Close() {
	c.stopAuto()
	c.mu.Lock()
	conn := c.conn
	c.mu.Unlock()
	if conn != nil {
		_ = conn.WriteClose(1000, nil)
	}
}
