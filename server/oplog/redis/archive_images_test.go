package redis

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// A board's images go to PostgreSQL with it and leave Redis; they are
// still served, still count against the board's budget, and a board
// brought back has them.
func TestArchivedBoardKeepsItsImages(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	l := archiveLog(t, r.URL(), archivetest.Database(t), time.Millisecond)
	ctx := context.Background()
	room := "cold-images"
	drawBoard(t, l, room, 1, 20)
	a, b := bytes.Repeat([]byte{1}, 600), bytes.Repeat([]byte{2}, 500)
	const ha, hb = "aa00000000000000000000000000000000000000000000000000000000000000", "bb00000000000000000000000000000000000000000000000000000000000000"
	if added, err := l.PutImage(ctx, room, ha, a, 1000); !added || err != nil {
		t.Fatalf("put: %v %v", added, err)
	}
	time.Sleep(5 * time.Millisecond)
	if done, err := l.Archive(ctx, room); err != nil || !done {
		t.Fatalf("archive: %v, %v", done, err)
	}
	if n, _ := l.rdb.Exists(ctx, imageKey(room)).Result(); n != 0 {
		t.Fatal("the archived board's images are still in Redis")
	}
	if got, err := l.Image(ctx, room, ha); err != nil || !bytes.Equal(got, a) {
		t.Fatalf("an archived image: %d bytes, %v", len(got), err)
	}
	if ok, err := l.HasImage(ctx, room, ha); !ok || err != nil {
		t.Fatalf("HasImage of an archived image: %v %v", ok, err)
	}
	if _, err := l.Open(ctx, room); err != nil {
		t.Fatal(err)
	}
	if added, err := l.PutImage(ctx, room, ha, a, 1000); added || err != nil {
		t.Fatalf("the archived image again: added %v, %v; want kept once", added, err)
	}
	if _, err := l.PutImage(ctx, room, hb, b, 1000); !errors.Is(err, oplog.ErrImagesFull) {
		t.Fatalf("past the budget with the archived image counted: %v, want ErrImagesFull", err)
	}
	if got, err := l.Image(ctx, room, ha); err != nil || !bytes.Equal(got, a) {
		t.Fatalf("after the board came back: %d bytes, %v", len(got), err)
	}
}
