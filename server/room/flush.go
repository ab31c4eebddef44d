package room

import (
	"context"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A room's way out: the ops it holds go to its log (embedded mode: the
// batch it applied; Redis mode: what the log numbered, see redis_room.go),
// and one frame, encoded once, goes to every session, paced by what a
// frame costs this replica.

// flush stores pending ops and sends one frame with everything new to every
// session. Cursors go out at most every cfg.CursorInterval unless force.
func (r *Room) flush(ctx context.Context, force bool) {
	if !r.solo {
		r.submit()
	}
	r.emitPending(ctx)
	now := time.Now()
	if len(r.cursors) > 0 && (force || !now.Before(r.curDue)) {
		cs := make([]canvas.AuthorCursor, 0, len(r.cursors))
		for a, c := range r.cursors {
			cs = append(cs, canvas.AuthorCursor{Author: a, X: c.X, Y: c.Y})
		}
		r.out = canvas.AppendCursors(r.out, cs)
		r.outUrgent = true
		clear(r.cursors)
		r.curDue = now.Add(r.cfg.CursorInterval)
	}
	if len(r.out) == 0 {
		return
	}
	if !force && now.Before(r.sendDue()) {
		return // coalesce (nextDue wakes the loop)
	}
	r.sentAt = now
	frame := r.out
	r.out, r.outHasOps, r.outUrgent = nil, false, false // sessions may still be writing frame; never reuse it
	for s := range r.sessions {
		s.Send(frame)
	}
	if !r.outArrived.IsZero() {
		r.hub.metrics.Fanout.Observe(time.Since(r.outArrived).Seconds())
		r.outArrived = time.Time{}
	}
	r.hub.metrics.FramesOut.Add(float64(len(r.sessions)))
	r.hub.cost.sent(len(r.sessions))
	if r.snapshotDue() {
		r.compact(ctx)
	}
}

// sendInterval is how long the room waits after sending a frame before it
// sends the next. A frame costs a write per session, most of it in the
// kernel; the replica measures what a frame costs it (frameCost: 13–30 µs
// on loopback on the CI machine), and a room of n sessions waits n × twice
// that, at most cfg.FlushInterval. So a room of 10 sends every op at once,
// a crowd of 1,000 coalesces what arrives in 25–30 ms into one frame, and
// a room spends at most about half a core (cfg.FrameCPU) on its frames
// however busy it is; when the machine is saturated, frames cost more and
// rooms wait longer.
func (r *Room) sendInterval() time.Duration {
	wait := float64(len(r.sessions)) * float64(r.hub.cost.per()) / r.cfg.FrameCPU
	if !(wait < float64(r.cfg.FlushInterval)) { // NaN or past the bound
		return r.cfg.FlushInterval
	}
	return time.Duration(wait)
}

// presenceInterval is the wait instead when the frame holds only
// presence (joins, leaves, names) and notices: n × 250µs, at most a second.
// Nobody is drawing faster for it, and when a replica dies and its
// thousand clients come back here within seconds, one frame of names per
// join batch to everyone already here would cost more than the joins
// themselves: a room of 1,000 sends its roster news 4 times a second.
func (r *Room) presenceInterval() time.Duration {
	return max(r.sendInterval(), min(time.Second, time.Duration(len(r.sessions))*250*time.Microsecond))
}

// sendDue is when the frame waiting in r.out may go out.
func (r *Room) sendDue() time.Time {
	if r.outUrgent {
		return r.sentAt.Add(r.sendInterval())
	}
	return r.sentAt.Add(r.presenceInterval())
}

// flushOps makes every applied op durable (embedded mode) and sends
// whatever ops wait to be sent, so that the board is what every session
// has been sent.
func (r *Room) flushOps(ctx context.Context) {
	r.settle(ctx)
	if len(r.pending) > 0 || r.outHasOps {
		r.flush(ctx, true)
	}
}

// maxUncommitted bounds the ops a room applies while a commit is in
// flight; past it the room waits for the store (and its senders for the
// room) rather than holding more.
const maxUncommitted = 20000

// emitPending hands the ops applied since the last flush to the store
// (embedded mode: they are sent when their commit returns, see committed)
// or, in Redis mode, where they are in the log already, adds them to the
// frame for everyone.
func (r *Room) emitPending(ctx context.Context) {
	if len(r.pending) == 0 {
		return
	}
	if r.solo {
		if r.committing != nil {
			if len(r.pending) < maxUncommitted {
				return // the next batch, when the one in flight returns
			}
			r.committed(<-r.commitDone)
		}
		r.startCommit(ctx)
		return
	}
	r.emit(r.pendSeq, r.pending)
	r.pending = r.pending[:0]
}

// emit adds ops (numbered from seq, stored) to the frame for everyone and
// to the replay window.
func (r *Room) emit(seq uint64, ops []canvas.SeqOp) {
	r.out = canvas.AppendOps(r.out, seq, ops)
	r.outHasOps, r.outUrgent = true, true
	for i, op := range ops {
		r.recent.add(seq+uint64(i), op)
	}
	r.hub.metrics.OpsIn.Add(float64(len(ops)))
	r.sinceSnap += len(ops)
}

// startCommit hands the pending ops to the log, which numbers them as the
// room did and stores them, retrying until its store takes them (while it
// fails, drawing pauses: nothing that was not stored is ever sent), and
// then replies on r.commitDone. r.committing must be nil.
func (r *Room) startCommit(_ context.Context) {
	batch := make([]canvas.SeqOp, len(r.pending))
	copy(batch, r.pending)
	r.committing, r.commitSeq = batch, r.pendSeq
	r.commitArrived, r.arrived = r.arrived, time.Time{}
	ops := make([]oplog.BatchOp, len(batch))
	for i, op := range batch {
		ops[i] = oplog.BatchOp{Author: op.Author, Index: r.pendIdx[i], Op: op.Op}
	}
	r.pending, r.pendIdx = r.pending[:0], r.pendIdx[:0]
	r.log.Submit(r.name, r.board.Epoch, ops, r.commitDone)
}

// committed sends the batch whose reply came back. The log numbered it as
// the room did (the room is its only writer); anything else is a bug, and
// the batch is not sent, as it is not stored as the room holds it.
func (r *Room) committed(res oplog.SubmitResult) {
	if r.committing == nil {
		return
	}
	if !r.numberedAsApplied(res) {
		r.logger.Error("the log numbered a batch otherwise than the room", "seq", r.commitSeq, "err", res.Err)
		r.committing = nil
		return
	}
	r.emit(r.commitSeq, r.committing)
	r.committing = nil
	if r.outArrived.IsZero() {
		r.outArrived = r.commitArrived
	}
}

// numberedAsApplied reports whether the log numbered the batch in flight
// as the room applied it: every op, from r.commitSeq on.
func (r *Room) numberedAsApplied(res oplog.SubmitResult) bool {
	if res.Err != nil || res.Epoch != r.board.Epoch || len(res.Seqs) != len(r.committing) {
		return false
	}
	for i, seq := range res.Seqs {
		if seq != int64(r.commitSeq)+int64(i) {
			return false
		}
	}
	return true
}

// settle makes every applied op durable and queued for sending: it waits
// for the commit in flight, then commits the rest. In Redis mode it waits
// for the submit in flight and submits the rest (settleShared).
func (r *Room) settle(ctx context.Context) {
	if !r.solo {
		r.settleShared()
		return
	}
	for r.committing != nil || len(r.pending) > 0 {
		if r.committing != nil {
			r.committed(<-r.commitDone)
			continue
		}
		r.startCommit(ctx)
	}
}

func (r *Room) compact(ctx context.Context) {
	snap, _ := r.board.MarshalBinary()
	r.cluster.crossed = false
	if err := r.log.Compact(ctx, r.name, r.board.Epoch, r.board.Seq, snap); err != nil {
		r.hub.metrics.StoreErrors.Inc()
		r.logger.Error("compact", "err", err)
		return
	}
	r.sinceSnap = 0
}
