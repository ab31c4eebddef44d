package main

import (
	"fmt"
	"net"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// spConn is a lean Sketchpad client for load: it says Hello, keeps its
// author id, and for every Ops message checks the sequence is gapless,
// hashes the ops, counts points and notes each drawer op's latency. It
// keeps no board (the board is the same for every receiver if the hashes
// are), no log and no copy of anything, so thousands fit in one process.
type spConn struct {
	gws.BuiltinEventHandler
	c       *client
	conn    *gws.Conn
	welcome chan welcomeInfo
	// keepBoard, when set, applies every op to board (an auditor, whose
	// board is compared with the server's at the end).
	board *canvas.Board
	op    canvas.Op
}

type welcomeInfo struct {
	author     uint32
	head       uint64
	frameBytes int   // the whole Welcome frame, WebSocket header included
	snapBytes  int   // the Snapshot message in it
	at         int64 // clock ns when it arrived
	err        error
}

// Clients dial from many loopback source addresses (127.1.x.y, a few
// hundred clients each), as people come from many addresses: the server
// limits connections and drawing per client address.
const clientsPerIP = 200

func dialerFor(id int) func() (gws.Dialer, error) {
	k := id / clientsPerIP
	ip := net.IPv4(127, 1, byte(k/250), byte(k%250+1))
	d := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: ip}}
	return func() (gws.Dialer, error) { return d, nil }
}

// dialSketchpad connects c to wsURL and says Hello. It returns once the
// WebSocket is open; the Welcome arrives on s.welcome.
func dialSketchpad(c *client, wsURL string, audit bool) (*spConn, error) {
	s := &spConn{c: c, welcome: make(chan welcomeInfo, 1)}
	if audit {
		s.board = canvas.NewBoard(0)
	}
	conn, _, err := gws.NewClient(s, &gws.ClientOption{
		Addr:               wsURL,
		ReadBufferSize:     1024,
		ReadMaxPayloadSize: canvas.MaxServerFrame,
		HandshakeTimeout:   10 * time.Second,
		NewDialer:          dialerFor(c.id),
	})
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", wsURL, err)
	}
	s.conn = conn
	go conn.ReadLoop()
	return s, nil
}

func (s *spConn) hello(name string, color uint32) error {
	return s.conn.WriteMessage(gws.OpcodeBinary, canvas.AppendHello(nil, &canvas.Hello{
		Version: canvas.Version, Name: name, Color: color}))
}

// send writes one client frame and counts it.
func (s *spConn) send(frame []byte) error {
	s.c.countUp(len(frame))
	return s.conn.WriteMessage(gws.OpcodeBinary, frame)
}

func (s *spConn) close() { _ = s.conn.WriteClose(1000, nil) }

func (s *spConn) OnClose(_ *gws.Conn, err error) {
	s.c.ended(err)
	select {
	case s.welcome <- welcomeInfo{err: fmt.Errorf("closed before welcome: %v", err)}:
	default:
	}
}

func (s *spConn) OnMessage(_ *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	c, l := s.c, s.c.l
	now := l.now()
	b := msg.Bytes()
	l.countDown(len(b))
	var w *welcomeInfo
	it := canvas.NewFrameIter(b)
	for it.Next() {
		body := it.Body()
		switch it.Type() {
		case canvas.MsgWelcome:
			var wm canvas.Welcome
			if err := canvas.DecodeWelcome(body, &wm); err != nil {
				l.fail("sketchpad: malformed welcome")
				return
			}
			w = &welcomeInfo{frameBytes: len(msg.Bytes()) + wsHeader(len(msg.Bytes()), false), at: now,
				author: wm.Author, head: wm.Head}
			c.author = w.author
			c.lastSeq = w.head
		case canvas.MsgSnapshot:
			if w != nil {
				w.snapBytes = len(body)
			}
			if s.board != nil {
				if err := s.board.UnmarshalBinary(body); err != nil {
					l.fail("sketchpad: snapshot: " + err.Error())
				}
			}
		case canvas.MsgOps:
			s.ops(body, now)
		}
	}
	if it.Err() != nil {
		l.fail("sketchpad: malformed server frame")
		return
	}
	if w != nil {
		select {
		case s.welcome <- *w:
		default:
		}
	}
}

// ops handles one Ops message (canvas.OpsIter reads it without allocating).
func (s *spConn) ops(b []byte, now int64) {
	c, l := s.c, s.c.l
	var peerPts, selfPts int64
	it := canvas.NewOpsIterAfter(b, c.lastSeq)
	for it.Next() {
		seq, a, op := it.Seq(), it.Author(), it.Op()
		switch {
		case seq <= c.lastSeq:
			c.dups++
			continue
		case seq > c.lastSeq+1:
			c.gaps += seq - c.lastSeq - 1
		}
		c.lastSeq = seq
		c.ops++
		c.hash = fnv(fnvU32(c.hash, a), op)
		if s.board != nil {
			if err := canvas.DecodeOp(op, &s.op); err != nil {
				l.fail("sketchpad: op: " + err.Error())
			} else {
				s.board.Apply(a, &s.op)
			}
		}
		d := c.drawerOf(a)
		if d == nil {
			c.foreign++
			continue
		}
		idx := c.counts[d.ord]
		c.counts[d.ord]++
		pts := 0
		var sent int64
		if idx < uint64(len(d.sent)) {
			sent = d.sent[idx].Load()
			pts = int(d.pts[idx])
		}
		if sent == 0 {
			l.fail(fmt.Sprintf("sketchpad: op %d of author %d arrived but was never sent", idx, a))
			continue
		}
		if a == c.author {
			c.acked.Add(1)
			if l.counts(sent) {
				l.self.add(now - sent)
				selfPts += int64(pts)
			}
		} else if l.counts(sent) {
			l.lat.add(now - sent)
			if c.replica == d.c.replica {
				l.latNear.add(now - sent)
			} else {
				l.latFar.add(now - sent)
			}
			peerPts += int64(pts)
		}
	}
	if it.Err() != nil {
		l.fail("sketchpad: malformed ops")
		return
	}
	c.seen.Store(int64(c.ops))
	if peerPts > 0 {
		l.peerPoints.Add(peerPts)
	}
	if selfPts > 0 {
		l.selfPoints.Add(selfPts)
	}
}

// spEncoder builds a drawer's op frames (Begin, Trace, End) from absolute
// samples, as the browser does: each Trace op's residuals are taken against
// the stroke's last two points sent (canvas.AppendTrace).
type spEncoder struct {
	stroke uint32
	tail   []canvas.Point // the stroke's last two points sent (one after the Begin)
	buf    []byte
	op     canvas.Op
}

func (e *spEncoder) begin(p canvas.Point, color uint32) []byte {
	e.stroke++
	e.tail = append(e.tail[:0], p)
	e.op = canvas.Op{Type: canvas.OpBegin, Stroke: e.stroke, Color: color, Width: 8,
		Points: append(e.op.Points[:0], p)}
	e.buf = canvas.AppendOp(e.buf[:0], &e.op)
	return e.buf
}

func (e *spEncoder) points(ps []canvas.Point) []byte {
	e.buf = canvas.AppendTrace(e.buf[:0], e.tail, ps)
	e.tail = append(e.tail, ps...)
	if n := len(e.tail); n > 2 {
		e.tail = append(e.tail[:0], e.tail[n-2:]...)
	}
	return e.buf
}

func (e *spEncoder) end() []byte {
	e.buf = append(e.buf[:0], byte(canvas.OpEnd))
	return e.buf
}
