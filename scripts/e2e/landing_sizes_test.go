package e2e

import "testing"

// The rest of issue 17's landing list: a late joiner on a tablet and on a
// desktop (the phone: TestALateJoinerOnAPhoneLandsOnTheWholeDrawing) opens
// on the whole drawing, below the toolbar, with no ink under it.
func TestALateJoinerOnATabletAndADesktopLandsOnTheWholeDrawing(t *testing.T) {
	base := startServer(t)
	url := base + "/b/e2e-landing-sizes"
	a := newPerson(t, "A")
	a.open(url)
	drawWide(t, a)
	var seq int
	a.eval(`window.sketchpad.seq()`, &seq)
	b := a.board()
	if n := len(visible(b)); n != 3 {
		t.Fatalf("%d strokes drawn, want 3", n)
	}
	for _, s := range screens[1:] {
		p := newPersonAt(t, s.name, s)
		p.open(url)
		p.waitFor("the board on the "+s.name, `window.sketchpad.seq() >= `+itoa(seq))
		drawingOnScreen(t, p, b, s, "the "+s.name+"'s first screen")
	}
}
