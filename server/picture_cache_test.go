package server

import (
	"bytes"
	"testing"
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
