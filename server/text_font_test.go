package server_test

import (
	"bytes"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

func TestTheTextFontIsSentGzippedToBrowsersThatTakeIt(t *testing.T) {
	ts := startServer(t, t.TempDir())
	url := ts.URL + canvas.TextFontPath
	z := fetch(t, url, "Accept-Encoding", "gzip, deflate, br, zstd") // what Chromium sends
	if z.code != 200 || z.h.Get("Content-Encoding") != "gzip" || z.h.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip taken: %d, Content-Encoding %q, Vary %q", z.code, z.h.Get("Content-Encoding"), z.h.Get("Vary"))
	}
	if !bytes.Equal(gunzip(t, z.body), canvas.TextFont) || len(z.body) >= len(canvas.TextFont)*2/3 {
		t.Errorf("gzip: %d bytes for a %d-byte font, or not the font unpacked", len(z.body), len(canvas.TextFont))
	}
	plain := fetch(t, url)
	if plain.code != 200 || plain.h.Get("Content-Encoding") != "" || !bytes.Equal(plain.body, canvas.TextFont) {
		t.Errorf("no Accept-Encoding: %d, Content-Encoding %q, %d bytes", plain.code, plain.h.Get("Content-Encoding"), len(plain.body))
	}
	for _, r := range []reply{z, plain} {
		if ct, cc := r.h.Get("Content-Type"), r.h.Get("Cache-Control"); ct != "font/ttf" || cc != "public, max-age=86400" {
			t.Errorf("Content-Type %q, Cache-Control %q", ct, cc)
		}
	}
	if z.h.Get("ETag") == "" || z.h.Get("ETag") == plain.h.Get("ETag") {
		t.Errorf("ETags %q (gzip) and %q (identity): one strong ETag for different bytes", z.h.Get("ETag"), plain.h.Get("ETag"))
	}
	again := fetch(t, url, "Accept-Encoding", "gzip", "If-None-Match", z.h.Get("ETag"))
	if again.code != 304 || len(again.body) != 0 {
		t.Errorf("revalidated with its ETag: %d, %d bytes", again.code, len(again.body))
	}
}
