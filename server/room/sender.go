package room

import (
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// A room's frame for everyone is written by a goroutine of its own, one
// frame in flight, as its ops go to the log one batch in flight: the
// room hands the frame and the list of its sessions over (sendFrame) and
// goes on taking ops, submitting them and applying what the log numbered
// while the frame's writes, one system call per session, go out. What
// becomes ready meanwhile waits in r.out and goes out in one frame the
// moment the writes are done (the loop wakes on r.sentDone), so a room
// whose frames come faster than its writes coalesce them at no wait
// beyond the writes themselves.
//
// Why: the writes are most of a frame's cost, a few milliseconds for a
// board of a few hundred. Made on the room's goroutine, they held up
// everything behind them: an op that arrived during one frame's writes
// waited for them before the room even saw it, then for the log, then
// for its own frame's writes. Now the log's fsync overlaps the writes of
// the frame before.
//
// Every other call the room makes on a peer (a notice, a joiner's frame,
// a close) and every removal of a peer waits for the frame in flight
// first (waitSent): a peer gets what the room sends it in the order the
// room sent it, and nothing after it left. Those are rare; the frame for
// everyone is the common case.

// sendFrame hands frame to a goroutine that sends it to every session;
// it returns at once. No frame may be in flight.
func (r *Room) sendFrame(frame []byte) {
	peers := r.fan[:0]
	for s := range r.sessions {
		peers = append(peers, s)
	}
	r.fan, r.sending = peers, true
	go func() {
		for _, s := range peers {
			s.Send(frame)
		}
		r.sentDone <- struct{}{}
	}()
}

// sent notes that the frame in flight has been written to every session.
func (r *Room) sent() {
	r.sending = false
	clear(r.fan) // the peers may go
	if !r.fanArrived.IsZero() {
		r.hub.metrics.Fanout.Observe(time.Since(r.fanArrived).Seconds())
		r.fanArrived = time.Time{}
	}
}

// waitSent waits until the frame in flight, if any, has been written.
func (r *Room) waitSent() {
	if r.sending {
		<-r.sentDone
		r.sent()
	}
}

// sendTo sends frame to s alone, after the frame in flight.
func (r *Room) sendTo(s Peer, frame []byte) {
	r.waitSent()
	s.Send(frame)
}

// closePeer closes s, after the frame in flight.
func (r *Room) closePeer(s Peer, code canvas.CloseCode, reason string) {
	r.waitSent()
	s.Close(code, reason)
}
