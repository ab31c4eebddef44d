package e2e

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
)

// Shared text: typed live for everyone, edited by anyone (one at a time),
// wrapped to a width dragged out, boxed by its measured glyphs.

// textField is the page's text field (ui/text_editor).
const textField = `document.querySelector('[data-testid="text-editor"]')`

// texts returns the board's visible texts, in z-order.
func texts(b *canvas.Board) []*canvas.Stroke {
	var out []*canvas.Stroke
	for _, s := range visible(b) {
		if s.Tool == canvas.ToolText {
			out = append(out, s)
		}
	}
	return out
}

// waitText waits until p's board holds exactly one visible text and it
// reads want, and returns it.
func waitText(t *testing.T, what string, p *person, want string) *canvas.Stroke {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ts := texts(p.board())
		if len(ts) == 1 && ts[0].Text == want {
			return ts[0]
		}
		if time.Now().After(deadline) {
			got := make([]string, len(ts))
			for i, s := range ts {
				got[i] = s.Text
			}
			t.Fatalf("%s: the board's texts are %q, want one reading %q", what, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// onScreen returns where board point (x, y) is on p's screen (CSS px).
func (p *person) onScreen(x, y float64) (float64, float64) {
	p.t.Helper()
	var v struct{ Scale, X, Y float64 }
	p.eval(`window.sketchpad.view()`, &v)
	return x*v.Scale + v.X, y*v.Scale + v.Y
}

// textMiddle returns the middle of text s's box on p's screen.
func (p *person) textMiddle(s *canvas.Stroke) (float64, float64) {
	p.t.Helper()
	w, h := canvas.TextBox(s)
	return p.onScreen(float64(s.Points[0].X)+float64(w)/2, float64(s.Points[0].Y)+float64(h)/2)
}

// doubleClickAt double-clicks the left button at (x, y), as a mouse does.
func (p *person) doubleClickAt(x, y float64) {
	p.t.Helper()
	p.run("double-click", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MouseMoved, x, y).Do(ctx); err != nil {
			return err
		}
		for n := int64(1); n <= 2; n++ {
			if err := input.DispatchMouseEvent(input.MousePressed, x, y).WithButton(input.Left).WithButtons(1).WithClickCount(n).Do(ctx); err != nil {
				return err
			}
			if err := input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithButtons(0).WithClickCount(n).Do(ctx); err != nil {
				return err
			}
		}
		return nil
	}))
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fieldOpen reports whether p's text field is open and focused.
func (p *person) fieldOpen() bool {
	p.t.Helper()
	var open bool
	p.eval(`!`+textField+`.hidden && document.activeElement === `+textField, &open)
	return open
}

// A types a text: B sees it word by word before A ends it. B opens it with
// a double click and types into it: A sees that B edits it, cannot open it
// meanwhile, and sees B's typing live. In the end A, B, the server's
// picture and a late joiner hold the same text; B's undo takes back B's
// edit and nothing else (A's text, and what A drew after, stay).
func TestSharedTextTypedLiveAndEditedByAnother(t *testing.T) {
	room := "e2e-shared-text"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)

	a.tool("text")
	a.clickAt(300, 250)
	a.waitFor("A's text field focused", `document.activeElement === `+textField)
	a.keys("Hello")
	waitText(t, "B sees the first word while A types", b, "Hello")
	a.keys(" shared board")
	waitText(t, "B sees the next words while A types", b, "Hello shared board")
	if !a.fieldOpen() {
		t.Fatal("A's text field closed while she typed")
	}
	// B's page draws the text A is typing (A's shows her field instead).
	if ink := b.regionPixels(region{290, 225, 520, 280}).ink(); ink < 200 {
		t.Errorf("B's page shows %d ink pixels where A types; want the text drawn", ink)
	}
	a.keys(enter)
	a.waitFor("A's text field closed", textField+`.hidden`)
	board = seenByAll(t, "A's text", a, b, board, base, room)
	typed := texts(board)
	if len(typed) != 1 || typed[0].Text != "Hello shared board" || typed[0].ID.Author == 0 {
		t.Fatalf("after A's Enter the board's texts are %v, want A's one", typed)
	}
	aText := typed[0]

	// B opens A's text with a double click (the select tool).
	b.tool("select")
	bx, by := b.textMiddle(aText)
	b.doubleClickAt(bx, by)
	b.waitFor("B's text field open on A's text", `!`+textField+`.hidden && `+textField+`.value === 'Hello shared board'`)
	// A is told, before B types anything, by a label over the text.
	var bName string
	b.eval(`document.querySelector('[data-testid="name-input"]').value`, &bName)
	if bName == "" {
		bName = "Someone"
	}
	a.waitFor("A shown that B edits the text", `[...document.querySelectorAll('[data-testid="text-claim"]')].some((e) => e.textContent === `+jsString(bName+" is editing")+`)`)
	var label struct{ X, Bottom float64 }
	a.eval(`(() => { const r = document.querySelector('[data-testid="text-claim"]').getBoundingClientRect(); return {x: r.x, bottom: r.bottom}; })()`, &label)
	if tx, ty := a.onScreen(float64(aText.Points[0].X), float64(aText.Points[0].Y)); math.Abs(label.X-tx) > 2 || label.Bottom > ty+2 || label.Bottom < ty-30 {
		t.Errorf("the label is at x %.0f, bottom %.0f; want it just above the text's top-left (%.0f, %.0f)", label.X, label.Bottom, tx, ty)
	}
	// A cannot open it meanwhile, with the select tool nor the text tool.
	a.tool("select")
	ax, ay := a.textMiddle(aText)
	a.doubleClickAt(ax, ay)
	a.tool("text")
	a.clickAt(ax, ay)
	time.Sleep(300 * time.Millisecond) // a field that wrongly opened would be open by now
	var aField struct {
		Hidden bool
		Value  string
	}
	a.eval(`({hidden: `+textField+`.hidden, value: `+textField+`.value})`, &aField)
	if !aField.Hidden {
		t.Fatalf("A's text field opened (reading %q) on the text B is editing", aField.Value)
	}

	b.keys(" and B")
	waitText(t, "A sees B's typing live", a, "Hello shared board and B")
	if !b.fieldOpen() {
		t.Fatal("B's text field closed while B typed")
	}
	b.keys(enter)
	b.waitFor("B's text field closed", textField+`.hidden`)
	a.waitFor("the label gone when B ends", `document.querySelectorAll('[data-testid="text-claim"]').length === 0`)
	board = seenByAll(t, "B's edit", b, a, board, base, room)
	edited := texts(board)
	if len(edited) != 1 || edited[0].ID != aText.ID || edited[0].Text != "Hello shared board and B" {
		t.Fatalf("after B's edit the board's texts are %v, want A's text reading %q", edited, "Hello shared board and B")
	}
	if !strings.Contains(string(httpGet(t, base+"/b/"+room+".svg", "image/svg+xml")), "Hello shared board and B") {
		t.Error("the server's picture does not show B's edit")
	}

	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatal("the late joiner's board differs")
	}
	samePixels(t, "late joiner", region{100, 110, 800, 500}, a, c)

	// A draws after B's edit; B's undo takes back B's edit only.
	a.tool("rect")
	a.drag(line(300, 350, 450, 430, 10))
	board = seenByAll(t, "A's rect", a, b, board, base, room)
	b.undo()
	board = seenByAll(t, "B's undo", b, a, board, base, room)
	if ts := texts(board); len(ts) != 1 || ts[0].ID != aText.ID || ts[0].Text != "Hello shared board" {
		t.Fatalf("after B's undo the board's texts are %v, want A's text as A typed it", ts)
	}
	if n := len(visible(board)); n != 2 {
		t.Errorf("after B's undo %d strokes are shown, want A's text and A's rect", n)
	}
	b.redo()
	board = seenByAll(t, "B's redo", b, a, board, base, room)
	if ts := texts(board); len(ts) != 1 || ts[0].Text != "Hello shared board and B" {
		t.Fatalf("after B's redo the board's texts are %v, want B's edit back", ts)
	}
}

// box is a rectangle in CSS pixels.
type box struct{ X0, Y0, X1, Y1 float64 }

// selectionBox returns the selection's box on p's screen (the handles' frame).
func (p *person) selectionBox() box {
	p.t.Helper()
	return p.shownBox("selection")
}

// inkBox returns the box of the ink in r on p's drawing surface (CSS px).
func (p *person) inkBox(r region) box {
	p.t.Helper()
	px := p.regionPixels(r)
	k := float64(px.w) / float64(r.x1-r.x0) // device pixels per CSS pixel
	out := box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for y := 0; y < px.h; y++ {
		for x := 0; x < px.w; x++ {
			if px.rgba[(y*px.w+x)*4+3] > 24 {
				out.X0, out.Y0 = min(out.X0, float64(x)), min(out.Y0, float64(y))
				out.X1, out.Y1 = max(out.X1, float64(x+1)), max(out.Y1, float64(y+1))
			}
		}
	}
	if math.IsInf(out.X0, 0) {
		p.t.Fatalf("no ink in %v", r)
	}
	return box{float64(r.x0) + out.X0/k, float64(r.y0) + out.Y0/k, float64(r.x0) + out.X1/k, float64(r.y0) + out.Y1/k}
}

// A drags her text field's edge to set the width it wraps to and types a
// long line: it wraps into several lines alike for A, B and the server's
// picture; its selection box is its measured text (not much wider than the
// glyphs, none of them outside); A turns it by the rotate handle and B,
// the server's picture and a late joiner agree.
func TestSharedTextWrapBoxAndTurn(t *testing.T) {
	room := "e2e-text-wrap"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)

	a.tool("text")
	a.clickAt(200, 200)
	a.waitFor("A's text field focused", `document.activeElement === `+textField)
	a.keys("Wrap")
	// The field's resize handle is its bottom-right corner: drag it to
	// make the field about 200 CSS px wide.
	var f struct{ Right, Bottom, Left float64 }
	a.eval(`(() => { const r = `+textField+`.getBoundingClientRect(); return {right: r.right, bottom: r.bottom, left: r.left}; })()`, &f)
	const wide = 200.0
	a.drag(line(f.Right-3, f.Bottom-3, f.Left+wide-3, f.Bottom+10, 20))
	a.waitFor("the field still open after the drag", `!`+textField+`.hidden`)
	a.run("focus the field", chromedp.Focus(`[data-testid="text-editor"]`, chromedp.ByQuery))
	const long = "Wrap this long line of text to the width A dragged"
	a.keys(long[len("Wrap"):])
	waitText(t, "B sees A's typing", b, long)
	a.keys(enter)
	a.waitFor("A's text field closed", textField+`.hidden`)
	board = seenByAll(t, "wrapped text", a, b, board, base, room)
	s := texts(board)[0]
	var scale float64
	a.eval(`window.sketchpad.view().scale`, &scale)
	if want := wide / scale; s.Wrap == 0 || math.Abs(float64(s.Wrap)-want) > 0.1*want {
		t.Fatalf("the text wraps at %d units; want about %.0f (the %.0f CSS px dragged)", s.Wrap, want, wide)
	}
	lines := canvas.LayoutText(s.Text, s.Width, s.Wrap)
	if len(lines) < 3 {
		t.Fatalf("the text is %d lines at wrap %d; want several", len(lines), s.Wrap)
	}
	svg := string(httpGet(t, base+"/b/"+room+".svg", "image/svg+xml"))
	if n := strings.Count(svg, "<tspan"); n != len(lines) {
		t.Errorf("the server's picture has %d lines of text, want %d", n, len(lines))
	}
	w, h := canvas.TextBox(s)
	if float64(w)*scale > wide+1 {
		t.Errorf("the wrapped text is %.0f CSS px wide, wider than the %.0f dragged", float64(w)*scale, wide)
	}

	// The selection box: the measured text, on both pages.
	x0, y0 := a.onScreen(float64(s.Points[0].X), float64(s.Points[0].Y))
	x1, y1 := a.onScreen(float64(s.Points[0].X)+float64(w), float64(s.Points[0].Y)+float64(h))
	around := region{int(x0) - 40, int(y0) - 40, int(x1) + 40, int(y1) + 40}
	ink := a.inkBox(around)
	for _, p := range []*person{a, b} {
		p.tool("select")
		mx, my := p.textMiddle(s)
		p.clickAt(mx, my)
		p.waitFor("the text selected", `window.sketchpad.selected() === 1`)
		sel := p.selectionBox()
		// The frame stands 3 px off what it frames (ui/decor).
		const frame, slack = 3.0, 2.0
		if sel.X0 < x0-frame-slack || sel.Y0 < y0-frame-slack || sel.X1 > x1+frame+slack || sel.Y1 > y1+frame+slack {
			t.Errorf("the selection box %v is wider than the measured text (%.0f,%.0f)-(%.0f,%.0f)", sel, x0, y0, x1, y1)
		}
		if ink.X0 < sel.X0 || ink.Y0 < sel.Y0 || ink.X1 > sel.X1 || ink.Y1 > sel.Y1 {
			t.Errorf("glyphs %v reach outside the selection box %v", ink, sel)
		}
		if (sel.X1-sel.X0)-(ink.X1-ink.X0) > 0.15*(ink.X1-ink.X0)+2*frame {
			t.Errorf("the selection box is %.0f px wide for %.0f px of glyphs", sel.X1-sel.X0, ink.X1-ink.X0)
		}
	}

	// A turns it 45° by the rotate handle, 50° with Shift (which snaps to
	// 15°), about the middle of its box, as a lone shape turns.
	hx, hy := a.center("handle-rotate")
	cx, cy := a.textMiddle(s)
	r := math.Hypot(hx-cx, hy-cy)
	from := math.Atan2(hy-cy, hx-cx) * 180 / math.Pi
	a.dragWith(append([][2]float64{{hx, hy}}, arc(cx, cy, r, from, from+50, 30)...), input.ModifierShift)
	board = seenByAll(t, "turn", a, b, board, base, room)
	turned := texts(board)[0]
	if turned.Rot != 4500 || turned.Wrap != s.Wrap || turned.Text != s.Text {
		t.Fatalf("after the turn the text is at %d (1/100°), wrap %d, %q; want 4500, wrap %d and the same text", turned.Rot, turned.Wrap, turned.Text, s.Wrap)
	}
	// It turned about its middle: the middle of its turned box is where
	// the middle was (its top-left moved around it).
	mx0, my0 := float64(s.Points[0].X)+float64(w)/2, float64(s.Points[0].Y)+float64(h)/2
	q := turned.Points[0]
	k := math.Sqrt2 / 2 // 45°, clockwise on screen
	mx1 := float64(q.X) + (float64(w)/2)*k - (float64(h)/2)*k
	my1 := float64(q.Y) + (float64(w)/2)*k + (float64(h)/2)*k
	if math.Hypot(mx1-mx0, my1-my0) > 2 {
		t.Errorf("the turned text's middle is at (%.1f, %.1f), it was at (%.1f, %.1f): it did not turn about its middle", mx1, my1, mx0, my0)
	}
	if svg := string(httpGet(t, base+"/b/"+room+".svg", "image/svg+xml")); !strings.Contains(svg, `transform="rotate(45 `) || strings.Count(svg, "<tspan") != len(lines) {
		t.Errorf("the server's picture does not show the text turned, in %d lines: %s", len(lines), svg)
	}

	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatal("the late joiner's board differs")
	}
	samePixels(t, "late joiner", region{100, 110, 800, 500}, a, c)
}

// A and B open A's text in the same moment (the select tool's double
// click, sent to both pages at once): both may claim it before hearing of
// the other. Afterwards exactly one of them is typing (when both opened
// it, the one with the lower author id: PROTOCOL.md, Editing), the other
// is shown "NAME is editing", and what both typed is on both boards, the
// same on each and in the server's picture.
func TestSharedTextOpenedByTwoAtOnceOneKeepsIt(t *testing.T) {
	room := "e2e-shared-text-race"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)
	a.tool("text")
	a.clickAt(300, 250)
	a.waitFor("A's text field focused", `document.activeElement === `+textField)
	a.keys("Race")
	a.keys(enter)
	a.waitFor("A's text field closed", textField+`.hidden`)
	board = seenByAll(t, "A's text", a, b, board, base, room)
	text := texts(board)[0]
	people := []*person{a, b}
	for _, p := range people {
		p.tool("select")
		// Counts the field's openings, to tell whether both pages opened it.
		p.eval(`(() => { window.__opened = 0; `+textField+`.addEventListener('focus', () => window.__opened++); return true; })()`, nil)
	}
	ax, ay := a.textMiddle(text)
	bx, by := b.textMiddle(text)
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x, y := ax, ay
			if i == 1 {
				x, y = bx, by
			}
			p.doubleClickAt(x, y)
			p.keys([]string{" A", " B"}[i])
		}()
	}
	wg.Wait()
	var authors [2]int
	var opened [2]int
	for i, p := range people {
		p.eval(`window.sketchpad.author()`, &authors[i])
		p.eval(`window.__opened`, &opened[i])
	}
	// Once the claims have crossed, one field stays open.
	deadline := time.Now().Add(5 * time.Second)
	var open [2]bool
	for {
		for i, p := range people {
			p.eval(`!`+textField+`.hidden`, &open[i])
		}
		if open[0] != open[1] || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if open[0] == open[1] {
		t.Fatalf("open text fields after both opened the text: A %v, B %v; want exactly one", open[0], open[1])
	}
	keeper, other := 0, 1
	if open[1] {
		keeper, other = 1, 0
	}
	crossed := opened[0] > 0 && opened[1] > 0
	t.Logf("fields opened: A %d, B %d (claims crossed: %v); authors A %d, B %d; %s keeps typing", opened[0], opened[1], crossed, authors[0], authors[1], []string{"A", "B"}[keeper])
	if crossed && authors[keeper] > authors[other] {
		t.Errorf("both opened the text and the higher author id (%d over %d) kept it", authors[keeper], authors[other])
	}
	k, o := people[keeper], people[other]
	var kName string
	k.eval(`document.querySelector('[data-testid="name-input"]').value`, &kName)
	if kName == "" {
		kName = "Someone"
	}
	o.waitFor("the other shown who edits the text", `[...document.querySelectorAll('[data-testid="text-claim"]')].some((e) => e.textContent === `+jsString(kName+" is editing")+`)`)
	time.Sleep(300 * time.Millisecond) // a field that wrongly stayed open or opened again would be open by now
	if !k.fieldOpen() {
		t.Fatal("the one who keeps the text no longer has its field open")
	}
	var oOpen bool
	o.eval(`!`+textField+`.hidden`, &oOpen)
	if oOpen {
		t.Fatal("both text fields are open")
	}
	k.keys(" done")
	k.keys(enter)
	k.waitFor("the keeper's field closed", textField+`.hidden`)
	o.waitFor("the label gone", `document.querySelectorAll('[data-testid="text-claim"]').length === 0`)
	board = seenByAll(t, "both typed", k, o, board, base, room)
	ts := texts(board)
	if len(ts) != 1 || ts[0].ID != text.ID || !strings.HasSuffix(ts[0].Text, " done") || !strings.Contains(ts[0].Text, []string{" A", " B"}[keeper]) {
		t.Fatalf("after both typed the board's texts are %v, want A's text with what the keeper typed", ts)
	}
}
