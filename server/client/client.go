// Package client is a Go Sketchpad client over gws: it speaks the canvas
// protocol, keeps its own copy of the board, tracks which of its ops the
// room acknowledged, and resumes after a reconnect exactly as the browser
// app does. Tests and the load generator use it.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// Client is one person on one board. Its methods are safe for concurrent use.
type Client struct {
	url    string
	name   string
	color  uint32
	header http.Header
	noLog  bool
	dialer func() (gws.Dialer, error)
	// liveness is set by New and read only.
	liveness Liveness

	// wmu keeps Send's writes in the order of c.sent. It is held across
	// a write that may block (the server reads slowly, or not at all),
	// so the read loop, which takes only mu, never waits on it: a real
	// browser goes on reading while its sends are stuck.
	wmu     sync.Mutex
	mu      sync.Mutex // guards everything below
	conn    *gws.Conn
	board   *canvas.Board
	author  uint32
	sent    [][]byte // every op this author sent, by index
	acked   uint64   // ops of ours the room applied (seen come back)
	stroke  uint32   // our last stroke number
	log     []Entry  // every op received, in order
	closed  *gws.CloseError
	snaps   int // snapshots received
	welcome chan struct{}
	change  chan struct{} // closed and replaced on every change
	notices []canvas.Notice
	people  map[uint32]canvas.Presence
	cursors map[uint32]canvas.AuthorCursor
	lasers  map[uint32][]canvas.Cursor // every laser point received, by author
	views   map[uint32]canvas.View     // the last view received, by author
	editors map[uint32]canvas.StrokeID // the text each person edits (Editors)
	err     error
	live    bool // welcomed on the current connection
	auto    auto // the self-reconnecting loop (live.go)
	// Set while handling one frame:
	welcomed   bool
	resendFrom uint64
}

// Entry is one op as the client received it.
type Entry struct {
	Seq    uint64
	Author uint32
	Op     []byte
}

// Options for New.
type Options struct {
	Name   string
	Color  uint32
	Header http.Header // e.g. Origin
	// NoLog: do not keep every op received (Log returns nothing), for
	// long runs where the log's memory would get in the way.
	NoLog bool
	// NewDialer, if set, makes the connection's dialer (gws's option of
	// that name): a test's throttled link, a load generator's source
	// address.
	NewDialer func() (gws.Dialer, error)
	// Liveness: give up on a silent connection and reconnect by itself
	// (live.go). Default: neither.
	Liveness Liveness
}

// New returns a client for the WebSocket URL (ws://host/ws/room). It does
// not connect; call Connect.
func New(url string, o Options) *Client {
	if o.Name == "" {
		o.Name = "go client"
	}
	return &Client{url: url, name: o.Name, color: o.Color, header: o.Header, noLog: o.NoLog, dialer: o.NewDialer,
		board: canvas.NewBoard(0), change: make(chan struct{}),
		people: map[uint32]canvas.Presence{}, cursors: map[uint32]canvas.AuthorCursor{},
		lasers: map[uint32][]canvas.Cursor{}, views: map[uint32]canvas.View{}, editors: map[uint32]canvas.StrokeID{}, liveness: o.Liveness, auto: auto{stop: make(chan struct{})}}
}

type handler struct {
	gws.BuiltinEventHandler
	c     *Client
	ended chan struct{} // closed when this connection ends
}

// Connect dials, says Hello with what the client knows, and waits for the
// Welcome and the catch-up that follows it, then resends unacknowledged ops.
func (c *Client) Connect(ctx context.Context) error {
	c.mu.Lock()
	h := &handler{c: c, ended: make(chan struct{})}
	c.welcome = make(chan struct{})
	c.closed = nil
	welcome := c.welcome
	hello := canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Epoch: c.board.Epoch,
		LastSeq: c.board.Seq, Author: c.author, Name: c.name, Color: c.color})
	url := c.url
	c.mu.Unlock()
	conn, resp, err := gws.NewClient(h, &gws.ClientOption{Addr: url, RequestHeader: c.header,
		ReadMaxPayloadSize: canvas.MaxServerFrame, NewDialer: c.dialer})
	if err != nil {
		if resp != nil {
			return fmt.Errorf("dial %s: %s: %w", url, resp.Status, err)
		}
		return fmt.Errorf("dial %s: %w", url, err)
	}
	c.mu.Lock()
	c.conn = conn
	c.mu.Unlock()
	c.heard(conn)
	go conn.ReadLoop()
	if err := conn.WriteMessage(gws.OpcodeBinary, hello); err != nil {
		return err
	}
	select {
	case <-welcome:
	case <-h.ended:
		c.mu.Lock()
		ce := c.closed
		c.mu.Unlock()
		if ce != nil {
			return fmt.Errorf("closed before welcome: %d %s", ce.Code, ce.Reason)
		}
		return errors.New("closed before welcome")
	case <-ctx.Done():
		conn.NetConn().Close()
		return fmt.Errorf("waiting for welcome: %w", ctx.Err())
	}
	return c.Err()
}

// Err returns the first protocol error the client saw from the server.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (h *handler) OnClose(conn *gws.Conn, err error) {
	defer close(h.ended)
	c := h.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != conn {
		return
	}
	var ce *gws.CloseError
	if errors.As(err, &ce) {
		c.closed = ce
	} else {
		c.closed = &gws.CloseError{Code: uint16(canvas.CloseAbnormal), Reason: []byte(fmt.Sprint(err))}
	}
	wasLive := c.live
	c.conn = nil
	c.live = false
	c.notify()
	if wasLive {
		c.lost()
	}
}

// OnPing counts the server's ping as a sign of life, and answers it.
func (h *handler) OnPing(conn *gws.Conn, _ []byte) {
	h.c.heard(conn)
	_ = conn.WritePong(nil)
}

func (h *handler) OnMessage(conn *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	c := h.c
	c.heard(conn)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.welcomed = false
	err := canvas.DecodeServerFrame(msg.Bytes(), func(m *canvas.ServerMsg) error { return c.handle(conn, m) })
	if err != nil && c.err == nil {
		c.err = err
	}
	if c.welcomed && conn == c.conn {
		// Welcome and its catch-up are in: resend what the room lacks, in
		// index order, then go live.
		for _, op := range c.sent[min(c.resendFrom, uint64(len(c.sent))):] {
			_ = conn.WriteMessage(gws.OpcodeBinary, op)
		}
		c.live = true
		close(c.welcome)
	}
	c.notify()
}

// notify wakes waiters. c.mu must be held.
func (c *Client) notify() {
	close(c.change)
	c.change = make(chan struct{})
}

// handle applies one server message. c.mu must be held.
func (c *Client) handle(_ *gws.Conn, m *canvas.ServerMsg) error {
	switch m.Type {
	case canvas.MsgWelcome:
		w := m.Welcome
		if (w.Epoch != c.board.Epoch && c.board.Epoch != 0) || w.Author != c.author {
			// History lost or a new identity: what we sent is gone.
			c.sent, c.acked, c.stroke = nil, 0, 0
		}
		if w.Epoch != c.board.Epoch {
			c.board = canvas.NewBoard(w.Epoch)
		}
		c.author = w.Author
		c.resendFrom = w.Applied
		c.welcomed = true
	case canvas.MsgSnapshot:
		c.board = m.Board
		c.snaps++
		c.acked = c.board.Author(c.author).Applied
	case canvas.MsgOps:
		if first := canvas.NextSeq(m.FirstSeq, c.board.Seq); first != c.board.Seq+1 {
			return fmt.Errorf("client: gap: got seq %d after %d", first, c.board.Seq)
		}
		var op canvas.Op
		for _, so := range m.Ops {
			if err := canvas.DecodeOp(so.Op, &op); err != nil {
				return err
			}
			c.board.Apply(so.Author, &op)
			if !c.noLog {
				c.log = append(c.log, Entry{Seq: c.board.Seq, Author: so.Author, Op: append([]byte(nil), so.Op...)})
			}
			if so.Author == c.author {
				c.acked++
			}
		}
	case canvas.MsgPresence:
		c.people[m.Presence.Author] = m.Presence
	case canvas.MsgLeave:
		delete(c.people, m.Leave)
	case canvas.MsgNotice:
		c.notices = append(c.notices, m.Notice)
	case canvas.MsgCursors:
		for _, cu := range m.Cursors {
			c.cursors[cu.Author] = cu
		}
	case canvas.MsgLasers:
		for _, l := range m.Lasers {
			c.lasers[l.Author] = append(c.lasers[l.Author], l.Points...)
		}
	case canvas.MsgViews:
		for _, v := range m.Views {
			c.views[v.Author] = v.View
		}
	case canvas.MsgEditors:
		for _, e := range m.Editors {
			c.editors[e.Editor] = e.Text
		}
	}
	return nil
}
