package server_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

var viewMeta = regexp.MustCompile(`<meta name="sketchpad-view-link" content="/b/(v\.[A-Za-z0-9_-]+)">`)

func get(t *testing.T, url string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// viewID reads the view link an edit page offers for room.
func viewID(t *testing.T, ts *testServer, room string) string {
	t.Helper()
	code, page, _ := get(t, ts.URL+"/b/"+room)
	m := viewMeta.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("edit page (%d) offers no view link", code)
	}
	return m[1]
}

func TestViewLinkShowsTheBoardButCannotDraw(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	room := "secret-board-name"
	a := connect(t, ts, room, "A")
	if _, err := a.Stroke(1, 4, spiral(30, 0), 4); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	view := viewID(t, ts, room)
	if strings.Contains(view, room) || view == viewID(t, ts, "another-board") {
		t.Fatalf("view id %q gives the board away or is shared", view)
	}
	if v2 := viewID(t, ts, room); v2 != view {
		t.Fatalf("a board's view link changed: %q then %q", view, v2)
	}
	code, page, _ := get(t, ts.URL+"/b/"+view)
	if code != 200 || viewMeta.MatchString(page) {
		t.Fatalf("view page: %d, offers a view link itself: %v", code, viewMeta.MatchString(page))
	}

	// A viewer gets the whole board and live ops...
	v := client.New(ts.wsURL(view), client.Options{Name: "viewer"})
	if err := v.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	sameBoard(t, a.BoardBytes(), v)
	if _, err := a.Stroke(2, 4, spiral(10, 1), 4); err != nil {
		t.Fatal(err)
	}
	if err := v.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	// ...and its ops are refused by the server, not just hidden in the UI.
	before := a.Seq()
	_ = v.Send(&canvas.Op{Type: canvas.OpClear, Stroke: 1})
	code2, _, err := v.WaitClosed(ctx)
	if err != nil || code2 != uint16(canvas.CloseReadOnly) {
		t.Fatalf("viewer's op: close %d (%v), want %d", code2, err, uint16(canvas.CloseReadOnly))
	}
	if _, err := a.Stroke(3, 4, spiral(5, 2), 4); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(a.Board().Strokes()); n != 3 || a.Seq() <= before {
		t.Fatalf("the viewer's Clear reached the board: %d strokes", n)
	}

	// The link with its last two characters changed (to "xx", or "yy" when
	// it ends in "xx" already: 1 link in 4,096 does, and was then
	// "tampered" into itself).
	tampered := view[:len(view)-2] + "xx"
	if tampered == view {
		tampered = view[:len(view)-2] + "yy"
	}
	for _, bad := range []string{"v.", "v.AAAA", "v." + strings.Repeat("A", 60), tampered} {
		code, body, _ := get(t, ts.URL+"/b/"+bad)
		if code != http.StatusNotFound || !strings.Contains(body, `"bad_link"`) {
			t.Errorf("/b/%s: %d %s, want 404 bad_link", bad, code, body)
		}
	}
}

func TestViewLinksSurviveARestartAndWorkOnEveryReplica(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	view := viewID(t, ts, "kept")
	ts.stop(t)
	ts2 := startServer(t, dir)
	if v := viewID(t, ts2, "kept"); v != view {
		t.Fatalf("view link changed across a restart")
	}
	url := redistest.Shared(t)
	r1, r2 := startReplica(t, url), startReplica(t, url)
	if viewID(t, r1, "kept") != viewID(t, r2, "kept") {
		t.Fatalf("two replicas on one Redis give different view links")
	}
}

func TestBoardSVGMatchesTheBoard(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "svg", "A")
	if _, err := a.Stroke(0x1971c2ff, 8, spiral(20, 0), 4); err != nil {
		t.Fatal(err)
	}
	_ = a.Send(&canvas.Op{Type: canvas.OpShape, Stroke: 2, Tool: canvas.ToolRect, Flags: canvas.FlagFilled, Color: 0xe0313180, Width: 4, Points: []canvas.Point{{X: 0, Y: 0}, {X: 400, Y: 200}}})
	_ = a.Send(&canvas.Op{Type: canvas.OpText, Stroke: 3, Color: 0xff, Width: 64, Points: []canvas.Point{{X: 10, Y: 10}}, Text: "hi <there>"})
	if _, err := a.Stroke(1, 4, spiral(5, 1), 4); err != nil {
		t.Fatal(err)
	}
	_ = a.Send(&canvas.Op{Type: canvas.OpErase, Strokes: []canvas.StrokeID{{Author: a.Author(), N: 4}}})
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/b/svg.svg", "/b/" + viewID(t, ts, "svg") + ".svg"} {
		code, body, h := get(t, ts.URL+path)
		if code != 200 || h.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", path, code, h.Get("Content-Type"))
		}
		if body != string(a.Board().SVG()) {
			t.Errorf("%s is not the SVG of the board the client holds", path)
		}
		drawn := 0
		d := xml.NewDecoder(strings.NewReader(body))
		for {
			tok, err := d.Token()
			if err != nil {
				if err != io.EOF {
					t.Fatalf("%s is not well-formed: %v", path, err)
				}
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				for _, at := range se.Attr {
					if at.Name.Local == "data-stroke" {
						drawn++
					}
				}
			}
		}
		if drawn != 3 {
			t.Errorf("%s draws %d strokes, want 3 (the erased one hidden)", path, drawn)
		}
		if !strings.Contains(body, "hi &lt;there&gt;") {
			t.Errorf("%s lacks the text", path)
		}
	}
	if code, _, _ := get(t, ts.URL+"/b/bad%20name.svg"); code != http.StatusBadRequest {
		t.Errorf("bad room name: %d, want 400", code)
	}
}

// A board page, its view link's page and an embed page say the drawing
// burst their connection gets (twice --rate-draw): the page refuses a
// paste bigger than it would be let send at once.
func TestBoardPagesSayTheDrawingBurst(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, RateDraw: 60,
		EmbedOrigins: []string{"http://host.example:8000"}, AdminKey: adminKey})
	const want = `<meta name="sketchpad-draw-burst" content="120">`
	for _, path := range []string{"/b/burst", "/b/" + viewID(t, ts, "burst"), "/embed/burst"} {
		if code, body, _ := get(t, ts.URL+path); code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, want 200 and %s", path, code, want)
		}
	}
}
