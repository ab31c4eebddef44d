package canvas

import (
	"encoding/binary"
	"strings"
	"testing"
)

// The widths MaxSnapshotBytes assumes for a stroke's bounded fields.
func TestMaxSnapshotBytesFieldWidths(t *testing.T) {
	var tmp [binary.MaxVarintLen64]byte
	for _, tc := range []struct {
		name  string
		max   uint64
		width int
	}{{"width", MaxWidth, 2}, {"points", MaxStrokePoints, 3}, {"text length", MaxTextBytes, 2}} {
		if n := binary.PutUvarint(tmp[:], tc.max); n > tc.width {
			t.Errorf("a stroke's %s (up to %d) takes %d bytes, MaxSnapshotBytes counts %d", tc.name, tc.max, n, tc.width)
		}
	}
	if n := binary.PutVarint(tmp[:], 2*CoordLimit); n > 5 {
		t.Errorf("a point's coordinate delta takes %d bytes, MaxSnapshotBytes counts 5", n)
	}
}

// A board built to be as wide as ops make it, field by field, encodes to
// at most MaxSnapshotBytes of its counts.
func TestWorstCaseBoardFitsMaxSnapshotBytes(t *testing.T) {
	b := NewBoard(^uint64(0))
	text := strings.Repeat("é", MaxTextBytes/2)
	const authors = 200
	for i := range uint32(authors) {
		a := ^uint32(0) - i
		// A shape from corner to corner: both deltas as wide as they get.
		b.Apply(a, &Op{Type: OpShape, Stroke: ^uint32(0), Tool: ToolRect, Flags: FlagFilled, Color: ^uint32(0), Width: MaxWidth,
			Points: []Point{{X: -CoordLimit, Y: CoordLimit, P: 255}, {X: CoordLimit, Y: -CoordLimit, P: 255}}})
		b.Apply(a, &Op{Type: OpText, Stroke: ^uint32(0) - 1, Color: ^uint32(0), Width: MaxWidth,
			Points: []Point{{X: CoordLimit, Y: -CoordLimit}}, Text: text})
		if i < 2 {
			// A freehand stroke of MaxStrokePoints, every step as wide
			// as an op allows, with pressure.
			b.Apply(a, &Op{Type: OpBegin, Stroke: ^uint32(0) - 2, Flags: FlagPressure, Color: ^uint32(0), Width: MaxWidth,
				Points: []Point{{X: -CoordLimit, Y: CoordLimit, P: 255}}})
			pts := make([]Point, MaxPointsPerOp)
			for k := range pts {
				d := int32(MaxPointDelta)
				if k%2 == 1 {
					d = -d
				}
				pts[k] = Point{X: d, Y: -d, P: 255}
			}
			for range MaxStrokePoints/MaxPointsPerOp + 1 {
				b.Apply(a, &Op{Type: OpPointsP, Points: pts})
			}
		}
	}
	if b.TextBytes() != authors*len(text) {
		t.Fatalf("TextBytes %d, want %d", b.TextBytes(), authors*len(text))
	}
	msg := AppendSnapshot(nil, b)
	bound := MaxSnapshotBytes(authors, len(b.Strokes()), b.Points(), b.TextBytes())
	t.Logf("worst-case board: %d authors, %d strokes, %d points, %d bytes of text: %d bytes, bound %d",
		authors, len(b.Strokes()), b.Points(), b.TextBytes(), len(msg), bound)
	if len(msg) > bound {
		t.Errorf("snapshot of %d bytes, MaxSnapshotBytes says at most %d", len(msg), bound)
	}
}

// TextBytes follows the board through edits, clears, copies and
// encodings.
func TestBoardCountsItsText(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpText, Stroke: 1, Color: 1, Width: 16, Points: []Point{{X: 1, Y: 1}}, Text: "hello"})
	b.Apply(1, &Op{Type: OpText, Stroke: 2, Color: 1, Width: 16, Points: []Point{{X: 1, Y: 1}}, Text: "abc"})
	b.Apply(1, &Op{Type: OpText, Stroke: 1, Color: 1, Width: 16, Points: []Point{{X: 1, Y: 1}}, Text: "hi"})
	if b.TextBytes() != 5 {
		t.Fatalf("TextBytes %d after an edit, want 5", b.TextBytes())
	}
	if c := b.Clone(); c.TextBytes() != 5 {
		t.Errorf("a clone has %d bytes of text", c.TextBytes())
	}
	var back Board
	data, _ := b.MarshalBinary()
	if err := back.UnmarshalBinary(data); err != nil || back.TextBytes() != 5 {
		t.Errorf("decoded board has %d bytes of text (%v)", back.TextBytes(), err)
	}
	b.Apply(1, &Op{Type: OpClear})
	if b.TextBytes() != 0 {
		t.Errorf("TextBytes %d after a clear", b.TextBytes())
	}
}
