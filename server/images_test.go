package server_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// imageModes runs f against an embedded replica and a Redis one, both
// with small image limits.
func imageModes(t *testing.T, f func(t *testing.T, ts *testServer)) {
	t.Run("embedded", func(t *testing.T) {
		f(t, startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, RateHTTP: 1e6,
			ImageBytes: 64 << 10, BoardImageBytes: 100 << 10}))
	})
	t.Run("redis", func(t *testing.T) {
		ts := startWith(t, &config.Config{RedisURL: redistest.Shared(t), RoomIdle: time.Minute, RateHTTP: 1e6,
			SyncInterval: 100 * time.Millisecond, ImageBytes: 64 << 10, BoardImageBytes: 100 << 10})
		waitReady(t, ts)
		f(t, ts)
	})
}

// pngOf encodes an image w × h: flat, or noise (which does not compress).
func pngOf(t *testing.T, w, h int, noise bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for i := range img.Pix {
		img.Pix[i] = 200
		if noise {
			img.Pix[i] = byte(r.Uint32())
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombOf returns a valid small PNG whose header claims w × h pixels: what
// a decompression bomb looks like before anything is decoded.
func bombOf(t *testing.T, w, h uint32) []byte {
	b := pngOf(t, 2, 2, false)
	ihdr := b[8+4+4 : 8+4+4+13] // after signature, length, "IHDR"
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(b[8+4+4+13:], crc32.ChecksumIEEE(b[8+4:8+4+4+13]))
	return b
}

type uploadAnswer struct {
	server.ImageResponse
	server.HTTPError
}

func upload(t *testing.T, ts *testServer, room, contentType string, body []byte) (int, uploadAnswer) {
	t.Helper()
	resp, err := http.Post(ts.URL+"/api/boards/"+room+"/images", contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a uploadAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("upload answer is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return resp.StatusCode, a
}

func TestImagesUploadedFetchedAndDrawnByEveryone(t *testing.T) {
	imageModes(t, func(t *testing.T, ts *testServer) {
		ctx := ctxT(t)
		room := randomNames("img-", 1)[0]
		pic := pngOf(t, 40, 30, false)
		code, up := upload(t, ts, room, "image/png", pic)
		if code != http.StatusCreated || !canvas.ValidImageHash(up.Hash) || up.Width != 40 || up.Height != 30 || up.Type != "image/png" {
			t.Fatalf("upload: %d %+v", code, up)
		}
		if code, again := upload(t, ts, room, "", pic); code != http.StatusOK || again.Hash != up.Hash {
			t.Fatalf("the same bytes again: %d %+v, want 200 and the same hash", code, again)
		}

		ann, bob := connect(t, ts, room, "Ann"), connect(t, ts, room, "Bob")
		if err := ann.Send(&canvas.Op{Type: canvas.OpImage, Stroke: 1, Color: 0xff, Points: []canvas.Point{{X: 0, Y: 0}, {X: 160, Y: 120}}, Text: up.Hash}); err != nil {
			t.Fatal(err)
		}
		if err := ann.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		if err := bob.Send(&canvas.Op{Type: canvas.OpTransform, Strokes: []canvas.StrokeID{{Author: ann.Author(), N: 1}}, SX: 2 * canvas.ScaleOne, SY: 2 * canvas.ScaleOne, DX: 100}); err != nil {
			t.Fatal(err)
		}
		if err := bob.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		if err := ann.WaitSeq(ctx, bob.Seq()); err != nil {
			t.Fatal(err)
		}
		late := connect(t, ts, room, "Late")
		sameBoard(t, ann.BoardBytes(), bob, late)
		s := late.Board().Stroke(canvas.StrokeID{Author: ann.Author(), N: 1})
		if s == nil || s.Tool != canvas.ToolImage || s.Points[0] != (canvas.Point{X: 20, Y: -60}) || s.Points[1] != (canvas.Point{X: 340, Y: 180}) {
			t.Fatalf("the late joiner's image: %+v", s)
		}

		// Its bytes, by URL, cached for good; by the view link too.
		for _, seg := range []string{room, viewID(t, ts, room)} {
			code, body, h := get(t, ts.URL+"/b/"+seg+"/img/"+up.Hash)
			if code != 200 || body != string(pic) || h.Get("Content-Type") != "image/png" ||
				!strings.Contains(h.Get("Cache-Control"), "immutable") || h.Get("ETag") != `"`+up.Hash+`"` {
				t.Fatalf("GET image via %s: %d %q %v", seg, code, h.Get("Content-Type"), h)
			}
		}
		req, _ := http.NewRequest("GET", ts.URL+"/b/"+room+"/img/"+up.Hash, nil)
		req.Header.Set("If-None-Match", `"`+up.Hash+`"`)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
			t.Fatalf("revalidation: %v %v, want 304", resp.StatusCode, err)
		}
		if code, _, _ := get(t, ts.URL+"/b/other-"+room+"/img/"+up.Hash); code != http.StatusNotFound {
			t.Fatalf("another board's image: %d, want 404", code)
		}

		// The board's picture carries it, standing alone.
		_, svg, _ := get(t, ts.URL+"/b/"+room+".svg")
		if !strings.Contains(svg, `<image data-stroke="`) || !strings.Contains(svg, `href="data:image/png;base64,`) ||
			!strings.Contains(svg, `x="20" y="-60" width="320" height="240"`) {
			t.Fatalf("the board's SVG lacks the image where it is:\n%.600s", svg)
		}
	})
}

func TestHostileImagesAreRefusedAndTheBoardIsUnaffected(t *testing.T) {
	imageModes(t, func(t *testing.T, ts *testServer) {
		ctx := ctxT(t)
		room := randomNames("img-", 1)[0]
		ann := connect(t, ts, room, "Ann")
		if _, err := ann.Stroke(1, 4, spiral(20, 0), 4); err != nil {
			t.Fatal(err)
		}
		if err := ann.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		var jpg bytes.Buffer
		_ = jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
		for _, c := range []struct {
			name, contentType string
			body              []byte
			status            int
			code              string
		}{
			{"a PNG that says it is a JPEG", "image/jpeg", pngOf(t, 4, 4, false), 415, "type_mismatch"},
			{"text that says it is a PNG", "image/png", []byte("just some text, honestly"), 415, "not_an_image"},
			{"a PNG signature and garbage", "image/png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 64)...), 422, "bad_image"},
			{"a decompression bomb", "image/png", bombOf(t, 100_000, 100_000), 422, "too_many_pixels"},
			{"an SVG with a script", "image/svg+xml", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415, "svg_refused"},
			{"an SVG that says it is a PNG", "image/png", []byte(`<?xml version="1.0"?><svg onload="alert(1)"/>`), 415, "svg_refused"},
			{"an image over --image-bytes", "image/png", pngOf(t, 200, 200, true), 413, "image_too_big"},
		} {
			code, a := upload(t, ts, room, c.contentType, c.body)
			if code != c.status || a.Error.Code != c.code || a.Error.Message == "" || a.Hash != "" {
				t.Errorf("%s: %d %+v, want %d %s", c.name, code, a, c.status, c.code)
			}
		}
		// A JPEG is fine; the board's budget (100 KiB) is then spent by
		// two noisy PNGs of 60 KiB.
		if code, a := upload(t, ts, room, "image/jpeg", jpg.Bytes()); code != 201 {
			t.Fatalf("a JPEG: %d %+v", code, a)
		}
		if code, a := upload(t, ts, room, "image/png", pngOf(t, 120, 120, true)); code != 201 {
			t.Fatalf("a 60 KiB PNG: %d %+v", code, a)
		}
		if code, a := upload(t, ts, room, "image/png", pngOf(t, 121, 121, true)); code != 413 || a.Error.Code != "board_images_full" {
			t.Fatalf("past the board's budget: %d %+v", code, a)
		}

		// A view link may not upload.
		if code, a := upload(t, ts, viewID(t, ts, room), "image/png", pngOf(t, 4, 4, false)); code != 403 || a.Error.Code != "read_only" {
			t.Fatalf("upload through a view link: %d %+v", code, a)
		}

		// An op naming an image the board does not hold is refused, and
		// Ann is told; the board is as it was, and Ann draws on.
		other := pngOf(t, 5, 5, false)
		_, elsewhere := upload(t, ts, "another-"+room, "image/png", other)
		if err := ann.Send(&canvas.Op{Type: canvas.OpImage, Stroke: 2, Color: 0xff, Points: []canvas.Point{{X: 0, Y: 0}, {X: 8, Y: 8}}, Text: elsewhere.Hash}); err != nil {
			t.Fatal(err)
		}
		if err := ann.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		if ann.Board().Stroke(canvas.StrokeID{Author: ann.Author(), N: 2}) != nil {
			t.Fatal("an image the board does not hold was placed")
		}
		ns := ann.Notices()
		if len(ns) == 0 || ns[len(ns)-1].Code != canvas.NoticeForbidden || !strings.Contains(ns[len(ns)-1].Message, "upload it first") {
			t.Fatalf("notices: %+v", ns)
		}
		bob := connect(t, ts, room, "Bob")
		if got := bob.Board().Strokes(); len(got) != 1 || len(ann.Board().Strokes()) != 1 {
			t.Fatalf("a joiner sees %d strokes, want Ann's one", len(got))
		}
		if _, err := ann.Stroke(3, 4, spiral(10, 1), 4); err != nil {
			t.Fatal(err)
		}
		if err := ann.WaitAcked(ctx); err != nil {
			t.Fatalf("Ann cannot draw after a refused image: %v", err)
		}
	})
}
