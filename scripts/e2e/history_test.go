package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server/config"
)

// The history panel (Shift+H or its toolbar button): the board at an
// earlier point, the timelapse, restore as a new board, the replay
// exported as an animated SVG; and the warning before unload when unsent
// work cannot be kept on the device.

// historyInkJS says whether the history panel's canvas (the past, drawn
// over the board) has ink near CSS point (x, y).
func historyInkJS(x, y float64) string {
	return fmt.Sprintf(`(() => {
		const c = document.querySelector('canvas.history-board');
		if (!c || c.hidden) return false;
		const r = c.getBoundingClientRect(), sx = c.width / r.width, sy = c.height / r.height;
		const d = c.getContext('2d').getImageData(Math.round((%g - r.left) * sx) - 3, Math.round((%g - r.top) * sy) - 3, 7, 7).data;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 100) return true;
		return false;
	})()`, x, y)
}

// scrubTo moves the history slider to seq as a drag of its thumb does
// (an input event at each value).
func (p *person) scrubTo(seq int) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => {
		const s = document.querySelector('[data-testid="history-slider"]');
		s.value = String(%d);
		s.dispatchEvent(new Event('input', { bubbles: true }));
		return true;
	})()`, seq), nil)
	p.waitFor(fmt.Sprintf("the board at %d", seq), fmt.Sprintf(`window.sketchpadHistory.seq() === %d`, seq))
}

func TestHistoryScrubsPlaysRestoresAndExportsTheReplay(t *testing.T) {
	// Checkpoints every 5 ops: the slider has version marks to show.
	base := startApp(t, &config.Config{DataDir: t.TempDir(), SnapshotEvery: 5})
	a := newPerson(t, "Ada")
	a.open(base + "/b/history-e2e")
	a.tool("pen")
	ys := []float64{200, 270, 340, 410}
	seqs := make([]int, len(ys))
	for i, y := range ys {
		a.drag(line(250, y, 650, y, 30))
		settled(t, a)
		a.eval(`window.sketchpad.seq()`, &seqs[i])
	}
	head := seqs[len(seqs)-1]
	live := a.boardHex()

	// Open: the board as it is now, drawn by the panel.
	a.keys("H", input.ModifierShift)
	a.waitFor("the panel at the head", fmt.Sprintf(`window.sketchpadHistory.open() && window.sketchpadHistory.seq() === %d && window.sketchpadHistory.shown() === 4`, head))
	a.waitFor("the past drawn", historyInkJS(450, ys[3]))
	var tool string
	a.eval(`document.querySelector('canvas#board').dataset.tool`, &tool)
	if tool != "hand" {
		t.Errorf("with the history open the tool is %q, want hand (nothing is drawn on the past)", tool)
	}
	var marks int
	var title string
	a.eval(`document.querySelectorAll('[data-testid="history-mark"]').length`, &marks)
	a.eval(`document.querySelector('[data-testid="history-mark"]')?.title ?? ''`, &title)
	if marks == 0 || !strings.Contains(title, " by ") || !strings.Contains(title, "checkpoint") {
		t.Errorf("the slider marks %d versions, the first titled %q; want checkpoints with their authors", marks, title)
	}

	// Scrub back to after the second stroke: two strokes show.
	a.scrubTo(seqs[1])
	a.waitFor("two strokes", `window.sketchpadHistory.shown() === 2`)
	a.waitFor("the second stroke drawn", historyInkJS(450, ys[1]))
	for _, y := range ys[2:] {
		var ink bool
		a.eval(historyInkJS(450, y), &ink)
		if ink {
			t.Errorf("at op %d the stroke at y=%g (drawn later) shows", seqs[1], y)
		}
	}
	shot(t, a, "scrubbed")
	// Nothing is drawn on the live board while the past shows: keys pick
	// no drawing tool, a drag pans.
	a.run("keep the view", chromedp.Evaluate(`window.keptView = window.sketchpad.view(); true`, nil))
	a.keys("p")
	a.drag(line(300, 480, 500, 520, 10))
	var stillHand bool
	a.eval(`document.querySelector('canvas#board').dataset.tool === 'hand' && window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() === `+itoa(head), &stillHand)
	if !stillHand {
		t.Error("with the history open, P and a drag drew on the live board")
	}
	a.run("view back", chromedp.Evaluate(`window.sketchpad.setView(window.keptView); true`, nil))
	var label string
	a.eval(`document.querySelector('[data-testid="history-label"]').textContent`, &label)
	if !strings.Contains(label, fmt.Sprintf("After op %d of %d", seqs[1], head)) {
		t.Errorf("the label says %q", label)
	}

	// Play the timelapse from there to the end, fast.
	a.run("speed 64×", chromedp.SetValue(`[data-testid="history-speed"]`, "64", chromedp.ByQuery))
	a.click("history-play")
	a.waitFor("the timelapse playing or done", `window.sketchpadHistory.playing() || window.sketchpadHistory.seq() === `+itoa(head))
	a.waitFor("the timelapse at the end", fmt.Sprintf(`!window.sketchpadHistory.playing() && window.sketchpadHistory.seq() === %d && window.sketchpadHistory.shown() === 4`, head))
	a.waitFor("the last stroke drawn by the timelapse", historyInkJS(450, ys[3]))

	// Restore the version after the second stroke as a new board.
	a.scrubTo(seqs[1])
	a.click("history-restore")
	a.waitFor("the new board's link", `!!document.querySelector('[data-testid="history-restored-link"]')`)
	var link string
	a.eval(`document.querySelector('[data-testid="history-restored-link"]').href`, &link)
	if !strings.HasPrefix(link, base+"/b/") || strings.HasSuffix(link, "/history-e2e") {
		t.Fatalf("the restored board's link is %q", link)
	}
	b := newPerson(t, "Bo")
	b.open(link)
	b.waitFor("the restored strokes", `window.sketchpad.seq() > 0`)
	got, want := visible(b.board()), visible(a.board())[:2]
	if len(got) != 2 {
		t.Fatalf("the restored board shows %d strokes, want 2", len(got))
	}
	for i := range got {
		if fmt.Sprint(got[i].Points) != fmt.Sprint(want[i].Points) || got[i].Color != want[i].Color || got[i].Width != want[i].Width {
			t.Errorf("restored stroke %d differs from the original's", i)
		}
	}

	// The original's view link sees its history, and cannot restore it.
	var viewLink string
	a.eval(`document.querySelector('meta[name="sketchpad-view-link"]').content`, &viewLink)
	b.open(base + viewLink)
	b.keys("H", input.ModifierShift)
	b.waitFor("the viewer's panel at the head", fmt.Sprintf(`window.sketchpadHistory.open() && window.sketchpadHistory.seq() === %d`, head))
	b.scrubTo(seqs[0])
	b.waitFor("one stroke for the viewer", `window.sketchpadHistory.shown() === 1`)
	var restoreHidden bool
	b.eval(`document.querySelector('[data-testid="history-restore"]').hidden`, &restoreHidden)
	if !restoreHidden {
		t.Error("a view link's history panel offers to restore")
	}

	shot(t, b, "viewer")

	// Export the replay: an animated SVG, each stroke appearing in turn.
	dir := t.TempDir()
	a.run("allow downloads", browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir))
	a.click("history-export")
	svg := string(waitForFileLike(t, dir, regexp.MustCompile(`^history-e2e-replay-.*\.svg$`)))
	begins := regexp.MustCompile(`to="visible" begin="([0-9.]+)s"`).FindAllStringSubmatch(svg, -1)
	if len(begins) != 4 || strings.Contains(strings.ToLower(svg), "<script") {
		t.Fatalf("the replay holds %d timed strokes (want 4), script %v:\n%.400s", len(begins), strings.Contains(svg, "<script"), svg)
	}
	for i := 1; i < len(begins); i++ {
		now, _ := strconv.ParseFloat(begins[i][1], 64)
		before, _ := strconv.ParseFloat(begins[i-1][1], 64)
		if now <= before {
			t.Errorf("stroke %d appears at %gs, not after stroke %d (%gs)", i, now, i-1, before)
		}
	}
	// Back to live: the board as it is, drawing tools back; the original untouched.
	a.click("history-live")
	a.waitFor("the panel closed", `!window.sketchpadHistory.open() && !document.querySelector('canvas#board').dataset.history`)
	a.eval(`document.querySelector('canvas#board').dataset.tool`, &tool)
	if tool != "pen" {
		t.Errorf("after the history the tool is %q, want pen back", tool)
	}
	if a.boardHex() != live {
		t.Error("the original board changed")
	}
	var seq int
	a.eval(`window.sketchpad.seq()`, &seq)
	if seq != head {
		t.Errorf("the original board is at %d, want %d", seq, head)
	}
}

// A page whose browser cannot keep its unsent work (no IndexedDB) says so
// while work is unsent, and asks before it is closed; a page that can does
// neither.
func TestUnsentWorkThatCannotBeKeptWarnsBeforeUnload(t *testing.T) {
	r := newRestartable(t)
	board := "http://" + r.addr + "/b/unsaved-e2e"
	noStore := newPerson(t, "Nora")
	noStore.run("no IndexedDB", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('disabled by the test', 'SecurityError'); } });`).Do(ctx)
		return err
	}))
	kept := newPerson(t, "Kim")
	for _, p := range []*person{noStore, kept} {
		p.open(board)
		p.tool("pen")
	}
	kept.waitAsync("Kim's storage working", `new Promise((res) => { const q = indexedDB.open('sketchpad'); q.onsuccess = () => { q.result.close(); res(true); }; q.onerror = () => res(false); })`)

	r.stop()
	for i, p := range []*person{noStore, kept} {
		p.waitFor("offline", `window.sketchpad.status() === 'offline'`)
		p.drag(line(250, 300+float64(i)*40, 600, 300+float64(i)*40, 20))
		p.waitFor("unsent work", `window.sketchpad.pendingOps() > 0`)
	}
	const prevented = `(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()`
	hint := `!document.querySelector('[data-testid="unsaved-hint"]').hidden`
	noStore.waitFor("the not-saved hint", hint)
	var asks bool
	noStore.eval(prevented, &asks)
	if !asks {
		t.Error("without IndexedDB, unsent work: the page does not ask before unload")
	}
	// Kim's page keeps the work: after its save, no hint and no question.
	// (The hint waits for storage's first answer, so it is no sign of the
	// save: the question before unload is.)
	kept.waitFor("the work kept (no question before unload)", `!`+prevented)
	var shown bool
	kept.eval(hint, &shown)
	if shown {
		t.Error("with the work kept the page says it is not saved")
	}

	// Back online, the work is sent: nothing left to warn about.
	r.start()
	noStore.waitFor("the work sent", `window.sketchpad.status() === 'live' && window.sketchpad.pendingOps() === 0`)
	noStore.waitFor("the hint gone", `document.querySelector('[data-testid="unsaved-hint"]').hidden`)
	noStore.eval(prevented, &asks)
	if asks {
		t.Error("with nothing unsent the page still asks before unload")
	}
}

// The history panel follows the live board while it is open: someone
// else's new stroke extends the slider, and a panel at the latest point
// shows it.
func TestTheHistoryPanelFollowsNewStrokesWhileOpen(t *testing.T) {
	base := startServer(t)
	room := "history-e2e-live"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	a.drag(line(250, 200, 650, 200, 30))
	settled(t, a, b)
	var head int
	a.eval(`window.sketchpad.seq()`, &head)
	a.keys("H", input.ModifierShift)
	a.waitFor("the panel at the head", fmt.Sprintf(`window.sketchpadHistory.open() && window.sketchpadHistory.seq() === %d && window.sketchpadHistory.shown() === 1`, head))
	b.drag(line(250, 400, 650, 400, 30))
	settled(t, a, b)
	var now int
	b.eval(`window.sketchpad.seq()`, &now)
	a.waitFor("the panel at the new head, the new stroke shown", fmt.Sprintf(`window.sketchpadHistory.head() === %d && window.sketchpadHistory.seq() === %d && window.sketchpadHistory.shown() === 2 && +document.querySelector('[data-testid="history-slider"]').max === %d`, now, now, now))
	a.waitFor("the new stroke drawn by the panel", historyInkJS(450, 400))
}
