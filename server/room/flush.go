package room

import (
	"context"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A room's way out: the ops it holds go to its log (submit, numbering.go),
// and what the log numbered goes out in one frame, encoded once, to every
// session, paced by what a frame costs this replica.

// flush stores pending ops and sends one frame with everything new to every
// session. Cursors, laser trails and views go out at most every
// cfg.CursorInterval unless force.
func (r *Room) flush(ctx context.Context, force bool) {
	r.submit()
	r.emitPending()
	// Before this replica sends on a clear it numbered, the board the
	// clear wipes is a version (history.go).
	r.markClears(ctx)
	now := time.Now()
	if (len(r.cursors) > 0 || len(r.lasers) > 0 || len(r.views) > 0) && (force || !now.Before(r.curDue)) {
		start := len(r.out)
		if len(r.cursors) > 0 {
			cs := make([]canvas.AuthorCursor, 0, len(r.cursors))
			for a, c := range r.cursors {
				cs = append(cs, canvas.AuthorCursor{Author: a, X: c.X, Y: c.Y})
			}
			r.out = canvas.AppendCursors(r.out, cs)
			clear(r.cursors)
		}
		if len(r.lasers) > 0 {
			ls := make([]canvas.AuthorLaser, 0, len(r.lasers))
			for a, pts := range r.lasers {
				ls = append(ls, canvas.AuthorLaser{Author: a, Points: pts})
			}
			r.out = canvas.AppendLasers(r.out, ls)
			clear(r.lasers) // the encoded frame holds copies: the slices may go
		}
		if len(r.views) > 0 {
			vs := make([]canvas.AuthorView, 0, len(r.views))
			for a, v := range r.views {
				vs = append(vs, canvas.AuthorView{Author: a, View: v})
			}
			r.out = canvas.AppendViews(r.out, vs)
			clear(r.views)
		}
		r.relayNews(start) // r.cursors, r.lasers and r.views hold this replica's own
		r.outUrgent = true
		r.curDue = now.Add(r.cfg.CursorInterval)
	}
	r.relayFlush(now, force)
	if len(r.out) == 0 {
		// Nothing to send: a compaction due now delays no frame. (In
		// Redis mode the ops that crossed SnapshotEvery may have gone out
		// already, from pub/sub, before the submit's reply said so;
		// waiting for the next frame would leave the checkpoint, and its
		// version, for whenever someone draws again.)
		if r.snapshotDue() {
			r.compact(ctx)
		}
		return
	}
	if !force && now.Before(r.sendDue()) {
		return // coalesce (nextDue wakes the loop)
	}
	r.spend(now)
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

// The pacing rule. A frame costs a write per session, most of it in the
// kernel; the replica measures what a frame costs it (frameCost), and a
// room's frames may take cfg.FrameCPU of a core (half, by default),
// averaged over cfg.FlushInterval: a frame goes at once while the room's
// frames of the last FlushInterval cost less than FrameCPU × FlushInterval,
// and beyond that waits until they do (a token bucket, paidUntil). So a
// room whose ops come no faster than its share pays for sends every op
// the moment it is numbered, however the ops bunch up; a crowd of 1,000
// still coalesces what arrives in 25–30 ms into one frame once its
// budget is spent; and when the machine is saturated, frames cost more
// and rooms coalesce more. Each session's writer coalesces on its own as
// well: frames that reach a connection while its last write is still
// under way go out together in its next one.
//
// The bucket, rather than a fixed gap after each frame, is what lets a
// board of a few hundred get its ops at once: with a gap, an op that
// came a moment after the last frame waited the whole gap even when the
// board's average was far below its budget. And the cheaper a frame (one
// writev on the room's goroutine, server/ws), the more of them the same
// budget pays for (BENCHMARKS.md, cheaper frames).

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// spend records a frame sent to every session at now.
func (r *Room) spend(now time.Time) {
	r.sentAt = now
	r.paidUntil = later(r.paidUntil, now).Add(r.sendInterval())
}

// sendInterval is what one frame to every session spends of the room's
// budget: n × a frame's CPU ÷ cfg.FrameCPU, at most cfg.FlushInterval.
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

// sendDue is when the frame waiting in r.out may go out: once the room's
// budget allows (paidUntil less a FlushInterval's worth), and a frame of
// presence alone not before presenceInterval after the last.
func (r *Room) sendDue() time.Time {
	due := r.paidUntil.Add(-r.cfg.FlushInterval)
	if r.outUrgent {
		return due
	}
	return later(due, r.sentAt.Add(r.presenceInterval()))
}

// flushOps numbers every op the room holds and sends whatever ops wait
// to be sent, so that the board is what every session has been sent.
func (r *Room) flushOps(ctx context.Context) {
	r.settle()
	if len(r.pending) > 0 || r.outHasOps {
		r.flush(ctx, true)
	}
}

// emitPending adds the ops numbered and applied since the last flush to
// the frame for everyone.
func (r *Room) emitPending() {
	if len(r.pending) == 0 {
		return
	}
	r.emit(r.pendSeq, r.pending)
	r.pending = r.pending[:0]
}

// emit adds ops (numbered from seq, stored) to the frame for everyone and
// to the replay window.
func (r *Room) emit(seq uint64, ops []canvas.SeqOp) {
	if seq == r.outSeq+1 && r.outSeq != 0 {
		// Every session was sent the ops through outSeq and nothing
		// after (a joiner's view is cut after a flush): the short form.
		r.out = canvas.AppendOpsNext(r.out, ops)
	} else {
		r.out = canvas.AppendOps(r.out, seq, ops)
	}
	r.outSeq = seq + uint64(len(ops)) - 1
	r.outHasOps, r.outUrgent = true, true
	for i, op := range ops {
		r.recent.add(seq+uint64(i), op)
	}
	r.hub.metrics.OpsIn.Add(float64(len(ops)))
	r.sinceSnap += len(ops)
}

// compact stores the board as its log's latest snapshot, a checkpoint of
// its history, and marks it as a version first: a log that trims history
// as it compacts (Redis) still has the previous version then, so the new
// one counts its ops from there.
func (r *Room) compact(ctx context.Context) {
	snap, _ := r.board.MarshalBinary()
	r.order.crossAt = 0
	r.mark(ctx, r.board.Seq, oplog.KindCheckpoint)
	if err := r.log.Compact(ctx, r.name, r.board.Epoch, r.board.Seq, snap); err != nil {
		r.hub.metrics.StoreErrors.Inc()
		r.logger.Error("compact", "err", err)
		return
	}
	r.sinceSnap = 0
}
