package server

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
)

// pictureOf100kPoints is the SVG of a board of 100,000 points: 50
// freehand strokes of 2,000 points each (a random walk).
func pictureOf100kPoints() []byte {
	r := rand.New(rand.NewPCG(100, 100))
	b := canvas.NewBoard(42)
	for s := range 50 {
		b.Apply(1, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(1 + s), Color: 0x1e1e1eff, Width: 8,
			Points: []canvas.Point{{X: int32(1000 + r.IntN(8000)), Y: int32(1000 + r.IntN(6000))}}})
		for i := 0; i < 1999; i += 4 {
			o := canvas.Op{Type: canvas.OpPoints}
			for range 4 {
				o.Points = append(o.Points, canvas.Point{X: int32(r.IntN(9) - 4), Y: int32(r.IntN(9) - 4)})
			}
			b.Apply(1, &o)
		}
		b.Apply(1, &canvas.Op{Type: canvas.OpEnd})
	}
	return b.SVG()
}

// Sending a big board's picture: whole; gzipped as a browser asks, for
// a state seen the first time (compressed then) and for one seen before
// (its gzip form kept). sent-bytes is what goes over the wire.
func BenchmarkSendPicture(b *testing.B) {
	svg := pictureOf100kPoints()
	e := echo.New()
	for _, c := range []struct {
		name, accept string
		kept         bool
	}{{"identity", "", true}, {"gzip-new", "gzip, deflate, br, zstd", false}, {"gzip-kept", "gzip, deflate, br, zstd", true}} {
		b.Run(c.name, func(b *testing.B) {
			p := newPictures(nil, nil, nil)
			pic := picture{svg: svg, etag: pictureETag(1, 1)}
			if c.kept {
				pic.key = pictureKey{"big", 1, 1}
			}
			req := httptest.NewRequest(http.MethodGet, "/b/big.svg", nil)
			req.Header.Set("Accept-Encoding", c.accept)
			var sent int
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				if err := p.send(e.NewContext(req, rec), pic, false); err != nil {
					b.Fatal(err)
				}
				sent = rec.Body.Len()
			}
			b.ReportMetric(float64(len(svg)), "svg-bytes")
			b.ReportMetric(float64(sent), "sent-bytes")
		})
	}
}

// A picture's gzip form is made once per board state and kept beside the
// rendering; a picture that is not to be kept (an image missing from it)
// is compressed for its request only.
func TestAPictureIsCompressedOncePerState(t *testing.T) {
	svg := pictureOf100kPoints()
	e := echo.New()
	p := newPictures(nil, nil, nil)
	send := func(pic picture) []byte {
		req := httptest.NewRequest(http.MethodGet, "/b/big.svg", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		if err := p.send(e.NewContext(req, rec), pic, false); err != nil || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("send: %v, Content-Encoding %q", err, rec.Header().Get("Content-Encoding"))
		}
		return rec.Body.Bytes()
	}
	send(picture{svg: svg, etag: pictureETag(1, 1)})
	if _, n := p.gzipped.size(); n != 0 {
		t.Fatalf("a picture not to be kept left %d gzip forms", n)
	}
	k := pictureKey{"big", 1, 1}
	first := send(picture{svg: svg, etag: pictureETag(1, 1), key: k})
	kept, ok := p.gzipped.get(k)
	if !ok || !bytes.Equal(kept, first) {
		t.Fatalf("the gzip form was not kept (%v)", ok)
	}
	// What is kept is what is sent again, not a new compression.
	kept[len(kept)-1] ^= 0xff
	if again := send(picture{svg: svg, etag: pictureETag(1, 1), key: k}); again[len(again)-1] != kept[len(kept)-1] {
		t.Error("the second request compressed the picture again")
	}
}
