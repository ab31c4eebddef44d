package e2e

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
)

// The selection's action bar on a phone (issue 16): with no keyboard, a
// person taps a shape and then the bar's buttons to delete, duplicate or
// reorder it, and the toolbar's undo to take each back.

// tap touches (x, y) with one finger and lifts it: a tap on a touch screen.
func (p *person) tap(x, y float64) {
	p.t.Helper()
	p.run("tap", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchTouchEvent(input.TouchStart, []*input.TouchPoint{{X: x, Y: y}}).Do(ctx); err != nil {
			return err
		}
		time.Sleep(30 * time.Millisecond)
		return input.DispatchTouchEvent(input.TouchEnd, []*input.TouchPoint{}).Do(ctx)
	}))
}

// tapSelectTool picks the select tool on a phone, by taps: a phone's row
// keeps it in the More menu, and a tap on the board closes a menu left open.
func (p *person) tapSelectTool() {
	p.t.Helper()
	for _, m := range p.menusTo("tool-select") {
		p.tapOn(m)
	}
	p.tapOn("tool-select")
	p.waitFor("the select tool", `document.querySelector('[data-testid="tool-select"]').getAttribute('aria-pressed') === 'true'`)
	menuOpen := `[...document.querySelectorAll('[data-menu-of]')].some((m) => !m.hidden)`
	var shown bool
	if p.eval(menuOpen, &shown); shown {
		p.tap(370, 760)
		p.waitFor("the menus closed", `!`+menuOpen)
	}
}

// phoneAndDesk opens board room on a new server for a person on a phone
// (390×844, touch) and one at a desk, and returns them and the server.
func phoneAndDesk(t *testing.T, room string) (phone, desk *person, base string) {
	t.Helper()
	base = startServer(t)
	phone = newPersonAt(t, "phone", screens[0])
	desk = newPerson(t, "desk")
	phone.open(base + "/b/" + room)
	desk.open(base + "/b/" + room)
	return phone, desk, base
}

// tapOn taps the middle of the element with data-testid id, once shown.
func (p *person) tapOn(id string) {
	p.t.Helper()
	x, y := p.center(id)
	p.tap(x, y)
}

// barShown reports whether the selection's action bar is on the screen.
const barShown = `(() => { const b = document.querySelector('[data-testid="selection-bar"]'); return !!b && !b.hidden && b.getBoundingClientRect().width > 0; })()`

// checkBar fails the test unless each of the bar's buttons is inside the
// window, on top (the point at its middle is the button), at least 44 × 44
// CSS pixels on a touch screen (side), and clear of the selection's handles.
func checkBar(t *testing.T, p *person, what string, side int) {
	t.Helper()
	p.waitFor(what+": the bar shown", barShown)
	p.shownBox("selection-bar") // placed in the frames after it shows
	var bad []string
	p.eval(`(() => {
		const bad = [];
		const handles = [...document.querySelectorAll('.decor-handle')].map((h) => h.getBoundingClientRect());
		for (const b of document.querySelectorAll('[data-testid="selection-bar"] button')) {
			const r = b.getBoundingClientRect();
			const id = b.dataset.testid;
			if (r.width < `+itoa(side)+` || r.height < `+itoa(side)+`) bad.push(id + ' is ' + r.width + '×' + r.height);
			if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) bad.push(id + ' is outside the window');
			const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
			if (!hit || !b.contains(hit)) bad.push(id + ' is covered');
			if (!b.title || !b.getAttribute('aria-label')) bad.push(id + ' has no title or label');
			for (const h of handles) if (h.left < r.right && r.left < h.right && h.top < r.bottom && r.top < h.bottom) bad.push(id + ' covers a handle');
		}
		return bad;
	})()`, &bad)
	for _, b := range bad {
		t.Errorf("%s: %s", what, b)
	}
}

// shownOrder names the strokes shown, in z-order.
func shownOrder(b *canvas.Board) []string {
	var out []string
	for _, s := range visible(b) {
		out = append(out, strokeKey(s.ID))
	}
	return out
}

// sameEverywhere waits for the phone's op to come back and the other page to
// catch up, checks both hold the same board and that /b/{room}.svg is its
// picture, and returns it.
func sameEverywhere(t *testing.T, what string, p, d *person, before *canvas.Board, base, room string) *canvas.Board {
	t.Helper()
	settledAfter(t, int(before.Seq), p, d)
	board := identical(t, what, p, d)
	if got := httpGet(t, base+"/b/"+room+".svg", "image/svg+xml"); !bytes.Equal(got, board.SVG()) {
		t.Fatalf("%s: /b/%s.svg is not the picture of the pages' board", what, room)
	}
	return board
}

func TestOnAPhoneTheSelectionBarDeletesDuplicatesAndReordersForEveryone(t *testing.T) {
	room := "e2e-selection-bar"
	p, d, base := phoneAndDesk(t, room)

	// The desk draws two overlapping rectangles, A under B.
	d.tool("rect")
	d.drag(line(80, 220, 220, 340, 12))
	d.drag(line(160, 280, 300, 420, 12))
	settledAfter(t, 0, d, p)
	board := identical(t, "drawing", d, p)
	if len(board.Strokes()) != 2 {
		t.Fatalf("%d strokes drawn, want 2", len(board.Strokes()))
	}
	drawn := order(board)
	a := board.Strokes()[0]
	// A's left edge, half way down (B does not reach it): a tap there picks A.
	ax, ay := p.onScreen(float64(min(a.Points[0].X, a.Points[1].X)), float64(a.Points[0].Y+a.Points[1].Y)/2)
	pick := func(what string) {
		t.Helper()
		p.tap(ax, ay)
		p.waitFor(what+": A selected", `window.sketchpad.selected() === 1`)
		checkBar(t, p, what, 44)
	}
	undo := func(what string, want *canvas.Board) *canvas.Board {
		t.Helper()
		p.tapOn("undo")
		got := sameEverywhere(t, what+", undone", p, d, board, base, room)
		// An undone copy stays on the board, hidden: what is shown is compared.
		if !slices.Equal(shownOrder(got), shownOrder(want)) {
			t.Fatalf("%s, undone: shown %v, want %v", what, shownOrder(got), shownOrder(want))
		}
		return got
	}

	var shown bool
	p.tapSelectTool()
	p.eval(barShown, &shown)
	if shown {
		t.Fatal("the bar shows with nothing selected")
	}
	pick("picked")

	// Copy: the browser's copy event, which the page fills as Ctrl+C does.
	p.eval(`document.addEventListener('copy', (e) => { window.copyTaken = e.defaultPrevented && e.clipboardData.getData('text/plain').length > 0; }), true`, &shown)
	p.tapOn("sel-copy")
	p.waitFor("the copy taken by the page", `window.copyTaken === true`)

	// Bring to front: A above B, for both and in the server's picture.
	drawnBoard := board
	p.tapOn("sel-front")
	board = sameEverywhere(t, "to the front", p, d, board, base, room)
	if got, want := order(board), []uint32{drawn[1], drawn[0]}; !slices.Equal(got, want) {
		t.Fatalf("to the front: order %v, want %v", got, want)
	}
	board = undo("to the front", drawnBoard)

	// Duplicate: a third stroke, the copy, for both.
	if p.eval(`window.sketchpad.selected() === 1`, &shown); !shown {
		pick("picked again")
	}
	checkBar(t, p, "before duplicate", 44)
	p.tapOn("sel-duplicate")
	board = sameEverywhere(t, "duplicate", p, d, board, base, room)
	if n := len(visible(board)); n != 3 {
		t.Fatalf("duplicate: %d strokes shown, want 3", n)
	}
	checkBar(t, p, "the copy selected", 44)
	board = undo("duplicate", drawnBoard)

	// Delete: A gone for both; undo brings it back.
	pick("picked for delete")
	p.tapOn("sel-delete")
	board = sameEverywhere(t, "delete", p, d, board, base, room)
	if n := len(visible(board)); n != 1 || visible(board)[0].ID != drawnBoard.Strokes()[1].ID {
		t.Fatalf("delete: %d strokes shown, want B alone", n)
	}
	p.waitFor("the bar hidden with nothing selected", `!(`+barShown+`)`)
	undo("delete", drawnBoard)

	// The desk has the bar too, clear of the handles, as Excalidraw does.
	d.tool("select")
	d.keys("a", input.ModifierCtrl)
	d.waitFor("both selected", `window.sketchpad.selected() === 2`)
	checkBar(t, d, "the desk", 28)

	// A drag of the selection hides the bar until the button is released.
	bx, by := d.onScreen(float64(min(a.Points[0].X, a.Points[1].X)), float64(a.Points[0].Y+a.Points[1].Y)/2)
	d.run("press and move the selection", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MouseMoved, bx, by).Do(ctx); err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, bx, by).WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for i := 1; i <= 5; i++ {
			if err := input.DispatchMouseEvent(input.MouseMoved, bx+float64(8*i), by).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			time.Sleep(10 * time.Millisecond)
		}
		return nil
	}))
	d.waitFor("the bar hidden while dragging", `!(`+barShown+`)`)
	d.run("release", input.DispatchMouseEvent(input.MouseReleased, bx+40, by).WithButton(input.Left).WithButtons(0).WithClickCount(1))
	checkBar(t, d, "the desk after the drag", 28)
}
