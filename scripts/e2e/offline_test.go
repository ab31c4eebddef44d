package e2e

// A board link opens without a network (issue 20): the service worker
// serves the page and the app's files, the page shows the board as this
// browser last saw it (IndexedDB), drawing works, and what was drawn
// reaches everyone once the server is back. "Without a network" is the
// server gone from its address, as a page sees a lost network: every
// request and the WebSocket fail; then it comes back at the same address
// with the same data.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/config"
)

// restartable is a replica that can leave its address and come back.
type restartable struct {
	t    *testing.T
	addr string
	dir  string
	app  *server.App
	srv  *http.Server
}

func newRestartable(t *testing.T) *restartable {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &restartable{t: t, addr: ln.Addr().String(), dir: t.TempDir()}
	r.serve(ln)
	t.Cleanup(r.stop)
	return r
}

func (r *restartable) start() {
	var ln net.Listener
	var err error
	for i := 0; i < 100; i++ { // the old socket may linger a moment
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatalf("listen again on %s: %v", r.addr, err)
	}
	r.serve(ln)
}

func (r *restartable) serve(ln net.Listener) {
	app, err := server.New(&config.Config{DataDir: r.dir}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		r.t.Fatal(err)
	}
	r.app, r.srv = app, app.HTTPServer()
	go func(srv *http.Server) {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.t.Errorf("serve: %v", err)
		}
	}(r.srv)
}

// stop takes the replica off its address: no new connection is accepted,
// and the open ones (WebSockets) are closed as at a shutdown.
func (r *restartable) stop() {
	if r.app == nil {
		return
	}
	_ = r.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = r.app.Shutdown(ctx)
	r.app = nil
}

// evalAsync evaluates a promise-valued expression.
func (p *person) evalAsync(js string, out any) {
	p.t.Helper()
	p.run("eval "+js, chromedp.Evaluate(js, out, awaitPromise))
}

// waitAsync polls a promise-valued expression until it gives true.
func (p *person) waitAsync(what, js string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		p.evalAsync(js, &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pageKeptJS says whether the service worker keeps this page for offline use.
const pageKeptJS = `(async () => {
	for (const n of await caches.keys()) {
		if (n.startsWith('sketchpad-pages-') && await (await caches.open(n)).match(location.origin + location.pathname)) return true;
	}
	return false;
})()`

// boardKeptJS gives the sequence number of the board kept in IndexedDB for this page's board.
const boardKeptJS = `new Promise((resolve) => {
	const q = indexedDB.open('sketchpad');
	q.onerror = () => resolve(-1);
	q.onsuccess = () => {
		const db = q.result;
		if (!db.objectStoreNames.contains('boards')) { db.close(); resolve(-1); return; }
		const g = db.transaction('boards').objectStore('boards').get(location.pathname.split('/').pop());
		g.onsuccess = () => { db.close(); resolve(g.result ? g.result.seq : -1); };
		g.onerror = () => { db.close(); resolve(-1); };
	};
})`

// workKeptJS says whether this board's unsent work is kept in IndexedDB.
const workKeptJS = `new Promise((resolve) => {
	const q = indexedDB.open('sketchpad');
	q.onerror = () => resolve(false);
	q.onsuccess = () => {
		const db = q.result;
		const g = db.transaction('work').objectStore('work').index('segment').getAll(location.pathname.split('/').pop());
		g.onsuccess = () => { db.close(); resolve(g.result.some((w) => w.ops.length > 0)); };
		g.onerror = () => { db.close(); resolve(false); };
	};
})`

// shiftWave is wave moved down by dy CSS pixels.
// drawnAndKeptForOffline draws a stroke on a's board (its page under the
// service worker), waits for it to be acknowledged and for the page and
// the board at its last op to be kept in the browser, and returns the
// stroke and that op's sequence number.
func drawnAndKeptForOffline(a *person) ([][2]float64, int) {
	a.t.Helper()
	a.waitFor("the service worker in control", `navigator.serviceWorker.controller !== null`)
	first := shiftWave(-140)
	a.drag(first)
	a.waitFor("the first stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 2`)
	var seq int
	a.eval(`window.sketchpad.seq()`, &seq)
	a.waitAsync("the page kept for offline use", pageKeptJS)
	a.waitAsync("the board kept at its last op", `(`+boardKeptJS+`).then((s) => s === `+itoa(seq)+`)`)
	return first, seq
}

// openedOffline checks a's page, reloaded without a network: the app runs
// with the kept board at seq, first is drawn, and the page says it is
// offline and what becomes of what is drawn.
func openedOffline(t *testing.T, a *person, first [][2]float64, seq int) {
	t.Helper()
	a.waitFor("the app running offline", `window.sketchpad !== undefined && window.sketchpad.seq() === `+itoa(seq))
	mid1 := first[30]
	a.waitFor("the first stroke shown from the kept board", inkJS(mid1[0], mid1[1]))
	a.waitFor("the page saying it is offline", `window.sketchpad.status() === 'offline'`)
	var note string
	a.eval(`document.querySelector('.status-note').hidden ? '' : document.querySelector('.status-note').textContent`, &note)
	if !strings.Contains(note, "last seen") || !strings.Contains(note, "sent when the connection is back") {
		t.Errorf("offline, the page says %q beside %q", note, a.statusText())
	}
}

func shiftWave(dy float64) [][2]float64 {
	path := wave(60)
	for i := range path {
		path[i][1] += dy
	}
	return path
}

// flatWave is a low wave across the page around y.
func flatWave(y float64) [][2]float64 {
	path := wave(60)
	for i := range path {
		path[i][1] = y + (path[i][1]-380)/4
	}
	return path
}

func TestABoardOpensOfflineKeepsWhatIsDrawnAcrossAReloadAndSendsItOnceWhenTheServerIsBack(t *testing.T) {
	r := newRestartable(t)
	base := "http://" + r.addr // a loopback address is a secure context: service workers run
	board := base + "/b/offline-board"

	a := newPerson(t, "Ada")
	a.open(board)
	var mid1, mid2 [2]float64
	defer func() {
		if t.Failed() { // what the page had, to tell a missing stroke from a moved view
			var got string
			_ = chromedp.Run(a.ctx, chromedp.Evaluate(`JSON.stringify({strokes: window.sketchpad.visibleStrokes(), seq: window.sketchpad.seq(), view: window.sketchpad.view(), ink1: `+inkJS(mid1[0], mid1[1])+`, ink2: `+inkJS(mid2[0], mid2[1])+`, w: innerWidth, h: innerHeight})`, &got))
			t.Logf("Ada's page: %s", got)
			var work string
			_ = chromedp.Run(a.ctx, chromedp.Evaluate(`new Promise((resolve) => { const q = indexedDB.open('sketchpad'); q.onsuccess = () => { const g = q.result.transaction('work').objectStore('work').getAll(); g.onsuccess = () => resolve(JSON.stringify(g.result.map((w) => [w.page, w.ops.length, String(w.epoch), w.author]))); }; })`, &work, awaitPromise))
			var pend int
			_ = chromedp.Run(a.ctx, chromedp.Evaluate(`window.sketchpad.pendingOps()`, &pend))
			t.Logf("Ada's work kept: %s; pending %d", work, pend)
			var again string
			_ = chromedp.Run(a.ctx, chromedp.Evaluate(`(() => { const v = window.sketchpad.view(); window.sketchpad.setView({scale: v.scale, x: v.x + 1, y: v.y}); return new Promise((r) => setTimeout(() => r(JSON.stringify({ink2: `+inkJS(mid2[0], mid2[1])+`, stats: window.sketchpad.renderStats()})), 800)); })()`, &again, awaitPromise))
			t.Logf("after a repaint: %s", again)
		}
	}()
	first, seq := drawnAndKeptForOffline(a)

	// The network goes away; the person reloads the board's link.
	r.stop()
	a.waitFor("the page offline", `window.sketchpad.status() === 'offline'`)
	a.run("reload offline", chromedp.Reload())
	mid1 = first[30]
	openedOffline(t, a, first, seq)
	// It keeps saying so while it tries the connection again ("connecting…"
	// between the offline spells): every change of the status is watched.
	a.eval(`(() => {
		const ind = document.querySelector('[data-testid="status"]'), note = document.querySelector('.status-note');
		const w = window.__offlineWatch = { states: [], noteGone: '' };
		new MutationObserver(() => {
			const st = ind.dataset.state;
			if (w.states[w.states.length - 1] !== st) w.states.push(st);
			if (note.hidden || !note.textContent.includes('sent when the connection is back')) w.noteGone = w.noteGone || st + ': ' + (note.hidden ? '(hidden)' : note.textContent);
		}).observe(document.querySelector('.status-bar'), { attributes: true, childList: true, characterData: true, subtree: true });
		return true;
	})()`, nil)
	waitLong(t, a, "a try again, and offline after it", `window.__offlineWatch.states.join(' ').includes('connecting offline')`, time.Minute)
	var gone string
	a.eval(`window.__offlineWatch.noteGone`, &gone)
	if gone != "" {
		t.Errorf("while offline and trying again, the note went away (%s)", gone)
	}
	// The parts loaded on first use (their own chunks of the build) come
	// from the worker's cache: the help's tables, the history panel.
	a.eval(`document.querySelector('[data-testid="help"]').click(), true`, nil)
	a.waitFor("the help's tables offline", `document.querySelectorAll('#help-panel tbody tr').length > 10 && !document.querySelector('#help-panel').hidden`)
	a.eval(`document.querySelector('[data-testid="help-close"]').click(), true`, nil)
	a.eval(`document.querySelector('[data-testid="history"]').click(), true`, nil)
	a.waitFor("the history panel offline", `(() => { const e = document.querySelector('[data-testid="history-panel"]'); return !!e && !e.hidden; })()`)
	a.eval(`document.querySelector('[data-testid="history-live"]').click(), true`, nil)
	a.waitFor("the history panel closed", `document.querySelector('[data-testid="history-panel"]').hidden && window.sketchpadHistory.open() === false`)

	// Drawing offline works, and waits.
	second := flatWave(400) // above the status bar, which now holds the offline note
	a.drag(second)
	mid2 = second[30]
	a.waitFor("the offline stroke on the page", inkJS(mid2[0], mid2[1]))
	var pending int
	a.eval(`window.sketchpad.pendingOps()`, &pending)
	if pending == 0 {
		t.Fatal("the stroke drawn offline is not waiting to be sent")
	}

	// Still offline, the page is reloaded: the unsent stroke was kept
	// (IndexedDB) and is there again, waiting.
	a.waitAsync("the offline stroke kept", workKeptJS)
	a.run("reload offline again", chromedp.Reload())
	a.waitFor("the app running offline again", `window.sketchpad !== undefined && window.sketchpad.status() === 'offline'`)
	a.waitFor("both strokes shown after the reload", inkJS(mid1[0], mid1[1])+` && `+inkJS(mid2[0], mid2[1]))
	a.eval(`window.sketchpad.pendingOps()`, &pending)
	if pending == 0 {
		t.Fatal("after a reload the stroke drawn offline is no longer waiting to be sent")
	}

	// The network comes back: the page reconnects by itself and sends it.
	r.start()
	waitLong(t, a, "the offline stroke sent", `window.sketchpad.status() === 'live' && window.sketchpad.pendingOps() === 0`, time.Minute)

	// Someone else sees both strokes, and the second exactly once.
	b := newPerson(t, "Grace")
	b.open(board)
	defer func() {
		if t.Failed() { // what the other page had, to tell a missing stroke from a moved view
			var got string
			_ = chromedp.Run(b.ctx, chromedp.Evaluate(`JSON.stringify({strokes: window.sketchpad.visibleStrokes(), seq: window.sketchpad.seq(), view: window.sketchpad.view(), ink1: `+inkJS(mid1[0], mid1[1])+`, ink2: `+inkJS(mid2[0], mid2[1])+`})`, &got))
			t.Logf("the other page: %s", got)
		}
	}()
	b.waitFor("both strokes on another person's page", inkJS(mid1[0], mid1[1])+` && `+inkJS(mid2[0], mid2[1]))
	if n := len(embShown(embFrameBoard(b))); n != 2 {
		t.Errorf("the board holds %d strokes, want 2 (each once)", n)
	}
}

// statusText is what the page's connection indicator says.
func (p *person) statusText() string {
	var s string
	p.eval(`window.sketchpad ? window.sketchpad.statusText() : ''`, &s)
	return s
}

// buildName is the build's name in the service worker's cache names.
var buildName = regexp.MustCompile(`(shell|pages)-[0-9a-f]{10}`)

// A deployment: the next load of a board runs the new page (the worker
// never hands out a kept one while the server answers), the new worker
// takes over, and no cache of the old build is left behind.
func TestANewDeploymentIsPickedUpOnTheNextLoad(t *testing.T) {
	app, err := server.New(&config.Config{DataDir: t.TempDir()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := app.Handler()
	// After the "deployment", board pages carry a marker and the worker is
	// another build's (the real one with its build name changed).
	var deployed atomic.Bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := strings.HasPrefix(r.URL.Path, "/b/") && !strings.HasSuffix(r.URL.Path, ".svg")
		if !deployed.Load() || (r.URL.Path != "/sw.js" && !page) {
			h.ServeHTTP(w, r)
			return
		}
		plain := r.Clone(r.Context())
		plain.Header.Del("Accept-Encoding")
		plain.Header.Del("If-None-Match")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, plain)
		body := rec.Body.String()
		if page {
			body = strings.Replace(body, "</head>", `<meta name="deployment" content="2"></head>`, 1)
		} else {
			body = buildName.ReplaceAllString(body, "${1}-0000000000")
		}
		for k, v := range rec.Header() {
			if k != "Content-Length" && k != "Etag" && k != "Content-Encoding" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})

	a := newPerson(t, "Ada")
	// A board opened before the deployment and not after it: it must still
	// open offline afterwards (its page carried into the new build's cache).
	a.open(ts.URL + "/b/deploy-earlier")
	a.waitFor("the service worker in control", `navigator.serviceWorker.controller !== null`)
	a.waitAsync("the earlier board's page kept for offline use", pageKeptJS)
	a.open(ts.URL + "/b/deploy")
	a.waitAsync("the page kept for offline use", pageKeptJS)
	var before []string
	a.evalAsync(`caches.keys()`, &before)
	if len(before) != 2 || buildName.FindString(strings.Join(before, " ")) == "" {
		t.Fatalf("caches before the deployment: %q", before)
	}

	deployed.Store(true)
	a.run("reload after the deployment", chromedp.Reload())
	var marker bool
	a.eval(`document.querySelector('meta[name="deployment"]') !== null`, &marker)
	if !marker {
		t.Error("the first load after the deployment ran the page kept from before it")
	}
	a.waitFor("the board live", `window.sketchpad.status() === 'live'`)
	a.waitAsync("the old build's caches gone, the new one's there", `caches.keys().then((names) =>
		names.includes('sketchpad-shell-0000000000') && names.every((n) => n.endsWith('-0000000000')))`)
	// The new build's worker took the earlier board's page again from the
	// server while it installed: this build's page, kept for offline use.
	a.waitAsync("the earlier board's page carried into the new build's cache", `caches.open('sketchpad-pages-0000000000')
		.then((c) => c.match(location.origin + '/b/deploy-earlier'))
		.then((r) => r ? r.text() : '').then((html) => html.includes('<meta name="deployment" content="2">'))`)
}
