package e2e

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Follow the leader (issue 17): the follower's screen shows what the
// leader's shows, fitted to its own size (the same center, the zoom at
// which all of the leader's rectangle fits), follows the leader's pans and
// zooms, and stops on Escape or on any pan of the follower's own.

// shownRect is the board rectangle a page shows: its center and size in
// board units, from the page's view and its canvas.
type shownRect struct{ CX, CY, W, H, Scale float64 }

func (p *person) shown() shownRect {
	p.t.Helper()
	var r shownRect
	p.eval(`(() => {
		const v = window.sketchpad.view(), c = document.getElementById('board');
		const w = c.clientWidth / v.scale, h = c.clientHeight / v.scale;
		return { CX: (c.clientWidth / 2 - v.x) / v.scale, CY: (c.clientHeight / 2 - v.y) / v.scale, W: w, H: h, Scale: v.scale };
	})()`, &r)
	return r
}

// mirrors reports how far f's screen is from showing l's rectangle fitted:
// the centers' distance in board units and the zoom's relative error.
func mirrors(l, f shownRect, fw, fh float64) (dist, zoomErr float64) {
	want := math.Min(fw/l.W, fh/l.H)
	return math.Hypot(f.CX-l.CX, f.CY-l.CY), math.Abs(f.Scale-want) / want
}

// waitMirrors waits until f's screen shows l's rectangle fitted.
func waitMirrors(t *testing.T, what string, l, f *person) {
	t.Helper()
	var fw, fh float64
	f.eval(`document.getElementById('board').clientWidth`, &fw)
	f.eval(`document.getElementById('board').clientHeight`, &fh)
	lr := l.shown()
	want := math.Min(fw/lr.W, fh/lr.H)
	f.waitFor(what, fmt.Sprintf(`(() => {
		const v = window.sketchpad.view(), c = document.getElementById('board');
		const cx = (c.clientWidth / 2 - v.x) / v.scale, cy = (c.clientHeight / 2 - v.y) / v.scale;
		return Math.hypot(cx - %f, cy - %f) < 8 && Math.abs(v.scale - %g) / %g < 0.01;
	})()`, lr.CX, lr.CY, want, want))
	dist, zerr := mirrors(lr, f.shown(), fw, fh)
	t.Logf("%s: leader shows %.0f×%.0f board units around (%.0f, %.0f); follower %.1f units off center, zoom off by %.2f%%", what, lr.W, lr.H, lr.CX, lr.CY, dist, 100*zerr)
}

func TestAFollowerSeesTheLeadersViewFittedToItsScreenUntilEscape(t *testing.T) {
	base := startServer(t)
	// Two screens of different sizes and shapes: a desktop leader, a
	// portrait tablet follower.
	a := newPersonAt(t, "A", screen{name: "desktop", w: 1400, h: 900})
	b := newPersonAt(t, "B", screen{name: "tablet", w: 900, h: 1100})
	a.open(base + "/b/e2e-follow-view")
	b.open(base + "/b/e2e-follow-view")
	var authorA int
	a.eval(`window.sketchpad.author()`, &authorA)
	a.tool("pen")
	a.drag(line(500, 350, 900, 550, 20))
	settled(t, a, b)

	// A looks elsewhere, zoomed in, before B follows: B starts from A's view.
	a.eval(`(window.sketchpad.setView({scale: 0.5, x: -600, y: -300}), true)`, nil)
	b.waitFor("A in B's list", fmt.Sprintf(`!!document.querySelector('[data-testid="follow"][data-author="%d"]')`, authorA))
	b.run("follow A", chromedp.Click(fmt.Sprintf(`[data-testid="follow"][data-author="%d"]`, authorA), chromedp.ByQuery, chromedp.NodeVisible))
	b.waitFor("the follow pill", `!document.querySelector('[data-testid="following"]').hidden`)
	waitMirrors(t, "B follows A's view", a, b)

	// A pans and zooms out: B goes along, at B's own fit of A's screen.
	a.eval(`(window.sketchpad.setView({scale: 0.125, x: 300, y: 200}), true)`, nil)
	waitMirrors(t, "B follows A's zoom out", a, b)
	b.twoFrames()
	// A's stroke is on both screens, where each page's view puts it.
	var ax, ay float64
	b.eval(`(() => { const v = window.sketchpad.view(); return v.x + 700 * 4 * v.scale; })()`, &ax)
	b.eval(`(() => { const v = window.sketchpad.view(); return v.y + 450 * 4 * v.scale; })()`, &ay)
	if !b.inkAt(ax, ay) {
		t.Errorf("B's screen shows no ink at (%.0f, %.0f), where A's stroke is", ax, ay)
	}

	// Escape stops it: A moves again, B stays.
	b.keys(kb.Escape)
	b.waitFor("the pill gone", `document.querySelector('[data-testid="following"]').hidden`)
	before := b.shown()
	a.eval(`(window.sketchpad.setView({scale: 1, x: -5000, y: -4000}), true)`, nil)
	a.twoFrames()
	b.twoFrames()
	// The view goes out within a cursor interval; give it several.
	b.run("wait", chromedp.Evaluate(`new Promise(r => setTimeout(() => r(true), 400))`, nil, awaitPromise))
	if after := b.shown(); after != before {
		t.Errorf("after Escape B's view moved with A's: %+v, was %+v", after, before)
	}
}

// follow has f follow the person whose author number is a, from the people
// list (opened first when folded), and waits until f's screen mirrors l's.
func follow(t *testing.T, f, l *person, a int) {
	t.Helper()
	row := fmt.Sprintf(`[data-testid="follow"][data-author="%d"]`, a)
	f.waitFor("the leader in the list", `!!document.querySelector('`+row+`')`)
	f.run("follow", chromedp.Click(row, chromedp.ByQuery, chromedp.NodeVisible))
	f.waitFor("the follow pill", `!document.querySelector('[data-testid="following"]').hidden`)
	waitMirrors(t, "following", l, f)
}

// staysPut checks that f's view no longer goes along with l's: l moves far,
// f's view is where it was.
func staysPut(t *testing.T, what string, f, l *person, to string) {
	t.Helper()
	before := f.shown()
	l.eval(`(window.sketchpad.setView(`+to+`), true)`, nil)
	l.twoFrames()
	// The view goes out within a cursor interval; give it several.
	f.run("wait", chromedp.Evaluate(`new Promise(r => setTimeout(() => r(true), 400))`, nil, awaitPromise))
	f.twoFrames()
	if after := f.shown(); after != before {
		t.Errorf("%s the follower's view moved with the leader's: %+v, was %+v", what, after, before)
	}
}

func TestAFollowersOwnPanWithTheHandOrTheWheelStopsFollowing(t *testing.T) {
	base := startServer(t)
	a := newPersonAt(t, "A", screen{name: "desktop", w: 1400, h: 900})
	b := newPersonAt(t, "B", screen{name: "laptop", w: 1200, h: 800})
	a.open(base + "/b/e2e-follow-pan")
	b.open(base + "/b/e2e-follow-pan")
	var authorA int
	a.eval(`window.sketchpad.author()`, &authorA)
	a.eval(`(window.sketchpad.setView({scale: 0.5, x: -600, y: -300}), true)`, nil)

	// The hand tool's drag: B picks the hand while following (that alone
	// does not stop it), then drags the board.
	follow(t, b, a, authorA)
	b.tool("hand")
	a.eval(`(window.sketchpad.setView({scale: 0.25, x: 200, y: 100}), true)`, nil)
	waitMirrors(t, "B still follows A after picking the hand", a, b)
	b.drag(line(600, 400, 450, 300, 10))
	b.waitFor("the pill gone after a drag with the hand", `document.querySelector('[data-testid="following"]').hidden`)
	staysPut(t, "after a drag with the hand", b, a, `{scale: 1, x: -5000, y: -4000}`)

	// The wheel (a trackpad's two-finger scroll) pans, and stops it too.
	b.tool("pen")
	follow(t, b, a, authorA)
	b.run("wheel", chromedp.ActionFunc(func(ctx context.Context) error {
		return input.DispatchMouseEvent(input.MouseWheel, 600, 400).WithDeltaX(0).WithDeltaY(120).Do(ctx)
	}))
	b.waitFor("the pill gone after a wheel pan", `document.querySelector('[data-testid="following"]').hidden`)
	staysPut(t, "after a wheel pan", b, a, `{scale: 0.5, x: 3000, y: 2000}`)
}
