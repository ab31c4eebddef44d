package room

import "github.com/sketchpad/sketchpad/canvas"

// A board's size limits (cfg.MaxBoardPoints, cfg.MaxBoardStrokes): what an
// op adds, whether it fits counting the ops on their way to the board, and
// the purge that makes room by dropping swept strokes.

// growth is what ops held for the log (not yet numbered and applied) will
// add to the board: points and bytes of text, and new strokes.
type growth struct {
	points, strokes int
}

// sizeOf returns what r.op (decoded, by author) adds to the board. A
// Shape or Text sent again for a stroke already there (a drag, an edit)
// replaces it: it adds only the difference, which may be less than
// nothing.
func (r *Room) sizeOf(author uint32) growth {
	o := &r.op
	h := growth{points: len(o.Points) + len(o.Text)}
	switch o.Type {
	case canvas.OpBegin:
		h.strokes = 1
	case canvas.OpShape, canvas.OpText, canvas.OpImage:
		if st := r.board.Stroke(canvas.StrokeID{Author: author, N: o.Stroke}); st != nil {
			h.points -= len(st.Points) + len(st.Text)
		} else {
			h.strokes = 1
		}
	case canvas.OpTextEdit: // replaces the text of a text that exists, else nothing
		h.points = 0
		if st := r.board.Stroke(o.Anchor); st != nil && st.Tool == canvas.ToolText {
			h.points = len(o.Text) - len(st.Text)
		}
	}
	return h
}

// overLimits reports whether an op adding size would take the board past
// cfg.MaxBoardPoints (points and bytes of text) or cfg.MaxBoardStrokes,
// counting the ops held for the log as if they were on it already (and
// swept strokes, which stay on the board until a purge). So the limits
// hold however many ops are in flight.
func (r *Room) overLimits(size growth) bool {
	points, strokes := r.order.held.boardAfter(r.board)
	return r.over(points, strokes, size)
}

func (r *Room) over(points, strokes int, size growth) bool {
	// A byte of text counts as a point: unbounded, 100,000 texts of 4 KiB
	// would make a snapshot no client could take (Validate).
	return points+size.points > r.cfg.MaxBoardPoints || (size.strokes > 0 && strokes >= r.cfg.MaxBoardStrokes)
}

// purgeRoom reports whether numbering the op in a Purge (which drops
// every swept stroke first, canvas/sweep.go) would make room for it, and
// what the board would then hold before it. It estimates what will be
// swept when the purge is applied from the board and the ops held: all
// of the board once a clear is held. It never purges while an undo of a
// sweep is held (what it shows again could not be purged) or another
// purge is (its room is counted already): the op is then refused, as on
// a full board.
func (r *Room) purgeRoom(size growth) (growth, bool) {
	h := &r.order.held
	if h.unsweeps > 0 || h.purges > 0 {
		return growth{}, false
	}
	base := h.liveAfter(r.board)
	if r.over(base.points, base.strokes, size) {
		return growth{}, false
	}
	return base, true
}

// boardFull tells s its op was refused: the board is full.
func (r *Room) boardFull(s Peer, size growth) {
	points, _ := r.order.held.boardAfter(r.board)
	limit := "board_strokes"
	if points+size.points > r.cfg.MaxBoardPoints {
		limit = "board_points"
	}
	r.hub.metrics.LimitHits.WithLabelValues(limit).Inc()
	s.Send(canvas.AppendNotice(nil, &canvas.Notice{Code: canvas.NoticeBoardFull,
		Message: "This board is full: nothing more can be drawn on it. Clearing it makes room."}))
}
