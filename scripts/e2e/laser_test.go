package e2e

import (
	"fmt"
	"testing"
)

// laserJS is how much of p's laser overlay is showing: its live points and
// its painted pixels.
const laserJS = `(() => {
	const c = document.querySelector('[data-testid="lasers"]');
	if (!c || !c.width || !c.height) return {points: 0, pixels: 0};
	const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
	let n = 0;
	for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
	return {points: +c.dataset.points, pixels: n};
})()`

// One person points with the laser (K): the other sees the trail, and it
// fades away; nothing is drawn on the board, numbered or kept.
func TestALaserTrailShowsOnTheOtherPageAndFades(t *testing.T) {
	a, b, base := twoPages(t, "e2e-laser")
	var seq int
	a.eval(`window.sketchpad.seq()`, &seq)
	a.keys("k")
	a.waitFor("the laser tool pressed", `document.querySelector('[data-testid="tool-laser"]').getAttribute('aria-pressed') === 'true'`)
	a.drag(line(200, 300, 600, 340, 60))

	b.waitFor("A's laser trail on B's page", fmt.Sprintf(`(() => { const s = %s; return s.points > 5 && s.pixels > 200; })()`, laserJS))
	b.waitFor("A's laser trail to fade on B's page", fmt.Sprintf(`(() => { const s = %s; return s.points === 0 && s.pixels === 0; })()`, laserJS))
	a.waitFor("A's own trail to fade", fmt.Sprintf(`(() => { const s = %s; return s.points === 0 && s.pixels === 0; })()`, laserJS))

	// Nothing of it is on the board: no op, no stroke, no ink, for those
	// here and for a late joiner.
	for name, p := range map[string]*person{"A": a, "B": b} {
		var now int
		p.eval(`window.sketchpad.seq()`, &now)
		if now != seq {
			t.Errorf("%s: the board went from seq %d to %d", name, seq, now)
		}
		if n := len(p.board().Strokes()); n != 0 {
			t.Errorf("%s: %d strokes on the board after a laser", name, n)
		}
		if p.inkAt(400, 320) {
			t.Errorf("%s: ink where the laser went", name)
		}
	}
	c := newPerson(t, "C")
	c.open(base + "/b/e2e-laser")
	if n := len(c.board().Strokes()); n != 0 {
		t.Errorf("a late joiner got %d strokes", n)
	}
}
