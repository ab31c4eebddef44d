package server_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// A Hello of another protocol version (a page loaded before an upgrade:
// version 2 has no Trace op, version 3 clears for good and has no Restyle,
// version 4 has no Image or Rotate, version 5 pages settle people's
// colors among themselves and mark their own viewers)
// is refused with 4426, and the page reloads;
// the current version is welcomed and can draw with Trace ops.
func TestHelloOfAnotherVersionIsRefused(t *testing.T) {
	addr, _ := realServer(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute})
	for _, v := range []uint8{1, 2, 3, 4, 5, canvas.Version + 1} {
		conn, br := rawUpgrade(t, addr, "versions")
		hello := canvas.AppendHello(nil, &canvas.Hello{Version: v, Name: "old page"})
		if _, err := conn.Write(append(frameHeader(true, 2, uint64(len(hello))), hello...)); err != nil {
			t.Fatal(err)
		}
		if _, code := closedWithin(conn, br, 10*time.Second); code != uint16(canvas.CloseVersion) {
			t.Errorf("Hello of version %d: close %d, want %d", v, code, uint16(canvas.CloseVersion))
		}
	}
	if canvas.Version != 6 {
		t.Fatalf("canvas.Version is %d: update this test with the versions to refuse", canvas.Version)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	a := client.New("ws://"+addr+"/ws/versions", client.Options{Name: "A"})
	b := client.New("ws://"+addr+"/ws/versions", client.Options{Name: "B"})
	for _, c := range []*client.Client{a, b} {
		if err := c.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	pts := spiral(50, 0)
	if _, err := a.Stroke(1, 4, pts, 4); err != nil { // Begin, Trace × 13, End
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, 15); err != nil {
		t.Fatal(err)
	}
	got := b.Board().Strokes()
	if len(got) != 1 || len(got[0].Points) != len(pts) {
		t.Fatalf("B sees %d strokes", len(got))
	}
	for i, p := range got[0].Points {
		if p.X != pts[i].X || p.Y != pts[i].Y {
			t.Fatalf("point %d: %v, drawn %v", i, p, pts[i])
		}
	}
	if err := a.WaitSeq(ctx, 15); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.BoardBytes(), b.BoardBytes()) {
		t.Fatal("A's and B's boards differ")
	}
}
