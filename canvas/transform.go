package canvas

// Transform: resizing strokes (PROTOCOL.md "Transform"). A Transform
// scales the named strokes about the center of their points' bounding
// box, then translates them:
//
//	p' = C + s·(p − C) + t        for x and y alike, C the box's center
//
// Relative to the strokes' own box rather than to a board point, so that it
// composes with moves: undoing it is the Transform by 1/s and −t about the
// box's center as it is then, which puts back what the strokes were plus
// whatever Moves others made in between (the box and the points move
// alike). The arithmetic is integer and its intermediate values stay below
// 2^53, so a browser's doubles compute the same points exactly.

// ScaleOne is a Transform scale of 1: scales are in 1/ScaleOne units.
const ScaleOne = 1 << 16

// MaxScale bounds a Transform's scales: |s| in 1..MaxScale (1/65536 to 64).
const MaxScale = 1 << 22

func decodeTransform(r *reader, o *Op) {
	n := r.count("stroke", MaxStrokesPerOp, minStrokeIDBytes)
	if r.err == nil && n == 0 {
		r.fail(errf("empty stroke list"))
	}
	for i := 0; i < n && r.err == nil; i++ {
		o.Strokes = append(o.Strokes, StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")})
	}
	sx, sy, dx, dy := r.svarint(), r.svarint(), r.svarint(), r.svarint()
	if r.err != nil {
		return
	}
	for _, s := range []int64{sx, sy} {
		if s == 0 || s > MaxScale || s < -MaxScale {
			r.fail(errf("scale %d out of range ±1..%d", s, MaxScale))
			return
		}
	}
	if dx > MaxMoveDelta || dx < -MaxMoveDelta || dy > MaxMoveDelta || dy < -MaxMoveDelta {
		r.fail(errf("move beyond ±%d", MaxMoveDelta))
		return
	}
	o.SX, o.SY, o.DX, o.DY = int32(sx), int32(sy), int32(dx), int32(dy)
}

// transform applies a Transform: see the file comment. A text's font size
// is scaled by |sy| (rounded, within 1..MaxWidth), and its wrap width
// too (within 1..MaxWrap); other widths stay.
func (b *Board) transform(o *Op) {
	var set []*Stroke
	seen := make(map[*Stroke]bool, len(o.Strokes))
	minX, minY, maxX, maxY := int64(CoordLimit), int64(CoordLimit), int64(-CoordLimit), int64(-CoordLimit)
	for _, id := range o.Strokes {
		s := b.Stroke(id)
		if s == nil || seen[s] {
			continue
		}
		seen[s] = true
		set = append(set, s)
		for _, p := range s.Points {
			minX, maxX = min(minX, int64(p.X)), max(maxX, int64(p.X))
			minY, maxY = min(minY, int64(p.Y)), max(maxY, int64(p.Y))
		}
	}
	if len(set) == 0 {
		return
	}
	mx, my := minX+maxX, minY+maxY // twice the center
	for _, s := range set {
		for i, p := range s.Points {
			s.Points[i] = Point{X: scaleCoord(int64(p.X), mx, int64(o.SX), int64(o.DX)), Y: scaleCoord(int64(p.Y), my, int64(o.SY), int64(o.DY)), P: p.P}
		}
		if s.Tool == ToolText {
			sy := int64(o.SY)
			if sy < 0 {
				sy = -sy
			}
			s.Width = uint32(max(1, min(MaxWidth, floorDiv(int64(s.Width)*sy+ScaleOne/2, ScaleOne))))
			if s.Wrap != 0 { // by the font's factor, so its lines break where they did
				s.Wrap = uint32(max(1, min(MaxWrap, floorDiv(int64(s.Wrap)*sy+ScaleOne/2, ScaleOne))))
			}
		}
	}
}

// scaleCoord is C + s·(v − C) + t rounded half up, with m = 2C and s in
// 1/ScaleOne units, clamped to ±CoordLimit:
// floor((s·(2v − m) + (m + 2t)·ScaleOne + ScaleOne) / (2·ScaleOne)).
// |s·(2v − m)| <= 2^22 · 2^30 and the rest below 2^47: exact in a double.
func scaleCoord(v, m, s, t int64) int32 {
	num := s*(2*v-m) + (m+2*t)*ScaleOne + ScaleOne
	return int32(max(-CoordLimit, min(CoordLimit, floorDiv(num, 2*ScaleOne))))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
