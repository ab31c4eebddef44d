package e2e

import (
	"math"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// Paste on a phone (issue 16): with no keyboard, and a page that may not
// read the clipboard, the toolbar's Paste button (in its More menu on a
// phone) pastes what was last copied, in this tab or another open one, in
// the middle of the view, once something was copied.

func TestOnAPhoneACopyPastesWithAFingerWithNothingSelectedForEveryoneAndUndoTakesItBack(t *testing.T) {
	room := "e2e-phone-paste"
	p, d, base := phoneAndDesk(t, room)

	d.tool("rect")
	d.drag(line(80, 220, 220, 340, 12))
	settledAfter(t, 0, d, p)
	drawn := identical(t, "drawing", d, p)
	if len(drawn.Strokes()) != 1 {
		t.Fatalf("%d strokes drawn, want 1", len(drawn.Strokes()))
	}
	a := drawn.Strokes()[0]

	// Nothing copied yet: no Paste anywhere on the page.
	var offered bool
	const pasteThere = `!!document.querySelector('[data-testid="paste"]') && document.querySelector('[data-testid="paste"]').isConnected`
	if p.eval(pasteThere, &offered); offered {
		t.Fatal("a Paste button is offered before anything was copied")
	}

	// Pick the rectangle by its left edge, copy it with the selection bar.
	p.tapSelectTool()
	ax, ay := p.onScreen(float64(min(a.Points[0].X, a.Points[1].X)), float64(a.Points[0].Y+a.Points[1].Y)/2)
	p.tap(ax, ay)
	p.waitFor("the rectangle selected", `window.sketchpad.selected() === 1`)
	checkBar(t, p, "picked", 44)
	p.tapOn("sel-copy")
	p.waitFor("Paste offered after the copy", pasteThere)

	// Nothing selected: a tap on the empty board, well away from the rectangle.
	x0, y0 := p.onScreen(float64(a.Points[0].X), float64(a.Points[0].Y))
	x1, y1 := p.onScreen(float64(a.Points[1].X), float64(a.Points[1].Y))
	ex, ey := 195.0, 640.0
	if ex > min(x0, x1)-40 && ex < max(x0, x1)+40 && ey > min(y0, y1)-40 && ey < max(y0, y1)+40 {
		t.Fatalf("the empty spot (%v, %v) is near the rectangle (%v, %v to %v, %v)", ex, ey, x0, y0, x1, y1)
	}
	p.tap(ex, ey)
	p.waitFor("nothing selected", `window.sketchpad.selected() === 0`)
	p.waitFor("the bar hidden with nothing selected", `!(`+barShown+`)`)

	// Paste with a finger: through the More menu, the button finger-sized like every control.
	menus := p.menusTo("paste")
	for _, m := range menus {
		p.tapOn(m)
	}
	if len(menus) == 0 {
		t.Log("the phone's row kept Paste out of the More menu")
	}
	p.shownBox("paste")
	noSmallControls(t, p, "the More menu with Paste")
	p.tapOn("paste")
	board := sameEverywhere(t, "paste", p, d, drawn, base, room)
	shown := visible(board)
	if len(shown) != 2 || shown[1].ID == a.ID || shown[1].Tool != a.Tool || shown[1].Color != a.Color {
		t.Fatalf("after the paste %d strokes shown, want the rectangle and a new copy of it", len(shown))
	}
	// In the middle of the phone's view, selected (the bar shows for it).
	c := shown[1]
	cx, cy := p.onScreen(float64(c.Points[0].X+c.Points[1].X)/2, float64(c.Points[0].Y+c.Points[1].Y)/2)
	var win struct{ W, H float64 }
	p.eval(`({w: innerWidth, h: innerHeight})`, &win)
	if math.Abs(cx-win.W/2) > 2 || math.Abs(cy-win.H/2) > 2 {
		t.Errorf("the copy's middle is at (%.0f, %.0f) on the phone, want the view's middle (%.0f, %.0f)", cx, cy, win.W/2, win.H/2)
	}
	p.waitFor("the copy selected", `window.sketchpad.selected() === 1`)
	checkBar(t, p, "the copy selected", 44)

	// Undo takes the copy back, for both and in the server's picture.
	p.tapOn("undo")
	board = sameEverywhere(t, "paste undone", p, d, board, base, room)
	if got := visible(board); len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("after undoing the paste %d strokes shown, want the rectangle alone", len(got))
	}

	// A copy in another open tab of the site (its page posts it on the
	// tabs' channel, as this one did) is what Paste pastes next.
	// A channel made after the page's hears a message after it (in the order they were made).
	p.eval(`(() => {
		new BroadcastChannel('sketchpad-copy').onmessage = () => { window.otherTabCopied = true; };
		new BroadcastChannel('sketchpad-copy').postMessage('{"sketchpad":1,"strokes":[{"tool":6,"color":4278190335,"width":8,"points":[[0,0,0],[120,80,0]]}]}');
		return true;
	})()`, &offered)
	p.waitFor("the other tab's copy heard", `window.otherTabCopied === true`)
	p.tap(ex, ey)
	p.waitFor("nothing selected", `window.sketchpad.selected() === 0`)
	for _, m := range p.menusTo("paste") {
		p.tapOn(m)
	}
	p.tapOn("paste")
	board = sameEverywhere(t, "paste of another tab's copy", p, d, board, base, room)
	if got := visible(board); len(got) != 2 || got[1].Tool != canvas.ToolEllipse {
		t.Fatalf("after pasting the other tab's copy %d strokes shown, want the rectangle and its ellipse", len(got))
	}
}
