package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// lassoDrag draws a loop through pts with the left button held, checks
// the page shows the dashed loop while the button is down and selects
// nothing until it is released, then releases.
func lassoDrag(t *testing.T, p *person, pts [][2]float64) {
	t.Helper()
	var during struct {
		Shown    bool
		Dashed   bool
		Points   int
		Selected int
	}
	p.run("lasso", chromedp.ActionFunc(func(ctx context.Context) error {
		first := pts[0]
		if err := input.DispatchMouseEvent(input.MouseMoved, first[0], first[1]).Do(ctx); err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, first[0], first[1]).
			WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for _, pt := range pts[1:] {
			if err := input.DispatchMouseEvent(input.MouseMoved, pt[0], pt[1]).
				WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			time.Sleep(4 * time.Millisecond)
		}
		// Let a frame draw the loop, then look at it with the button still down.
		if err := chromedp.Poll(`(() => { const l = document.querySelector('[data-testid="lasso"]'); return !!l && l.style.display !== 'none'; })()`, nil,
			chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)).Do(ctx); err != nil {
			return err
		}
		if err := chromedp.Evaluate(`(() => {
			const l = document.querySelector('[data-testid="lasso"]');
			const poly = l.querySelector('polygon');
			return {
				shown: l.getBoundingClientRect().width > 0,
				dashed: getComputedStyle(poly).strokeDasharray !== 'none',
				points: poly.points.numberOfItems,
				selected: window.sketchpad.selected(),
			};
		})()`, &during).Do(ctx); err != nil {
			return err
		}
		last := pts[len(pts)-1]
		return input.DispatchMouseEvent(input.MouseReleased, last[0], last[1]).
			WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
	}))
	if !during.Shown || !during.Dashed || during.Points < 4 {
		t.Fatalf("while lassoing: the loop is shown %v, dashed %v, with %d points; want a dashed loop", during.Shown, during.Dashed, during.Points)
	}
	if during.Selected != 0 {
		t.Errorf("while lassoing: %d selected; want none until the release", during.Selected)
	}
	p.waitFor("the loop gone after the release", `document.querySelector('[data-testid="lasso"]').style.display === 'none'`)
}

// loop is a closed path around the rectangle (x0, y0)-(x1, y1), n points a side.
func loop(x0, y0, x1, y1 float64, n int) [][2]float64 {
	var pts [][2]float64
	pts = append(pts, line(x0, y0, x1, y0, n)...)
	pts = append(pts, line(x1, y0, x1, y1, n)[1:]...)
	pts = append(pts, line(x1, y1, x0, y1, n)[1:]...)
	return append(pts, line(x0, y1, x0, y0, n)[1:]...)
}

// firstPoints returns each visible stroke's first point, by stroke.
func firstPoints(b *canvas.Board) map[string]canvas.Point {
	out := map[string]canvas.Point{}
	for _, s := range visible(b) {
		out[strokeKey(s.ID)] = s.Points[0]
	}
	return out
}

// A draws three strokes, picks the lasso from the toolbar, loops around
// two of them: the dashed loop shows while drawn and those two are
// selected on release. A drags them: B and the server's /b/{room}.svg see
// exactly those two moved, the third where it was. The lasso's key
// (Shift+V) and a second loop around the moved two, then Delete: exactly
// those two are gone for everyone.
func TestLassoSelectsWhatTheLoopEncloses(t *testing.T) {
	room := "e2e-lasso"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)

	a.tool("pen")
	a.drag(waveIn(220, 480, 200, 15, 30))
	a.drag(waveIn(220, 480, 290, 15, 30))
	a.drag(waveIn(220, 480, 420, 15, 30))
	board = seenByAll(t, "three strokes", a, b, board, base, room)
	if n := len(visible(board)); n != 3 {
		t.Fatalf("%d strokes drawn, want 3", n)
	}
	drawn := firstPoints(board)
	// The two upper strokes, in z-order: the first two drawn.
	var upper, lower []string
	for i, s := range visible(board) {
		if i < 2 {
			upper = append(upper, strokeKey(s.ID))
		} else {
			lower = append(lower, strokeKey(s.ID))
		}
	}

	a.tool("lasso")
	lassoDrag(t, a, loop(180, 150, 530, 350, 20))
	a.waitFor("the two upper strokes selected", `window.sketchpad.selected() === 2`)

	// Drag them 150 px to the right by the middle of the first one.
	a.drag(line(350, 200, 500, 200, 15))
	board = seenByAll(t, "the lassoed strokes moved", a, b, board, base, room)
	moved := firstPoints(board)
	var dx int32
	for _, k := range upper {
		d := moved[k].X - drawn[k].X
		if d <= 0 || moved[k].Y != drawn[k].Y {
			t.Fatalf("stroke %s went from %v to %v; want it moved right", k, drawn[k], moved[k])
		}
		if dx != 0 && d != dx {
			t.Errorf("stroke %s moved by %d, the other by %d; want the same", k, d, dx)
		}
		dx = d
	}
	for _, k := range lower {
		if moved[k] != drawn[k] {
			t.Errorf("stroke %s outside the loop went from %v to %v; want it where it was", k, drawn[k], moved[k])
		}
	}

	// Undo puts both back, redo moves both again, for everyone; a late
	// joiner sees them moved.
	a.undo()
	board = seenByAll(t, "undo the lasso move", a, b, board, base, room)
	for k, p := range firstPoints(board) {
		if p != drawn[k] {
			t.Errorf("undo the lasso move: stroke %s at %v, want %v", k, p, drawn[k])
		}
	}
	a.redo()
	board = seenByAll(t, "redo the lasso move", a, b, board, base, room)
	for k, p := range firstPoints(board) {
		if p != moved[k] {
			t.Errorf("redo the lasso move: stroke %s at %v, want %v", k, p, moved[k])
		}
	}
	lateJoinerSees(t, "the lasso move", base, room, a, board)

	// Deselect, then the lasso by its key and a loop around where the two are now.
	a.keys(kb.Escape)
	a.waitFor("nothing selected", `window.sketchpad.selected() === 0`)
	a.tool("pen")
	a.keys("V", input.ModifierShift)
	a.waitFor("Shift+V picks the lasso", `document.querySelector('[data-testid="tool-lasso"]').getAttribute('aria-pressed') === 'true'`)
	lassoDrag(t, a, loop(330, 150, 700, 350, 20))
	a.waitFor("the two moved strokes selected", `window.sketchpad.selected() === 2`)
	a.keys(kb.Delete)
	board = seenByAll(t, "the lassoed strokes deleted", a, b, board, base, room)
	left := visible(board)
	if len(left) != 1 || strokeKey(left[0].ID) != lower[0] || left[0].Points[0] != drawn[lower[0]] {
		t.Fatalf("after deleting the lassoed strokes %d are left; want only %s, where it was drawn", len(left), lower[0])
	}
}
