package e2e

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// Resizing, turning and moving a selection of 1,000 strokes (issue 16):
// every Transform, Rotate or Move the drag sends comes back and is applied
// to all of them; the target is that the page still draws each frame in
// one animation frame's time. The figures are logged; BENCHMARKS.md
// reports them:
//
//	SKETCHPAD_REQUIRE_BROWSER=1 go test -count=1 -run 'AThousandStrokesKeepsFrames' -v ./scripts/e2e/
func TestResizingAThousandStrokesKeepsFrames(t *testing.T) {
	thousandStrokes(t, "e2e-resize-1000", dragResize)
}

// Turning by the round handle, the selection's pose changing at every
// step (render/lift_map), and moving it by its middle.
func TestTurningAThousandStrokesKeepsFrames(t *testing.T) {
	thousandStrokes(t, "e2e-turn-1000", dragTurn)
}

func TestMovingAThousandStrokesKeepsFrames(t *testing.T) {
	thousandStrokes(t, "e2e-move-1000", dragMove)
}

// A dragKind is what a benchmark's drag does: its name in the figures,
// the element it starts on (empty: the selection's middle), and where the
// pointer is at move i, from the start (x0, y0) and the box's middle (cx, cy).
type dragKind struct {
	name   string
	handle string
	at     func(i int, x0, y0, cx, cy float64) (float64, float64)
}

var (
	dragResize = dragKind{"resizing", "handle-se", func(i int, x0, y0, _, _ float64) (float64, float64) {
		f := 0.6 + 0.4*math.Cos(float64(i)/30) // the box between 60 % and 100 % of its size
		return x0*f + 40*(1-f), y0*f + 110*(1-f)
	}}
	dragTurn = dragKind{"turning", "handle-rotate", func(i int, x0, y0, cx, cy float64) (float64, float64) {
		a := 0.9 * math.Sin(float64(i)/25) // back and forth, up to about 50° each way
		dx, dy := x0-cx, y0-cy
		return cx + dx*math.Cos(a) - dy*math.Sin(a), cy + dx*math.Sin(a) + dy*math.Cos(a)
	}}
	dragMove = dragKind{"moving", "", func(i int, x0, y0, _, _ float64) (float64, float64) {
		a := float64(i) / 20 // a circle of 120 CSS pixels
		return x0 + 120*math.Sin(a), y0 + 120*(1-math.Cos(a))
	}}
)

// thousandStrokes builds a board of 1,000 random strokes of 20 points in
// room, opens it in a page with the select tool and runs the drag (with
// SKETCHPAD_TRACE set, writes a Chrome trace of it to that file).
func thousandStrokes(t *testing.T, room string, kind dragKind) {
	// The board is built quickly by one client: a drawing rate to match.
	base := startApp(t, &config.Config{DataDir: t.TempDir(), RateDraw: 100000})
	const strokes, points = 1000, 20
	c, _ := buildStrokes(t, base, room, strokes, 8, 1000, func(r *rand.Rand) []canvas.Point { return bigStroke(r, points) })
	// Gone before the page opens: the drag's page alone on the board.
	c.Close()
	p := newPerson(t, "P")
	p.open(base + "/b/" + room)
	p.waitFor("the board", `window.sketchpad.status() === 'live' && window.sketchpad.seq() >= `+itoa(int(c.Seq())))
	p.tool("select")
	if path := os.Getenv("SKETCHPAD_TRACE"); path != "" {
		// The trace runs from the select-all to the end of the drag.
		p.traceTo(path, func() { dragAll(t, p, strokes, points, kind) })
		return
	}
	dragAll(t, p, strokes, points, kind)
}

// dragAll selects everything on the board and drags the selection (by the
// kind's handle, or its middle) for 2 s, logging the frames of both.
func dragAll(t *testing.T, p *person, strokes, points int, kind dragKind) {
	p.keys("a", input.ModifierCtrl)
	p.waitFor("everything selected", `window.sketchpad.selected() === `+itoa(strokes))
	var h, mid struct{ X, Y float64 }
	mid.X, mid.Y = p.center("selection")
	h = mid
	if kind.handle != "" {
		h.X, h.Y = p.center(kind.handle)
	}
	idle := measureFrames(t, p, func() { time.Sleep(time.Second) })
	t.Logf("idle, everything selected: %s", idle)
	var seq0, paints0 int
	p.eval(`window.sketchpad.seq()`, &seq0)
	p.eval(`window.sketchpad.renderStats().liftPaints`, &paints0)
	moves := 0
	defer profileIfAsked(t, p)()
	x, y := h.X, h.Y // where the pointer is
	busy := measureFrames(t, p, func() {
		p.run("drag the selection", chromedp.ActionFunc(func(ctx context.Context) error {
			if err := pressAt(ctx, h.X, h.Y); err != nil {
				return err
			}
			for end := time.Now().Add(2 * time.Second); time.Now().Before(end); {
				moves++
				x, y = kind.at(moves, h.X, h.Y, mid.X, mid.Y)
				if err := input.DispatchMouseEvent(input.MouseMoved, x, y).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
					return err
				}
				time.Sleep(4 * time.Millisecond)
			}
			// A last step let go of at once: the drag's end sends it.
			x, y = x+7, y+5
			if err := input.DispatchMouseEvent(input.MouseMoved, x, y).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			return input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
		}))
		p.waitFor("the drag acknowledged", `window.sketchpad.pendingOps() === 0`)
		// The selection goes back onto the board's layer after the last
		// echo: those frames are the drag's too.
		time.Sleep(time.Second)
	})
	var seq1 int
	p.eval(`window.sketchpad.seq()`, &seq1)
	var ahead struct{ LiftsAhead, LiftsTaken, LiftPaints, Rehearsed, RehearsalErrors int }
	p.eval(`window.sketchpad.renderStats()`, &ahead)
	// The drag's code is compiled before the press by a rehearsal of it in idle time (edit/rehearsal): its first frames are late without it.
	if ahead.Rehearsed == 0 || ahead.RehearsalErrors != 0 {
		t.Errorf("%d steps of drags rehearsed before the drag, %d rehearsals ended by an error; want steps and no error", ahead.Rehearsed, ahead.RehearsalErrors)
	}
	t.Logf("the selection's lift painted ahead %d times, taken by the drag %d times (render/lift_prep), %d steps of drags rehearsed before it (edit/rehearsal); painted in a frame %d times during the drag", ahead.LiftsAhead, ahead.LiftsTaken, ahead.Rehearsed, ahead.LiftPaints-paints0)
	t.Logf("%s %d strokes × %d points (%d mouse moves in 2 s, %d ops applied): %s", kind.name, strokes, points, moves, seq1-seq0, busy)
	if seq1-seq0 < 5 {
		t.Errorf("%d ops while dragging for 2 s; want them sent as it moves", seq1-seq0)
	}
	if kind.handle == "" {
		// Moved: the selection ends where the pointer took it, every op of
		// the drag sent (the last ones after the frame, Editor.flushLeft).
		var end struct{ X, Y float64 }
		end.X, end.Y = p.center("selection")
		if dx, dy := end.X-mid.X-(x-h.X), end.Y-mid.Y-(y-h.Y); math.Abs(dx) > 1.5 || math.Abs(dy) > 1.5 {
			t.Errorf("the selection's middle moved from (%.1f, %.1f) to (%.1f, %.1f); the pointer moved by (%.1f, %.1f)", mid.X, mid.Y, end.X, end.Y, x-h.X, y-h.Y)
		}
	}
	// Timing is logged, not asserted (BENCHMARKS.md has the figures): on a
	// machine shared with other work a frame's time measures the machine.
	// What a person notices either way is asserted: the others see the
	// selection change while the pointer moves (ops sent as it moves).
	t.Logf("the page's own work per frame while %s %d strokes: median %.1f ms (one frame is 16.7 ms)", kind.name, strokes, busy.work50)
}

// buildStrokes has a client of the server at base draw n strokes of the
// given width in room, each from stroke (seeded by seed), and waits until
// the room has them all. It returns the client, still connected (closed
// when the test ends), and the strokes' names in the order drawn.
func buildStrokes(t *testing.T, base, room string, n int, width uint32, seed uint64, stroke func(r *rand.Rand) []canvas.Point) (*client.Client, []canvas.StrokeID) {
	t.Helper()
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	c := client.New(ws, client.Options{Name: "builder", NoLog: true})
	t.Cleanup(c.Close)
	var ids []canvas.StrokeID
	err := withTimeout(60*time.Second, func(ctx context.Context) error {
		if err := c.Connect(ctx); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(16, seed))
		for range n {
			pts := stroke(r)
			id, err := c.Stroke(0x1e1e1eff, width, pts, len(pts))
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return c.WaitAcked(ctx)
	})
	if err != nil {
		t.Fatalf("building the board: %v", err)
	}
	return c, ids
}
