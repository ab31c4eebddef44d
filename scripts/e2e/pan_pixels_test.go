package e2e

import (
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// A page that panned shows the very pixels of a page painted afresh at the
// same view: a pan shifts the committed layer by whole device pixels and
// repaints only the strips that came into view, and the highlighters'
// layer, left alone by pans while the board has none, takes the first one
// drawn after them (render/layer.ts).
func TestAPannedPageShowsWhatAPagePaintedAfreshShows(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-pan-pixels")
	board := canvas.NewBoard(0)
	pan := func(p *person, dx, dy string) {
		for range 10 {
			p.eval(`(() => { const v = window.sketchpad.view(); window.sketchpad.setView({scale: v.scale, x: v.x + `+dx+`, y: v.y + `+dy+`}); return true; })()`, nil)
			time.Sleep(40 * time.Millisecond)
		}
	}
	pen := waveIn(140, 600, 250, 60, 60)
	a.tool("pen")
	a.drag(pen)
	board, _ = drew(t, "pen", a, b, board, around(pen, 24), true)

	// Panned with no highlighter on the board, then one drawn, then panned again.
	pan(a, "20", "15")
	a.tool("highlighter")
	a.drag(line(300, 420, 700, 420, 40))
	board, _ = drew(t, "highlighter", a, b, board, region{0, 0, 1, 1}, false)
	pan(a, "-15", "-10")
	a.tool("pen")
	a.drag(line(250, 300, 750, 480, 40))
	drew(t, "second pen stroke", a, b, board, region{0, 0, 1, 1}, false)
	pan(a, "12", "-9")

	// B paints the board afresh at A's view: another zoom first, then A's view.
	var view string
	a.eval(`JSON.stringify(window.sketchpad.view())`, &view)
	b.eval(`(() => { const v = window.sketchpad.view(); window.sketchpad.setView({scale: v.scale / 2, x: v.x, y: v.y}); return true; })()`, nil)
	time.Sleep(400 * time.Millisecond)
	b.eval(`(() => { window.sketchpad.setView(`+view+`); return true; })()`, nil)
	b.waitFor("B at A's view", `JSON.stringify(window.sketchpad.view()) === `+"`"+view+"`")
	time.Sleep(400 * time.Millisecond) // the zoom's settle repaint
	if ink := samePixels(t, "after the pans", region{0, 0, 1000, 557}, a, b); ink < 1000 {
		t.Fatalf("only %d ink pixels on the pages after the pans", ink)
	}
	// The highlighter alone, away from both pen strokes, where the pans took it.
	for name, p := range map[string]*person{"A (panned)": a, "B (painted afresh)": b} {
		if !p.inkAt(285, 230) {
			t.Errorf("%s: the highlighter does not show at (285, 230)", name)
		}
	}
}
