package room

import (
	"unsafe"

	"github.com/sketchpad/sketchpad/canvas"
)

// heldBytes is what a room's memory is counted as in the hub's gauges
// (sketchpad_room_bytes): an estimate from sizes the room already keeps,
// so counting is a few additions per loop pass, never a walk of the board.
type heldBytes struct {
	board, replay, snapshot int64
}

// Estimated sizes of the board's parts in memory: a point as stored, what
// a stroke costs besides its points (its struct, its slot in the board's
// slice and index), and an op's slot in the replay window.
const (
	pointBytes  = int64(unsafe.Sizeof(canvas.Point{}))
	strokeBytes = 160
	seqOpBytes  = int64(unsafe.Sizeof(canvas.SeqOp{}))
)

// measure estimates the room's memory now. r's loop must own it.
func (r *Room) measure() heldBytes {
	var h heldBytes
	if r.board != nil {
		h.board = int64(r.board.Points())*pointBytes + int64(len(r.board.Strokes()))*strokeBytes
	}
	h.replay = int64(r.recent.bytes) + int64(cap(r.recent.ops))*seqOpBytes
	h.snapshot = int64(cap(r.snapMsg))
	return h
}

// account brings the hub's gauges up to date with the room's memory.
func (r *Room) account() {
	r.moveHeld(r.measure())
}

func (r *Room) moveHeld(now heldBytes) {
	m := r.hub.metrics
	if d := now.board - r.held.board; d != 0 {
		m.RoomBytes.WithLabelValues("board").Add(float64(d))
	}
	if d := now.replay - r.held.replay; d != 0 {
		m.RoomBytes.WithLabelValues("replay").Add(float64(d))
	}
	if d := now.snapshot - r.held.snapshot; d != 0 {
		m.RoomBytes.WithLabelValues("snapshot").Add(float64(d))
	}
	r.held = now
}

// forget drops what a stopped room held (its board, replay window and
// snapshot cache) and takes it out of the gauges: a closed room may stay
// referenced a while (by a session still closing, by a late event's
// sender), but not its board.
func (r *Room) forget() {
	r.board = nil
	r.recent = recentOps{max: r.cfg.ReplayOps}
	r.snapMsg = nil
	r.pending, r.out, r.outSeq = nil, nil, 0
	r.moveHeld(heldBytes{})
}
