package server_test

import (
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// Who types into which text reaches the others at once, and a late
// joiner; stopping is relayed too. Nothing is numbered.
func TestTextEditingClaimsReachOthersAndLateJoiners(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "claims", "A")
	b := connect(t, ts, "claims", "B")
	text := canvas.StrokeID{Author: a.Author(), N: 1}
	if err := a.SendRaw(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpText, Stroke: 1, Color: 0xff, Width: 20, Points: []canvas.Point{{X: 0, Y: 0}}, Text: "hi"})); err != nil {
		t.Fatal(err)
	}
	if err := b.SendEditing(text); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitEditing(ctx, b.Author(), text); err != nil {
		t.Fatal(err)
	}
	late := connect(t, ts, "claims", "C")
	if err := late.WaitEditing(ctx, b.Author(), text); err != nil {
		t.Fatalf("a late joiner was not told who edits: %v", err)
	}
	if err := b.SendRaw(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpTextEdit, Anchor: text, Text: "hi there"})); err != nil {
		t.Fatal(err)
	}
	if err := b.SendEditing(canvas.StrokeID{}); err != nil {
		t.Fatal(err)
	}
	if err := late.WaitEditing(ctx, b.Author(), canvas.StrokeID{}); err != nil {
		t.Fatal(err)
	}
	if err := late.WaitSeq(ctx, 2); err != nil {
		t.Fatal(err)
	}
	var board canvas.Board
	if err := board.UnmarshalBinary(late.BoardBytes()); err != nil {
		t.Fatal(err)
	}
	if s := board.Stroke(text); s == nil || s.Text != "hi there" {
		t.Fatalf("B's edit of A's text: %+v", s)
	}
}
