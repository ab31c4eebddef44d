package canvas

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randArrangeOp returns a random Restyle (or, with order, an Order) op
// naming strokes id gives, its unused fields zero as a decoder leaves them.
func randArrangeOp(r *rand.Rand, order bool, id func() StrokeID) Op {
	var o Op
	for range 1 + r.IntN(3) {
		o.Strokes = append(o.Strokes, id())
	}
	if r.IntN(4) == 0 { // v5: Rotate
		o.Type, o.Angle = OpRotate, int32(1+r.IntN(MaxRotate))*int32(1-2*r.IntN(2))
		o.Pivot = Point{X: int32(r.IntN(2*CoordLimit+1) - CoordLimit), Y: int32(r.IntN(2001) - 1000)}
		return o
	}
	if r.IntN(3) == 0 {
		o.Type = OpTransform
		o.SX, o.SY = int32(1+r.IntN(MaxScale))*int32(1-2*r.IntN(2)), int32(1+r.IntN(2*ScaleOne))
		o.DX, o.DY = int32(r.IntN(2001)-1000), int32(r.IntN(2*MaxMoveDelta+1)-MaxMoveDelta)
		return o
	}
	if order {
		o.Type, o.Where = OpOrder, uint8(r.IntN(int(maxWhere)+1))
		if o.Where == WhereAbove && r.IntN(4) > 0 {
			o.Anchor = id()
		}
		return o
	}
	o.Type, o.Parts = OpRestyle, uint8(1+r.IntN(int(allParts)))
	if o.Parts&(PartRGB|PartAlpha) != 0 {
		o.Color = uint32(r.Uint64())
	}
	if o.Parts&PartWidth != 0 {
		o.Width = uint32(1 + r.IntN(MaxWidth))
	}
	if o.Parts&PartFill != 0 && r.IntN(2) == 0 {
		o.Flags = FlagFilled
	}
	return o
}

// arrangeBoard holds strokes 1..n of author 1 (pens, then a rect at 5) in
// that z-order.
func arrangeBoard(n uint32) *Board {
	b := NewBoard(1)
	for i := uint32(1); i <= n; i++ {
		if i == 5 {
			b.Apply(1, &Op{Type: OpShape, Stroke: i, Tool: ToolRect, Color: 0x11223380, Width: 4, Points: []Point{{X: 0, Y: 0}, {X: 10, Y: 10}}})
			continue
		}
		b.Apply(1, &Op{Type: OpBegin, Stroke: i, Color: 0x112233ff, Width: 8, Points: []Point{{X: int32(i), Y: 0}}})
		b.Apply(1, &Op{Type: OpEnd})
	}
	return b
}

func zOrder(b *Board) []uint32 {
	var out []uint32
	for _, s := range b.Strokes() {
		out = append(out, s.ID.N)
	}
	return out
}

func ids(ns ...uint32) []StrokeID {
	out := make([]StrokeID, len(ns))
	for i, n := range ns {
		out[i] = StrokeID{Author: 1, N: n}
	}
	return out
}

func TestOrder(t *testing.T) {
	for _, c := range []struct {
		name   string
		hidden []uint32
		op     Op
		want   []uint32
	}{
		{"front keeps their order", nil, Op{Strokes: ids(4, 2), Where: WhereFront}, []uint32{1, 3, 5, 6, 2, 4}},
		{"back keeps their order", nil, Op{Strokes: ids(6, 3), Where: WhereBack}, []uint32{3, 6, 1, 2, 4, 5}},
		{"forward passes one stroke", nil, Op{Strokes: ids(2), Where: WhereForward}, []uint32{1, 3, 2, 4, 5, 6}},
		{"forward of neighbours moves them together", nil, Op{Strokes: ids(2, 3), Where: WhereForward}, []uint32{1, 4, 2, 3, 5, 6}},
		{"forward of the top one changes nothing", nil, Op{Strokes: ids(6), Where: WhereForward}, []uint32{1, 2, 3, 4, 5, 6}},
		{"forward passes hidden strokes and one shown", []uint32{3, 4}, Op{Strokes: ids(2), Where: WhereForward}, []uint32{1, 3, 4, 5, 2, 6}},
		{"backward passes one stroke", nil, Op{Strokes: ids(4, 6), Where: WhereBackward}, []uint32{1, 2, 4, 3, 6, 5}},
		{"backward of the bottom one changes nothing", nil, Op{Strokes: ids(1), Where: WhereBackward}, []uint32{1, 2, 3, 4, 5, 6}},
		{"above an anchor", nil, Op{Strokes: ids(6, 1), Where: WhereAbove, Anchor: StrokeID{Author: 1, N: 3}}, []uint32{2, 3, 1, 6, 4, 5}},
		{"above the bottom", nil, Op{Strokes: ids(4), Where: WhereAbove}, []uint32{4, 1, 2, 3, 5, 6}},
		{"above a named anchor: nothing", nil, Op{Strokes: ids(4, 3), Where: WhereAbove, Anchor: StrokeID{Author: 1, N: 3}}, []uint32{1, 2, 3, 4, 5, 6}},
		{"above an unknown anchor: nothing", nil, Op{Strokes: ids(4), Where: WhereAbove, Anchor: StrokeID{Author: 9, N: 3}}, []uint32{1, 2, 3, 4, 5, 6}},
		{"unknown strokes are ignored", nil, Op{Strokes: []StrokeID{{Author: 7, N: 1}, {Author: 1, N: 1}}, Where: WhereFront}, []uint32{2, 3, 4, 5, 6, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := arrangeBoard(6)
			if c.hidden != nil {
				b.Apply(2, &Op{Type: OpErase, Strokes: ids(c.hidden...)})
			}
			c.op.Type = OpOrder
			b.Apply(2, &c.op)
			if got := zOrder(b); !slices.Equal(got, c.want) {
				t.Fatalf("z-order %v, want %v", got, c.want)
			}
			checkInvariants(t, b)
		})
	}
}

// undoOrder is what a client sends to undo an Order it made on board b
// (before applying it): per run of named strokes adjacent in z-order, an
// Order WhereAbove the stroke beneath the run.
func undoOrder(b *Board, named []StrokeID) []Op {
	set := map[StrokeID]bool{}
	for _, id := range named {
		set[id] = true
	}
	var ops []Op
	var below StrokeID
	for _, s := range b.Strokes() {
		if !set[s.ID] {
			below = s.ID
			continue
		}
		if n := len(ops); n > 0 && ops[n-1].Anchor == below {
			ops[n-1].Strokes = append(ops[n-1].Strokes, s.ID)
		} else {
			ops = append(ops, Op{Type: OpOrder, Where: WhereAbove, Anchor: below, Strokes: []StrokeID{s.ID}})
		}
	}
	return ops
}

// An Order is undone by putting each run back above the stroke it was
// above, even after others drew and reordered other strokes meanwhile.
func TestOrderUndo(t *testing.T) {
	for where := range maxWhere {
		b := arrangeBoard(8)
		named := ids(2, 3, 6)
		undo := undoOrder(b, named)
		b.Apply(1, &Op{Type: OpOrder, Strokes: named, Where: where})
		b.Apply(2, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: 1, Y: 1}}})
		b.Apply(3, &Op{Type: OpOrder, Strokes: ids(8), Where: WhereBack})
		for i := range undo {
			b.Apply(1, &undo[i])
		}
		want := []uint32{8, 1, 2, 3, 4, 5, 6, 7, 1}
		if got := zOrder(b); !slices.Equal(got, want) {
			t.Fatalf("where %d: undone z-order %v, want %v", where, got, want)
		}
		checkInvariants(t, b)
	}
}

func TestRestyle(t *testing.T) {
	b := arrangeBoard(5)
	b.Apply(2, &Op{Type: OpText, Stroke: 1, Color: 0x000000ff, Width: 40, Points: []Point{{}}, Text: "hi"})
	all := append(ids(1, 5), StrokeID{Author: 2, N: 1}, StrokeID{Author: 9, N: 9})
	b.Apply(3, &Op{Type: OpRestyle, Strokes: all, Parts: PartRGB, Color: 0xe0313100})
	b.Apply(3, &Op{Type: OpRestyle, Strokes: all, Parts: PartFill, Flags: FlagFilled})
	b.Apply(3, &Op{Type: OpRestyle, Strokes: all[1:], Parts: PartWidth | PartAlpha, Color: 0xffffff40, Width: 96})
	for _, c := range []struct {
		id     StrokeID
		color  uint32
		width  uint32
		filled bool
	}{
		{StrokeID{Author: 1, N: 1}, 0xe03131ff, 8, false},  // the pen keeps its alpha and width; it cannot be filled
		{StrokeID{Author: 1, N: 5}, 0xe0313140, 96, true},  // the rect takes everything
		{StrokeID{Author: 2, N: 1}, 0xe0313140, 96, false}, // the text: font size 96
		{StrokeID{Author: 1, N: 2}, 0x112233ff, 8, false},  // not named: unchanged
	} {
		s := b.Stroke(c.id)
		if s.Color != c.color || s.Width != c.width || s.Filled != c.filled {
			t.Errorf("%v: color %08x width %d filled %v, want %08x %d %v", c.id, s.Color, s.Width, s.Filled, c.color, c.width, c.filled)
		}
	}
	checkInvariants(t, b)
}

// inverseScale is the scale a client undoes a Transform's s with.
func inverseScale(s int32) int32 {
	return int32(math.Round(float64(ScaleOne) * float64(ScaleOne) / float64(s)))
}

func TestTransformScalesAboutTheCenterOfTheBox(t *testing.T) {
	b := arrangeBoard(5) // pens at (1..4, 0) and a rect (0,0)-(10,10)
	b.Apply(2, &Op{Type: OpText, Stroke: 1, Color: 0xff, Width: 40, Points: []Point{{X: 10, Y: 20}}, Text: "hi"})
	b.Apply(3, &Op{Type: OpTransform, Strokes: append(ids(5, 1), StrokeID{Author: 2, N: 1}, StrokeID{Author: 9, N: 9}), SX: 2 * ScaleOne, SY: -ScaleOne / 2, DX: 100, DY: 0})
	// The box of the named points is (0,0)-(10,20), its center (5, 10).
	if got := b.Stroke(StrokeID{Author: 1, N: 5}).Points; got[0].X != 95 || got[0].Y != 15 || got[1].X != 115 || got[1].Y != 10 {
		t.Errorf("rect corners %v, want (95,15) and (115,10)", got)
	}
	if p := b.Stroke(StrokeID{Author: 1, N: 1}).Points[0]; p.X != 97 || p.Y != 15 {
		t.Errorf("pen 1 at %v, want (97, 15)", p)
	}
	if s := b.Stroke(StrokeID{Author: 2, N: 1}); s.Points[0] != (Point{X: 115, Y: 5}) || s.Width != 20 {
		t.Errorf("text at %v size %d, want (115, 5) size 20", s.Points[0], s.Width)
	}
	if p := b.Stroke(StrokeID{Author: 1, N: 2}).Points[0]; p.X != 2 || p.Y != 0 {
		t.Errorf("a stroke not named moved to %v", p)
	}
	checkInvariants(t, b)
}

// Undoing my resize after someone else moved the same strokes leaves their
// move in place: the inverse about the box's center as it is then.
func TestTransformUndoKeepsOthersMoves(t *testing.T) {
	r := newRand(t)
	for i := range 200 {
		b := NewBoard(1)
		var named []StrokeID
		for n := uint32(1); n <= uint32(1+r.IntN(5)); n++ {
			pts := []Point{{X: int32(r.IntN(80000) - 40000), Y: int32(r.IntN(80000) - 40000)}}
			for range r.IntN(20) {
				pts = append(pts, Point{X: int32(r.IntN(81) - 40), Y: int32(r.IntN(81) - 40)})
			}
			b.Apply(1, &Op{Type: OpBegin, Stroke: n, Width: 4, Points: pts})
			b.Apply(1, &Op{Type: OpEnd})
			named = append(named, StrokeID{Author: 1, N: n})
		}
		b.Apply(1, &Op{Type: OpShape, Stroke: 99, Tool: ToolRect, Width: 4, Points: []Point{{X: int32(r.IntN(1000)), Y: 5}, {X: -300, Y: int32(r.IntN(900))}}})
		named = append(named, StrokeID{Author: 1, N: 99})
		before := b.Clone()
		sx := int32(ScaleOne/4+r.IntN(4*ScaleOne)) * int32(1-2*r.IntN(2))
		sy := int32(ScaleOne/4 + r.IntN(3*ScaleOne))
		tx, ty := int32(r.IntN(2001)-1000), int32(r.IntN(2001)-1000)
		b.Apply(1, &Op{Type: OpTransform, Strokes: named, SX: sx, SY: sy, DX: tx, DY: ty})
		dx, dy := int32(r.IntN(20001)-10000), int32(r.IntN(201)-100)
		b.Apply(2, &Op{Type: OpMove, Strokes: named, DX: dx, DY: dy})
		b.Apply(1, &Op{Type: OpTransform, Strokes: named, SX: inverseScale(sx), SY: inverseScale(sy), DX: -tx, DY: -ty})
		// What rounding may leave: half a unit per op and the inverse's
		// quantization over the strokes' extent (here up to 20,000 CSS
		// pixels; under a CSS pixel).
		for _, id := range named {
			was, is := before.Stroke(id).Points, b.Stroke(id).Points
			for k := range was {
				if ex, ey := is[k].X-(was[k].X+dx), is[k].Y-(was[k].Y+dy); ex < -3 || ex > 3 || ey < -3 || ey > 3 {
					t.Fatalf("case %d: stroke %v point %d at %v, want %v moved by (%d, %d)", i, id, k, is[k], was[k], dx, dy)
				}
			}
		}
	}
}
