package e2e

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// center returns the CSS pixel center of the element with data-testid id
// (once shown and painted: see shownBox).
func (p *person) center(id string) (x, y float64) {
	p.t.Helper()
	r := p.shownBox(id)
	return (r.X0 + r.X1) / 2, (r.Y0 + r.Y1) / 2
}

// shownBox returns the CSS pixel box of the element with data-testid id,
// once it is shown and the page has painted twice since: the selection's
// box and handles are placed in the frame after the selection changes,
// and on a busy machine a read right after would find them hidden or
// where they were.
func (p *person) shownBox(id string) box {
	p.t.Helper()
	q := `document.querySelector('[data-testid="` + id + `"]')`
	p.waitFor(id+" shown", `(() => { const e = `+q+`; return !!e && e.getBoundingClientRect().width > 0; })()`)
	var r struct{ X, Y, W, H float64 }
	p.evalAsync(`new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => { const r = `+q+`.getBoundingClientRect(); ok({x: r.x, y: r.y, w: r.width, h: r.height}); })))`, &r)
	return box{r.X, r.Y, r.X + r.W, r.Y + r.H}
}

// dragWith is drag with modifier keys held (Shift: the pointer events say so).
func (p *person) dragWith(pts [][2]float64, mods input.Modifier) {
	p.t.Helper()
	p.run("drag", chromedp.ActionFunc(func(ctx context.Context) error {
		first := pts[0]
		if err := input.DispatchMouseEvent(input.MouseMoved, first[0], first[1]).WithModifiers(mods).Do(ctx); err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, first[0], first[1]).WithModifiers(mods).
			WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for _, pt := range pts[1:] {
			if err := input.DispatchMouseEvent(input.MouseMoved, pt[0], pt[1]).WithModifiers(mods).
				WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			time.Sleep(4 * time.Millisecond)
		}
		last := pts[len(pts)-1]
		return input.DispatchMouseEvent(input.MouseReleased, last[0], last[1]).WithModifiers(mods).
			WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
	}))
}

// arc is n+1 points on the circle about (cx, cy) through radius r, from
// angle a0 to a1 (degrees, clockwise on screen from +x).
func arc(cx, cy, r, a0, a1 float64, n int) [][2]float64 {
	pts := make([][2]float64, n+1)
	for i := range pts {
		a := (a0 + (a1-a0)*float64(i)/float64(n)) * math.Pi / 180
		pts[i] = [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	return pts
}

// A widens a rectangle by its selection's right edge handle, then turns it
// by the rotate handle with Shift held: B sees each as A does, while it is
// dragged too, and so does the server's picture; the turn snaps to 45°;
// undo and redo are one step each; B's move made before A undoes her turn
// stays; a late joiner holds the same board.
func TestRotateAndEdgeHandlesSeenByEveryone(t *testing.T) {
	room := "e2e-rotate"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)
	a.tool("rect")
	a.drag(line(300, 200, 500, 320, 20))
	board = seenByAll(t, "drawing", a, b, board, base, room)
	drawn := board.Strokes()[0].Points
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("the rect selected", `window.sketchpad.selected() === 1`)

	// The right edge handle, 100 CSS px to the right (and 60 down, which
	// an edge handle ignores): wider by about 400 units, as high as before.
	x, y := a.center("handle-e")
	a.drag(line(x, y, x+100, y+60, 30))
	board = seenByAll(t, "edge resize", a, b, board, base, room)
	got := board.Strokes()[0].Points
	if w, w0 := got[1].X-got[0].X, drawn[1].X-drawn[0].X; w < w0+340 || w > w0+440 {
		t.Errorf("edge resize: the rect is %d units wide, drawn %d; want about 400 more", w, w0)
	}
	if got[0].Y != drawn[0].Y || got[1].Y != drawn[1].Y {
		t.Errorf("edge resize: the rect's height changed: %v, drawn %v", got, drawn)
	}
	resized := got

	// The rotate handle: an arc about the rect's middle from straight above
	// it to 50° clockwise of that, with Shift: a turn of 45°.
	hx, hy := a.center("handle-rotate")
	// The pivot (the rect's middle) is the middle of the selection's box.
	_, ny := a.center("handle-n")
	_, sy := a.center("handle-s")
	cx, cy := hx, (ny+sy)/2
	r := math.Hypot(hx-cx, hy-cy)
	before := board.Seq
	a.dragWith(append([][2]float64{{hx, hy}}, arc(cx, cy, r, -90, -40, 30)...), input.ModifierShift)
	board = seenByAll(t, "turn", a, b, board, base, room)
	s := board.Strokes()[0]
	if s.Rot != 4500 {
		t.Fatalf("turn with Shift: rotation %d (1/100°), want 4500", s.Rot)
	}
	if s.Points[0] != resized[0] || s.Points[1] != resized[1] {
		t.Errorf("turn: a lone rect turns about its own center, its corners stay: %v, were %v", s.Points, resized)
	}
	if n := board.Seq - before; n < 2 {
		t.Errorf("turn: %d Rotate ops for a drag of 30 frames; want them sent while dragging", n)
	}
	if svg := httpGet(t, base+"/b/"+room+".svg", "image/svg+xml"); !strings.Contains(string(svg), `transform="rotate(45 `) {
		t.Errorf("the server's picture does not turn the rect: %s", svg)
	}

	// B moves it (10 CSS px right); A undoes her turn: B's move stays.
	b.tool("select")
	b.keys("a", input.ModifierCtrl)
	b.waitFor("B selected it", `window.sketchpad.selected() === 1`)
	b.keys(kb.ArrowRight, input.ModifierShift)
	board = seenByAll(t, "B's nudge", b, a, board, base, room)
	if p := board.Strokes()[0].Points[0]; p.X != resized[0].X+40 {
		t.Fatalf("B's nudge: the rect starts at %v, want 40 right of %v", p, resized[0])
	}
	a.undo()
	board = seenByAll(t, "undo turn", a, b, board, base, room)
	s = board.Strokes()[0]
	if s.Rot != 0 || s.Points[0].X != resized[0].X+40 || s.Points[0].Y != resized[0].Y || s.Points[1].X != resized[1].X+40 {
		t.Errorf("undo turn after B's move: rotation %d, points %v; want 0 and %v moved 40 right", s.Rot, s.Points, resized)
	}
	a.redo()
	board = seenByAll(t, "redo turn", a, b, board, base, room)
	if s = board.Strokes()[0]; s.Rot != 4500 {
		t.Errorf("redo turn: rotation %d, want 4500", s.Rot)
	}

	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatal("the late joiner's board differs")
	}
	samePixels(t, "late joiner", region{100, 110, 800, 500}, a, c)
}

// A copies a selection: the system clipboard holds Sketchpad's text, a PNG
// and an SVG of it (for other apps); a paste into the board takes
// Sketchpad's text and draws the strokes again.
func TestCopyPutsPictureOnTheClipboard(t *testing.T) {
	room := "e2e-copy-picture"
	a, _, base := twoPages(t, room)
	a.run("grant the clipboard", browser.GrantPermissions([]browser.PermissionType{browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite}).WithOrigin(base),
		emulation.SetFocusEmulationEnabled(true))
	a.tool("rect")
	a.drag(line(200, 200, 320, 280, 10))
	settled(t, a)
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("selected", `window.sketchpad.selected() === 1`)
	a.shortcut("c", "copy")
	// The picture is written asynchronously: wait for the clipboard to hold it.
	var forms struct {
		Types []string
		Text  string
		HTML  string
		PNG   int
	}
	readClipboard(a, `(async () => {
		const deadline = Date.now() + 20000;
		for (;;) {
			const items = await navigator.clipboard.read({ unsanitized: ['text/html'] }).catch(() => navigator.clipboard.read()).catch(() => []);
			const item = items.find((i) => i.types.includes('image/png'));
			if (item) {
				const text = await (await item.getType('text/plain')).text();
				const html = item.types.includes('text/html') ? await (await item.getType('text/html')).text() : '';
				const png = (await (await item.getType('image/png')).arrayBuffer()).byteLength;
				return { types: item.types, text, html, png };
			}
			if (Date.now() > deadline) return { types: [], text: '', html: '', png: 0 };
			await new Promise((r) => setTimeout(r, 50));
		}
	})()`, &forms)
	if !strings.HasPrefix(forms.Text, `{"sketchpad"`) {
		t.Errorf("the clipboard's text is not Sketchpad's: %.80q", forms.Text)
	}
	if forms.PNG < 100 {
		t.Errorf("the clipboard's PNG is %d bytes", forms.PNG)
	}
	svg := strings.Contains(forms.HTML, "<svg")
	for _, ty := range forms.Types {
		svg = svg || ty == "image/svg+xml" || ty == "web image/svg+xml"
	}
	if !svg {
		t.Errorf("no SVG on the clipboard: types %v, html %.80q", forms.Types, forms.HTML)
	}
	a.run("pointer over the board", chromedp.ActionFunc(func(ctx context.Context) error {
		return input.DispatchMouseEvent(input.MouseMoved, 600, 350).Do(ctx)
	}))
	a.shortcut("v", "paste")
	a.waitFor("pasted", `window.sketchpad.selected() === 1 && window.sketchpad.pendingOps() === 0`)
	settled(t, a)
	if n := len(a.board().Strokes()); n != 2 {
		t.Errorf("after the paste the board holds %d strokes, want 2 (Sketchpad's text pasted)", n)
	}
}

// readClipboard evaluates js, a promise-valued expression, in a tab of
// p's browser on an origin of its own that may read the clipboard, then
// brings p's page back to the front. A board page may not read it
// (Permissions-Policy clipboard-read=(): the app pastes from the paste
// event), so a test reads what a copy put there as another app would.
func readClipboard(p *person, js string, out any) {
	p.t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>clipboard reader</title>")
	}))
	defer srv.Close()
	p.run("grant the clipboard to the reader", browser.GrantPermissions([]browser.PermissionType{browser.PermissionTypeClipboardReadWrite}).WithOrigin(srv.URL))
	ctx, cancel := chromedp.NewContext(p.ctx)
	err := chromedp.Run(ctx, emulation.SetFocusEmulationEnabled(true), chromedp.Navigate(srv.URL), chromedp.Evaluate(js, out, awaitPromise))
	cancel()
	if err != nil {
		p.t.Fatalf("read the clipboard: %v", err)
	}
	p.run("back to the board", page.BringToFront())
}
