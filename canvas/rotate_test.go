package canvas

import (
	"math"
	"strings"
	"testing"
)

func TestRotCosSinIsCloseToTheTrueOnesAndQuarterTurnsAreExact(t *testing.T) {
	for a := int64(-FullTurn); a <= FullTurn; a += 7 {
		c, s := RotCosSin(a)
		sin, cos := math.Sincos(float64(a) * math.Pi / 18000)
		if math.Abs(float64(c)-cos*rotOne) > 2 || math.Abs(float64(s)-sin*rotOne) > 2 {
			t.Fatalf("angle %d: cos, sin %d, %d; want about %.1f, %.1f", a, c, s, cos*rotOne, sin*rotOne)
		}
	}
	for q, want := range [][2]int64{{rotOne, 0}, {0, rotOne}, {-rotOne, 0}, {0, -rotOne}} {
		if c, s := RotCosSin(int64(q) * 9000); c != want[0] || s != want[1] {
			t.Errorf("%d quarter turns: %d, %d; want %v", q, c, s, want)
		}
	}
}

func TestRotateAboutItsCenterKeepsThePointsAndUndoKeepsOthersMoves(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpShape, Stroke: 1, Tool: ToolRect, Width: 4, Points: []Point{{X: 100, Y: 40}, {X: 301, Y: 120}}})
	id := []StrokeID{{Author: 1, N: 1}}
	// The client's pivot: the center of the stroke's box, rounded down.
	b.Apply(1, &Op{Type: OpRotate, Strokes: id, Angle: 9000, Pivot: Point{X: 200, Y: 80}})
	s := b.Stroke(id[0])
	if s.Rot != 9000 || s.Points[0] != (Point{X: 100, Y: 40}) || s.Points[1] != (Point{X: 301, Y: 120}) {
		t.Fatalf("after a turn about its center: rot %d, points %v", s.Rot, s.Points)
	}
	b.Apply(2, &Op{Type: OpMove, Strokes: id, DX: 1000, DY: -7})
	b.Apply(1, &Op{Type: OpRotate, Strokes: id, Angle: -9000, Pivot: Point{X: 1200, Y: 73}})
	if s.Rot != 0 || s.Points[0] != (Point{X: 1100, Y: 33}) || s.Points[1] != (Point{X: 1301, Y: 113}) {
		t.Fatalf("after the undo: rot %d, points %v; want the move kept and no turn", s.Rot, s.Points)
	}
}

func TestRotateCarriesCentersAroundThePivot(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpShape, Stroke: 1, Tool: ToolEllipse, Width: 4, Points: []Point{{X: 90, Y: -10}, {X: 110, Y: 10}}})
	b.Apply(1, &Op{Type: OpBegin, Stroke: 2, Width: 4, Points: []Point{{X: -100, Y: 0}, {X: 0, Y: 50}}})
	b.Apply(1, &Op{Type: OpEnd})
	ids := []StrokeID{{Author: 1, N: 1}, {Author: 1, N: 2}, {Author: 7, N: 7}}
	b.Apply(2, &Op{Type: OpRotate, Strokes: ids, Angle: 9000})
	// A quarter turn clockwise on screen (y down): (100, 0) goes to (0, 100),
	// (−100, 25) to (−25, −100).
	e, p := b.Stroke(ids[0]), b.Stroke(ids[1])
	if e.Points[0] != (Point{X: -10, Y: 90}) || e.Rot != 9000 {
		t.Errorf("ellipse: %v rot %d", e.Points, e.Rot)
	}
	if p.Points[0] != (Point{X: -25, Y: -125}) || p.Points[1] != (Point{X: -25, Y: -75}) || p.Rot != 9000 {
		t.Errorf("pen stroke: %v rot %d (its points move as one, its own turn is its Rot)", p.Points, p.Rot)
	}
	b.Apply(2, &Op{Type: OpRotate, Strokes: ids[:1], Angle: -FullTurn + 1})
	if e.Rot != 9001 {
		t.Errorf("rot %d after −359.99°, want 9001", e.Rot)
	}
}

func TestRotationSurvivesSnapshotsAndShowsInTheSVG(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpShape, Stroke: 1, Tool: ToolRect, Width: 4, Points: []Point{{X: 0, Y: 0}, {X: 400, Y: 200}}})
	b.Apply(1, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}}, Angle: 4550, Pivot: Point{X: 200, Y: 100}})
	enc, _ := b.MarshalBinary()
	var c Board
	if err := c.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	if got := c.Stroke(StrokeID{Author: 1, N: 1}).Rot; got != 4550 {
		t.Fatalf("rot after a snapshot: %d", got)
	}
	svg := string(b.SVG())
	if !strings.Contains(svg, `data-stroke="1-1" transform="rotate(45.5 200 100)"`) {
		t.Errorf("SVG does not turn the rectangle: %s", svg)
	}
	// The view box holds the four turned corners (the leftmost, (0, 200),
	// turns to about (−12, 241); the topmost, (0, 0), to (131, −113)), plus
	// the line's half width and the 40-unit margin.
	if !strings.Contains(svg, `viewBox="-55 -156 510 512"`) {
		t.Errorf("SVG's view box misses the turned corners: %s", svg[:120])
	}
}
