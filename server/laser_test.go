package server_test

import (
	"context"
	"slices"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
)

// A laser trail reaches the others as it was drawn, and leaves nothing:
// no op, no sequence number, nothing a late joiner gets. A view link's
// page may not send one.
func TestLaserIsRelayedNotStoredAndRefusedToViewers(t *testing.T) {
	ts, ctx, a, b := twoOnABoard(t, "laser")
	seq, board := a.Seq(), a.BoardBytes()

	trail := []canvas.Cursor{{X: 10, Y: 10}, {X: 14, Y: 12}, {X: 20, Y: 15}}
	more := []canvas.Cursor{{X: -300, Y: 40}, {X: -290, Y: 44}}
	if err := b.SendLaser(trail...); err != nil {
		t.Fatal(err)
	}
	if err := b.SendLaser(more...); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitLaser(ctx, b.Author(), more...); err != nil {
		t.Fatal(err)
	}
	if got, want := a.Lasers(b.Author()), append(trail, more...); !slices.Equal(got, want) {
		t.Fatalf("A saw B's trail as %v, want %v", got, want)
	}

	// Nothing was stored: the board and its numbering are as they were,
	// for those who were there and for a late joiner.
	late := connect(t, ts, "laser", "late")
	sameBoard(t, board, a, b, late)
	if a.Seq() != seq || late.Seq() != seq {
		t.Fatalf("a laser took a sequence number: %d, late joiner %d, want %d", a.Seq(), late.Seq(), seq)
	}
	if got := late.Lasers(b.Author()); len(got) != 0 {
		t.Fatalf("a late joiner was sent an old laser trail: %v", got)
	}

	// A viewer's laser is refused by the server, not only hidden in the UI.
	v := client.New(ts.wsURL(viewID(t, ts, "laser")), client.Options{Name: "viewer"})
	if err := v.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	_ = v.SendLaser(canvas.Cursor{X: 1, Y: 1})
	code, _, err := v.WaitClosed(ctx)
	if err != nil || code != uint16(canvas.CloseReadOnly) {
		t.Fatalf("viewer's laser: close %d (%v), want %d", code, err, uint16(canvas.CloseReadOnly))
	}
	last := canvas.Cursor{X: 7, Y: 7}
	if err := b.SendLaser(last); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitLaser(ctx, b.Author(), last); err != nil {
		t.Fatal(err)
	}
	if got := a.Lasers(v.Author()); len(got) != 0 {
		t.Fatalf("the viewer's laser reached A: %v", got)
	}
}

// twoOnABoard starts a server with A and B on room, after a stroke of A's
// that both have: what follows on the board is what the test sends.
func twoOnABoard(t *testing.T, room string) (*testServer, context.Context, *client.Client, *client.Client) {
	t.Helper()
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, room, "A")
	b := connect(t, ts, room, "B")
	if _, err := a.Stroke(1, 4, spiral(20, 1), 5); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	return ts, ctx, a, b
}
