package e2e

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
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
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	const strokes, points = 1000, 20
	c := client.New(ws, client.Options{Name: "builder", NoLog: true})
	err := withTimeout(60*time.Second, func(ctx context.Context) error {
		if err := c.Connect(ctx); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(16, 1000))
		for range strokes {
			if _, err := c.Stroke(0x1e1e1eff, 8, bigStroke(r, points), points); err != nil {
				return err
			}
		}
		return c.WaitAcked(ctx)
	})
	c.Close()
	if err != nil {
		t.Fatalf("building the board: %v", err)
	}
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
	if os.Getenv("SKETCHPAD_PROFILE") != "" {
		p.run("profile on", profiler.Enable(), profiler.SetSamplingInterval(200), profiler.Start())
		defer func() {
			var prof *profiler.Profile
			p.run("profile off", chromedp.ActionFunc(func(ctx context.Context) error {
				var err error
				prof, err = profiler.Stop().Do(ctx)
				return err
			}))
			self := map[string]int64{}
			for _, n := range prof.Nodes {
				self[n.CallFrame.FunctionName+"@"+itoa(int(n.CallFrame.LineNumber))+":"+itoa(int(n.CallFrame.ColumnNumber))] += n.HitCount
			}
			type kv struct {
				k string
				v int64
			}
			var all []kv
			for k, v := range self {
				all = append(all, kv{k, v})
			}
			sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
			// Busy time by kind, at the sampling interval (200 µs): what the drag cost the page's thread.
			var script, gc, program int64
			for _, e := range all {
				switch {
				case strings.HasPrefix(e.k, "(garbage collector)"):
					gc += e.v
				case strings.HasPrefix(e.k, "(program)"):
					program += e.v
				case !strings.HasPrefix(e.k, "(idle)") && !strings.HasPrefix(e.k, "(root)"):
					script += e.v
				}
			}
			t.Logf("PROFILE busy: script %.1f ms, garbage collector %.1f ms, the browser's own (program) %.1f ms", float64(script)/5, float64(gc)/5, float64(program)/5)
			for _, e := range all[:min(15, len(all))] {
				t.Logf("PROFILE %6d %s", e.v, e.k)
			}
			var named []string
			for _, e := range all {
				if len(named) < 6 && !strings.HasPrefix(e.k, "(") {
					named = append(named, e.k)
				}
			}
			logCallers(t, prof, named...)
			logLongestBusy(t, prof)
			logFirst(t, prof, 600*time.Millisecond)
			logFirst(t, prof, 150*time.Millisecond)
		}()
	}
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
	var ahead struct{ LiftsAhead, LiftsTaken, LiftPaints int }
	p.eval(`window.sketchpad.renderStats()`, &ahead)
	t.Logf("the selection's lift painted ahead %d times, taken by the drag %d times (render/lift_prep); painted in a frame %d times during the drag", ahead.LiftsAhead, ahead.LiftsTaken, ahead.LiftPaints-paints0)
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

// logLongestBusy logs what a CPU profile's longest stretch of samples
// without an idle one held: a stall of the page (its length, then the
// functions most on top of the stack in it, then those most often anywhere
// in it; "(garbage collector)" and "(program)", the browser's own work,
// included), to tell a collection from a repaint or a fold.
func logLongestBusy(t *testing.T, prof *profiler.Profile) {
	t.Helper()
	if prof == nil || len(prof.Samples) == 0 {
		return
	}
	byID := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(id int64) string {
		f := byID[id].CallFrame
		return f.FunctionName + "@" + itoa(int(f.LineNumber)) + ":" + itoa(int(f.ColumnNumber))
	}
	idle := func(id int64) bool { return byID[id].CallFrame.FunctionName == "(idle)" }
	// The stretch [from, to) of samples, and its length in µs.
	bestFrom, bestTo, bestUs := 0, 0, int64(0)
	from, us := 0, int64(0)
	for i, id := range prof.Samples {
		d := int64(0)
		if i+1 < len(prof.TimeDeltas) {
			d = prof.TimeDeltas[i+1]
		}
		if idle(id) {
			from, us = i+1, 0
			continue
		}
		us += d
		if us > bestUs {
			bestFrom, bestTo, bestUs = from, i+1, us
		}
	}
	self, incl := map[string]int{}, map[string]int{}
	for _, id := range prof.Samples[bestFrom:bestTo] {
		self[name(id)]++
		seen := map[string]bool{}
		for n, ok := id, true; ok; n, ok = parent[n] {
			if k := name(n); !seen[k] {
				seen[k] = true
				incl[k]++
			}
		}
	}
	top := func(m map[string]int) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] })
		return ks[:min(12, len(ks))]
	}
	t.Logf("BUSIEST stretch: %.1f ms, %d samples", float64(bestUs)/1000, bestTo-bestFrom)
	for _, k := range top(self) {
		t.Logf("BUSIEST self %5d %s", self[k], k)
	}
	for _, k := range top(incl) {
		t.Logf("BUSIEST incl %5d %s", incl[k], k)
	}
}

// logCallers logs, for each of the functions named (as the profile lines
// name them), the call paths above it that its samples came through most
// often, three callers deep: which code asked for the work.
func logCallers(t *testing.T, prof *profiler.Profile, fns ...string) {
	t.Helper()
	byID := map[int64]*profiler.ProfileNode{}
	parent := map[int64]int64{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(id int64) string {
		f := byID[id].CallFrame
		return f.FunctionName + "@" + itoa(int(f.LineNumber)) + ":" + itoa(int(f.ColumnNumber))
	}
	for _, fn := range fns {
		paths := map[string]int64{}
		for _, n := range prof.Nodes {
			if name(n.ID) != fn || n.HitCount == 0 {
				continue
			}
			var up []string
			for id, ok := parent[n.ID]; ok && len(up) < 3; id, ok = parent[id] {
				up = append(up, name(id))
			}
			paths[strings.Join(up, " < ")] += n.HitCount
		}
		var ks []string
		for k := range paths {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return paths[ks[i]] > paths[ks[j]] })
		for _, k := range ks[:min(4, len(ks))] {
			t.Logf("CALLERS %s %6d < %s", fn, paths[k], k)
		}
	}
}

// logFirst logs the functions most on top of the stack in the profile's
// first d (the drag's start: where code not yet optimised and the first
// pictures of the new pose are), with the samples' total time.
func logFirst(t *testing.T, prof *profiler.Profile, d time.Duration) {
	t.Helper()
	byID := map[int64]*profiler.ProfileNode{}
	for _, n := range prof.Nodes {
		byID[n.ID] = n
	}
	parent := map[int64]int64{}
	for _, n := range prof.Nodes {
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	name := func(id int64) string {
		f := byID[id].CallFrame
		return f.FunctionName + "@" + itoa(int(f.LineNumber)) + ":" + itoa(int(f.ColumnNumber))
	}
	self, incl := map[string]int64{}, map[string]int64{}
	var at, busy int64
	for i, id := range prof.Samples {
		if i < len(prof.TimeDeltas) {
			at += prof.TimeDeltas[i]
		}
		if at > d.Microseconds() {
			break
		}
		if byID[id].CallFrame.FunctionName == "(idle)" {
			continue
		}
		busy++
		self[name(id)]++
		seen := map[string]bool{}
		for n, ok := id, true; ok; n, ok = parent[n] {
			if k := name(n); !seen[k] {
				seen[k] = true
				incl[k]++
			}
		}
	}
	t.Logf("FIRST %v: %d busy samples", d, busy)
	for _, m := range []struct {
		kind string
		n    map[string]int64
	}{{"self", self}, {"incl", incl}} {
		var ks []string
		for k := range m.n {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return m.n[ks[i]] > m.n[ks[j]] })
		for _, k := range ks[:min(15, len(ks))] {
			t.Logf("FIRST %s %5d %s", m.kind, m.n[k], k)
		}
	}
}
