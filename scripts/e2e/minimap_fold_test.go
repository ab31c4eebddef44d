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
	// Pixels of the map that are not its background (its first pixel): the drawing and the view's frame.
	const ink = `(() => { const c = document.querySelector('.minimap-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3]) n++; return n; })()`
	var folded bool
	p.eval(`document.querySelector('[data-testid="map-toggle"]').getAttribute('aria-expanded') === 'false'`, &folded)
	if !folded {
		t.Fatal("the map is not folded at first on a phone")
	}
	p.click("map-toggle")
	p.waitFor("the unfolded map showing the drawing", ink+` > 20`)
	p.eval(`(window.__map0 = document.querySelector('.minimap-canvas').toDataURL(), true)`, nil)

	// Folded again; strokes drawn far to the right meanwhile; unfolded: the map shows them.
	p.click("map-toggle")
	p.waitFor("the map folded", `document.querySelector('.minimap-canvas').offsetParent === null`)
	c2, _ := buildStrokes(t, base, room, 3, 12, 2, stroke(4000))
	p.waitFor("the strokes on the page", `window.sketchpad.seq() >= `+itoa(int(c2.Seq())))
	p.click("map-toggle")
	p.waitFor("the map showing what was drawn while it was folded", `document.querySelector('.minimap-canvas').toDataURL() !== window.__map0`)
}
