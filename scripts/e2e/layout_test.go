package e2e

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
)

// The page's layout on three screens: the toolbar's one row, panels that
// fold, and landing on the drawing (issue 17).

// screens are the sizes the toolbar is designed for.
var screens = []screen{
	{name: "phone", w: 390, h: 844, touch: true},
	{name: "tablet", w: 768, h: 1024},
	{name: "desktop", w: 1400, h: 900},
}

// control is a control's place on the screen.
type control struct {
	ID               string
	X, Y, W, H       float64
	Bar              bool // in the toolbar's row (not in an open menu)
	Inside, Obscured bool
}

// controlsJS lists the visible controls (buttons, inputs, selects) of the
// top row and of its open menus and popovers, with their boxes.
const controlsJS = `(() => {
	const out = [];
	for (const el of document.querySelectorAll('.top button, .top input, .top select')) {
		if (el.offsetParent === null || getComputedStyle(el).visibility === 'hidden') continue;
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) continue;
		const id = el.dataset.testid || el.getAttribute('aria-label') || el.tagName;
		const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
		const hit = document.elementFromPoint(Math.min(innerWidth - 1, Math.max(0, cx)), Math.min(innerHeight - 1, Math.max(0, cy)));
		out.push({
			ID: id, X: r.left, Y: r.top, W: r.width, H: r.height,
			Bar: !el.closest('.popover'),
			Inside: r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5,
			Obscured: !(hit === el || el.contains(hit) || (hit && hit.closest('label') && hit.closest('label').contains(el))),
		});
	}
	return out;
})()`

// checkControls fails the test for a control outside the window, covered,
// or (on a touch screen) smaller than 44 × 44 CSS pixels.
func checkControls(t *testing.T, p *person, s screen, what string) []control {
	t.Helper()
	var cs []control
	p.eval(controlsJS, &cs)
	for _, c := range cs {
		if !c.Inside {
			t.Errorf("%s, %s: %s at (%.0f, %.0f) %.0f×%.0f is not inside the %d×%d window", s.name, what, c.ID, c.X, c.Y, c.W, c.H, s.w, s.h)
		}
		if c.Obscured {
			t.Errorf("%s, %s: %s is covered by something else", s.name, what, c.ID)
		}
		if s.touch && (c.W < 44 || c.H < 44) {
			t.Errorf("%s, %s: %s is %.0f×%.0f CSS pixels, under the 44×44 a finger needs", s.name, what, c.ID, c.W, c.H)
		}
	}
	return cs
}

func TestEveryToolbarControlIsReachableInOneRowOnAPhoneATabletAndADesktop(t *testing.T) {
	base := startServer(t)
	for _, s := range screens {
		t.Run(s.name, func(t *testing.T) {
			p := newPersonAt(t, s.name, s)
			p.open(base + "/b/e2e-toolbar-" + s.name)
			var coarse bool
			p.eval(`matchMedia('(pointer: coarse)').matches`, &coarse)
			if coarse != s.touch {
				t.Fatalf("pointer: coarse is %v, want %v", coarse, s.touch)
			}
			var page struct{ ScrollW, InnerW, RowH, BtnH, RowRight, PeopleLeft float64 }
			p.eval(`(() => {
				const tb = document.querySelector('.toolbar').getBoundingClientRect();
				return {
					ScrollW: document.documentElement.scrollWidth, InnerW: innerWidth,
					RowH: tb.height, BtnH: document.querySelector('[data-testid="tool-pen"]').getBoundingClientRect().height,
					RowRight: tb.right, PeopleLeft: document.querySelector('[data-testid="people-toggle"]').getBoundingClientRect().left,
				};
			})()`, &page)
			if page.ScrollW > page.InnerW {
				t.Errorf("the page scrolls sideways: %v wide in a %v window", page.ScrollW, page.InnerW)
			}
			// One row: the toolbar is one button high (plus its padding).
			if page.RowH > page.BtnH+12 {
				t.Errorf("the toolbar is %.0f px high with %.0f px buttons: more than one row", page.RowH, page.BtnH)
			}
			if page.RowRight > page.PeopleLeft {
				t.Errorf("the toolbar (right edge %.0f) runs under the people button (left edge %.0f)", page.RowRight, page.PeopleLeft)
			}
			// No orphan dividers: every group shown holds a control shown, and
			// the first group shown has no divider before it.
			var groups []struct {
				Controls int
				Divider  bool
			}
			p.eval(`[...document.querySelectorAll('.toolbar > .tb-group')].filter((g) => g.offsetParent !== null).map((g) => ({
				Controls: [...g.querySelectorAll('button, input')].filter((c) => c.offsetParent !== null && !c.closest('.popover')).length,
				Divider: parseFloat(getComputedStyle(g).borderLeftWidth) > 0,
			}))`, &groups)
			for i, g := range groups {
				if g.Controls == 0 {
					t.Errorf("group %d of the toolbar shows nothing (an orphan divider)", i)
				}
				if (i == 0) == g.Divider {
					t.Errorf("group %d of the toolbar: divider %v", i, g.Divider)
				}
			}
			bar := checkControls(t, p, s, "the toolbar")
			ids := map[string]bool{}
			for _, c := range bar {
				ids[c.ID] = true
				if c.ID != "people-toggle" && math.Abs(c.Y+c.H/2-(bar[0].Y+bar[0].H/2)) > 1 {
					t.Errorf("%s is not in the toolbar's row (y %.0f)", c.ID, c.Y)
				}
			}
			for _, want := range []string{"tool-pen", "tool-eraser", "undo", "redo", "style"} {
				if !ids[want] {
					t.Errorf("%s is not in the toolbar's row: %v", want, ids)
				}
			}
			shot(t, p, s.name+"-toolbar")

			// Every menu of the row opens inside the window with its
			// controls reachable; each control is somewhere.
			for _, m := range []string{"more", "style", "share"} {
				var shown bool
				p.eval(`(() => { const b = document.querySelector('[data-testid="`+m+`"]'); return !!b && b.offsetParent !== null; })()`, &shown)
				if !shown && m == "more" {
					continue // everything fits in the row
				}
				p.click(m)
				p.waitFor("the menu "+m+" open", `document.querySelector('[data-testid="`+m+`"]').getAttribute('aria-expanded') === 'true'`)
				for _, c := range checkControls(t, p, s, "the menu "+m) {
					ids[c.ID] = true
				}
				shot(t, p, s.name+"-menu-"+m)
				p.keys("\x1b")
				p.waitFor("the menu "+m+" closed", `document.querySelector('[data-testid="`+m+`"]').getAttribute('aria-expanded') === 'false'`)
			}
			for _, want := range []string{"tool-select", "tool-lasso", "tool-hand", "tool-highlighter", "tool-partial-eraser", "tool-line", "tool-arrow",
				"tool-rect", "tool-ellipse", "tool-text", "clear", "share", "help", "theme", "color-red", "opacity", "width-32", "export-png"} {
				if !ids[want] {
					t.Errorf("%s is in neither the toolbar's row nor its menus", want)
				}
			}

			// Choosing tools never moves undo, redo or clear; the erasers
			// offer no color and no opacity.
			undoX := func() float64 {
				var x float64
				p.eval(`document.querySelector('[data-testid="undo"]').getBoundingClientRect().left`, &x)
				return x
			}
			x0 := undoX()
			for _, tool := range []string{"rect", "eraser", "text", "partial-eraser", "pen"} {
				p.tool(tool)
				if x := undoX(); x != x0 {
					t.Errorf("choosing %s moved undo from x %.0f to %.0f", tool, x0, x)
				}
			}
			p.tool("eraser")
			var styleShown bool
			p.eval(`document.querySelector('[data-testid="style"]').offsetParent !== null`, &styleShown)
			if styleShown {
				t.Error("the stroke eraser shows a style menu")
			}
			p.tool("partial-eraser")
			p.click("style")
			var parts struct{ Color, Opacity, Width bool }
			p.eval(`(() => {
				const vis = (id) => document.querySelector('[data-testid="' + id + '"]').offsetParent !== null;
				return { Color: vis('color-red'), Opacity: vis('opacity'), Width: vis('width-32') };
			})()`, &parts)
			if parts.Color || parts.Opacity || !parts.Width {
				t.Errorf("the partial eraser's style menu: %+v, want a width only", parts)
			}
			p.keys("\x1b")

			// The help fits the screen and scrolls inside itself.
			p.click("help")
			var help struct {
				Top, Bottom, Left, Right float64
				ScrollW, ClientW         float64
				ScrollH, ClientH         float64
			}
			p.eval(`(() => {
				const e = document.querySelector('[data-testid="help-panel"]'), r = e.getBoundingClientRect();
				return { Top: r.top, Bottom: r.bottom, Left: r.left, Right: r.right, ScrollW: e.scrollWidth, ClientW: e.clientWidth, ScrollH: e.scrollHeight, ClientH: e.clientHeight };
			})()`, &help)
			if help.Top < 0 || help.Left < 0 || help.Bottom > float64(s.h) || help.Right > float64(s.w) {
				t.Errorf("the help panel %+v does not fit the %d×%d window", help, s.w, s.h)
			}
			if help.ScrollW > help.ClientW {
				t.Errorf("the help panel scrolls sideways: %.0f px of content in %.0f", help.ScrollW, help.ClientW)
			}
			t.Logf("%s: the help panel shows %.0f of its %.0f px (it scrolls inside itself)", s.name, help.ClientH, help.ScrollH)
			shot(t, p, s.name+"-help")
			p.keys("\x1b")

			// The people panel and the map fold; folded at first on a phone.
			var folded struct{ People, Map bool }
			p.eval(`({ People: document.querySelector('.people').hidden, Map: document.querySelector('[data-testid="map-toggle"]').getAttribute('aria-expanded') === 'false' })`, &folded)
			if folded.People != s.touch || folded.Map != s.touch {
				t.Errorf("folded at first: %+v, want %v", folded, s.touch)
			}
			p.click("people-toggle")
			p.click("map-toggle")
			p.eval(`({ People: document.querySelector('.people').hidden, Map: document.querySelector('[data-testid="map-toggle"]').getAttribute('aria-expanded') === 'false' })`, &folded)
			if folded.People == s.touch || folded.Map == s.touch {
				t.Errorf("after the toggles: %+v", folded)
			}
			// The people panel (open now on every screen) shows all of its
			// name row, and the color button is finger-sized on a phone.
			if !s.touch {
				p.click("people-toggle")
			}
			var panel struct{ ScrollW, ClientW, ColorW, ColorH float64 }
			p.eval(`(() => { const e = document.querySelector('.people'), c = document.querySelector('[data-testid="my-color"]').getBoundingClientRect();
				return {ScrollW: e.scrollWidth, ClientW: e.clientWidth, ColorW: c.width, ColorH: c.height}; })()`, &panel)
			if panel.ScrollW > panel.ClientW+1 {
				t.Errorf("the people panel holds %.0f px of content in %.0f", panel.ScrollW, panel.ClientW)
			}
			if s.touch && (panel.ColorW < 44 || panel.ColorH < 44) {
				t.Errorf("the color button is %.0f×%.0f on a phone", panel.ColorW, panel.ColorH)
			}
			if !s.touch {
				p.click("people-toggle")
			}
			// The folds are remembered: a reload keeps them as the person left them.
			p.run("reload", chromedp.Reload())
			p.waitFor("the page live again", `window.sketchpad && window.sketchpad.status() === 'live'`)
			p.eval(`({ People: document.querySelector('.people').hidden, Map: document.querySelector('[data-testid="map-toggle"]').getAttribute('aria-expanded') === 'false' })`, &folded)
			if folded.People == s.touch || folded.Map == s.touch {
				t.Errorf("after a reload the folds are %+v, not as left (people and map folded: %v)", folded, !s.touch)
			}
			// The corner's controls (the map button, the zoom bar) are touch-sized too.
			if s.touch {
				var small []string
				p.eval(`[...document.querySelectorAll('.corner button')].filter((b) => b.offsetParent !== null).filter((b) => {
					const r = b.getBoundingClientRect();
					return r.width < 44 || r.height < 44 || r.right > innerWidth || r.bottom > innerHeight;
				}).map((b) => b.dataset.testid + ' ' + Math.round(b.getBoundingClientRect().width) + '×' + Math.round(b.getBoundingClientRect().height))`, &small)
				if len(small) > 0 {
					t.Errorf("corner controls under 44×44 or outside the window on a phone: %v", small)
				}
			}
		})
	}
}

// shot saves a screenshot when SKETCHPAD_E2E_SHOTS names a directory.
func shot(t *testing.T, p *person, name string) {
	if dir := os.Getenv("SKETCHPAD_E2E_SHOTS"); dir != "" {
		p.screenshot(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+name+".png"))
	}
}

// inkBounds is the board rectangle (board units) the visible strokes' points span.
func inkBounds(b *canvas.Board) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range visible(b) {
		for _, pt := range s.Points {
			minX, maxX = math.Min(minX, float64(pt.X)), math.Max(maxX, float64(pt.X))
			minY, maxY = math.Min(minY, float64(pt.Y)), math.Max(maxY, float64(pt.Y))
		}
	}
	return
}

// pageView is window.sketchpad.view().
type pageView struct{ Scale, X, Y, Zoom float64 }

func (p *person) view() pageView {
	p.t.Helper()
	var v pageView
	p.eval(`window.sketchpad.view()`, &v)
	return v
}

// toolbarBox is the top row's box (the toolbar and the people button), CSS pixels.
func (p *person) toolbarBox() region {
	p.t.Helper()
	var r struct{ L, T, R, B float64 }
	p.eval(`(() => { const r = document.querySelector('.toolbar').getBoundingClientRect(); return { L: r.left, T: r.top, R: r.right, B: r.bottom }; })()`, &r)
	return region{int(math.Floor(r.L)), int(math.Floor(r.T)), int(math.Ceil(r.R)), int(math.Ceil(r.B))}
}

// drawingOnScreen checks that the whole drawing of board b shows on p's
// screen below its toolbar, and that no ink lies under the toolbar.
func drawingOnScreen(t *testing.T, p *person, b *canvas.Board, s screen, what string) {
	t.Helper()
	minX, minY, maxX, maxY := inkBounds(b)
	v := p.view()
	tb := p.toolbarBox()
	sx0, sy0 := minX*v.Scale+v.X, minY*v.Scale+v.Y
	sx1, sy1 := maxX*v.Scale+v.X, maxY*v.Scale+v.Y
	if sx0 < 0 || sx1 > float64(s.w) || sy0 <= float64(tb.y1) || sy1 > float64(s.h) {
		t.Errorf("%s: the drawing spans (%.0f, %.0f)-(%.0f, %.0f) on the %d×%d screen (zoom %.3f), not all of it below the toolbar (bottom %d)",
			what, sx0, sy0, sx1, sy1, s.w, s.h, v.Zoom, tb.y1)
	}
	free := region{0, tb.y1, int(s.w), int(s.h)}
	p.waitFor(what+": ink below the toolbar", fmt.Sprintf(`(() => {
		const c = document.querySelector('canvas#board'), k = c.width / c.getBoundingClientRect().width;
		const d = c.getContext('2d').getImageData(0, Math.round(%d * k), c.width, Math.round(%d * k)).data;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 24) return true;
		return false;
	})()`, free.y0, free.y1-free.y0))
	// The view changed: the canvas shows it from the next frame on.
	p.run("two frames", chromedp.Evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, nil, awaitEmbedPromise))
	if n := p.regionPixels(tb).ink(); n > 0 {
		t.Errorf("%s: %d pixels of ink under the toolbar %v", what, n, tb)
	}
}

// drawWide has a (a newPerson window) draw a drawing wider and taller than
// its window: strokes across it, a pan, more strokes.
func drawWide(t *testing.T, a *person) {
	t.Helper()
	a.drag(line(60, 200, 940, 260, 40))
	a.drag(line(100, 500, 900, 120, 40))
	a.eval(`(() => { const v = window.sketchpad.view(); window.sketchpad.setView({scale: v.scale, x: v.x - 900, y: v.y - 300}); return true; })()`, nil)
	a.drag(line(100, 300, 900, 500, 40))
	settled(t, a)
}

func TestALateJoinerOnAPhoneLandsOnTheWholeDrawing(t *testing.T) {
	base := startServer(t)
	url := base + "/b/e2e-landing"
	a := newPerson(t, "A")
	a.open(url)
	drawWide(t, a)
	var seq int
	a.eval(`window.sketchpad.seq()`, &seq)
	b := a.board()
	if n := len(visible(b)); n != 3 {
		t.Fatalf("%d strokes drawn, want 3", n)
	}

	phone := screens[0]
	p := newPersonAt(t, "phone", phone)
	p.open(url)
	p.waitFor("the board on the phone", `window.sketchpad.seq() >= `+itoa(seq))
	p.waitFor("the phone's view moved to the drawing", `window.sketchpad.view().zoom < 1`)
	drawingOnScreen(t, p, b, phone, "the phone's first screen")
	time.Sleep(400 * time.Millisecond)
	var lost bool
	p.eval(`!document.querySelector('[data-testid="back-to-content"]').hidden`, &lost)
	if lost {
		t.Error("the phone offers to go back to content while it shows the drawing")
	}
	shot(t, p, "landed")

	// Far away: the "Back to content" button shows, and brings the drawing back.
	p.eval(`(window.sketchpad.setView({scale: 0.25, x: 1e6, y: 1e6}), true)`, nil)
	p.waitFor("the Back to content button", `!document.querySelector('[data-testid="back-to-content"]').hidden`)
	p.click("back-to-content")
	drawingOnScreen(t, p, b, phone, "after Back to content")
	p.waitFor("the Back to content button gone", `document.querySelector('[data-testid="back-to-content"]').hidden`)
}

func TestAfterFitNoInkLiesUnderTheToolbar(t *testing.T) {
	base := startServer(t)
	url := base + "/b/e2e-fit"
	desktop := screens[2]
	a := newPersonAt(t, "A", desktop)
	a.open(url)
	a.drag(line(100, 120, 1300, 140, 40))
	a.drag(line(200, 800, 1200, 100, 40))
	settled(t, a)
	b := a.board()
	// Ink under the toolbar: the view moved up.
	a.eval(`(() => { const v = window.sketchpad.view(); window.sketchpad.setView({scale: v.scale, x: v.x, y: v.y - 100}); return true; })()`, nil)
	a.keys("!", input.ModifierShift) // Shift+1
	a.waitFor("the fit", `window.sketchpad.view().y > -50`)
	drawingOnScreen(t, a, b, desktop, "after Shift+1")

	// The zoom bar's fit does the same, on a phone too.
	phone := screens[0]
	p := newPersonAt(t, "phone", phone)
	p.open(url)
	p.eval(`(window.sketchpad.setView({scale: 0.25, x: 0, y: -300}), true)`, nil)
	p.click("map-toggle") // folded at first on a phone
	p.click("zoom-fit")
	p.waitFor("the fit", `window.sketchpad.view().zoom < 0.5`)
	drawingOnScreen(t, p, b, phone, "after the zoom bar's fit")
}

func TestAReturnVisitRestoresTheLastView(t *testing.T) {
	base := startServer(t)
	url := base + "/b/e2e-return"
	a := newPerson(t, "A")
	a.open(url)
	drawWide(t, a)
	want := pageView{Scale: 0.5, X: -123, Y: 45}
	a.eval(`(window.sketchpad.setView({scale: 0.5, x: -123, y: 45}), true)`, nil)
	time.Sleep(500 * time.Millisecond) // the view is remembered within 300 ms
	a.run("reload", chromedp.Reload())
	a.waitFor("the page live again", `window.sketchpad && window.sketchpad.status() === 'live'`)
	time.Sleep(300 * time.Millisecond) // a first visit would fit by now
	if v := a.view(); v.Scale != want.Scale || v.X != want.X || v.Y != want.Y {
		t.Errorf("after a reload the view is %+v, want %+v", v, want)
	}
	var entry string
	a.eval(`localStorage.getItem('sketchpad.views.v2')`, &entry)
	if len(entry) == 0 || len(entry) > 4096 {
		t.Errorf("the remembered views: %d bytes", len(entry))
	}
}
