package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
)

// A big selection's picture, and the board without it, are painted ahead
// in idle time, so that the frame a drag starts in only swaps them in
// (render/lift_prep). Holding a handle shows the board as it is: the
// pictures painted ahead when nothing changed since, and never pictures
// painted before someone else changed the selection (here: recolored part
// of it, after it was painted ahead and before the handle is pressed).
func TestABigSelectionPaintedAheadShowsTheBoardAsItIs(t *testing.T) {
	room := "e2e-lift-ahead"
	a, b, base := twoPages(t, room)
	const strokes = 100
	at := region{100, 110, 800, 500}
	c, ids := selectBuiltBoard(t, a, b, base, room, 101, strokes, at)
	a.waitFor("the selection painted ahead", `window.sketchpad.renderStats().liftsAhead >= 1`)

	// held presses a's SE handle without moving it (the drag starts, its
	// selection is lifted, nothing is resized), checks that a shows what b
	// does, and lets go.
	held := func(what string) {
		t.Helper()
		hx, hy := a.center("handle-se")
		a.run("press", chromedp.ActionFunc(func(ctx context.Context) error { return pressAt(ctx, hx, hy) }))
		a.waitFor(what+": the selection lifted", `window.sketchpad.renderStats().lifted === `+itoa(strokes))
		// A picture composited over the layer may round an edge pixel
		// differently than painting on the layer does: a few pixels, by a
		// few levels. The wrong colors are thousands, by a hundred or more.
		deadline := time.Now().Add(3 * time.Second)
		for {
			pa, pb := a.regionPixels(at), b.regionPixels(at)
			n, most := pa.diff(pb)
			if n >= 0 && n <= pa.ink()/200 && most <= 32 {
				t.Logf("%s: %d edge pixels differ by at most %d levels (ink %d)", what, n, most, pa.ink())
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: with the handle held, the page shows other pixels than the board: %d of %d differ (largest channel difference %d; ink %d vs %d)", what, n, pa.w*pa.h, most, pa.ink(), pb.ink())
			}
			time.Sleep(100 * time.Millisecond)
		}
		a.run("let go", chromedp.ActionFunc(func(ctx context.Context) error {
			return input.DispatchMouseEvent(input.MouseReleased, hx, hy).WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
		}))
		a.waitFor(what+": put back", `window.sketchpad.renderStats().lifted === 0`)
	}

	held("nothing changed since")
	var taken int
	a.eval(`window.sketchpad.renderStats().liftsTaken`, &taken)
	if taken != 1 {
		t.Fatalf("the drag took %d pictures painted ahead; want 1 (nothing changed since it was painted)", taken)
	}

	// Painted ahead again once the selection is still; then recolored by
	// someone else, and the handle pressed at once.
	a.waitFor("the selection painted ahead again", `window.sketchpad.renderStats().liftsAhead >= 2`)
	err := withTimeout(10*time.Second, func(ctx context.Context) error {
		if err := c.Send(&canvas.Op{Type: canvas.OpRestyle, Strokes: ids[:strokes/2], Parts: canvas.PartRGB, Color: 0xe0313100}); err != nil {
			return err
		}
		return c.WaitAcked(ctx)
	})
	if err != nil {
		t.Fatalf("recoloring: %v", err)
	}
	for _, p := range []*person{a, b} {
		p.waitFor("the recolor", `window.sketchpad.seq() >= `+itoa(int(c.Seq())))
	}
	held("half of it recolored since it was painted ahead")
}
