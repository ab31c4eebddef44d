package server

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	"github.com/sketchpad/sketchpad/server/room"
)

func TestPictureCacheKeepsTheRecentlyUsedWithinItsBytes(t *testing.T) {
	c := newPictureCache(10 * (1000 + 2 + entryOverhead))
	svg := func(i int) []byte { return bytes.Repeat([]byte{byte(i)}, 1000) }
	for i := range 10 {
		c.add(pictureKey{"b" + string(rune('0'+i)), 1, uint64(i)}, svg(i))
	}
	if _, n := c.size(); n != 10 {
		t.Fatalf("%d entries, want 10", n)
	}
	// Use the oldest, then add one more: the second oldest goes.
	if _, ok := c.get(pictureKey{"b0", 1, 0}); !ok {
		t.Fatal("b0 missing")
	}
	c.add(pictureKey{"bx", 1, 10}, svg(10))
	if _, ok := c.get(pictureKey{"b1", 1, 1}); ok {
		t.Error("b1, least recently used, still kept")
	}
	if got, ok := c.get(pictureKey{"b0", 1, 0}); !ok || !bytes.Equal(got, svg(0)) {
		t.Error("b0, used lately, was dropped")
	}
	if b, _ := c.size(); b > c.max {
		t.Errorf("%d bytes kept, bound %d", b, c.max)
	}
	// Another state of a board is another key.
	if _, ok := c.get(pictureKey{"b0", 1, 1}); ok {
		t.Error("a later seq of b0 found a rendering")
	}
	// Too big for a quarter of the cache: not kept.
	c.add(pictureKey{"big", 1, 1}, make([]byte, c.max/4))
	if _, ok := c.get(pictureKey{"big", 1, 1}); ok {
		t.Error("a rendering bigger than a quarter of the cache was kept")
	}
}

func TestETagMatching(t *testing.T) {
	tag := pictureETag(0xabc, 42)
	if tag != `"abc.42"` {
		t.Fatalf("ETag %s", tag)
	}
	for h, want := range map[string]bool{
		tag: true, "W/" + tag: true, `"x", ` + tag: true, "*": true,
		"": false, `"abc.41"`: false, `abc.42`: false,
	} {
		if got := etagMatches(h, tag); got != want {
			t.Errorf("If-None-Match %q: %v, want %v", h, got, want)
		}
	}
}

// countingStore is a Store holding one board in memory that counts full
// reads. History it has none (the embedded
// MemoryStore, empty, answers for it).
type countingStore struct {
	*local.MemoryStore
	st    oplog.StoredRoom
	loads int
}

func (s *countingStore) Load(_ context.Context, room string) (*oplog.StoredRoom, error) {
	s.loads++
	if room != "drawn" {
		return &oplog.StoredRoom{}, nil
	}
	st := s.st
	return &st, nil
}
func (s *countingStore) Head(_ context.Context, room string) (uint64, uint64, error) {
	if room != "drawn" || len(s.st.Ops) == 0 {
		return 0, 0, nil
	}
	return s.st.Epoch, s.st.Ops[len(s.st.Ops)-1].Seq, nil
}
func (s *countingStore) Append(context.Context, string, uint64, []oplog.StoredOp) error { return nil }
func (s *countingStore) Compact(context.Context, string, uint64, []byte) error          { return nil }
func (s *countingStore) NewAuthors(context.Context, string, uint32) (uint32, error) {
	return 1, nil
}
func (s *countingStore) Close() error { return nil }

// A closed board's picture is read in full once per state: again only
// after it changed; a board never stored is never read in full.
func TestPicturesReadAStoredBoardOncePerState(t *testing.T) {
	cfg := &config.Config{}
	cfg.Defaults()
	store := &countingStore{MemoryStore: local.NewMemoryStore(), st: oplog.StoredRoom{Epoch: 7}}
	add := func(seq uint64, op *canvas.Op) {
		store.st.Ops = append(store.st.Ops, oplog.StoredOp{Seq: seq, Author: 1, Op: canvas.AppendOp(nil, op)})
	}
	add(1, &canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0xff, Width: 4, Points: []canvas.Point{{X: 10, Y: 10}}})
	add(2, &canvas.Op{Type: canvas.OpEnd})
	p := newPictures(room.NewHub(cfg, local.New(store, slog.New(slog.DiscardHandler), metrics.New()), slog.New(slog.DiscardHandler), metrics.New()), store, nil)
	ctx := context.Background()

	first, _, err := p.get(ctx, "drawn", "")
	if err != nil || first.etag != pictureETag(7, 2) || bytes.Equal(first.svg, p.empty) {
		t.Fatalf("first picture: %v, ETag %s, empty %v", err, first.etag, bytes.Equal(first.svg, p.empty))
	}
	again, _, _ := p.get(ctx, "drawn", "")
	if _, nm, _ := p.get(ctx, "drawn", first.etag); !nm || store.loads != 1 || !bytes.Equal(again.svg, first.svg) {
		t.Errorf("after 3 pictures of an unchanged board: %d full reads, want 1 (304 on its ETag: %v)", store.loads, nm)
	}
	add(3, &canvas.Op{Type: canvas.OpBegin, Stroke: 2, Color: 0xff, Width: 4, Points: []canvas.Point{{X: 90, Y: 10}}})
	add(4, &canvas.Op{Type: canvas.OpEnd})
	changed, _, _ := p.get(ctx, "drawn", first.etag)
	if store.loads != 2 || changed.etag != pictureETag(7, 4) || bytes.Equal(changed.svg, first.svg) {
		t.Errorf("after a change: %d full reads, ETag %s, want 2 and the new board", store.loads, changed.etag)
	}
	for range 10 {
		if pic, _, _ := p.get(ctx, "never", ""); !bytes.Equal(pic.svg, p.empty) {
			t.Fatal("a board never stored is not the empty picture")
		}
	}
	if store.loads != 2 {
		t.Errorf("pictures of a board never stored read the store in full (%d reads)", store.loads-2)
	}
}
