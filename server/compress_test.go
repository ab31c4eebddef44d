package server_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// What the server makes per request (a board's picture, then or now, and
// its page) goes out gzipped to a browser that takes gzip, whole to one
// that does not, with Vary saying so and a 304 for a copy the browser
// already has in either coding.
func TestPicturesAndPagesAreGzippedForClientsThatTakeIt(t *testing.T) {
	ts := startServer(t, t.TempDir())
	a := connect(t, ts, "gzipped", "A")
	drawSpirals(t, a, 3, 60, 8)
	if err := a.WaitAcked(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	seq := strconv.FormatUint(a.Board().Seq, 10)
	const chromium = "gzip, deflate, br, zstd"
	for _, c := range []struct {
		what, path string
		weak       bool // one weak ETag for both codings, else a strong one each
	}{
		{"picture", "/b/gzipped.svg", true},
		{"picture then", "/b/gzipped.svg?at=" + seq, true},
		{"board page", "/b/gzipped", false},
	} {
		plain := fetch(t, ts.URL+c.path)
		zipped := fetch(t, ts.URL+c.path, "Accept-Encoding", chromium)
		if plain.code != 200 || zipped.code != 200 {
			t.Fatalf("%s: %d and %d", c.what, plain.code, zipped.code)
		}
		if plain.h.Get("Content-Encoding") != "" || zipped.h.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q without Accept-Encoding, %q with %q", c.what,
				plain.h.Get("Content-Encoding"), zipped.h.Get("Content-Encoding"), chromium)
			continue
		}
		if !bytes.Equal(gunzip(t, zipped.body), plain.body) || len(zipped.body) >= len(plain.body)*2/3 {
			t.Errorf("%s: %d gzipped bytes for %d, or not the same once unpacked", c.what, len(zipped.body), len(plain.body))
		}
		for _, r := range []reply{plain, zipped} {
			if !strings.Contains(r.h.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary %q", c.what, r.h.Get("Vary"))
			}
		}
		t.Logf("%s: %d bytes whole, %d gzipped", c.what, len(plain.body), len(zipped.body))
		pe, ze := plain.h.Get("ETag"), zipped.h.Get("ETag")
		if c.weak && (pe != ze || !strings.HasPrefix(pe, "W/")) || !c.weak && (pe == ze || strings.HasPrefix(pe, "W/")) {
			t.Errorf("%s: ETag %s whole, %s gzipped", c.what, pe, ze)
		}
		for _, r := range []struct{ accept, etag string }{{chromium, ze}, {"", pe}} {
			again := fetch(t, ts.URL+c.path, "Accept-Encoding", r.accept, "If-None-Match", r.etag)
			if again.code != http.StatusNotModified || len(again.body) != 0 || again.h.Get("ETag") != r.etag ||
				!strings.Contains(again.h.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: If-None-Match %s with Accept-Encoding %q: %d, %d bytes, ETag %s, Vary %q; want 304 and nothing",
					c.what, r.etag, r.accept, again.code, len(again.body), again.h.Get("ETag"), again.h.Get("Vary"))
			}
		}
	}
	// Below a kilobyte nothing is gained: the empty board's picture goes whole.
	if r := fetch(t, ts.URL+"/b/never-drawn.svg", "Accept-Encoding", chromium); r.code != 200 || r.h.Get("Content-Encoding") != "" || len(r.body) >= 1024 {
		t.Errorf("an empty picture: %d, Content-Encoding %q, %d bytes", r.code, r.h.Get("Content-Encoding"), len(r.body))
	}
}
