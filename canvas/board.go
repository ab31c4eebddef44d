package canvas

import "slices"

// Stroke is a stroke on the board, with absolute points.
type Stroke struct {
	ID       StrokeID
	Tool     uint8
	Pressure bool // the Begin carried pressure
	Hidden   bool // erased (and not restored)
	Filled   bool // a shape filled with its color
	Color    uint32
	Width    uint32 // line width; for text, the font size
	Points   []Point
	Text     string // ToolText only
	// Wrap is a text's wrap width in board units, 0 when its lines break
	// only at newlines (text.go).
	Wrap uint32
	// Seq is the sequence number of the op that put the stroke on the
	// board: who drew it is ID.Author, when is the log's time of Seq.
	Seq uint64
	// Swept names the sweep (a Clear or a Remove, sweep.go) that hid the
	// stroke, zero when none; Removed says the sweep was a moderator's
	// Remove.
	Swept   StrokeID
	Removed bool
	// Rot turns the stroke about the center of its points' box, in 1/100
	// degree (0..35999; rotate.go).
	Rot uint32
}

// Visible reports whether the stroke is drawn: neither erased nor swept.
func (s *Stroke) Visible() bool { return !s.Hidden && s.Swept == (StrokeID{}) }

// AuthorState is what the board remembers of one author.
type AuthorState struct {
	// Applied counts this author's ops the board has applied: the index
	// the author's next op must have.
	Applied uint64
	// Open is the author's open stroke number, 0 when none.
	Open uint32
}

// Board is the state of one room after applying ops 1..Seq. It is not safe
// for concurrent use; the server gives each room's board one owner.
//
// The zero Board is an empty board of epoch 0.
type Board struct {
	Epoch uint64 // names this history; a new epoch means the old one was lost
	Seq   uint64 // sequence number of the last op applied

	authors map[uint32]*AuthorState
	strokes []*Stroke        // z-order, bottom first
	index   map[StrokeID]int // position in strokes
	points  int              // points in all strokes, for limits and metrics
	text    int              // bytes of text in all strokes, for limits
	swept   sweptSize        // what of points, text and strokes is swept
}

// NewBoard returns an empty board of the given epoch.
func NewBoard(epoch uint64) *Board { return &Board{Epoch: epoch} }

// Author returns what the board knows of author a (zero if nothing).
func (b *Board) Author(a uint32) AuthorState {
	if s := b.authors[a]; s != nil {
		return *s
	}
	return AuthorState{}
}

// MaxAuthor returns the highest author id that has applied an op.
func (b *Board) MaxAuthor() uint32 {
	var m uint32
	for a := range b.authors {
		m = max(m, a)
	}
	return m
}

// Strokes returns the strokes in z-order. The slice and the strokes belong
// to the board: read them, do not change them.
func (b *Board) Strokes() []*Stroke { return b.strokes }

// Stroke returns the stroke named id, or nil.
func (b *Board) Stroke(id StrokeID) *Stroke {
	if i, ok := b.index[id]; ok {
		return b.strokes[i]
	}
	return nil
}

// Points returns the number of points on the board, hidden strokes included.
func (b *Board) Points() int { return b.points }

// TextBytes returns the bytes of text on the board, hidden strokes
// included: a server bounds them, as it bounds points, to bound its
// boards' snapshots (MaxSnapshotBytes).
func (b *Board) TextBytes() int { return b.text }

func (b *Board) author(a uint32) *AuthorState {
	s := b.authors[a]
	if s == nil {
		if b.authors == nil {
			b.authors = make(map[uint32]*AuthorState)
		}
		s = &AuthorState{}
		b.authors[a] = s
	}
	return s
}

// Apply applies op o by author a as the next op (sequence b.Seq+1). It never
// fails: every well-formed op has exactly one effect, possibly none, as
// PROTOCOL.md "Apply" says, so every replica of the board stays identical.
// Apply does not keep o or its slices.
func (b *Board) Apply(a uint32, o *Op) {
	b.Seq++
	as := b.author(a)
	as.Applied++
	if o.Purge {
		b.purge()
	}
	switch o.Type {
	case OpBegin:
		as.Open = 0
		id := StrokeID{Author: a, N: o.Stroke}
		if _, exists := b.index[id]; exists {
			return
		}
		s := &Stroke{
			ID:       id,
			Seq:      b.Seq,
			Tool:     o.Tool,
			Pressure: o.Flags&FlagPressure != 0,
			Color:    o.Color,
			Width:    o.Width,
		}
		b.appendPoints(s, Point{}, o.Points)
		b.add(s)
		as.Open = o.Stroke
	case OpPoints, OpPointsP:
		if as.Open == 0 {
			return
		}
		s := b.strokes[b.index[StrokeID{Author: a, N: as.Open}]]
		b.appendPoints(s, s.Points[len(s.Points)-1], o.Points)
	case OpTrace:
		if as.Open == 0 {
			return
		}
		b.appendTrace(b.strokes[b.index[StrokeID{Author: a, N: as.Open}]], o.Points)
	case OpEnd:
		as.Open = 0
	case OpErase, OpRestore:
		hide := o.Type == OpErase
		for _, id := range o.Strokes {
			if i, ok := b.index[id]; ok {
				b.strokes[i].Hidden = hide
			}
		}
	case OpClear:
		for _, s := range b.authors {
			s.Open = 0
		}
		if o.Stroke == 0 { // version 3's clear, replayed from a log: for good
			clear(b.index)
			b.strokes = nil
			b.points, b.text, b.swept = 0, 0, sweptSize{}
			return
		}
		b.sweep(StrokeID{Author: a, N: o.Stroke}, false, func(*Stroke) bool { return true })
	case OpRemove:
		if s := b.authors[o.Sweep.Author]; s != nil {
			s.Open = 0
		}
		b.sweep(StrokeID{Author: a, N: o.Stroke}, true, func(s *Stroke) bool {
			return s.ID.Author == o.Sweep.Author && s.Seq > o.Since
		})
	case OpUnsweep:
		b.unsweep(o.Sweep)
	case OpShape, OpText, OpImage:
		// Create, or replace in place a stroke of the same kind: a live
		// drag or an edit sends the same stroke again.
		as.Open = 0
		tool, width := o.Tool, o.Width
		switch o.Type {
		case OpText:
			tool = ToolText
		case OpImage:
			tool, width = ToolImage, 1
		}
		id := StrokeID{Author: a, N: o.Stroke}
		s := b.Stroke(id)
		switch {
		case s == nil:
			s = &Stroke{ID: id, Seq: b.Seq}
			b.add(s)
		case IsShape(s.Tool) != IsShape(tool) || (s.Tool == ToolText) != (tool == ToolText) || (s.Tool == ToolImage) != (tool == ToolImage):
			return
		}
		b.points += len(o.Points) - len(s.Points)
		b.text += len(o.Text) - len(s.Text)
		if s.Swept != (StrokeID{}) {
			b.swept.points += len(o.Points) - len(s.Points)
			b.swept.text += len(o.Text) - len(s.Text)
		}
		s.Tool, s.Filled, s.Color, s.Width, s.Text = tool, o.Flags&FlagFilled != 0, o.Color, width, o.Text
		s.Points = append(s.Points[:0], o.Points...)
	case OpMove:
		for _, id := range o.Strokes {
			s := b.Stroke(id)
			if s == nil {
				continue
			}
			for i, p := range s.Points {
				s.Points[i] = Point{X: clampCoord(p.X, o.DX), Y: clampCoord(p.Y, o.DY), P: p.P}
			}
		}
	case OpRestyle:
		b.restyle(o)
	case OpOrder:
		b.order(o)
	case OpTransform:
		b.transform(o)
	case OpRotate:
		b.rotate(o)
	case OpTextEdit, OpTextWrap:
		b.textOp(o)
	}
}

// add puts a new stroke on top of the board.
func (b *Board) add(s *Stroke) {
	if b.index == nil {
		b.index = make(map[StrokeID]int)
	}
	b.index[s.ID] = len(b.strokes)
	b.strokes = append(b.strokes, s)
}

// appendPoints adds delta-coded pts to s starting from prev, clamping each
// coordinate and dropping points beyond MaxStrokePoints.
func (b *Board) appendPoints(s *Stroke, prev Point, pts []Point) {
	room := MaxStrokePoints - len(s.Points)
	if room <= 0 {
		return
	}
	s.Points = slices.Grow(s.Points, min(room, len(pts)))
	for i, d := range pts {
		if i == room {
			break
		}
		prev = Point{X: clampCoord(prev.X, d.X), Y: clampCoord(prev.Y, d.Y), P: d.P}
		s.Points = append(s.Points, prev)
		b.points++
	}
}

// appendTrace adds the points that residuals rs predict from the stroke's
// last two points (trace.go), dropping points beyond MaxStrokePoints.
func (b *Board) appendTrace(s *Stroke, rs []Point) {
	n := min(MaxStrokePoints-len(s.Points), len(rs))
	if n <= 0 {
		return
	}
	s.Points = slices.Grow(s.Points, n)
	t := traceStateOf(s.Points)
	for _, r := range rs[:n] {
		s.Points = append(s.Points, t.next(int64(r.X), int64(r.Y)))
	}
	b.points += n
}

func clampCoord(base, delta int32) int32 {
	v := int64(base) + int64(delta)
	return int32(max(-CoordLimit, min(CoordLimit, v)))
}
