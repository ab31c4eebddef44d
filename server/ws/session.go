package ws

import (
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/room"
)

// Session is one WebSocket connection. Its read side (OnMessage, on gws's
// read goroutine) validates every frame with the canvas codec before the
// room sees it; its write side is a queue of its own and a writer that
// lingers while frames keep coming (writer.go), bounded in bytes so a
// client that stops reading is dropped, never buffered without bound and
// never waited on by its room.
type Session struct {
	ws         *Handler
	roomName   string
	readOnly   bool      // a view link or a view token: ops are refused
	moderator  bool      // a moderator link or token (Moderates)
	forcedName string    // an embed token's display name, if any
	expires    time.Time // an embed token's expiry: ops after it are refused
	conn       *gws.Conn

	// Read goroutine only:
	room *room.Room // set by Hello

	lim       limiter // read goroutine only
	throttled time.Duration
	lastSlow  time.Time // when the client was last slowed down
	noticeAt  time.Time // when it was last told
	discarded bool      // discardInput ran
	// knownImages: hashes of images the board was found to hold (images.go).
	knownImages map[string]bool

	queued atomic.Int64 // bytes handed to the write queue, not yet written
	closed atomic.Bool  // Close was called or the connection ended
	// readFloor is the earliest read deadline (unix ns): a joiner's
	// snapshot write deadline (holdRead).
	readFloor atomic.Int64
	readBy    atomic.Int64 // unix ns: the idle read deadline touchRead last set
	closeBy   atomic.Int64 // unix ns: the close frame's deadline, once Close was called

	// The write side (writer.go): a queue and, while there is something
	// to write, a writer goroutine.
	wmu     sync.Mutex    // guards out, wake, waiting
	out     []outFrame    // frames queued, in order; nil while no writer runs
	wake    chan struct{} // the running writer's wake-up, nil when none runs
	waiting bool          // the writer lingers, waiting on wake
}

func (s *Session) Closed() bool { return s.closed.Load() }

var _ room.Moderator = (*Session)(nil)

// Moderates reports whether the session came through a moderator link or
// a moderate token.
func (s *Session) Moderates() bool { return s.moderator }

var _ room.Viewer = (*Session)(nil)

// ViewOnly reports whether the session came through a view link or a view
// token: the room shows its person as viewing.
func (s *Session) ViewOnly() bool { return s.readOnly }

// Send queues frame for writing (room.Peer). frame is shared with other
// sessions and must not be changed afterwards. Never blocks.
func (s *Session) Send(frame []byte) {
	if s.Closed() {
		return
	}
	n := int64(len(frame))
	if !s.reserve(n) {
		return
	}
	s.enqueue(outFrame{op: gws.OpcodeBinary, head: frame, own: n})
}

// SendParts queues one frame made of a joiner's parts (room.Peer): head
// (its Welcome and any replay), shared (the room's encoded snapshot,
// shared by every joiner of the board at that sequence number) and tail
// (ops bringing the snapshot to head, and presence). They are written as
// they are, as every frame is (writer.go): a big board's snapshot is never
// copied per joiner. The parts are shared and must not be changed
// afterwards. Never blocks.
//
// Only head and tail count against the send queue bound: they are this
// connection's own memory, as is every frame queued behind them, while
// shared is the room's one copy, held as long as any joiner writes it
// whatever the bound. A board's snapshot may be bigger than the bound
// (the limits allow a board of tens of megabytes, see
// canvas.MaxSnapshotBytes), and counting it would drop every joiner of
// such a board, forever. A joiner must read it at cfg.JoinMinRate
// instead (joinDeadline).
func (s *Session) SendParts(head, shared, tail []byte) {
	if s.Closed() {
		return
	}
	own := int64(len(head) + len(tail))
	if !s.reserve(own) {
		return
	}
	s.enqueue(outFrame{op: gws.OpcodeBinary, head: head, shared: shared, tail: tail, own: own})
}

// joinDeadline is the write deadline of a write of n bytes that holds a
// joiner's board: joinGrace plus n at cfg.JoinMinRate. A joiner that reads
// slower is dropped as too slow, as one whose queue passes its bound is,
// so a stalled joiner cannot pin a snapshot forever. While it reads, the
// joiner sends nothing (a page goes live only after the whole frame) and
// the server's pings wait behind the frame, so its idle read deadline is
// held until the write deadline (holdRead, by the writer): a joiner
// reading at the minimum rate has read the whole frame by then and
// answers pings again. The read floor stays after the write: it returned
// when the frame's tail went into the socket's buffers (megabytes), which
// a slow joiner has yet to read, pings queued behind it.
func (s *Session) joinDeadline(now time.Time, n int64) time.Time {
	return now.Add(joinGrace + time.Duration(float64(n)/s.ws.cfg.JoinMinRate*float64(time.Second)))
}

// joinGrace is the time a joiner's frame may take beyond its size at
// cfg.JoinMinRate: a connection's first round trips, a page busy
// starting up.
const joinGrace = 10 * time.Second

// holdRead sets the earliest read deadline the idle timeout may give the
// connection and applies it.
func (s *Session) holdRead(floor time.Time) {
	s.readFloor.Store(floor.UnixNano())
	s.touchRead()
}

// touchRead moves the connection's read deadline to IdleTimeout from now,
// or to the floor holdRead set, if later. Called on the read goroutine
// whenever the client is heard from, and by holdRead on the writer's.
//
// The deadline is set an eighth of IdleTimeout further than that, and
// moved again only once it is nearer than IdleTimeout: a client that
// sends many messages a second then costs one deadline update (a timer
// change in the runtime's netpoller) every few seconds instead of one per
// message, and a silent connection is still closed after IdleTimeout at
// the earliest, an eighth of it more at the latest.
func (s *Session) touchRead() {
	if s.Closed() {
		return // Close set the deadline it needs
	}
	now := time.Now()
	idle := s.ws.cfg.IdleTimeout
	floor := s.readFloor.Load()
	if by := s.readBy.Load(); by >= floor && by-now.UnixNano() >= int64(idle) {
		return
	}
	d := now.Add(idle + idle/8)
	if floor > d.UnixNano() {
		d = time.Unix(0, floor)
	}
	_ = s.conn.SetReadDeadline(d)
	// A holdRead between the load and the set above would be undone
	// by it: whoever comes second sees the other's floor here.
	if f := s.readFloor.Load(); f > d.UnixNano() {
		d = time.Unix(0, f)
		_ = s.conn.SetReadDeadline(d)
	}
	s.readBy.Store(d.UnixNano())
}

// reserve counts n bytes into the write queue, or closes a session whose
// queue would pass its bound, dropping what it had queued.
func (s *Session) reserve(n int64) bool {
	if s.queued.Add(n) > s.ws.cfg.SendQueueBytes {
		s.queued.Add(-n)
		s.ws.metrics.SlowDrops.Inc()
		s.closeWith(canvas.CloseSlow, "too slow: reconnect to resync", false)
		return false
	}
	return true
}

// Close closes the connection with a close code and reason (room.Peer),
// after the frames queued before it. It never blocks the caller: the
// writer writes the close frame within closeTimeout, the frames before it
// included, or drops the connection without one.
func (s *Session) Close(code canvas.CloseCode, reason string) {
	s.closeWith(code, reason, true)
}

const sessionKey = "s"

func sessionOf(c *gws.Conn) *Session {
	v, _ := c.Session().Load(sessionKey)
	s, _ := v.(*Session)
	return s
}

// gws calls the handlers below on each connection's read goroutine, which
// then parks in a read until the next frame comes, for as long as the
// connection is idle. Each runs its work on a fresh goroutine and waits for
// it (onFreshStack), so that the read goroutine keeps its starting 2 KiB
// stack: handling even a Hello needs more than that (setting a read
// deadline alone does), and the runtime never shrinks a parked 4 KiB stack
// back to 2 KiB (it halves a stack only when under a quarter of it is in
// use, counting an 800-byte guard). That was 2 KiB of every idle
// connection's ~10 KiB (BENCHMARKS.md, idle). The cost is a goroutine
// start and a wake-up per frame read, about 0.4 µs; the frames are
// still handled one at a time, in order, and a rate limit's wait still
// holds up the reads behind it.
func (h *Handler) OnOpen(c *gws.Conn)                 { onFreshStack(func() { h.open(c) }) }
func (h *Handler) OnPing(c *gws.Conn, payload []byte) { onFreshStack(func() { h.ping(c, payload) }) }
func (h *Handler) OnPong(c *gws.Conn, _ []byte)       { onFreshStack(func() { h.pong(c) }) }
func (h *Handler) OnMessage(c *gws.Conn, msg *gws.Message) {
	onFreshStack(func() { h.message(c, msg) })
}

// onFreshStack runs f on a goroutine of its own and waits for it. A panic
// in f is raised again on the caller's goroutine, with f's stack, so gws's
// Recovery logs it there as before.
func onFreshStack(f func()) {
	var caught any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if e := recover(); e != nil {
				caught = fmt.Sprintf("%v\n%s", e, debug.Stack())
			}
		}()
		f()
	}()
	<-done
	if caught != nil {
		panic(caught)
	}
}

func (h *Handler) open(c *gws.Conn) {
	h.touchRead(c)
	// A client sends a few kilobytes a second; the kernel would let a
	// socket's receive buffer grow to megabytes. While a client over its
	// rate limit is made to wait (allow sleeps on this connection's read
	// goroutine), what it goes on sending queues there: with megabytes,
	// a flooder never feels it and this machine receives every byte of
	// its flood. Capped at one largest frame, TCP's flow control stops the
	// sender within that much. (Set now, before any data, so no queued
	// segment is dropped by the smaller buffer.)
	if tc, ok := c.NetConn().(interface{ SetReadBuffer(int) error }); ok {
		_ = tc.SetReadBuffer(max(h.cfg.MaxFrameBytes, minReadBuffer))
	}
	h.metrics.Connections.Inc()
}

func (h *Handler) OnClose(c *gws.Conn, err error) {
	h.metrics.Connections.Dec()
	s := sessionOf(c)
	if s == nil {
		return
	}
	h.untrack(s)
	if s.lim.ip != nil {
		s.lim.ip.disconnect()
	}
	s.closed.Store(true)
	if s.room != nil {
		h.rooms.Left(s.roomName, s.lim.ip)
		s.room.Leave(s)
	}
}

// touchRead resets the idle read deadline of a client just heard from.
func (h *Handler) touchRead(c *gws.Conn) {
	if s := sessionOf(c); s != nil {
		s.touchRead()
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(h.cfg.IdleTimeout))
}

func (h *Handler) ping(c *gws.Conn, payload []byte) {
	if s := sessionOf(c); s != nil && s.Closed() {
		return
	}
	h.touchRead(c)
	_ = c.WritePong(payload)
}

func (h *Handler) pong(c *gws.Conn) {
	if s := sessionOf(c); s != nil && s.Closed() {
		return
	}
	h.touchRead(c)
}

func (h *Handler) message(c *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	s := sessionOf(c)
	if s == nil {
		return
	}
	defer func() {
		if s.Closed() {
			s.discardInput() // closed before this message, or by it
		}
	}()
	if s.Closed() {
		return
	}
	h.touchRead(c)
	if msg.Opcode != gws.OpcodeBinary {
		s.reject(canvas.CloseUnsupported, "binary frames only")
		return
	}
	data := msg.Bytes()
	h.metrics.BytesIn.Add(float64(len(data)))
	// A decoded frame lives only while it is handled: idle sessions keep
	// none (192 bytes each), and the pool's frames keep their Op slices.
	f := clientFrames.Get().(*canvas.ClientFrame)
	defer clientFrames.Put(f)
	if err := canvas.DecodeClientFrame(data, f); err != nil {
		s.reject(canvas.CloseMalformed, err.Error())
		return
	}
	if !s.allow(f.Type) {
		return
	}
	switch {
	case f.Type == canvas.MsgHello:
		if s.room != nil {
			s.reject(canvas.CloseOutOfOrder, "second hello")
			return
		}
		if f.Hello.Version != canvas.Version {
			s.reject(canvas.CloseVersion, "unsupported protocol version")
			return
		}
		if s.forcedName != "" {
			f.Hello.Name = s.forcedName
		}
		room, why := h.rooms.Acquire(s.roomName, s.lim.ip)
		if room == nil {
			s.Close(canvas.CloseTryAgain, why)
			return
		}
		s.room = room
		hello := f.Hello
		s.room.Join(s, &hello)
	case s.room == nil:
		s.reject(canvas.CloseOutOfOrder, "hello expected first")
	case drawsOnBoard(f.Type) && s.readOnly:
		s.reject(canvas.CloseReadOnly, "read-only link: this page cannot draw")
	case drawsOnBoard(f.Type) && !s.expires.IsZero() && !time.Now().Before(s.expires):
		s.reject(canvas.CloseExpired, "embed token expired")
	case f.Type == byte(canvas.OpImage):
		s.room.Op(s, append([]byte(nil), s.imageOp(&f.Op, data)...))
	case canvas.IsOp(f.Type):
		s.room.Op(s, append([]byte(nil), data...))
	case f.Type == canvas.MsgCursor:
		s.room.Cursor(s, f.Cursor)
	case f.Type == canvas.MsgLaser:
		// f is pooled: the room gets its own copy of the points.
		s.room.Laser(s, &canvas.Laser{Points: append([]canvas.Cursor(nil), f.Laser.Points...)})
	case f.Type == canvas.MsgView:
		s.room.View(s, f.View)
	case f.Type == canvas.MsgEditing:
		s.room.Editing(s, f.Editing)
	case f.Type == canvas.MsgName:
		if s.forcedName != "" {
			f.Name.Name = s.forcedName
		}
		name := f.Name
		s.room.Rename(s, &name)
	}
}

var clientFrames = sync.Pool{New: func() any { return new(canvas.ClientFrame) }}

// allow applies the rate limits to a frame of type typ: it returns at once
// within budget; beyond, it sleeps on this connection's read goroutine (so
// only this client is slowed) and tells the client, or drops a cursor, or
// closes a client that stays over budget. It returns false when the frame
// must not be handled.
func (s *Session) allow(typ byte) bool {
	cfg := s.ws.cfg
	c := classOf(typ)
	rate := [numClasses]float64{cfg.RateDraw, cfg.RateDestructive, cfg.RatePresence}[c]
	now := time.Now()
	d := s.lim.wait(c, now, ClassRate{rate, 2 * rate}, ClassRate{rate * cfg.IPRateFactor, 2 * rate * cfg.IPRateFactor})
	if d <= 0 {
		if now.Sub(s.lastSlow) > 2*time.Second {
			s.throttled = 0
		}
		return true
	}
	s.ws.metrics.RateLimited.WithLabelValues([numClasses]string{"draw", "destructive", "presence"}[c]).Inc()
	if dropsOverBudget(typ) {
		return false // a newer position is coming
	}
	s.throttled += d
	s.lastSlow = now
	if s.throttled > maxDebt {
		if s.lim.ip != nil {
			s.lim.ip.penalize(now)
		}
		s.reject(canvas.CloseRateLimited, "rate limit: too many messages for too long")
		return false
	}
	if now.Sub(s.noticeAt) > time.Second {
		s.noticeAt = now
		s.Send(canvas.AppendNotice(nil, &canvas.Notice{Code: canvas.NoticeRateLimited,
			Message: fmt.Sprintf("slow down: retry after %d ms", d.Milliseconds()+1)}))
	}
	time.Sleep(d)
	return !s.Closed()
}

// discardInput, on the read goroutine of a connection the server closed,
// reads and throws away what the client still sends until it hangs up or
// closeDrain passes (closing the socket with unread input would reset it,
// and the client could lose the close frame and its code). It reads the
// raw socket in large chunks: a flooder closed with 4429 has a socket
// buffer of thousands of queued frames, and letting gws parse each of
// them, to have OnMessage drop it, cost tens of milliseconds of a core at
// every close, felt by everyone else on the replica (the flood scenario
// saw its drawers' slowest deliveries at the flooder's closes).
func (s *Session) discardInput() {
	if s.discarded {
		return
	}
	s.discarded = true
	nc := s.conn.NetConn()
	_ = nc.SetReadDeadline(time.Now().Add(closeDrain))
	_, _ = io.Copy(io.Discard, nc)
}

// minReadBuffer is the least socket receive buffer a connection gets.
const minReadBuffer = 16 << 10

// closeDrain is how long a closed connection's input is read and
// discarded while its client answers the close.
const closeDrain = 2 * time.Second

// reject closes a connection that broke the protocol, with a rate-limited log.
func (s *Session) reject(code canvas.CloseCode, reason string) {
	s.ws.metrics.Rejected.Inc()
	s.ws.noisy.Log(s.ws.log, "closing connection", "room", s.roomName, "remote", s.conn.RemoteAddr().String(), "code", code, "reason", reason)
	s.Close(code, reason)
}

// sessionSlot is the gws session storage of a connection: it holds the one
// value this server keeps there (the *Session under sessionKey). gws's
// default is a map per connection, about 400 bytes of an idle
// connection's cost.
type sessionSlot struct {
	mu  sync.Mutex // guards key, val, set
	key string
	val any
	set bool
}

var _ gws.SessionStorage = (*sessionSlot)(nil)

func (p *sessionSlot) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.set {
		return 1
	}
	return 0
}

func (p *sessionSlot) Load(key string) (any, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.set && p.key == key {
		return p.val, true
	}
	return nil, false
}

func (p *sessionSlot) Delete(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key == key {
		p.key, p.val, p.set = "", nil, false
	}
}

// Store keeps key and value; a second key replaces the first (this server
// stores one).
func (p *sessionSlot) Store(key string, value any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.key, p.val, p.set = key, value, true
}

func (p *sessionSlot) Range(f func(key string, value any) bool) {
	p.mu.Lock()
	key, val, set := p.key, p.val, p.set
	p.mu.Unlock()
	if set {
		f(key, val)
	}
}

var _ room.Peer = (*Session)(nil)
