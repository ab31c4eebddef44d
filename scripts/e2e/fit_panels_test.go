package e2e

import (
	"math"
	"testing"
)

// Fit and landing leave the panels free (issue 17): with the people panel
// and the map open, a late joiner's first screen and a press of fit put no
// ink under either, on a phone, a tablet and a desktop. The drawing is a
// frame the shape of the screen, bigger than the screen at 100%: fitted to
// the whole window its right side would run under both panels.

// frame is a closed path around the w × h rectangle centered on (cx, cy),
// n points a side.
func frame(cx, cy, w, h float64, n int) [][2]float64 {
	x0, y0, x1, y1 := cx-w/2, cy-h/2, cx+w/2, cy+h/2
	pts := line(x0, y0, x1, y0, n)
	pts = append(pts, line(x1, y0, x1, y1, n)[1:]...)
	pts = append(pts, line(x1, y1, x0, y1, n)[1:]...)
	return append(pts, line(x0, y1, x0, y0, n)[1:]...)
}

// panelBoxes are the screen boxes of the open people panel and of the
// corner (the map and the zoom bar), CSS pixels; the test fails if either
// is not shown.
func panelBoxes(t *testing.T, p *person) map[string]region {
	t.Helper()
	var got map[string]struct {
		L, T, R, B float64
		Shown      bool
	}
	p.eval(`(() => {
		const box = (sel) => { const e = document.querySelector(sel), r = e.getBoundingClientRect();
			return { L: r.left, T: r.top, R: r.right, B: r.bottom, Shown: e.offsetParent !== null && !e.hidden && r.width > 0 }; };
		return { people: box('.people'), map: box('.minimap-canvas'), corner: box('.corner') };
	})()`, &got)
	out := map[string]region{}
	for name, b := range got {
		if !b.Shown {
			t.Fatalf("the %s is not shown", name)
		}
		out[name] = region{int(math.Floor(b.L)), int(math.Floor(b.T)), int(math.Ceil(b.R)), int(math.Ceil(b.B))}
	}
	return out
}

// noInkUnderPanels waits for p's screen to show ink, then fails the test for
// ink under the people panel or the corner.
func noInkUnderPanels(t *testing.T, p *person, s screen, what string) {
	t.Helper()
	p.waitFor(what+": ink on the screen", `(() => {
		const c = document.querySelector('canvas#board');
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 24) return true;
		return false;
	})()`)
	p.twoFrames()
	for name, r := range panelBoxes(t, p) {
		if n := p.regionPixels(r).ink(); n > 0 {
			t.Errorf("%s, %s: %d pixels of ink under the %s %v (zoom %.3f)", s.name, what, n, name, r, p.view().Zoom)
		}
	}
	shot(t, p, what)
}

func TestFitAndLandingPutNoInkUnderThePeoplePanelOrTheMap(t *testing.T) {
	base := startServer(t)
	for _, s := range screens {
		t.Run(s.name, func(t *testing.T) {
			url := base + "/b/e2e-fit-panels-" + s.name
			// A draws the frame zoomed out, with its panels folded (the
			// frame's right side would otherwise pass under them).
			a := newPersonAt(t, "A", s)
			a.remember(base, `{"folds":{"people":true,"map":true}}`)
			a.open(url)
			a.eval(`(window.sketchpad.setView({scale: 0.0625, x: 0, y: 0}), true)`, nil) // 25%
			a.tool("pen")
			w, h := float64(s.w), float64(s.h)
			a.drag(frame(w/2, h/2+20, w*0.6, h*0.6, 12))
			settled(t, a)
			var seq int
			a.eval(`window.sketchpad.seq()`, &seq)

			// A late joiner with both panels open lands on the frame.
			p := newPersonAt(t, "late", s)
			p.remember(base, `{"folds":{"people":false,"map":false}}`)
			p.open(url)
			p.waitFor("the board", `window.sketchpad.seq() >= `+itoa(seq))
			p.waitFor("the landing", `window.sketchpad.view().zoom < 0.5`)
			noInkUnderPanels(t, p, s, "landing")

			// Elsewhere, then fit from the zoom bar.
			p.eval(`(window.sketchpad.setView({scale: 0.25, x: 500, y: 500}), true)`, nil)
			p.click("zoom-fit")
			p.waitFor("the fit", `window.sketchpad.view().zoom < 0.5`)
			noInkUnderPanels(t, p, s, "fit")
		})
	}
}
