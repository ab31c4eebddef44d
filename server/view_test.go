package server_test

import (
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
)

// Follow the leader: a person's view reaches the others as the last one
// sent, takes no sequence number, and is not given to a late joiner. A
// view link's page may send it (a presenter on a view link can be
// followed) without being closed.
func TestViewIsRelayedNotStoredAndViewersMaySendIt(t *testing.T) {
	ts, ctx, a, b := twoOnABoard(t, "follow")
	seq, board := a.Seq(), a.BoardBytes()

	first := canvas.View{X: 2800, Y: -1800, W: 5600, H: 3600}
	last := canvas.View{X: -40000, Y: 120, W: 1560, H: 3376}
	for _, v := range []canvas.View{first, last} {
		if err := b.SendView(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.WaitView(ctx, b.Author(), last); err != nil {
		t.Fatal(err)
	}

	late := connect(t, ts, "follow", "late")
	sameBoard(t, board, a, b, late)
	if a.Seq() != seq || late.Seq() != seq {
		t.Fatalf("a view took a sequence number: %d, late joiner %d, want %d", a.Seq(), late.Seq(), seq)
	}
	if v, ok := late.View(b.Author()); ok {
		t.Fatalf("a late joiner was sent an old view: %+v", v)
	}

	v := client.New(ts.wsURL(viewID(t, ts, "follow")), client.Options{Name: "viewer"})
	if err := v.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	presenter := canvas.View{X: 1, Y: 2, W: 300, H: 400}
	if err := v.SendView(presenter); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitView(ctx, v.Author(), presenter); err != nil {
		t.Fatalf("the viewer's view did not reach A: %v", err)
	}
}

// A view the decoder refuses (no width) closes the sender like any
// malformed frame.
func TestAViewOfNoSizeClosesTheSender(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "follow-bad", "A")
	_ = a.SendRaw([]byte{canvas.MsgView, 0, 0, 0, 1})
	code, _, err := a.WaitClosed(ctx)
	if err != nil || code == 0 || code == 1000 {
		t.Fatalf("a view of width 0: close %d (%v), want a protocol error", code, err)
	}
}
