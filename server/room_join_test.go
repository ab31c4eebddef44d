package server_test

import (
	"testing"

	"github.com/sketchpad/sketchpad/server/client"
)

// A joiner shares the last encoded snapshot and gets the ops drawn since
// in the same frame, while those are few; past an eighth of the snapshot
// the board is encoded afresh.
func TestJoinerGetsTheSharedSnapshotAndTheOpsSince(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "reuse", "A")
	drawSpirals(t, a, 20, 200, 50) // 20 strokes of 6 ops
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	b := connect(t, ts, "reuse", "B") // the snapshot is encoded at this head
	snapSeq := b.Seq()
	if len(b.Log()) != 0 {
		t.Fatalf("B got %d ops besides its snapshot, want none", len(b.Log()))
	}
	if _, err := a.Stroke(7, 4, spiral(30, 9), 10); err != nil { // 5 small ops
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	c := connect(t, ts, "reuse", "C")
	log := c.Log()
	if c.Snapshots() != 1 || len(log) != int(a.Seq()-snapSeq) || log[0].Seq != snapSeq+1 {
		t.Errorf("C got %d snapshots and %d ops, want the snapshot at %d and the %d ops after it", c.Snapshots(), len(log), snapSeq, a.Seq()-snapSeq)
	}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	sameBoard(t, a.BoardBytes(), b, c)

	// Ops as big as the snapshot: a fresh snapshot instead.
	drawSpirals(t, a, 20, 200, 50)
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	d := connect(t, ts, "reuse", "D")
	if d.Snapshots() != 1 || len(d.Log()) != 0 || d.Seq() != a.Seq() {
		t.Errorf("D got %d snapshots and %d ops at seq %d, want one fresh snapshot at %d", d.Snapshots(), len(d.Log()), d.Seq(), a.Seq())
	}
	for _, x := range []*client.Client{b, c} {
		if err := x.WaitSeq(ctx, a.Seq()); err != nil {
			t.Fatal(err)
		}
	}
	sameBoard(t, a.BoardBytes(), b, c, d)
}
