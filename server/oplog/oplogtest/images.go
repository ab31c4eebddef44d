package oplogtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// RunImages is the conformance table of an image store (oplog.Images):
// every store keeps an image once per board by its hash, within the
// board's budget, and tells a board from another.
func RunImages(t *testing.T, im oplog.Images) {
	ctx := context.Background()
	room, other := "img"+randomHex(), "img"+randomHex()
	a, b := []byte("first image bytes"), []byte("second, longer image bytes")
	ha, hb := hashOf(a), hashOf(b)
	if ok, err := im.HasImage(ctx, room, ha); ok || err != nil {
		t.Fatalf("a new board has image a: %v %v", ok, err)
	}
	if _, err := im.Image(ctx, room, ha); !errors.Is(err, oplog.ErrNoImage) {
		t.Fatalf("image of a new board: %v, want ErrNoImage", err)
	}
	budget := int64(len(a) + len(b) - 1)
	if added, err := im.PutImage(ctx, room, ha, a, budget); !added || err != nil {
		t.Fatalf("put a: %v %v", added, err)
	}
	if added, err := im.PutImage(ctx, room, ha, a, budget); added || err != nil {
		t.Fatalf("put a again: added %v, err %v; want stored once", added, err)
	}
	if _, err := im.PutImage(ctx, room, hb, b, budget); !errors.Is(err, oplog.ErrImagesFull) {
		t.Fatalf("put b past the budget: %v, want ErrImagesFull", err)
	}
	if ok, _ := im.HasImage(ctx, room, hb); ok {
		t.Fatal("an image refused for the budget was stored")
	}
	if added, err := im.PutImage(ctx, other, hb, b, budget); !added || err != nil {
		t.Fatalf("another board's budget is its own: %v %v", added, err)
	}
	got, err := im.Image(ctx, room, ha)
	if err != nil || !bytes.Equal(got, a) {
		t.Fatalf("image a: %q %v", got, err)
	}
	if ok, _ := im.HasImage(ctx, other, ha); ok {
		t.Fatal("board other has board room's image")
	}
	if ok, _ := im.HasImage(ctx, room, "total"); ok {
		t.Fatal(`a store's bookkeeping answers as an image named "total"`)
	}
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
