package e2e

import (
	"context"
	"io"
	"log/slog"
	"math"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/config"
)

// startServer starts a replica in embedded mode and returns its base URL.
func startServer(t *testing.T) string {
	t.Helper()
	return startApp(t, &config.Config{DataDir: t.TempDir()})
}

// startApp starts a replica with cfg on a real socket and returns its base
// URL; it is shut down when the test ends.
func startApp(t *testing.T, cfg *config.Config) string {
	t.Helper()
	app, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return ts.URL
}

// wave is a mouse path across the middle of the page.
func wave(n int) [][2]float64 {
	pts := make([][2]float64, n)
	for i := range pts {
		x := 200 + float64(i)*500/float64(n-1)
		pts[i] = [2]float64{x, 380 + 80*math.Sin(float64(i)/6)}
	}
	return pts
}

// dragAndSeeOn has a drag a wave across the board and waits until a's ops
// are acknowledged, b has every op a's page applied, and the stroke shows on
// b's canvas where a drew it. It returns a point in the middle of the stroke.
func dragAndSeeOn(t *testing.T, a, b *person) [2]float64 {
	t.Helper()
	path := wave(60)
	mid := path[30]
	if b.inkAt(mid[0], mid[1]) {
		t.Fatal("B's board has ink before anyone drew")
	}
	a.drag(path)
	a.waitFor("A's ops acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 2`)
	var seqA int
	a.eval(`window.sketchpad.seq()`, &seqA)
	b.waitFor("B to catch up", `window.sketchpad.seq() >= `+itoa(seqA))
	b.waitFor("the stroke on B's canvas", inkJS(mid[0], mid[1]))
	return mid
}

func TestTwoPeopleDrawTogetherAndALateJoinerSeesTheSame(t *testing.T) {
	base := startServer(t)
	url := base + "/b/e2e-board"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.open(url)
	b.open(url)

	mid := dragAndSeeOn(t, a, b)
	if !a.inkAt(mid[0], mid[1]) {
		t.Error("A's own canvas has no ink where A drew")
	}
	var boardA, boardB string
	a.eval(`window.sketchpad.boardHex()`, &boardA)
	b.eval(`window.sketchpad.boardHex()`, &boardB)
	if boardA != boardB || len(boardA) < 100 {
		t.Fatalf("A and B hold different boards (%d vs %d hex chars)", len(boardA), len(boardB))
	}

	// A third person opens the link later and sees the same picture.
	c := newPerson(t, "C")
	c.open(url)
	var seqA int
	a.eval(`window.sketchpad.seq()`, &seqA)
	c.waitFor("C to load the board", `window.sketchpad.seq() >= `+itoa(seqA))
	var boardC string
	c.eval(`window.sketchpad.boardHex()`, &boardC)
	if boardC != boardA {
		t.Fatal("the late joiner holds a different board")
	}
	c.waitFor("the stroke on C's canvas", inkJS(mid[0], mid[1]))
	if pa, pc := a.canvasPixels(), c.canvasPixels(); pa != pc {
		t.Error("the late joiner's canvas differs from A's, pixel for pixel")
		if dir := os.Getenv("SKETCHPAD_E2E_SHOTS"); dir != "" {
			a.screenshot(dir + "/a.png")
			c.screenshot(dir + "/c.png")
		}
	}
}

// inkJS is a page expression: is there ink near CSS point (x, y) on the
// drawing surface (the largest canvas)?
func inkJS(x, y float64) string {
	return `(() => {
		const cs = [...document.querySelectorAll('canvas:not(.lasers)')];
		cs.sort((a, b) => b.width * b.height - a.width * a.height);
		const c = cs[0], r = c.getBoundingClientRect();
		const sx = c.width / r.width, sy = c.height / r.height;
		const px = Math.round((` + ftoa(x) + ` - r.left) * sx), py = Math.round((` + ftoa(y) + ` - r.top) * sy);
		const d = c.getContext('2d').getImageData(px - 3, py - 3, 7, 7).data;
		const bg = c.getContext('2d').getImageData(2, c.height - 3, 1, 1).data;
		for (let i = 0; i < d.length; i += 4) {
			if (Math.abs(d[i] - bg[0]) + Math.abs(d[i+1] - bg[1]) + Math.abs(d[i+2] - bg[2]) + Math.abs(d[i+3] - bg[3]) > 60) return true;
		}
		return false;
	})()`
}
