package room

import (
	"context"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The room's part in its board's history: it marks versions in its log
// (oplog.Log.Mark) at the points only it sees, with the names only it
// knows. A checkpoint is marked as the room compacts, after the frame of
// the ops that crossed SnapshotEvery went out (flush.go); the board
// before a clear is marked by the replica whose submit numbered the clear,
// so each clear is marked once whichever replica people are on. The log
// fills in the rest (the ops since the previous version and their
// authors), and the history API reads it from the log, not from rooms.

// markClears marks the board before each clear and each moderator's
// removal the room's last submits numbered, at the first flush after the
// reply: before this replica sends the sweep on, so whoever sees work
// vanish here can find it in history.
// (With a shared log, pub/sub may bring the clear first, to this replica
// or to others, a moment before its version is marked.) It costs the
// clear's frame one call to the log; a clear is rare. The ops up to the
// version are in the log already (numbered before the clear).
func (r *Room) markClears(ctx context.Context) {
	for _, m := range r.order.marks {
		r.mark(ctx, m.seq, m.kind)
	}
	r.order.marks = r.order.marks[:0]
}

// pendingMark is a version the room's submits owe its log: the board at
// seq, before a sweep of kind.
type pendingMark struct {
	seq  uint64
	kind oplog.VersionKind
}

// sweepKind reports the kind of version the board before op is: a clear
// or a moderator's removal (ok false: any other op).
func sweepKind(op []byte) (oplog.VersionKind, bool) {
	switch canvas.OpType(op[0]) {
	case canvas.OpClear:
		return oplog.KindClear, true
	case canvas.OpRemove:
		return oplog.KindRemoval, true
	}
	return 0, false
}

// mark records a version of the board at seq. A version that fails to be
// recorded is logged and counted, not retried: the ops stay in history
// either way, and the next version counts them.
func (r *Room) mark(ctx context.Context, seq uint64, kind oplog.VersionKind) {
	if seq == 0 {
		return
	}
	if err := r.log.Mark(ctx, r.name, r.board.Epoch, seq, kind, time.Now(), r.names); err != nil {
		r.hub.metrics.StoreErrors.Inc()
		r.logger.Error("mark version", "seq", seq, "kind", kind.String(), "err", err)
	}
}
