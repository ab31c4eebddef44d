package e2e

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// A finger reaches a selection's handle (issue 17's 44 px targets, issue
// 16's handles): on a phone a press 16 px inside a selected rectangle's
// corner, which a mouse would take as a move of the whole selection,
// resizes it from that corner, and the other person sees the new size.
func TestOnAPhoneAFingerTakesTheCornerHandleOfASelection(t *testing.T) {
	room := "e2e-finger-handle"
	p, d, _ := phoneAndDesk(t, room)
	d.tool("rect")
	d.drag(line(80, 220, 300, 420, 12))
	settledAfter(t, 0, d, p)
	r := identical(t, "drawing", d, p).Strokes()[0]
	x0, y0 := float64(min(r.Points[0].X, r.Points[1].X)), float64(min(r.Points[0].Y, r.Points[1].Y))
	x1, y1 := float64(max(r.Points[0].X, r.Points[1].X)), float64(max(r.Points[0].Y, r.Points[1].Y))

	p.tapSelectTool()
	lx, ly := p.onScreen(x0, (y0+y1)/2)
	p.tap(lx, ly)
	p.waitFor("the rectangle selected", `window.sketchpad.selected() === 1`)

	// The bottom-right corner on the phone's screen, and a press 16 px
	// inside it on both axes: beyond a mouse's reach (12 px), inside a finger's.
	cx, cy := p.onScreen(x1, y1)
	sx, sy := cx-16, cy-16
	p.run("drag from near the corner", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchTouchEvent(input.TouchStart, []*input.TouchPoint{{X: sx, Y: sy}}).Do(ctx); err != nil {
			return err
		}
		for i := 1; i <= 10; i++ {
			time.Sleep(20 * time.Millisecond)
			if err := input.DispatchTouchEvent(input.TouchMove, []*input.TouchPoint{{X: sx - 4*float64(i), Y: sy - 4*float64(i)}}).Do(ctx); err != nil {
				return err
			}
		}
		return input.DispatchTouchEvent(input.TouchEnd, []*input.TouchPoint{}).Do(ctx)
	}))
	settledAfter(t, 0, p, d)
	got := identical(t, "after the drag", p, d).Strokes()[0]
	gx0, gy0 := float64(min(got.Points[0].X, got.Points[1].X)), float64(min(got.Points[0].Y, got.Points[1].Y))
	gx1, gy1 := float64(max(got.Points[0].X, got.Points[1].X)), float64(max(got.Points[0].Y, got.Points[1].Y))
	// A resize from the corner keeps the top-left where it was (the box's
	// corner, out by half the line's width, is what stays: the rectangle's
	// own corner moves in by a part of that) and makes the rectangle
	// smaller by about the drag; a move would shift it by the drag whole.
	var v struct{ Scale float64 }
	p.eval(`window.sketchpad.view()`, &v)
	drag := 40 / v.Scale // the finger's 40 CSS px, in board units
	if math.Abs(gx0-x0) > drag/4 || math.Abs(gy0-y0) > drag/4 {
		t.Errorf("the top-left corner went from (%v,%v) to (%v,%v): the selection moved, the finger did not take the handle", x0, y0, gx0, gy0)
	}
	if !((x1-x0)-(gx1-gx0) > drag/2 && (y1-y0)-(gy1-gy0) > drag/2) {
		t.Errorf("the rectangle is %v×%v after a %v drag into it, was %v×%v: not resized from its corner", gx1-gx0, gy1-gy0, drag, x1-x0, y1-y0)
	}
}
