package canvas

import (
	"bytes"
	"testing"
)

// visibleIDs returns the strokes a renderer draws, in z-order.
func visibleIDs(b *Board) []StrokeID {
	var ids []StrokeID
	for _, s := range b.Strokes() {
		if s.Visible() {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func sameIDs(t *testing.T, what string, got, want []StrokeID) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: %v, want %v", what, got, want)
		}
	}
}

func TestAClearHidesEverythingAndItsUndoShowsExactlyThatAgain(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0, 4, 4)...))
	b.Apply(1, endOp)
	b.Apply(2, beginOp(1, xy(9, 9)...)) // open while the board is cleared
	b.Apply(2, beginOp(2, xy(5, 5)...))
	b.Apply(2, eraseOp(StrokeID{2, 1}))
	before := visibleIDs(b)
	points := b.Points()

	b.Apply(3, &Op{Type: OpClear, Stroke: 1})
	if v := visibleIDs(b); len(v) != 0 {
		t.Fatalf("after a clear %v are shown", v)
	}
	wantOpen(t, b, 2, 0)
	if b.Points() != points || b.SweptPoints() != points || b.SweptStrokes() != 3 {
		t.Fatalf("a clear keeps its strokes until a purge: points %d swept %d (%d strokes), want %d", b.Points(), b.SweptPoints(), b.SweptStrokes(), points)
	}
	// Drawn after the clear: not the clear's to undo.
	b.Apply(2, beginOp(3, xy(1, 1)...))
	// Someone else undoes it (any editor may): exactly what it hid is back,
	// the erased stroke still erased.
	b.Apply(4, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}})
	sameIDs(t, "after the undo", visibleIDs(b), append(before, StrokeID{2, 3}))
	if !b.Stroke(StrokeID{2, 1}).Hidden || b.SweptStrokes() != 0 {
		t.Fatal("the erased stroke came back, or strokes stay swept")
	}
	// Undone twice, or a sweep never made: nothing.
	enc := mustMarshal(t, b)
	b.Apply(4, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}})
	b.Apply(4, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 9, N: 9}})
	b.Seq -= 2
	b.authors[4].Applied -= 2
	if !bytes.Equal(mustMarshal(t, b), enc) {
		t.Fatal("an unsweep of nothing changed the board")
	}
	checkInvariants(t, b)
}

func TestASweepTakesOnlyStrokesNoOtherSweepHolds(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(5, &Op{Type: OpRemove, Stroke: 1, Sweep: StrokeID{Author: 1}})
	b.Apply(2, beginOp(1, xy(3, 3)...))
	b.Apply(3, &Op{Type: OpClear, Stroke: 1})
	if s := b.Stroke(StrokeID{1, 1}); s.Swept != (StrokeID{5, 1}) || !s.Removed {
		t.Fatalf("the removed stroke is now %+v", s.Swept)
	}
	// Undoing the clear does not bring back what the moderator removed.
	b.Apply(3, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}})
	sameIDs(t, "after undoing the clear", visibleIDs(b), []StrokeID{{2, 1}})
	if held, removed := b.SweepOf(StrokeID{5, 1}); !held || !removed {
		t.Fatal("the removal is not found as one")
	}
	b.Apply(5, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 5, N: 1}})
	sameIDs(t, "after undoing the removal", visibleIDs(b), []StrokeID{{1, 1}, {2, 1}})
	checkInvariants(t, b)
}

func TestARemoveTakesOneAuthorsStrokesSinceASeq(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))                                                                              // seq 1
	b.Apply(1, &Op{Type: OpShape, Stroke: 2, Tool: ToolRect, Width: 1, Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}}) // seq 2
	b.Apply(2, beginOp(1, xy(0, 0)...))                                                                              // seq 3
	b.Apply(1, &Op{Type: OpText, Stroke: 3, Width: 9, Points: []Point{{X: 1, Y: 1}}, Text: "spam"})                  // seq 4
	b.Apply(1, beginOp(4, xy(7, 7)...))                                                                              // seq 5, open
	b.Apply(9, &Op{Type: OpRemove, Stroke: 1, Sweep: StrokeID{Author: 1}, Since: 2})                                 // 3 and 4
	sameIDs(t, "after removing author 1's work since seq 2", visibleIDs(b), []StrokeID{{1, 1}, {1, 2}, {2, 1}})
	wantOpen(t, b, 1, 0)
	wantOpen(t, b, 2, 1)
	if s := b.Stroke(StrokeID{1, 3}); s.Seq != 4 || !s.Removed {
		t.Fatalf("text: seq %d removed %v", s.Seq, s.Removed)
	}
	// A shape dragged on after its removal stays removed, and its size
	// stays counted as swept.
	b.Apply(1, &Op{Type: OpText, Stroke: 3, Width: 9, Points: []Point{{X: 1, Y: 1}}, Text: "more spam"})
	checkInvariants(t, b)
	if b.SweptPoints() != 2+len("more spam") {
		t.Fatalf("swept %d, want the text's point and bytes and the open stroke's point", b.SweptPoints())
	}
}

func TestAPurgeDropsSweptStrokesForGoodThenAppliesItsOp(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0, 1, 1)...))
	b.Apply(1, endOp)
	b.Apply(2, beginOp(1, xy(5, 5)...))
	b.Apply(2, endOp)
	b.Apply(2, &Op{Type: OpErase, Strokes: []StrokeID{{2, 1}}})
	b.Apply(3, &Op{Type: OpClear, Stroke: 1})
	b.Apply(2, &Op{Type: OpBegin, Stroke: 2, Width: 1, Points: xy(3, 3), Purge: true})
	if len(b.Strokes()) != 1 || b.Points() != 1 || b.SweptPoints() != 0 || b.Stroke(StrokeID{1, 1}) != nil {
		t.Fatalf("after the purge: %d strokes, %d points", len(b.Strokes()), b.Points())
	}
	wantOpen(t, b, 2, 2)
	// The clear can no longer be undone, and the names are free again.
	b.Apply(3, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}})
	b.Apply(1, beginOp(1, xy(8, 8)...))
	wantPoints(t, b, 1, 1, xy(8, 8))
	checkInvariants(t, b)
}

// The sweep of each stroke and when it was drawn survive a snapshot, so a
// late joiner can undo a clear made before it came.
func TestSweepsAndSeqsSurviveASnapshot(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(1, endOp)
	b.Apply(2, &Op{Type: OpShape, Stroke: 1, Tool: ToolLine, Width: 1, Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}})
	b.Apply(7, &Op{Type: OpRemove, Stroke: 4, Sweep: StrokeID{Author: 2}})
	b.Apply(3, &Op{Type: OpClear, Stroke: 2})
	var late Board
	if err := late.UnmarshalBinary(mustMarshal(t, b)); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Board{b, &late} {
		x.Apply(3, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 2}})
		x.Apply(7, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 7, N: 4}})
	}
	if !bytes.Equal(mustMarshal(t, b), mustMarshal(t, &late)) {
		t.Fatal("the late joiner's board differs")
	}
	sameIDs(t, "undone on the late board", visibleIDs(&late), []StrokeID{{1, 1}, {2, 1}})
	if late.Stroke(StrokeID{2, 1}).Seq != 3 || late.SweptPoints() != 0 {
		t.Fatalf("seq %d, swept %d", late.Stroke(StrokeID{2, 1}).Seq, late.SweptPoints())
	}
}
