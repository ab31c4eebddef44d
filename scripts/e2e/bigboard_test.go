package e2e

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// Big boards stay fast (issue 4): a board of 100,000 points opens and is
// painted in under 300 ms after its snapshot arrives, and drawing on it
// stays at 60 frames per second while two others draw. The figures are
// logged; run
//
//	SKETCHPAD_REQUIRE_BROWSER=1 go test -count=1 -run TestBigBoardOpensFast -v ./scripts/e2e/
//
// (make test runs it under -race, which slows the server, not Chromium).
// The test asserts bounds generous enough for a loaded machine; the logged
// figures are what BENCHMARKS.md reports.

const (
	bigStrokes      = 200
	bigStrokePoints = 500
	bigBuilders     = 4 // clients building the board (each under the drawing rate's burst)
	// Bounds asserted (the targets are 300 ms and 60 fps): the median of
	// three opens, and the frame rate while drawing.
	maxOpenMs = 1500
	minFPS    = 10 // a page that repainted the whole board each frame would make about 4
)

// bigStroke is a smooth random walk of n points inside the part of the
// board a fresh page shows (CSS x 40..960, y 110..540: board units ×4).
func bigStroke(r *rand.Rand, n int) []canvas.Point {
	const x0, x1, y0, y1 = 160, 3840, 440, 2160
	pts := make([]canvas.Point, n)
	x, y := x0+r.Float64()*(x1-x0), y0+r.Float64()*(y1-y0)
	dir := r.Float64() * 2 * math.Pi
	for i := range pts {
		pts[i] = canvas.Point{X: int32(math.Round(x)), Y: int32(math.Round(y))}
		dir += (r.Float64() - 0.5) * 0.5
		x += 6 * math.Cos(dir)
		y += 6 * math.Sin(dir)
		if x < x0 || x > x1 {
			dir = math.Pi - dir
			x = math.Max(x0, math.Min(x1, x))
		}
		if y < y0 || y > y1 {
			dir = -dir
			y = math.Max(y0, math.Min(y1, y))
		}
	}
	return pts
}

var bigColors = []uint32{0x1e1e1eff, 0xe03131ff, 0x1971c2ff, 0x2f9e44ff, 0xf08c00ff, 0x7048e8ff}

// buildBigBoard draws bigStrokes strokes of bigStrokePoints points through
// Go clients and returns the board's last sequence number.
func buildBigBoard(t *testing.T, ws string) uint64 {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, bigBuilders)
	var head atomic.Uint64
	for i := 0; i < bigBuilders; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := client.New(ws, client.Options{Name: "builder", NoLog: true})
			defer c.Close()
			err := withTimeout(30*time.Second, func(ctx context.Context) error {
				if err := c.Connect(ctx); err != nil {
					return err
				}
				r := rand.New(rand.NewPCG(uint64(i), 42))
				for s := 0; s < bigStrokes/bigBuilders; s++ {
					color := bigColors[(i+s)%len(bigColors)]
					if _, err := c.Stroke(color, 16, bigStroke(r, bigStrokePoints), bigStrokePoints); err != nil {
						return err
					}
				}
				if err := c.WaitAcked(ctx); err != nil {
					return err
				}
				for {
					h := head.Load()
					if s := c.Seq(); s <= h || head.CompareAndSwap(h, s) {
						return nil
					}
				}
			})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("building the board: %v", err)
		}
	}
	return head.Load()
}

// renderStats is window.sketchpad.renderStats().
type renderStats struct {
	Frames           int     `json:"frames"`
	LastFrameMs      float64 `json:"lastFrameMs"`
	LastSyncMs       float64 `json:"lastSyncMs"`
	LastFullRenderMs float64 `json:"lastFullRenderMs"`
	FullRenders      int     `json:"fullRenders"`
	RegionRenders    int     `json:"regionRenders"`
	Painted          int     `json:"painted"`
	OpenMs           float64 `json:"openMs"`
}

func (p *person) renderStats() renderStats {
	p.t.Helper()
	var s string
	p.eval(`JSON.stringify(window.sketchpad.renderStats())`, &s)
	var st renderStats
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		p.t.Fatalf("renderStats %s: %v", s, err)
	}
	return st
}

// openBig waits until the page has loaded the board up to head and painted
// it, and returns its render stats.
func openBig(t *testing.T, p *person, head uint64) renderStats {
	t.Helper()
	p.waitWithin("the big board", `window.sketchpad.status() === 'live' && window.sketchpad.seq() >= `+itoa(int(head))+
		` && window.sketchpad.renderStats().openMs > 0`, 20*time.Second)
	return p.renderStats()
}

func TestBigBoardOpensFast(t *testing.T) {
	base := startApp(t, &config.Config{DataDir: t.TempDir()})
	room := "e2e-big-board"
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	t0 := time.Now()
	head := buildBigBoard(t, ws)
	check := client.New(ws, client.Options{Name: "check", NoLog: true})
	if err := withTimeout(10*time.Second, check.Connect); err != nil {
		t.Fatal(err)
	}
	if n := check.Board().Points(); n != bigStrokes*bigStrokePoints {
		t.Fatalf("the board holds %d points, want %d", n, bigStrokes*bigStrokePoints)
	}
	check.Close()
	t.Logf("built a board of %d strokes × %d points (%d ops) in %v", bigStrokes, bigStrokePoints, head, time.Since(t0).Round(time.Millisecond))

	// Open it in a fresh page, then reload twice: each open gets the board
	// as one snapshot, or a reload first shows the copy the page kept on
	// this device (kept a few seconds after a change, so a reload on a slow
	// machine often has one): openMs times whichever came first.
	p := newPerson(t, "P")
	var opens []float64
	t1 := time.Now()
	p.open(base + "/b/" + room)
	st := openBig(t, p, head)
	wall := time.Since(t1)
	opens = append(opens, st.OpenMs)
	t.Logf("open 1 (fresh browser): openMs %.1f (full repaint of the layer %.1f ms, frame %.1f ms); navigation to painted %v",
		st.OpenMs, st.LastFullRenderMs, st.LastFrameMs, wall.Round(time.Millisecond))
	for i := 2; i <= 3; i++ {
		p.run("reload", chromedp.Reload())
		st = openBig(t, p, head)
		opens = append(opens, st.OpenMs)
		t.Logf("open %d (reload): openMs %.1f (full repaint of the layer %.1f ms, frame %.1f ms)", i, st.OpenMs, st.LastFullRenderMs, st.LastFrameMs)
	}
	if !p.inkAt(500, 300) && !p.inkAt(300, 400) && !p.inkAt(700, 200) {
		t.Error("the big board's strokes are not on the canvas")
	}
	// The median of the three: one open can stall when the machine is busy
	// (make test runs other packages' tests at the same time).
	sorted := append([]float64(nil), opens...)
	sort.Float64s(sorted)
	t.Logf("openMs median %.1f, best %.1f (target 300 ms; the test's bound %d ms)", sorted[1], sorted[0], maxOpenMs)
	if sorted[1] >= maxOpenMs {
		t.Errorf("openMs %v: the median is over the test's bound of %d ms (target 300 ms)", opens, maxOpenMs)
	}

	// Frame rate: the page draws (a synthetic mouse drag) while two Go
	// clients draw, each at a person's pace (a Points op of 2 points every
	// 16 ms).
	idle := measureFrames(t, p, func() { time.Sleep(1 * time.Second) })
	t.Logf("idle: %s", idle)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { stop(); wg.Wait() }) // also when the test fails early
	var remoteOps atomic.Int64
	for i := 0; i < 2; i++ {
		c := client.New(ws, client.Options{Name: "drawer", NoLog: true})
		if err := withTimeout(10*time.Second, c.Connect); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(i int, c *client.Client) {
			defer wg.Done()
			defer c.Close()
			drawLikeAPerson(ctx, c, rand.New(rand.NewPCG(uint64(100+i), 7)), &remoteOps)
		}(i, c)
	}
	var seqBefore int
	p.eval(`window.sketchpad.seq()`, &seqBefore)
	moves := 0
	busy := measureFrames(t, p, func() { moves = p.dragFor(2500 * time.Millisecond) })
	// The stroke ends: it joins the committed layer, under what the others
	// drew meanwhile.
	after := measureFrames(t, p, func() {
		p.waitFor("the local stroke acknowledged", `window.sketchpad.pendingOps() === 0`)
		time.Sleep(500 * time.Millisecond)
	})
	stop()
	wg.Wait()
	var seqAfter int
	p.eval(`window.sketchpad.seq()`, &seqAfter)
	t.Logf("drawing on it (%d mouse moves in 2.5 s) while 2 others draw (%d ops sent, %d ops reached the page): %s",
		moves, remoteOps.Load(), seqAfter-seqBefore, busy)
	t.Logf("from the release until 0.5 s after the stroke was acknowledged (the others still drawing): %s", after)
	if remoteOps.Load() < 100 || seqAfter-seqBefore < 100 {
		t.Errorf("the others' drawing did not reach the page: %d ops sent, %d applied", remoteOps.Load(), seqAfter-seqBefore)
	}
	if busy.fps < minFPS {
		t.Errorf("%.1f frames per second while drawing on a big board; the test's bound is %d (target 60)", busy.fps, minFPS)
	}
}

// frameFigures summarizes requestAnimationFrame callbacks.
type frameFigures struct {
	frames              int
	fps                 float64
	p50, p95, worst, ms float64
	worstAt             float64 // when the worst interval ended, ms after the first frame
	// Intervals over 20 ms (a frame or more dropped), each as its length
	// and when it ended, ms after the first frame.
	drops []string
	// The page's own frames (renderStats().lastFrameMs) in the window.
	pageFrames              int
	work50, work95, workMax float64
}

func (f frameFigures) String() string {
	return strings.TrimSpace(strings.Join([]string{
		"frames " + itoa(f.frames) + " in " + ftoa(f.ms) + " ms",
		"= " + ftoa(f.fps) + " fps;",
		"frame interval p50 " + ftoa(f.p50) + " ms, p95 " + ftoa(f.p95) + " ms, worst " + ftoa(f.worst) + " ms (ending at +" + ftoa(f.worstAt) + " ms);",
		"the page painted " + itoa(f.pageFrames) + " frames, each taking (script side) p50 " + ftoa(f.work50) + " ms, p95 " + ftoa(f.work95) + " ms, worst " + ftoa(f.workMax) + " ms;",
		itoa(len(f.drops)) + " intervals over 20 ms [" + strings.Join(f.drops, " ") + "]",
	}, " "))
}

// measureFrames counts the page's animation frames (an injected
// requestAnimationFrame loop) while during runs.
func measureFrames(t *testing.T, p *person, during func()) frameFigures {
	t.Helper()
	// Each callback also notes the page's own last frame (renderStats):
	// the time its frame() took, script side.
	p.eval(`(() => {
		const gen = (window.__framesGen || 0) + 1;
		window.__framesGen = gen; window.__frames = []; window.__work = new Map();
		const f = (ts) => {
			if (window.__framesGen !== gen) return;
			window.__frames.push(ts);
			const s = window.sketchpad.renderStats();
			window.__work.set(s.frames, s.lastFrameMs);
			requestAnimationFrame(f);
		};
		requestAnimationFrame(f);
		return true;
	})()`, nil)
	first := p.renderStats().Frames
	during()
	var ts, work []float64
	p.eval(`(() => { window.__framesGen++; return window.__frames; })()`, &ts)
	p.eval(`[...window.__work].filter(([n]) => n > `+itoa(first)+`).map(([, ms]) => ms)`, &work)
	if len(ts) < 2 {
		t.Fatalf("%d animation frames", len(ts))
	}
	sort.Float64s(work)
	var pw50, pw95, pwMax float64
	if n := len(work); n > 0 {
		pw50, pw95, pwMax = work[n/2], work[n*95/100], work[n-1]
	}
	iv := make([]float64, 0, len(ts)-1)
	var worstAt, worst float64
	var drops []string
	for i := 1; i < len(ts); i++ {
		iv = append(iv, ts[i]-ts[i-1])
		if d := ts[i] - ts[i-1]; d > 20 {
			drops = append(drops, ftoa(d)+"@+"+ftoa(ts[i]-ts[0]))
		}
		if d := ts[i] - ts[i-1]; d > worst {
			worst, worstAt = d, ts[i]-ts[0]
		}
	}
	sort.Float64s(iv)
	span := ts[len(ts)-1] - ts[0]
	return frameFigures{
		frames:     len(ts),
		fps:        float64(len(ts)-1) * 1000 / span,
		p50:        iv[len(iv)/2],
		p95:        iv[len(iv)*95/100],
		worst:      iv[len(iv)-1],
		worstAt:    worstAt,
		drops:      drops,
		ms:         span,
		pageFrames: len(work),
		work50:     pw50,
		work95:     pw95,
		workMax:    pwMax,
	}
}

// dragFor draws with the mouse for d: a Lissajous path, a move every few
// milliseconds. It returns the number of moves.
func (p *person) dragFor(d time.Duration) int {
	p.t.Helper()
	moves := 0
	at := func(i int) (float64, float64) {
		f := float64(i) / 40
		return 480 + 300*math.Sin(f), 320 + 150*math.Sin(2*f+0.5)
	}
	p.run("drag for "+d.String(), chromedp.ActionFunc(func(ctx context.Context) error {
		x, y := at(0)
		if err := pressAt(ctx, x, y); err != nil {
			return err
		}
		end := time.Now().Add(d)
		for time.Now().Before(end) {
			moves++
			x, y = at(moves)
			if err := input.DispatchMouseEvent(input.MouseMoved, x, y).WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			time.Sleep(4 * time.Millisecond)
		}
		return input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
	}))
	return moves
}

// drawLikeAPerson draws strokes until ctx ends: Begin, a Points op of two
// points every 16 ms (a page sends one per animation frame), End after a
// second, again.
func drawLikeAPerson(ctx context.Context, c *client.Client, r *rand.Rand, ops *atomic.Int64) {
	tick := time.NewTicker(16 * time.Millisecond)
	defer tick.Stop()
	n := uint32(0)
	for ctx.Err() == nil {
		n++
		pts := bigStroke(r, 121)
		_ = c.Send(&canvas.Op{Type: canvas.OpBegin, Stroke: n, Color: bigColors[int(n)%len(bigColors)], Width: 16, Points: pts[:1]})
		ops.Add(1)
		prev := pts[0]
		for i := 1; i+1 < len(pts); i += 2 {
			select {
			case <-ctx.Done():
				i = len(pts)
				continue
			case <-tick.C:
			}
			d := []canvas.Point{{X: pts[i].X - prev.X, Y: pts[i].Y - prev.Y}, {X: pts[i+1].X - pts[i].X, Y: pts[i+1].Y - pts[i].Y}}
			prev = pts[i+1]
			_ = c.Send(&canvas.Op{Type: canvas.OpPoints, Points: d})
			ops.Add(1)
		}
		_ = c.Send(&canvas.Op{Type: canvas.OpEnd})
		ops.Add(1)
	}
}
