package e2e

import (
	"math/rand/v2"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// The minimap is folded away at first on a phone (ui/corner), and while it
// is the page does not paint it; it learns it is shown again from the
// browser's layout (a ResizeObserver, ui/minimap), not by asking in every
// frame. Unfolded, it shows the drawing, and what was drawn while it was
// folded.
func TestTheFoldedMapShowsTheDrawingOnceUnfolded(t *testing.T) {
	base := startApp(t, &config.Config{DataDir: t.TempDir()})
	const room = "e2e-map-fold"
	stroke := func(x0 int32) func(r *rand.Rand) []canvas.Point {
		return func(r *rand.Rand) []canvas.Point {
			pts := make([]canvas.Point, 12)
			for i := range pts {
				pts[i] = canvas.Point{X: x0 + int32(i)*40, Y: int32(r.IntN(200))}
			}
			return pts
		}
	}
	c, _ := buildStrokes(t, base, room, 3, 12, 1, stroke(0))
	p := newPersonAt(t, "P", screens[0]) // the phone: the map folded at first
	p.open(base + "/b/" + room)
	p.waitFor("the board", `window.sketchpad.status() === 'live' && window.sketchpad.seq() >= `+itoa(int(c.Seq())))
	// The map's dark pixels (the strokes are near black; its background and
	// the view's frame are not) by column: how many, and the widest run of
	// columns without any between the first and the last that has some.
	const ink = `(() => { const c = document.querySelector('.minimap-canvas'); const w = c.width, h = c.height;
		const d = c.getContext('2d').getImageData(0, 0, w, h).data; const cols = new Array(w).fill(0); let n = 0;
		for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const i = (y * w + x) * 4; if (d[i + 3] > 200 && Math.max(d[i], d[i + 1], d[i + 2]) < 110) { cols[x]++; n++; } }
		const inked = cols.map((v, x) => v > 0 ? x : -1).filter((x) => x >= 0); let gap = 0, run = 0;
		for (let x = inked[0] ?? 0; x <= (inked[inked.length - 1] ?? -1); x++) { run = cols[x] ? 0 : run + 1; gap = Math.max(gap, run); }
		return { N: n, Gap: gap / w }; })()`
	type inkT struct{ N, Gap float64 }
	var folded bool
	p.eval(`document.querySelector('[data-testid="map-toggle"]').getAttribute('aria-expanded') === 'false'`, &folded)
	if !folded {
		t.Fatal("the map is not folded at first on a phone")
	}
	p.click("map-toggle")
	p.waitFor("the unfolded map showing the drawing", ink+`.N > 30`)
	var first inkT
	p.eval(ink, &first)
	if first.Gap > 0.2 {
		t.Errorf("the map shows a gap of %.0f %% of its width in strokes drawn side by side", first.Gap*100)
	}

	// Folded again; strokes drawn far to the right meanwhile; unfolded: the
	// map shows both groups, a wide empty stretch between them.
	p.click("map-toggle")
	p.waitFor("the map folded", `document.querySelector('.minimap-canvas').offsetParent === null`)
	c2, _ := buildStrokes(t, base, room, 3, 12, 2, stroke(4000))
	p.waitFor("the strokes on the page", `window.sketchpad.seq() >= `+itoa(int(c2.Seq())))
	p.click("map-toggle")
	p.waitFor("the map showing what was drawn while it was folded", ink+`.Gap > 0.4`)
}
