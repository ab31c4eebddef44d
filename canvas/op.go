package canvas

// Version is the wire protocol version this package speaks.
//
// History:
//
//	1  strokes (pen), erase/restore, clear, presence, cursors.
const Version = 1

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
	OpClear   OpType = 0x16 // empty
)

// IsOp reports whether t is an op type (a client frame carrying an op).
func IsOp(t byte) bool { return t >= byte(OpBegin) && t <= byte(OpClear) }

// Tools.
const (
	ToolPen uint8 = 0
	maxTool       = ToolPen
)

// Begin flags.
const (
	FlagPressure uint8 = 1 << 0
	beginFlags         = FlagPressure
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
//	Erase/Restore:  Strokes
//	End, Clear:     nothing
type Op struct {
	Type    OpType
	Stroke  uint32
	Tool    uint8
	Flags   uint8
	Color   uint32
	Width   uint32
	Points  []Point
	Strokes []StrokeID
}

// HasPressure reports whether the op's points carry pressure bytes.
func (o *Op) HasPressure() bool {
	return o.Type == OpPointsP || (o.Type == OpBegin && o.Flags&FlagPressure != 0)
}

// AppendOp appends the wire encoding of o (type byte and body) to b.
func AppendOp(b []byte, o *Op) []byte {
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
	case OpErase, OpRestore:
		b = appendUvarint(b, uint64(len(o.Strokes)))
		for _, s := range o.Strokes {
			b = appendUvarint(b, uint64(s.Author))
			b = appendUvarint(b, uint64(s.N))
		}
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
	*o = Op{Type: t, Points: o.Points[:0], Strokes: o.Strokes[:0]}
	switch t {
	case OpBegin:
		o.Stroke = r.uvarint32("stroke")
		o.Tool = r.u8()
		o.Flags = r.u8()
		o.Color = r.u32()
		w := r.uvarint()
		if r.err != nil {
			return
		}
		if o.Stroke == 0 {
			r.fail(errf("stroke number 0"))
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
		if w < 1 || w > MaxWidth {
			r.fail(errf("width %d out of range 1..%d", w, MaxWidth))
			return
		}
		o.Width = uint32(w)
		o.Points = decodePoints(r, o.Points, o.HasPressure())
	case OpPoints, OpPointsP:
		o.Points = decodePoints(r, o.Points, t == OpPointsP)
	case OpErase, OpRestore:
		n := r.count("stroke", MaxStrokesPerOp, minStrokeIDBytes)
		if r.err == nil && n == 0 {
			r.fail(errf("empty stroke list"))
		}
		for i := 0; i < n && r.err == nil; i++ {
			id := StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}
			o.Strokes = append(o.Strokes, id)
		}
	case OpEnd, OpClear:
	default:
		r.fail(errf("unknown op type %#x", byte(t)))
	}
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
