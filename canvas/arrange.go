package canvas

// Restyle and Order: the ops that change how and in which order what is
// already drawn is drawn, without adding to the board (PROTOCOL.md
// "Restyle" and "Order"). Both name their strokes as Erase and Move do, so
// anyone may change anyone's strokes, and both have an inverse a client
// can compute from the board it holds: a Restyle back to each stroke's
// former style, an Order WhereAbove per run of strokes that moved.

// Restyle parts: which parts of a stroke's style a Restyle sets.
const (
	PartRGB   uint8 = 1 << 0 // the color's red, green and blue (its alpha stays)
	PartAlpha uint8 = 1 << 1 // the color's alpha (opacity)
	PartWidth uint8 = 1 << 2 // the width; for a text, its font size
	PartFill  uint8 = 1 << 3 // the filled flag (rect and ellipse only)
	allParts        = PartRGB | PartAlpha | PartWidth | PartFill
)

// Order destinations.
const (
	WhereFront    uint8 = 0 // on top of everything, keeping their order
	WhereBack     uint8 = 1 // beneath everything, keeping their order
	WhereForward  uint8 = 2 // one step up: above the next shown stroke that is not named
	WhereBackward uint8 = 3 // one step down: below the next shown stroke that is not named
	WhereAbove    uint8 = 4 // right above Anchor ({0, 0}: at the bottom), keeping their order
	maxWhere            = WhereAbove
)

func appendStrokeIDs(b []byte, ids []StrokeID) []byte {
	b = appendUvarint(b, uint64(len(ids)))
	for _, s := range ids {
		b = appendUvarint(b, uint64(s.Author))
		b = appendUvarint(b, uint64(s.N))
	}
	return b
}

// appendArrange appends the body of a Restyle or Order op.
func appendArrange(b []byte, o *Op) []byte {
	b = appendStrokeIDs(b, o.Strokes)
	if o.Type == OpOrder {
		b = append(b, o.Where)
		if o.Where == WhereAbove {
			b = appendUvarint(b, uint64(o.Anchor.Author))
			b = appendUvarint(b, uint64(o.Anchor.N))
		}
		return b
	}
	b = append(b, o.Parts)
	if o.Parts&(PartRGB|PartAlpha) != 0 {
		b = appendU32(b, o.Color)
	}
	if o.Parts&PartWidth != 0 {
		b = appendUvarint(b, uint64(o.Width))
	}
	if o.Parts&PartFill != 0 {
		b = append(b, o.Flags>>2&1)
	}
	return b
}

// decodeArrange reads the body of a Restyle or Order op into o.
func decodeArrange(r *reader, o *Op) {
	n := r.count("stroke", MaxStrokesPerOp, minStrokeIDBytes)
	if r.err == nil && n == 0 {
		r.fail(errf("empty stroke list"))
	}
	for i := 0; i < n && r.err == nil; i++ {
		o.Strokes = append(o.Strokes, StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")})
	}
	if o.Type == OpOrder {
		o.Where = r.u8()
		if r.err == nil && o.Where > maxWhere {
			r.fail(errf("unknown order %d", o.Where))
		}
		if r.err == nil && o.Where == WhereAbove {
			o.Anchor = StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}
		}
		return
	}
	o.Parts = r.u8()
	if r.err == nil && (o.Parts == 0 || o.Parts&^allParts != 0) {
		r.fail(errf("restyle parts %#x", o.Parts))
		return
	}
	if o.Parts&(PartRGB|PartAlpha) != 0 {
		o.Color = r.u32()
	}
	if o.Parts&PartWidth != 0 {
		o.Width = width(r, r.uvarint())
	}
	if o.Parts&PartFill != 0 {
		switch f := r.u8(); {
		case r.err != nil:
		case f > 1:
			r.fail(errf("fill %d is not 0 or 1", f))
		default:
			o.Flags = f << 2
		}
	}
}

// restyle applies a Restyle: each named stroke that exists takes the parts
// of the style the op sets. Fill changes only rects and ellipses, the
// shapes that can be filled.
func (b *Board) restyle(o *Op) {
	for _, id := range o.Strokes {
		s := b.Stroke(id)
		if s == nil {
			continue
		}
		if o.Parts&PartRGB != 0 {
			s.Color = o.Color&^0xff | s.Color&0xff
		}
		if o.Parts&PartAlpha != 0 {
			s.Color = s.Color&^0xff | o.Color&0xff
		}
		if o.Parts&PartWidth != 0 {
			s.Width = o.Width
		}
		if o.Parts&PartFill != 0 && (s.Tool == ToolRect || s.Tool == ToolEllipse) {
			s.Filled = o.Flags&FlagFilled != 0
		}
	}
}

// order applies an Order: the named strokes that exist (the set S) go
// where the op says, keeping their order among themselves; every other
// stroke keeps its order too. Linear in the board's strokes.
func (b *Board) order(o *Op) {
	named := make(map[StrokeID]bool, len(o.Strokes))
	for _, id := range o.Strokes {
		if _, ok := b.index[id]; ok {
			named[id] = true
		}
	}
	if len(named) == 0 || (o.Where == WhereAbove && named[o.Anchor]) {
		return
	}
	if o.Where == WhereAbove && o.Anchor != (StrokeID{}) {
		if _, ok := b.index[o.Anchor]; !ok {
			return
		}
	}
	in := b.strokes
	out := make([]*Stroke, 0, len(in))
	var moved []*Stroke // named strokes waiting for their place
	switch o.Where {
	case WhereFront, WhereBack:
		for _, s := range in {
			if named[s.ID] {
				moved = append(moved, s)
			} else {
				out = append(out, s)
			}
		}
		if o.Where == WhereFront {
			out = append(out, moved...)
		} else {
			out = append(moved, out...)
		}
	case WhereAbove:
		for _, s := range in {
			if named[s.ID] {
				moved = append(moved, s)
			}
		}
		if o.Anchor == (StrokeID{}) {
			out = append(out, moved...)
		}
		for _, s := range in {
			if named[s.ID] {
				continue
			}
			out = append(out, s)
			if s.ID == o.Anchor {
				out = append(out, moved...)
			}
		}
	case WhereForward:
		// Bottom up: a named stroke is carried up until a shown stroke
		// that is not named has passed beneath it.
		for _, s := range in {
			if named[s.ID] {
				moved = append(moved, s)
				continue
			}
			out = append(out, s)
			if !s.Hidden && len(moved) > 0 {
				out = append(out, moved...)
				moved = moved[:0]
			}
		}
		out = append(out, moved...)
	case WhereBackward:
		// The same, top down, building the order reversed.
		for i := len(in) - 1; i >= 0; i-- {
			s := in[i]
			if named[s.ID] {
				moved = append(moved, s)
				continue
			}
			out = append(out, s)
			if !s.Hidden && len(moved) > 0 {
				out = append(out, moved...)
				moved = moved[:0]
			}
		}
		out = append(out, moved...)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	for i, s := range out {
		if in[i] != s {
			b.index[s.ID] = i
		}
	}
	b.strokes = out
}
