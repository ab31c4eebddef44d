package e2e

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
)

// A big selection resized and turned by its handles is drawn, while it moves, from one
// picture of it (on the page that drags it and on the page that watches);
// once it is still, both pages show exactly what the board holds: the same
// pixels as each other and as a page that opens the board afterwards.
func TestResizingABigSelectionEndsExact(t *testing.T) {
	room := "e2e-lift"
	a, b, base := twoPages(t, room)
	// 120 pen strokes where the pages look (board units, 4 to a CSS pixel
	// at the home view), by a client of the server.
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	c := client.New(ws, client.Options{Name: "builder", NoLog: true})
	const strokes, points = 120, 12
	err := withTimeout(30*time.Second, func(ctx context.Context) error {
		if err := c.Connect(ctx); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(16, 120))
		for range strokes {
			if _, err := c.Stroke(0x1e1e1eff, 8, strokeWithin(r, points, 1200, 900, 2800, 1800), points); err != nil {
				return err
			}
		}
		return c.WaitAcked(ctx)
	})
	c.Close()
	if err != nil {
		t.Fatalf("building the board: %v", err)
	}
	for _, p := range []*person{a, b} {
		p.waitFor("the board", `window.sketchpad.seq() >= `+itoa(int(c.Seq())))
	}
	board := identical(t, "built", a, b)
	samePixels(t, "built", region{100, 110, 800, 500}, a, b)

	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("everything selected", `window.sketchpad.selected() === `+itoa(strokes))
	var h struct{ X, Y float64 }
	h.X, h.Y = a.center("handle-se")
	a.drag(line(h.X, h.Y, h.X-150, h.Y+60, 40))
	board = seenByAll(t, "the resize", a, b, board, base, room)

	// Then a turn by the rotate handle: an arc about the box's middle.
	hx, hy := a.center("handle-rotate")
	_, ny := a.center("handle-n")
	_, sy := a.center("handle-s")
	cx, cy := hx, (ny+sy)/2
	a.drag(append([][2]float64{{hx, hy}}, arc(cx, cy, math.Hypot(hx-cx, hy-cy), -90, -50, 30)...))
	board = seenByAll(t, "the turn", a, b, board, base, room)
	if board.Strokes()[0].Rot == 0 {
		t.Fatal("the turn: the strokes did not turn")
	}

	// The premise: both pages drew the moving selection from its picture.
	var lifts [2]int
	a.eval(`window.sketchpad.renderStats().lifts`, &lifts[0])
	b.eval(`window.sketchpad.renderStats().lifts`, &lifts[1])
	if lifts[0] == 0 || lifts[1] == 0 {
		t.Errorf("lifts: A %d, B %d; want the selection lifted on both pages while it moved", lifts[0], lifts[1])
	}

	// A page that opens the board now, looking where A does: C zooms
	// there from the view a first visit fits, so that it paints it whole.
	late := newPerson(t, "C")
	late.open(base + "/b/" + room)
	late.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	var v string
	a.eval(`JSON.stringify(window.sketchpad.view())`, &v)
	var n int
	late.eval(`(() => { const v = `+v+`; window.sketchpad.setView({...v, scale: v.scale * 2}); return 0; })()`, &n)
	time.Sleep(300 * time.Millisecond)
	late.eval(`(window.sketchpad.setView(`+v+`), 0)`, &n)
	samePixels(t, "A and a page opened after", region{100, 110, 800, 500}, a, late)
	samePixels(t, "B and a page opened after", region{100, 110, 800, 500}, b, late)
}

// strokeWithin is a random walk of n points inside (x0, y0)-(x1, y1).
func strokeWithin(r *rand.Rand, n int, x0, y0, x1, y1 float64) []canvas.Point {
	pts := make([]canvas.Point, n)
	x, y := x0+r.Float64()*(x1-x0), y0+r.Float64()*(y1-y0)
	dir := r.Float64() * 2 * math.Pi
	for i := range pts {
		pts[i] = canvas.Point{X: int32(math.Round(x)), Y: int32(math.Round(y))}
		dir += (r.Float64() - 0.5) * 0.8
		x = math.Max(x0, math.Min(x1, x+12*math.Cos(dir)))
		y = math.Max(y0, math.Min(y1, y+12*math.Sin(dir)))
	}
	return pts
}
