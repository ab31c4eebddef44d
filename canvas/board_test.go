package canvas

import (
	"bytes"
	"reflect"
	"testing"
)

// The rules of PROTOCOL.md "Apply", one test each (the properties that
// make replicas agree, over random boards, are in board_random_test.go).

// xy builds points from coordinate pairs (pressure 0).
func xy(c ...int32) []Point {
	pts := make([]Point, 0, len(c)/2)
	for i := 0; i+1 < len(c); i += 2 {
		pts = append(pts, Point{X: c[i], Y: c[i+1]})
	}
	return pts
}

func beginOp(n uint32, pts ...Point) *Op {
	return &Op{Type: OpBegin, Stroke: n, Color: 0x1e1e1eff, Width: 8, Points: pts}
}

func pointsOp(pts ...Point) *Op  { return &Op{Type: OpPoints, Points: pts} }
func pointsPOp(pts ...Point) *Op { return &Op{Type: OpPointsP, Points: pts} }

var (
	endOp   = &Op{Type: OpEnd}
	clearOp = &Op{Type: OpClear}
)

func eraseOp(ids ...StrokeID) *Op   { return &Op{Type: OpErase, Strokes: ids} }
func restoreOp(ids ...StrokeID) *Op { return &Op{Type: OpRestore, Strokes: ids} }

// strokePoints returns the absolute points of stroke (a, n), failing if the
// board has no such stroke.
func strokePoints(t *testing.T, b *Board, a, n uint32) []Point {
	t.Helper()
	s := b.Stroke(StrokeID{Author: a, N: n})
	if s == nil {
		t.Fatalf("no stroke (%d, %d) on the board", a, n)
	}
	return s.Points
}

func wantPoints(t *testing.T, b *Board, a, n uint32, want []Point) {
	t.Helper()
	if got := strokePoints(t, b, a, n); !reflect.DeepEqual(got, want) {
		t.Fatalf("stroke (%d, %d) holds %v, want %v", a, n, got, want)
	}
}

func wantOpen(t *testing.T, b *Board, a, open uint32) {
	t.Helper()
	if got := b.Author(a).Open; got != open {
		t.Fatalf("author %d has open stroke %d, want %d", a, got, open)
	}
}

func strokeIDs(b *Board) []StrokeID {
	var ids []StrokeID
	for _, s := range b.Strokes() {
		ids = append(ids, s.ID)
	}
	return ids
}

// checkInvariants checks what every board reached by Apply or decoded from
// a snapshot holds to.
func checkInvariants(t testing.TB, b *Board) {
	t.Helper()
	total := 0
	var swept sweptSize
	for i, s := range b.Strokes() {
		if s.Swept != (StrokeID{}) {
			swept.add(s, 1)
		} else if s.Removed {
			t.Fatalf("stroke %v removed but not swept", s.ID)
		}
		if b.Stroke(s.ID) != s {
			t.Fatalf("stroke %d (%v) is not found by its id", i, s.ID)
		}
		if len(s.Points) == 0 || len(s.Points) > MaxStrokePoints {
			t.Fatalf("stroke %v holds %d points", s.ID, len(s.Points))
		}
		if s.Width < 1 || s.Width > MaxWidth || s.ID.N == 0 {
			t.Fatalf("stroke %v: width %d", s.ID, s.Width)
		}
		if (IsShape(s.Tool) && len(s.Points) != 2) || (s.Tool == ToolText && len(s.Points) != 1) {
			t.Fatalf("stroke %v: tool %d with %d points", s.ID, s.Tool, len(s.Points))
		}
		for _, p := range s.Points {
			if p.X > CoordLimit || p.X < -CoordLimit || p.Y > CoordLimit || p.Y < -CoordLimit {
				t.Fatalf("stroke %v: point %v beyond the coordinate limit", s.ID, p)
			}
		}
		total += len(s.Points)
	}
	if total != b.Points() {
		t.Fatalf("Points() = %d, strokes hold %d", b.Points(), total)
	}
	if swept != b.swept {
		t.Fatalf("swept size %+v, swept strokes hold %+v", b.swept, swept)
	}
	for a := range b.authors {
		open := b.Author(a).Open
		if open == 0 {
			continue
		}
		if s := b.Stroke(StrokeID{Author: a, N: open}); s == nil || s.Swept != (StrokeID{}) {
			t.Fatalf("author %d's open stroke %d is not on the board, or swept", a, open)
		}
	}
}

func TestApplyStrokeGrowsWithPoints(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(40, 12)...))
	wantOpen(t, b, 1, 1)
	b.Apply(1, pointsOp(xy(4, 2, 5, 1)...))
	b.Apply(1, pointsOp(xy(-9, -3)...))
	wantPoints(t, b, 1, 1, xy(40, 12, 44, 14, 49, 15, 40, 12))
	// A Begin's points are deltas too, each from the one before.
	b.Apply(2, beginOp(1, xy(10, 10, 1, 1, -2, 0)...))
	wantPoints(t, b, 2, 1, xy(10, 10, 11, 11, 9, 11))

	// After End, Points have nowhere to go.
	b.Apply(1, endOp)
	wantOpen(t, b, 1, 0)
	b.Apply(1, pointsOp(xy(100, 100)...))
	wantPoints(t, b, 1, 1, xy(40, 12, 44, 14, 49, 15, 40, 12))
	if b.Points() != 7 {
		t.Fatalf("Points() = %d, want 7", b.Points())
	}
	s := b.Stroke(StrokeID{Author: 1, N: 1})
	if s.Color != 0x1e1e1eff || s.Width != 8 || s.Tool != ToolPen || s.Pressure || s.Hidden {
		t.Fatalf("stroke %+v does not carry its Begin's attributes", s)
	}
	checkInvariants(t, b)
}

func TestApplyPointsNeverTouchAnotherAuthorsStroke(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	// B has no open stroke: its Points change nothing, A's stroke included.
	b.Apply(2, pointsOp(xy(5, 5)...))
	wantPoints(t, b, 1, 1, xy(0, 0))
	// B's stroke number 1 is a different stroke from A's number 1.
	b.Apply(2, beginOp(1, xy(100, 100)...))
	for i := range 10 {
		b.Apply(1, pointsOp(xy(1, 0)...))
		b.Apply(2, pointsOp(xy(0, -1)...))
		if i == 4 {
			b.Apply(3, pointsOp(xy(7, 7)...)) // a third author who never began anything
		}
	}
	wantPoints(t, b, 1, 1, xy(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10, 0))
	wantPoints(t, b, 2, 1, xy(100, 100, 100, 99, 100, 98, 100, 97, 100, 96, 100, 95, 100, 94, 100, 93, 100, 92, 100, 91, 100, 90))
	// B ending its stroke leaves A drawing.
	b.Apply(2, endOp)
	b.Apply(1, pointsOp(xy(1, 1)...))
	if got := strokePoints(t, b, 1, 1); got[len(got)-1] != (Point{X: 11, Y: 1}) {
		t.Fatalf("A's stroke ends at %v", got[len(got)-1])
	}
	wantOpen(t, b, 1, 1)
	wantOpen(t, b, 2, 0)
	checkInvariants(t, b)
}

func TestApplyBeginClosesTheOpenStroke(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(1, beginOp(2, xy(50, 50)...)) // no End in between
	wantOpen(t, b, 1, 2)
	b.Apply(1, pointsOp(xy(1, 1)...))
	wantPoints(t, b, 1, 1, xy(0, 0))
	wantPoints(t, b, 1, 2, xy(50, 50, 51, 51))
	// z-order is the order of Begins, whoever drew them.
	b.Apply(2, beginOp(9, xy(1, 1)...))
	b.Apply(1, beginOp(3, xy(1, 1)...))
	want := []StrokeID{{1, 1}, {1, 2}, {2, 9}, {1, 3}}
	if got := strokeIDs(b); !reflect.DeepEqual(got, want) {
		t.Fatalf("z-order %v, want %v", got, want)
	}
	checkInvariants(t, b)
}

func TestApplyBeginOfAnExistingStrokeDoesNothingMore(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(1, pointsOp(xy(1, 1)...))
	b.Apply(1, endOp)
	before := mustMarshal(t, b)

	again := &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Color: 0xff, Width: 99, Points: []Point{{X: 7, Y: 7, P: 3}}}
	b.Apply(1, beginOp(2, xy(5, 5)...)) // open stroke 2
	b.Apply(1, again)                   // closes 2, does not redraw 1
	wantOpen(t, b, 1, 0)
	wantPoints(t, b, 1, 1, xy(0, 0, 1, 1))
	if s := b.Stroke(StrokeID{1, 1}); s.Width != 8 || s.Pressure {
		t.Fatalf("stroke 1 changed by a repeated Begin: %+v", s)
	}
	b.Apply(1, pointsOp(xy(1, 1)...)) // no open stroke: nothing
	wantPoints(t, b, 1, 2, xy(5, 5))
	if n := len(b.Strokes()); n != 2 {
		t.Fatalf("%d strokes, want 2", n)
	}
	// A repeated Begin of an existing stroke while nothing is open: nothing
	// but the counts changes.
	c := NewBoard(1)
	c.Apply(1, beginOp(1, xy(0, 0)...))
	c.Apply(1, pointsOp(xy(1, 1)...))
	c.Apply(1, endOp)
	c.Apply(1, again)
	c.Apply(1, pointsOp(xy(1, 1)...))
	got := mustMarshal(t, c)
	var want Board
	if err := want.UnmarshalBinary(before); err != nil {
		t.Fatal(err)
	}
	want.Apply(1, endOp)
	want.Apply(1, endOp)
	if !bytes.Equal(got, mustMarshal(t, &want)) {
		t.Fatalf("repeated Begin changed the board:\n %x\nwant\n %x", got, mustMarshal(t, &want))
	}
	checkInvariants(t, b)
}

func TestApplyEraseAndRestore(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(2, beginOp(1, xy(9, 9)...))
	hidden := func(a, n uint32) bool { return b.Stroke(StrokeID{a, n}).Hidden }

	b.Apply(2, eraseOp(StrokeID{1, 1}, StrokeID{7, 7}, StrokeID{2, 99})) // unknown names are ignored
	if !hidden(1, 1) || hidden(2, 1) {
		t.Fatal("erase by B of A's stroke: A's should be hidden, B's not")
	}
	if n := len(b.Strokes()); n != 2 {
		t.Fatalf("erase removed a stroke: %d left", n)
	}
	// An erased stroke that is still open keeps growing: erase hides, it
	// does not close.
	b.Apply(1, pointsOp(xy(1, 1)...))
	wantPoints(t, b, 1, 1, xy(0, 0, 1, 1))
	wantOpen(t, b, 1, 1)

	b.Apply(2, eraseOp(StrokeID{1, 1})) // erasing twice is the same as once
	if !hidden(1, 1) {
		t.Fatal("second erase showed the stroke")
	}
	b.Apply(1, restoreOp(StrokeID{1, 1}, StrokeID{5, 5}))
	if hidden(1, 1) {
		t.Fatal("restore did not show the stroke")
	}
	b.Apply(1, restoreOp(StrokeID{2, 1})) // restoring a visible stroke is a no-op
	if hidden(2, 1) {
		t.Fatal("restore of a visible stroke hid it")
	}
	b.Apply(3, eraseOp(StrokeID{1, 1}, StrokeID{2, 1}))
	if !hidden(1, 1) || !hidden(2, 1) {
		t.Fatal("erase of two strokes")
	}
	// Hidden strokes are in the snapshot and come back hidden.
	var back Board
	if err := back.UnmarshalBinary(mustMarshal(t, b)); err != nil {
		t.Fatal(err)
	}
	if !back.Stroke(StrokeID{1, 1}).Hidden || !back.Stroke(StrokeID{2, 1}).Hidden {
		t.Fatal("hidden flag lost in the snapshot")
	}
	if b.Points() != 3 {
		t.Fatalf("hidden strokes still count their points: Points() = %d, want 3", b.Points())
	}
	checkInvariants(t, b)
}

func TestApplyClear(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(2, beginOp(4, xy(9, 9)...))
	b.Apply(2, eraseOp(StrokeID{1, 1}))
	b.Apply(3, clearOp)
	if len(b.Strokes()) != 0 || b.Points() != 0 {
		t.Fatalf("after Clear: %d strokes, %d points", len(b.Strokes()), b.Points())
	}
	if b.Stroke(StrokeID{1, 1}) != nil || b.Stroke(StrokeID{2, 4}) != nil {
		t.Fatal("cleared strokes still found by id")
	}
	wantOpen(t, b, 1, 0)
	wantOpen(t, b, 2, 0)
	// Points after Clear go nowhere; restore does not bring strokes back.
	b.Apply(1, pointsOp(xy(1, 1)...))
	b.Apply(1, restoreOp(StrokeID{1, 1}))
	if len(b.Strokes()) != 0 {
		t.Fatal("strokes came back after Clear")
	}
	// Clear deletes for good: the same name can be drawn again, fresh.
	b.Apply(1, beginOp(1, xy(3, 3)...))
	wantPoints(t, b, 1, 1, xy(3, 3))
	if b.Stroke(StrokeID{1, 1}).Hidden {
		t.Fatal("a stroke redrawn after Clear is hidden")
	}
	// Authors' counts survive a Clear.
	if got := b.Author(1).Applied; got != 4 {
		t.Fatalf("author 1 applied %d, want 4", got)
	}
	if got := b.Author(2).Applied; got != 2 {
		t.Fatalf("author 2 applied %d, want 2", got)
	}
	checkInvariants(t, b)
}

func TestApplyStrokePointCap(t *testing.T) {
	b := NewBoard(1)
	step := Point{X: 1, Y: -1}
	batch := repeatPoints(step, MaxPointsPerOp)
	b.Apply(1, beginOp(1, batch...))
	sent := MaxPointsPerOp
	for sent+MaxPointsPerOp <= MaxStrokePoints {
		b.Apply(1, pointsOp(batch...))
		sent += MaxPointsPerOp
	}
	// The next batch only partly fits: the rest is dropped.
	b.Apply(1, pointsOp(batch...))
	b.Apply(1, pointsOp(xy(1000, 1000)...))
	b.Apply(1, pointsPOp(Point{X: 5, Y: 5, P: 5}))
	pts := strokePoints(t, b, 1, 1)
	if len(pts) != MaxStrokePoints {
		t.Fatalf("stroke holds %d points, want the cap %d", len(pts), MaxStrokePoints)
	}
	if last := pts[len(pts)-1]; last != (Point{X: MaxStrokePoints, Y: -MaxStrokePoints}) {
		t.Fatalf("last point %v: a dropped point moved the stroke", last)
	}
	if b.Points() != MaxStrokePoints {
		t.Fatalf("Points() = %d", b.Points())
	}
	wantOpen(t, b, 1, 1) // a full stroke is still open; End closes it
	// A full stroke of the author does not stop others or the next stroke.
	b.Apply(2, beginOp(1, xy(1, 1)...))
	b.Apply(1, beginOp(2, xy(0, 0)...))
	b.Apply(1, pointsOp(xy(1, 1)...))
	wantPoints(t, b, 1, 2, xy(0, 0, 1, 1))
	// A stroke at the cap survives a snapshot.
	var back Board
	if err := back.UnmarshalBinary(mustMarshal(t, b)); err != nil {
		t.Fatalf("board with a full stroke does not decode: %v", err)
	}
	checkInvariants(t, &back)
	checkInvariants(t, b)
}

func TestApplyClampsCoordinates(t *testing.T) {
	const D = MaxPointDelta
	b := NewBoard(1)
	// One Begin of 20 big steps: 16 of them reach the limit, the rest stay.
	b.Apply(1, beginOp(1, repeatPoints(Point{X: D, Y: -D}, 20)...))
	pts := strokePoints(t, b, 1, 1)
	for i, p := range pts {
		want := int32(min(int64(i+1)*D, CoordLimit))
		if p.X != want || p.Y != -want {
			t.Fatalf("point %d is %v, want (%d, %d)", i, p, want, -want)
		}
	}
	// The next delta applies to the clamped point, not to where the
	// unclamped sum would be.
	b.Apply(1, pointsOp(xy(-1, 1)...))
	if last := strokePoints(t, b, 1, 1)[20]; last != (Point{X: CoordLimit - 1, Y: -CoordLimit + 1}) {
		t.Fatalf("after stepping back: %v", last)
	}
	// Each axis clamps on its own.
	b.Apply(2, beginOp(1, xy(D, 5)...))
	b.Apply(2, pointsOp(repeatPoints(Point{X: D, Y: 1}, 30)...))
	if last := strokePoints(t, b, 2, 1)[30]; last != (Point{X: CoordLimit, Y: 35}) {
		t.Fatalf("x clamped, y free: %v", last)
	}
	// The boundaries are part of the board and survive a snapshot.
	var back Board
	if err := back.UnmarshalBinary(mustMarshal(t, b)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(mustMarshal(t, &back), mustMarshal(t, b)) {
		t.Fatal("clamped board does not round-trip")
	}
	checkInvariants(t, b)
}

func TestApplyPressure(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...)) // no pressure flag
	b.Apply(1, pointsPOp(Point{X: 1, Y: 1, P: 7}))
	b.Apply(2, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Width: 1, Points: []Point{{X: 0, Y: 0, P: 200}}})
	b.Apply(2, pointsOp(xy(1, 1)...))
	b.Apply(2, pointsPOp(Point{X: 1, Y: 1, P: 255}))
	wantPoints(t, b, 1, 1, []Point{{0, 0, 0}, {1, 1, 7}})                // stored as sent
	wantPoints(t, b, 2, 1, []Point{{0, 0, 200}, {1, 1, 0}, {2, 2, 255}}) // Points means pressure 0
	if b.Stroke(StrokeID{1, 1}).Pressure || !b.Stroke(StrokeID{2, 1}).Pressure {
		t.Fatal("the stroke's pressure flag is its Begin's")
	}
	var back Board
	if err := back.UnmarshalBinary(mustMarshal(t, b)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Stroke(StrokeID{1, 1}), b.Stroke(StrokeID{1, 1})) ||
		!reflect.DeepEqual(back.Stroke(StrokeID{2, 1}), b.Stroke(StrokeID{2, 1})) {
		t.Fatal("pressure lost in the snapshot")
	}
}

func TestApplyCountsEveryOp(t *testing.T) {
	b := NewBoard(5)
	steps := []struct {
		a  uint32
		o  *Op
		no bool // changes nothing but the counts
	}{
		{1, pointsOp(xy(1, 1)...), true}, // no open stroke
		{1, endOp, true},                 // nothing to close
		{1, eraseOp(StrokeID{9, 9}), true},
		{1, restoreOp(StrokeID{9, 9}), true},
		{2, clearOp, true}, // empty board
		{1, beginOp(1, xy(0, 0)...), false},
		{1, beginOp(1, xy(0, 0)...), false}, // repeated: closes the stroke
		{1, pointsOp(xy(1, 1)...), true},
		{3, eraseOp(StrokeID{1, 1}), false},
		{3, eraseOp(StrokeID{1, 1}), true},
	}
	applied := map[uint32]uint64{}
	for i, s := range steps {
		if s.no && b.Author(s.a).Open != 0 {
			t.Fatalf("step %d: the check below assumes author %d has nothing open", i, s.a)
		}
		before := mustMarshal(t, b)
		b.Apply(s.a, s.o)
		applied[s.a]++
		if b.Seq != uint64(i+1) {
			t.Fatalf("step %d: Seq %d", i, b.Seq)
		}
		for a, n := range applied {
			if got := b.Author(a).Applied; got != n {
				t.Fatalf("step %d: author %d applied %d, want %d", i, a, got, n)
			}
		}
		if s.no {
			// Only seq and the author's count may differ.
			want := NewBoard(0)
			if err := want.UnmarshalBinary(before); err != nil {
				t.Fatal(err)
			}
			want.Apply(s.a, endOp) // an End with nothing open: seq and count only
			if !bytes.Equal(mustMarshal(t, want), mustMarshal(t, b)) {
				t.Fatalf("step %d (%v by %d) changed more than the counts", i, s.o.Type, s.a)
			}
		}
	}
	if b.Author(4) != (AuthorState{}) {
		t.Fatalf("an author who sent nothing: %+v", b.Author(4))
	}
	if b.MaxAuthor() != 3 {
		t.Fatalf("MaxAuthor %d, want 3", b.MaxAuthor())
	}
	if b.Epoch != 5 {
		t.Fatalf("Apply changed the epoch to %d", b.Epoch)
	}
}

func TestZeroBoard(t *testing.T) {
	var b Board
	if b.Stroke(StrokeID{1, 1}) != nil || len(b.Strokes()) != 0 || b.MaxAuthor() != 0 || b.Points() != 0 {
		t.Fatal("zero board is not empty")
	}
	b.Apply(1, beginOp(1, xy(1, 2)...))
	wantPoints(t, &b, 1, 1, xy(1, 2))
}

// ---- Random boards ----
