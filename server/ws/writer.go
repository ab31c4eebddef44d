package ws

import (
	"encoding/binary"
	"errors"
	"net"
	"os"
	"slices"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// outFrame is one WebSocket frame queued for a session's writer: its
// payload is head, shared and tail written one after the other (a frame
// from the room is head alone; a joiner's is its own head, the room's
// snapshot and its own tail). The parts are shared with other sessions
// and never changed.
type outFrame struct {
	op                 gws.Opcode
	head, shared, tail []byte
	own                int64 // bytes counted against the queue bound (reserve)
}

func (f *outFrame) size() int { return len(f.head) + len(f.shared) + len(f.tail) }

// writerLinger is how long a writer waits for more frames after its queue
// empties before it exits. Longer than the gap between frames of any busy
// room (a room's frames are at most --flush-interval apart, cursors at most
// --cursor-interval), so a connection on a busy board keeps one writer and
// pays no goroutine start per frame; far shorter than the gap between pings
// (--idle-timeout ÷ 2), so an idle connection has no writer, and no stack,
// almost all of the time.
const writerLinger = time.Second

// enqueue writes f at once if nothing is queued before it and the socket
// takes all of it without waiting (writeNow); else it adds f, or what the
// socket did not take, to the session's queue and makes sure a writer
// will write it: it starts one if none runs, or wakes the one that
// lingers. Never blocks on the network.
func (s *Session) enqueue(f outFrame) {
	s.wmu.Lock()
	// No writer: nothing is queued, and no write deadline is set.
	if s.wake == nil && f.op != gws.OpcodeCloseConnection && s.writeNow(&f) {
		s.wmu.Unlock()
		return
	}
	s.out = append(s.out, f)
	switch {
	case s.wake == nil:
		s.wake = make(chan struct{}, 1)
		go s.writeLoop(s.wake)
	case s.waiting:
		s.waiting = false
		s.wake <- struct{}{} // buffered, and only the writer receives: never blocks
	}
	s.wmu.Unlock()
}

// writeLoop is a session's writer: it takes everything queued at once and
// writes it in one writev, until the queue has stayed empty for
// writerLinger or the connection ends. wake is s.wake for this writer's
// lifetime.
func (s *Session) writeLoop(wake chan struct{}) {
	w := writer{s: s}
	var linger *time.Timer
	idle := false // the last wait ended by the timer
	for {
		s.wmu.Lock()
		if len(s.out) == 0 {
			if idle || w.done {
				s.out, s.wake, s.waiting = nil, nil, false // an idle connection keeps no queue
				if w.setOnce && s.closeBy.Load() == 0 {
					// No deadline is left behind for writeNow, whose
					// write never waits, to trip on. Under wmu: a writer
					// started after this one sets its own later.
					_ = s.conn.SetWriteDeadline(time.Time{})
				}
				s.wmu.Unlock()
				if linger != nil {
					linger.Stop()
				}
				return
			}
			s.waiting = true
			s.wmu.Unlock()
			if linger == nil {
				linger = time.NewTimer(writerLinger)
			} else {
				linger.Reset(writerLinger)
			}
			select {
			case <-wake:
				idle = false
			case <-linger.C:
				idle = true
			}
			continue
		}
		// The queue's two halves change places: enqueue appends to the
		// one the writer does not hold.
		batch := s.out
		s.out, w.spare = w.spare, nil
		s.wmu.Unlock()
		idle = false
		if !w.done {
			w.write(batch)
		} else {
			s.dropped(batch)
		}
		clear(batch) // the frames are garbage once written; the slice is reused
		w.spare = batch[:0]
	}
}

// writeNow makes one attempt, on the caller's goroutine, to write frame f
// whole without waiting. It reports whether f is done with: written, or
// the connection ended; else f is now what is left of it, to be written
// first (with its shared part, if any, so that the writer gives a
// joiner's board its longer deadline). s.wmu must be held, and no writer
// running.
func (s *Session) writeNow(f *outFrame) bool {
	tc, ok := s.conn.NetConn().(*net.TCPConn)
	if !ok {
		return false
	}
	var hb [maxFrameHeader]byte
	hdr := appendFrameHeader(hb[:0], f.op, f.size())
	total := len(hdr) + f.size()
	if len(f.shared) > 0 {
		// A joiner's board: even whole in the socket's buffers, it is
		// read at the client's pace, pings queued behind it.
		s.holdRead(s.joinDeadline(time.Now(), int64(total)))
	}
	n, err := tryWritev(tc, hdr, f.head, f.shared, f.tail)
	if err != nil {
		// The connection is gone (reset, closed): as a failed write.
		s.queued.Add(-f.own)
		s.closed.Store(true)
		_ = tc.Close()
		return true
	}
	if n == total {
		s.queued.Add(-f.own)
		s.ws.metrics.BytesOut.Add(float64(total))
		return true
	}
	if n == 0 {
		return false // the socket is full: the writer writes f as it is
	}
	s.ws.metrics.BytesOut.Add(float64(n))
	rest := outFrame{op: opRaw, own: f.own}
	if n < len(hdr) { // a part of the header only: hardly ever
		rest.head = append(append([]byte(nil), hdr[n:]...), f.head...)
		rest.shared, rest.tail = f.shared, f.tail
		*f = rest
		return false
	}
	parts := [3][]byte{f.head, f.shared, f.tail}
	skip := n - len(hdr)
	for i := range parts {
		k := min(skip, len(parts[i]))
		parts[i], skip = parts[i][k:], skip-k
	}
	rest.head, rest.shared, rest.tail = parts[0], parts[1], parts[2]
	*f = rest
	return false
}

// opRaw marks a queued frame's remainder: its bytes go as they are, with
// no header (the header went with its first part).
const opRaw gws.Opcode = 0xff

// writer is what a writer goroutine keeps between batches: buffers reused
// from batch to batch, and given back when it exits.
type writer struct {
	s        *Session
	spare    []outFrame // the queue's other half
	bufs     net.Buffers
	hdrs     []byte
	deadline time.Time // the write deadline last set (zero: set one before the next write)
	setOnce  bool      // a deadline was set on the socket
	done     bool      // the connection ended or its close frame went out: nothing more is written
}

// write writes batch, every frame whole and in order, in one writev, then
// the close frame if batch holds one (what follows it is dropped).
func (w *writer) write(batch []outFrame) {
	s := w.s
	cfg := s.ws.cfg
	bufs, hdrs := w.bufs[:0], slices.Grow(w.hdrs[:0], maxFrameHeader*len(batch))
	var n, own, shared int64
	closing := -1
	for i := range batch {
		f := &batch[i]
		if f.op == gws.OpcodeCloseConnection {
			closing = i
			break
		}
		at := len(hdrs)
		if f.op != opRaw {
			hdrs = appendFrameHeader(hdrs, f.op, f.size())
			bufs = append(bufs, hdrs[at:len(hdrs):len(hdrs)]) // hdrs has room for all: it never moves
		}
		for _, p := range [...][]byte{f.head, f.shared, f.tail} {
			if len(p) > 0 {
				bufs = append(bufs, p)
			}
		}
		n += int64(len(hdrs)-at) + int64(f.size())
		own += f.own
		shared += int64(len(f.shared))
	}
	w.bufs, w.hdrs = bufs, hdrs
	if len(bufs) > 0 {
		now := time.Now()
		if shared > 0 {
			w.setDeadline(s.joinDeadline(now, n), true)
		} else if w.deadline.Sub(now) < cfg.WriteTimeout/2 {
			// Moved only when half of it is used up: a busy connection
			// sets it once per half timeout, not once per write.
			w.setDeadline(now.Add(cfg.WriteTimeout), false)
		} else if s.closeBy.Load() != 0 {
			w.setDeadline(w.deadline, false)
		}
		err := s.writev(bufs)
		clear(bufs[:cap(bufs)])
		s.queued.Add(-own)
		if err != nil {
			w.fail(err, n)
			if closing >= 0 {
				s.dropped(batch[closing+1:])
			}
			return
		}
		s.ws.metrics.BytesOut.Add(float64(n))
		if shared > 0 {
			// The joiner has its board: from now on it gets the write
			// timeout, not the board's long deadline.
			w.deadline = time.Time{}
		}
	}
	if closing >= 0 {
		w.done = true
		s.dropped(batch[closing+1:])
		w.writeClose(batch[closing].head)
	}
}

// writev writes bufs, frames whole. On a *net.TCPConn one writev call
// holds the socket's write lock (internal/poll's FD.Writev) for all of its
// vectors and all of its retries, so gws's own writes on the same socket
// (its answer to a client's close frame, a protocol error's close) land
// between this call's frames, never inside one. Any other connection gets
// the frames copied into one Write, which holds the same lock.
func (s *Session) writev(bufs net.Buffers) error {
	nc := s.conn.NetConn()
	if tc, ok := nc.(*net.TCPConn); ok {
		_, err := bufs.WriteTo(tc)
		return err
	}
	var one []byte
	for _, b := range bufs {
		one = append(one, b...)
	}
	_, err := nc.Write(one)
	return err
}

// setDeadline sets the connection's write deadline to d, or to Close's
// earlier one. join marks a joiner's deadline: the connection's idle read
// deadline is held until then (holdRead).
func (w *writer) setDeadline(d time.Time, join bool) {
	s := w.s
	if c := s.closeBy.Load(); c != 0 && c < d.UnixNano() {
		d = time.Unix(0, c)
	}
	if join {
		s.holdRead(d)
	}
	_ = s.conn.SetWriteDeadline(d)
	w.deadline, w.setOnce = d, true
	// A Close between the load and the set above was undone by it:
	// whoever comes second sees the other's deadline here.
	if c := s.closeBy.Load(); c != 0 && c < d.UnixNano() {
		_ = s.conn.SetWriteDeadline(time.Unix(0, c))
		w.deadline = time.Unix(0, c)
	}
}

// fail ends a connection whose write failed partway: half a frame may have
// gone out, after which no close frame can follow.
func (w *writer) fail(err error, n int64) {
	s := w.s
	w.done = true
	if errors.Is(err, os.ErrDeadlineExceeded) && s.closeBy.Load() == 0 { // not Close's deadline
		s.ws.metrics.SlowDrops.Inc()
		s.ws.noisy.Log(s.ws.log, "client too slow to read", "room", s.roomName,
			"remote", s.conn.RemoteAddr().String(), "bytes", n)
	}
	s.closed.Store(true)
	_ = s.conn.NetConn().Close() // gws's read loop ends and OnClose follows
}

// writeClose writes the close frame with payload, half-closes the
// socket, and gives the client closeDrain to answer (discardInput).
func (w *writer) writeClose(payload []byte) {
	s := w.s
	w.setDeadline(time.Unix(0, s.closeBy.Load()), false)
	frame := append(appendFrameHeader(make([]byte, 0, maxFrameHeader+len(payload)), gws.OpcodeCloseConnection, len(payload)), payload...)
	if _, err := s.conn.NetConn().Write(frame); err != nil {
		_ = s.conn.NetConn().Close()
		return
	}
	// gws does not know a close frame went out, and would answer the
	// client's close with a second one; browsers then report 1006, not
	// our code. Half-close: nothing more is written, reading goes on.
	if cw, ok := s.conn.NetConn().(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	// Closing the socket now would reset it, losing the close frame,
	// if the client is still sending (a flooder is): let it answer,
	// reading and discarding meanwhile (discardInput), for at most
	// closeDrain.
	_ = s.conn.SetReadDeadline(time.Now().Add(closeDrain))
}

// dropped gives back the queue bound's bytes of frames never written.
func (s *Session) dropped(frames []outFrame) {
	var own int64
	for i := range frames {
		own += frames[i].own
	}
	s.queued.Add(-own)
}

// closeWith queues the close frame with code and reason, to go out within
// closeTimeout: after the frames queued before it (flush), or instead of
// them (a client dropped for not reading them). Never blocks.
func (s *Session) closeWith(code canvas.CloseCode, reason string, flush bool) {
	if !s.closed.CompareAndSwap(false, true) {
		return
	}
	by := time.Now().Add(closeTimeout)
	s.closeBy.Store(by.UnixNano())
	payload := binary.BigEndian.AppendUint16(nil, uint16(code))
	payload = append(payload, reason[:min(len(reason), 120)]...)
	if !flush {
		s.wmu.Lock()
		s.dropped(s.out)
		clear(s.out)
		s.out = s.out[:0]
		s.wmu.Unlock()
	}
	s.enqueue(outFrame{op: gws.OpcodeCloseConnection, head: payload})
	// A writer stuck on a client that stopped reading gives up by then.
	_ = s.conn.SetWriteDeadline(by)
}

// closeTimeout bounds the writing of what a closed session still owes:
// the frames queued before Close, and the close frame.
const closeTimeout = time.Second

// maxFrameHeader is the longest header of a server's frame (no mask).
const maxFrameHeader = 10

// appendFrameHeader appends the header of a final, unmasked WebSocket
// frame (RFC 6455 section 5.2) of type op with an n-byte payload.
func appendFrameHeader(b []byte, op gws.Opcode, n int) []byte {
	b = append(b, 0x80|byte(op))
	switch {
	case n < 126:
		return append(b, byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, 126), uint16(n))
	default:
		return binary.BigEndian.AppendUint64(append(b, 127), uint64(n))
	}
}
