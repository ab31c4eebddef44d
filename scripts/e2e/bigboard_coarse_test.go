package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server/config"
)

// A late joiner's first screen of a big board is a coarse picture (one
// path per color and width), painted from the snapshot's bytes before the
// board is built, then from the board; the exact one replaces it once
// painted: the page then shows, pixel for pixel, what a page that painted
// the board exactly at once shows.
func TestABigBoardsCoarseFirstScreenEndsExact(t *testing.T) {
	const n = 30_000 // above the layer's COARSE_MIN (render/refine.ts), all on the fitted screen
	base := startApp(t, &config.Config{DataDir: t.TempDir(), RateDraw: 1e6, IPRateFactor: 1000, MaxBoardStrokes: 100_000, MaxBoardPoints: 2_000_000})
	room := "e2e-coarse-first-screen"
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	head := buildBenchBoard(t, ws, n)

	coarse := newPerson(t, "Coarse")
	exact := newPerson(t, "Exact")
	exact.run("paint exactly at once", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`window.sketchpadCoarseMin = Infinity;`).Do(ctx)
		return err
	}))
	type stats struct{ CoarseRenders, RefinedAt, FirstPictureAt, ShownAt float64 }
	const statsJS = `(() => { const s = window.sketchpad.renderStats(); return {CoarseRenders: s.coarseRenders, RefinedAt: s.refinedAt, FirstPictureAt: s.firstPictureAt, ShownAt: s.shownAt}; })()`
	for _, p := range []*person{coarse, exact} {
		p.run("open", chromedp.Navigate(base+"/b/"+room))
		p.waitWithin("the big board", `window.sketchpad && window.sketchpad.status() === 'live' && window.sketchpad.seq() >= `+itoa(int(head))+
			` && window.sketchpad.renderStats().openMs > 0`, time.Minute)
	}
	var first stats
	coarse.eval(statsJS, &first)
	if first.CoarseRenders == 0 {
		t.Fatalf("the page painted %d strokes exactly at once: no coarse first screen to test", n)
	}
	if first.FirstPictureAt <= 0 || first.FirstPictureAt >= first.ShownAt {
		t.Errorf("no first picture before the board was shown (first picture at %.0f ms, board shown at %.0f ms)", first.FirstPictureAt, first.ShownAt)
	}
	if !coarse.inkAt(500, 400) && !coarse.inkAt(300, 300) && !coarse.inkAt(700, 500) {
		t.Error("the first screen shows no ink")
	}
	coarse.waitWithin("the exact picture", `window.sketchpad.renderStats().refinedAt > 0`, time.Minute)
	var other stats
	exact.eval(statsJS, &other)
	if other.CoarseRenders != 0 || other.FirstPictureAt != 0 {
		t.Fatalf("the reference page painted a coarse picture too")
	}
	var va, vb string
	coarse.eval(`JSON.stringify(window.sketchpad.view())`, &va)
	exact.eval(`JSON.stringify(window.sketchpad.view())`, &vb)
	if va != vb {
		t.Fatalf("the pages opened at different views: %s and %s", va, vb)
	}
	if ink := samePixels(t, "once the exact picture is in", region{0, 0, 1000, 600}, coarse, exact); ink < 1000 {
		t.Fatalf("only %d ink pixels on the pages", ink)
	}
}
