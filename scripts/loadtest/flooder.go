package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// flooder is the flooding client: one connection after another.
type flooder struct {
	l     *load
	cfg   *config
	tgt   *target
	room  *room
	c     *client // for its address and name
	base  int     // ord of its first connection's slot in the room's index
	slots int     // connections it may open
	rate  float64 // ops per second it tries
	done  chan struct{}

	mu    sync.Mutex
	conns []*floodConnReport
}

// floodConn is one connection of the flooder: it counts the Notices and its
// own ops echoed, and keeps the close code.
type floodConn struct {
	gws.BuiltinEventHandler
	l       *load
	conn    *gws.Conn
	welcome chan error
	author  atomic.Uint32
	notices atomic.Int64
	echoed  atomic.Int64
	closed  atomic.Bool
	code    uint16 // set before done is closed
	reason  string
	at      int64 // clock ns when it closed
	done    chan struct{}
}

func (f *floodConn) OnClose(_ *gws.Conn, err error) {
	if f.closed.CompareAndSwap(false, true) {
		var ce *gws.CloseError
		if errors.As(err, &ce) {
			f.code, f.reason = ce.Code, string(ce.Reason)
		} else {
			f.reason = fmt.Sprint(err)
		}
		f.at = f.l.now()
		close(f.done)
	}
	select {
	case f.welcome <- fmt.Errorf("closed before welcome: %v", err):
	default:
	}
}

// OnPing answers from a goroutine of its own: a pong written on the read
// goroutine would wait for the flooder's writer, which is blocked on a full
// socket while the server makes it wait; the read goroutine would then stop
// reading, and the server's close frame would go unread.
func (f *floodConn) OnPing(_ *gws.Conn, payload []byte) {
	p := append([]byte(nil), payload...)
	go func() { _ = f.conn.WritePong(p) }()
}

func (f *floodConn) OnMessage(_ *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	welcomed := false
	err := canvas.DecodeServerFrame(msg.Bytes(), func(m *canvas.ServerMsg) error {
		switch m.Type {
		case canvas.MsgWelcome:
			f.author.Store(m.Welcome.Author)
			welcomed = true
		case canvas.MsgOps:
			a := f.author.Load()
			for _, o := range m.Ops {
				if o.Author == a {
					f.echoed.Add(1)
				}
			}
		case canvas.MsgNotice:
			if m.Notice.Code == canvas.NoticeRateLimited {
				f.notices.Add(1)
			}
		}
		return nil
	})
	if err != nil {
		f.l.fail("flooder: " + err.Error())
	}
	if welcomed {
		select {
		case f.welcome <- nil:
		default:
		}
	}
}

func (fl *flooder) dial(ctx context.Context) (*floodConn, error) {
	f := &floodConn{l: fl.l, welcome: make(chan error, 1), done: make(chan struct{})}
	conn, _, err := gws.NewClient(f, &gws.ClientOption{
		Addr:               fl.tgt.wsURL(0, fl.room.name),
		ReadBufferSize:     4096,
		ReadMaxPayloadSize: canvas.MaxServerFrame,
		HandshakeTimeout:   10 * time.Second,
		NewDialer:          dialerFor(fl.c.id),
	})
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	f.conn = conn
	go conn.ReadLoop()
	if err := conn.WriteMessage(gws.OpcodeBinary, canvas.AppendHello(nil, &canvas.Hello{
		Version: canvas.Version, Name: "flooder", Color: 0xcc0000ff})); err != nil {
		_ = conn.NetConn().Close()
		return nil, err
	}
	select {
	case err = <-f.welcome:
	case <-time.After(30 * time.Second):
		err = errors.New("no welcome within 30s")
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		_ = conn.NetConn().Close()
		return nil, err
	}
	return f, nil
}

// register gives connection i its slot in the room's index, under its
// author, before it sends anything: a drawer whose ops all count as sent
// before the window (time 1), so receivers count them and nothing else.
func (fl *flooder) register(i int, author uint32, until int64) *drawer {
	n := int(fl.rate*float64(max(0, until-fl.l.now()))/1e9) + 256
	d := &drawer{c: fl.c, ord: fl.base + i, sent: make([]sentSlot, n), pts: make([]int32, n), done: make(chan struct{})}
	for j := range d.sent {
		d.sent[j].Store(1)
	}
	old := fl.room.idx.Load()
	ix := &roomIndex{byAuthor: make(map[uint32]*drawer, len(old.byAuthor)+1), drawers: old.drawers}
	for a, od := range old.byAuthor {
		ix.byAuthor[a] = od
	}
	ix.byAuthor[author] = d
	fl.room.idx.Store(ix)
	return d
}

// run floods from start to end (clock ns), reconnecting whenever it is
// closed, then closes its last connection and waits for the close.
func (fl *flooder) run(ctx context.Context, start, end int64, seed uint64) {
	defer close(fl.done)
	l := fl.l
	if wait := start - l.now(); wait > 0 {
		time.Sleep(time.Duration(wait))
	}
	pen := newPen(seed)
	for i := 0; i < fl.slots && l.now() < end && ctx.Err() == nil; i++ {
		f, err := fl.dial(ctx)
		if err != nil {
			l.fail("flooder: " + err.Error())
			return
		}
		rec := &floodConnReport{Author: f.author.Load()}
		rec.d = fl.register(i, rec.Author, end)
		fl.mu.Lock()
		fl.conns = append(fl.conns, rec)
		fl.mu.Unlock()
		var e spEncoder
		left := 0 // samples left in the stroke
		var batch []canvas.Point
		next := func() []byte {
			if left == 0 {
				left = pen.strokeLen() - 1
				return e.begin(pen.next(), 0xcc0000ff)
			}
			batch = batch[:0]
			for range min(4, left) {
				batch = append(batch, pen.next())
			}
			left -= len(batch)
			if left == 0 {
				pen.lift() // the next op is this stroke's End
				left = -1
			}
			return e.points(batch)
		}
		t0 := l.now()
		rec.firstOp = t0
		n := 0
	flood:
		for {
			now := l.now()
			if now >= end || f.closed.Load() || ctx.Err() != nil {
				break
			}
			due := min(int(float64(now-t0)*fl.rate/1e9)+1, len(rec.d.sent))
			for ; n < due; n++ {
				var frame []byte
				if left < 0 {
					left = 0
					frame = e.end()
				} else {
					frame = next()
				}
				if err := f.conn.WriteMessage(gws.OpcodeBinary, frame); err != nil {
					break flood
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
		rec.Written = n
		// What it wrote and the server has not read yet is read now, each
		// frame over budget: the server either closes it with 4429 (its
		// waits pass 5 s) or admits all of it, which the echo of its last
		// op shows. Only then does it send its own close frame, which the
		// server reads after every frame before it and answers: by the
		// time a close arrives from the server, the server has admitted all
		// it ever will, so closedAt bounds the admissions. (gws's
		// WriteClose would close the socket at once, and the server could
		// still admit frames it had read.)
		sentClose := false
		for deadline := time.Now().Add(maxDebt + 2*time.Second); !f.closed.Load(); {
			if f.echoed.Load() >= int64(n) || time.Now().After(deadline) {
				sentClose = true
				_ = f.conn.WriteMessage(gws.OpcodeCloseConnection, []byte{1000 >> 8, 1000 & 0xff})
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		select {
		case <-f.done:
		case <-time.After(30 * time.Second):
			l.fail("flooder: the server neither closed it nor answered its close within 30 s")
			_ = f.conn.NetConn().Close()
			<-f.done
		}
		rec.ClosedByUs = sentClose && f.code != uint16(canvas.CloseRateLimited)
		rec.closedAt, rec.code = f.at, f.code
		rec.Close = strings.TrimSpace(fmt.Sprintf("%d %s", f.code, f.reason))
		rec.Notices429 = f.notices.Load()
		rec.Echoed = f.echoed.Load()
	}
}

func (fl *flooder) progress() string {
	if fl == nil {
		return ""
	}
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fmt.Sprintf("  flooder connection %d", len(fl.conns))
}

// fill totals the flooder's connections, after every client has closed.
func (fl *flooder) fill(fr *floodReport, unattributed uint64) {
	fr.Unattributed += unattributed
	for _, rec := range fl.conns {
		rec.SeenMin = math.MaxUint64
		for _, c := range fl.room.clients {
			var got uint64
			if c.counts != nil {
				got = c.counts[rec.d.ord]
			}
			rec.Seen = max(rec.Seen, got)
			rec.SeenMin = min(rec.SeenMin, got)
		}
		secs := float64(rec.closedAt-rec.firstOp) / 1e9
		rec.Seconds = round(secs, 3)
		rec.Admissible = math.Floor(fr.Burst + fr.RateDraw*secs)
		rec.Excess = max(0, float64(rec.Seen)-rec.Admissible)
		fr.Connections = append(fr.Connections, *rec)
		fr.Written += rec.Written
		fr.FloodSeconds += secs
		fr.Seen += rec.Seen
		fr.Admissible += rec.Admissible
		fr.Excess += rec.Excess
		fr.Notices429 += rec.Notices429
		if rec.code == uint16(canvas.CloseRateLimited) {
			fr.Closes4429++
		}
	}
	if fr.FloodSeconds > 0 {
		fr.WrittenPerS = round(float64(fr.Written)/fr.FloodSeconds, 1)
		fr.SeenPerS = round(float64(fr.Seen)/fr.FloodSeconds, 1)
	}
	fr.FloodSeconds = round(fr.FloodSeconds, 2)
}
