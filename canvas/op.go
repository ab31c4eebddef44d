package canvas

// Version is the wire protocol version this package speaks.
//
// History:
//
//	1  strokes (pen), erase/restore, clear, presence, cursors.
//	2  highlighter and partial eraser strokes; shapes (line, arrow, rect,
//	   ellipse), text, move.
//	3  Trace: freehand points as second-order residuals, about one byte
//	   per point (trace.go).
//	4  sweeps: an undoable Clear (numbered), Unsweep, a moderator's Remove
//	   of one author's work, and the server's Purge (sweep.go).
//	4  Restyle, Order and Transform: change the style, the z-order and
//	   the size of what is drawn (arrange.go, transform.go).
//	5  Rotate: turn what is drawn; strokes have a rotation (rotate.go).
//	5  Image: a picture on the board, named by its content hash
//	   (image.go).
//	5  View and Views: follow the leader's view (view.go); the follow-on
//	   form of Ops (ops_next.go).
//	5  shared text: TextEdit and TextWrap (text.go), anyone edits any
//	   text, live, wrapped to a width; Editing and Editors say who edits.
//	6  people's colors: a color not picked (alpha 0 in Hello and Name)
//	   asks the server for the least used of PersonColors; the server
//	   marks viewers in Presence (palette.go).
const Version = 6

// OpType is the first byte of an op. Ops are the sequenced messages: each
// one gets a room sequence number and changes the board.
type OpType byte

const (
	OpBegin   OpType = 0x10 // stroke uvarint, tool u8, flags u8, color u32, width uvarint, points
	OpPoints  OpType = 0x11 // points (dx, dy)
	OpPointsP OpType = 0x12 // points (dx, dy, p)
	OpEnd     OpType = 0x13 // empty
	OpErase   OpType = 0x14 // count uvarint, count × (author uvarint, stroke uvarint)
	OpRestore OpType = 0x15 // same as Erase
	OpClear   OpType = 0x16 // n uvarint: the clearer's sweep number (sweep.go)
	OpShape   OpType = 0x17 // stroke uvarint, tool u8, flags u8, color u32, width uvarint, x0, y0, x1, y1 svarint
	OpText    OpType = 0x18 // stroke uvarint, color u32, size uvarint, x, y svarint, text string
	OpMove    OpType = 0x19 // count uvarint, count × (author uvarint, stroke uvarint), dx, dy svarint
	OpTrace   OpType = 0x1a // trace codes to the end of the op (residuals, see trace.go)
	OpUnsweep OpType = 0x1b // author uvarint, n uvarint: the sweep undone
	OpRemove  OpType = 0x1c // n uvarint, author uvarint, since uvarint: a moderator's sweep of one author
	OpPurge   OpType = 0x1d // an op that adds to the board; numbered by servers only
	OpRestyle OpType = 0x1e // count uvarint, count × (author, stroke), parts u8, [color u32], [width uvarint], [filled u8]
	OpOrder   OpType = 0x1f // count uvarint, count × (author, stroke), where u8, [anchor author, anchor stroke]
	// 0x20 and 0x21 are the client messages Cursor and Name.
	OpTransform OpType = 0x22 // count uvarint, count × (author, stroke), sx, sy, tx, ty svarint
	OpRotate    OpType = 0x23 // count uvarint, count × (author, stroke), angle, px, py svarint
	OpImage     OpType = 0x24 // stroke uvarint, color u32, x0, y0, x1, y1 svarint, hash 32 bytes (image.go)
	OpTextEdit  OpType = 0x25 // author uvarint, stroke uvarint, text string: replaces a text's content
	OpTextWrap  OpType = 0x26 // author uvarint, stroke uvarint, wrap uvarint: a text's wrap width (0: none)
)

// IsOp reports whether t is an op type (a client frame carrying an op).
// Op types and the other client message types share one byte space:
// 0x20 and 0x21 are Cursor and Name.
func IsOp(t byte) bool {
	return t >= byte(OpBegin) && t <= byte(OpOrder) || t == byte(OpTransform) || t == byte(OpRotate) || t == byte(OpImage) ||
		t == byte(OpTextEdit) || t == byte(OpTextWrap)
}

// Tools. A stroke's tool says how it is drawn (PROTOCOL.md "Rendering").
const (
	ToolPen         uint8 = 0 // freehand ink
	ToolHighlighter uint8 = 1 // freehand, translucent, under all ink
	ToolEraser      uint8 = 2 // freehand, erases what is below it (partial eraser)
	ToolLine        uint8 = 3 // shape: two points
	ToolArrow       uint8 = 4
	ToolRect        uint8 = 5
	ToolEllipse     uint8 = 6
	ToolText        uint8 = 7 // one point (top-left), Width is the font size
	ToolImage       uint8 = 8 // two points (the box's corners), Text is the image's hash (image.go)
	maxTool               = ToolImage
)

// IsFreehand reports whether strokes of tool t are drawn by Begin/Points.
func IsFreehand(t uint8) bool { return t <= ToolEraser }

// IsShape reports whether tool t is a two-point shape set by Shape ops.
func IsShape(t uint8) bool { return t >= ToolLine && t <= ToolEllipse }

// Op flags.
const (
	FlagPressure uint8 = 1 << 0 // Begin: points carry pressure
	FlagFilled   uint8 = 1 << 2 // Shape: fill the shape with its color
	beginFlags         = FlagPressure
	shapeFlags         = FlagFilled
)

// Limits of the protocol itself. A frame that breaks one is malformed.
const (
	MaxPointsPerOp   = 2048
	MaxStrokesPerOp  = 1024
	MaxPointDelta    = 1 << 24
	CoordLimit       = 1 << 28
	MaxStrokePoints  = 50000
	MaxWidth         = 4096
	MaxNameBytes     = 64
	MaxTextBytes     = 4096
	MaxMoveDelta     = 1 << 29
	minPointBytes    = 2 // dx and dy are at least one byte each
	minStrokeIDBytes = 2
)

// Point is a board point in 1/4 CSS pixel units. In an Op it is a delta
// from the previous point of the stroke; in a Board it is absolute.
// P is pressure, 0 meaning "the device gave none".
type Point struct {
	X, Y int32
	P    uint8
}

// StrokeID names a stroke: the author who began it and the author's own
// number for it (1, 2, 3, ...).
type StrokeID struct {
	Author uint32
	N      uint32
}

// Op is one decoded op. Which fields matter depends on Type:
//
//	Begin:          Stroke, Tool, Flags, Color, Width, Points (deltas)
//	Points/PointsP: Points (deltas; P only meaningful for PointsP)
//	Trace:          Points (second-order residuals, P always 0; see TraceResiduals)
//	Erase/Restore:  Strokes
//	Shape:          Stroke, Tool, Flags, Color, Width, Points (two, absolute)
//	Text:           Stroke, Color, Width (the font size), Points (one, absolute), Text
//	Move:           Strokes, DX, DY
//	Clear:          Stroke (the sweep's number; 0: version 3's clear for good)
//	Unsweep:        Sweep (the sweep undone)
//	Remove:         Stroke (the sweep's number), Sweep.Author (whose strokes), Since
//	Restyle:        Strokes, Parts, Color, Width, Flags (FlagFilled: fill)
//	Order:          Strokes, Where, Anchor (WhereAbove only)
//	Transform:      Strokes, SX, SY (scale, 1/ScaleOne units), DX, DY (translation)
//	Rotate:         Strokes, Angle (1/100 degree), Pivot
//	Image:          Stroke, Color (alpha: opacity), Points (two, absolute), Text (the hash, hex)
//	TextEdit:       Anchor (the text), Text
//	TextWrap:       Anchor (the text), Width (the wrap width, 0: none)
//	End:            nothing
//
// Purge marks an op of a type that adds to the board (AddsToBoard) as
// numbered by a server in a Purge: on the wire it is 0x1D followed by the
// op; applied, it first drops every swept stroke (sweep.go).
type Op struct {
	Type    OpType
	Stroke  uint32
	Tool    uint8
	Flags   uint8
	Color   uint32
	Width   uint32
	Points  []Point
	Strokes []StrokeID
	Text    string
	DX, DY  int32
	Sweep   StrokeID
	Since   uint64
	Purge   bool
	SX, SY  int32    // Transform: scale in 1/ScaleOne units
	Parts   uint8    // Restyle: which parts of the style change (Part*)
	Where   uint8    // Order: where the strokes go (Where*)
	Anchor  StrokeID // Order WhereAbove: the stroke they go above ({0, 0}: the bottom)
	Angle   int32    // Rotate: the angle in 1/100 degree (positive turns +x toward +y)
	Pivot   Point    // Rotate: the point the strokes' centers turn about
}

// AddsToBoard reports whether ops of type t can add strokes, points or
// text to the board: the ops a board's limits apply to, and the only ones
// a Purge may carry.
func AddsToBoard(t OpType) bool {
	switch t {
	case OpBegin, OpPoints, OpPointsP, OpTrace, OpShape, OpText, OpImage, OpTextEdit:
		return true
	}
	return false
}

// HasPressure reports whether the op's points carry pressure bytes.
func (o *Op) HasPressure() bool {
	return o.Type == OpPointsP || (o.Type == OpBegin && o.Flags&FlagPressure != 0)
}

// AppendOp appends the wire encoding of o (type byte and body) to b.
func AppendOp(b []byte, o *Op) []byte {
	if o.Purge {
		b = append(b, byte(OpPurge))
	}
	b = append(b, byte(o.Type))
	switch o.Type {
	case OpBegin:
		b = appendUvarint(b, uint64(o.Stroke))
		b = append(b, o.Tool, o.Flags)
		b = appendU32(b, o.Color)
		b = appendUvarint(b, uint64(o.Width))
		b = appendPoints(b, o.Points, o.HasPressure())
	case OpPoints, OpPointsP:
		b = appendPoints(b, o.Points, o.HasPressure())
	case OpTrace:
		b = appendResiduals(b, o.Points)
	case OpErase, OpRestore, OpMove:
		b = appendUvarint(b, uint64(len(o.Strokes)))
		for _, s := range o.Strokes {
			b = appendUvarint(b, uint64(s.Author))
			b = appendUvarint(b, uint64(s.N))
		}
		if o.Type == OpMove {
			b = appendSvarint(b, int64(o.DX))
			b = appendSvarint(b, int64(o.DY))
		}
	case OpRestyle, OpOrder:
		b = appendArrange(b, o)
	case OpTransform:
		b = appendStrokeIDs(b, o.Strokes)
		for _, v := range [4]int32{o.SX, o.SY, o.DX, o.DY} {
			b = appendSvarint(b, int64(v))
		}
	case OpRotate:
		b = appendRotate(b, o)
	case OpShape:
		b = appendUvarint(b, uint64(o.Stroke))
		b = append(b, o.Tool, o.Flags)
		b = appendU32(b, o.Color)
		b = appendUvarint(b, uint64(o.Width))
		for _, p := range o.Points[:2] {
			b = appendSvarint(b, int64(p.X))
			b = appendSvarint(b, int64(p.Y))
		}
	case OpImage:
		b = appendImage(b, o)
	case OpText:
		b = appendUvarint(b, uint64(o.Stroke))
		b = appendU32(b, o.Color)
		b = appendUvarint(b, uint64(o.Width))
		b = appendSvarint(b, int64(o.Points[0].X))
		b = appendSvarint(b, int64(o.Points[0].Y))
		b = appendUvarint(b, uint64(len(o.Text)))
		b = append(b, o.Text...)
	case OpClear:
		if o.Stroke != 0 {
			b = appendUvarint(b, uint64(o.Stroke))
		}
	case OpTextEdit, OpTextWrap:
		b = appendTextOp(b, o)
	case OpUnsweep:
		b = appendUvarint(b, uint64(o.Sweep.Author))
		b = appendUvarint(b, uint64(o.Sweep.N))
	case OpRemove:
		b = appendUvarint(b, uint64(o.Stroke))
		b = appendUvarint(b, uint64(o.Sweep.Author))
		b = appendUvarint(b, o.Since)
	}
	return b
}

func appendPoints(b []byte, pts []Point, pressure bool) []byte {
	b = appendUvarint(b, uint64(len(pts)))
	for _, p := range pts {
		b = appendSvarint(b, int64(p.X))
		b = appendSvarint(b, int64(p.Y))
		if pressure {
			b = append(b, p.P)
		}
	}
	return b
}

// DecodeOp decodes one op (type byte and body, nothing after it) into o,
// reusing o.Points and o.Strokes capacity. It validates every field against
// the protocol's limits; on error o is left in an unspecified state.
func DecodeOp(b []byte, o *Op) error {
	r := reader{b: b}
	decodeOp(&r, o)
	return r.done()
}

func decodeOp(r *reader, o *Op) {
	t := OpType(r.u8())
	if r.err != nil {
		return
	}
	purge := t == OpPurge
	if purge {
		if t = OpType(r.u8()); r.err == nil && !AddsToBoard(t) {
			r.fail(errf("purge of op type %#x", byte(t)))
		}
		if r.err != nil {
			return
		}
	}
	*o = Op{Type: t, Points: o.Points[:0], Strokes: o.Strokes[:0], Purge: purge}
	switch t {
	case OpBegin:
		r.strokeHeader(o)
		if r.err != nil {
			return
		}
		if o.Tool > maxTool {
			r.fail(errf("unknown tool %d", o.Tool))
			return
		}
		if o.Flags&^beginFlags != 0 {
			r.fail(errf("unknown flags %#x", o.Flags))
			return
		}
		if !IsFreehand(o.Tool) {
			r.fail(errf("tool %d is not a freehand tool", o.Tool))
			return
		}
		o.Points = decodePoints(r, o.Points, o.HasPressure())
	case OpPoints, OpPointsP:
		o.Points = decodePoints(r, o.Points, t == OpPointsP)
	case OpTrace:
		o.Points = decodeResiduals(r, o.Points)
	case OpErase, OpRestore, OpMove:
		n := r.count("stroke", MaxStrokesPerOp, minStrokeIDBytes)
		if r.err == nil && n == 0 {
			r.fail(errf("empty stroke list"))
		}
		for i := 0; i < n && r.err == nil; i++ {
			id := StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}
			o.Strokes = append(o.Strokes, id)
		}
		if t == OpMove {
			dx, dy := r.svarint(), r.svarint()
			if r.err == nil && (dx > MaxMoveDelta || dx < -MaxMoveDelta || dy > MaxMoveDelta || dy < -MaxMoveDelta) {
				r.fail(errf("move beyond ±%d", MaxMoveDelta))
			}
			o.DX, o.DY = int32(dx), int32(dy)
		}
	case OpRestyle, OpOrder:
		decodeArrange(r, o)
	case OpTransform:
		decodeTransform(r, o)
	case OpRotate:
		decodeRotate(r, o)
	case OpTextEdit, OpTextWrap:
		decodeTextOp(r, o)
	case OpShape:
		r.strokeHeader(o)
		if r.err != nil {
			return
		}
		switch {
		case !IsShape(o.Tool):
			r.fail(errf("tool %d is not a shape", o.Tool))
		case o.Flags&^shapeFlags != 0:
			r.fail(errf("unknown flags %#x", o.Flags))
		}
		o.Points = append(o.Points, r.point(), r.point())
	case OpText:
		o.Stroke = r.uvarint32("stroke")
		o.Tool = ToolText
		o.Color = r.u32()
		w := r.uvarint()
		if r.err == nil && o.Stroke == 0 {
			r.fail(errf("stroke number 0"))
		}
		o.Width = width(r, w)
		o.Points = append(o.Points, r.point())
		o.Text = r.str("text", MaxTextBytes)
	case OpImage:
		decodeImage(r, o)
	case OpClear:
		if r.len() > 0 { // else version 3's clear for good, as logs hold it
			o.Stroke = r.sweepNumber()
		}
	case OpUnsweep:
		o.Sweep.Author = r.uvarint32("author")
		o.Sweep.N = r.sweepNumber()
	case OpRemove:
		o.Stroke = r.sweepNumber()
		o.Sweep.Author = r.uvarint32("author")
		o.Since = r.uvarint()
	case OpEnd:
	default:
		r.fail(errf("unknown op type %#x", byte(t)))
	}
}

// sweepNumber reads a sweep's number: like a stroke's, not 0.
func (r *reader) sweepNumber() uint32 {
	n := r.uvarint32("sweep")
	if r.err == nil && n == 0 {
		r.fail(errf("sweep number 0"))
	}
	return n
}

// strokeHeader reads what Begin and Shape start with: stroke (not 0),
// tool, flags, color and width (in range). The caller checks tool and flags.
func (r *reader) strokeHeader(o *Op) {
	o.Stroke = r.uvarint32("stroke")
	o.Tool = r.u8()
	o.Flags = r.u8()
	o.Color = r.u32()
	w := r.uvarint()
	if r.err == nil && o.Stroke == 0 {
		r.fail(errf("stroke number 0"))
	}
	o.Width = width(r, w)
}

// width checks a width (or font size) read as w.
func width(r *reader, w uint64) uint32 {
	if r.err == nil && (w < 1 || w > MaxWidth) {
		r.fail(errf("width %d out of range 1..%d", w, MaxWidth))
	}
	return uint32(w)
}

// point reads an absolute point (svarint x, svarint y) within ±CoordLimit.
func (r *reader) point() Point {
	x, y := r.svarint(), r.svarint()
	if r.err == nil && (x > CoordLimit || x < -CoordLimit || y > CoordLimit || y < -CoordLimit) {
		r.fail(errf("coordinate beyond ±%d", CoordLimit))
	}
	return Point{X: int32(x), Y: int32(y)}
}

func decodePoints(r *reader, dst []Point, pressure bool) []Point {
	min := minPointBytes
	if pressure {
		min++
	}
	n := r.count("point", MaxPointsPerOp, min)
	if r.err == nil && n == 0 {
		r.fail(errf("empty point list"))
	}
	if cap(dst) < n {
		dst = make([]Point, 0, n)
	}
	for i := 0; i < n && r.err == nil; i++ {
		dx, dy := r.svarint(), r.svarint()
		var p uint8
		if pressure {
			p = r.u8()
		}
		if dx > MaxPointDelta || dx < -MaxPointDelta || dy > MaxPointDelta || dy < -MaxPointDelta {
			r.fail(errf("point delta beyond ±%d", MaxPointDelta))
			break
		}
		dst = append(dst, Point{X: int32(dx), Y: int32(dy), P: p})
	}
	return dst
}
