package e2e

// Embedding (issue 5): a board inside another site's iframe, driven from
// the host page through embed.js and postMessage. Two origins on loopback:
// the Sketchpad server is addressed as localhost, the host pages are
// served from 127.0.0.1 (other ports are other origins still: "other" is
// allowed to frame boards too, "evil" is not).

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/config"
)

const embedAdminKey = "e2e-embed-admin-key-0123456789abcdef"

// embedEnv is a Sketchpad server that lets two origins frame its boards,
// and three host sites: host and other (allowed), evil (not).
type embedEnv struct {
	t      *testing.T
	app    *server.App
	base   string // the server as pages see it: http://localhost:port
	direct string // the same server for Go: http://127.0.0.1:port
	host   string // the host site's origin
	other  string // another allowed origin
	evil   string // an origin not allowed to frame boards

	mu sync.Mutex
	ws []string // the WebSocket requests the server got (paths)
}

func newEmbedEnv(t *testing.T) *embedEnv {
	t.Helper()
	e := &embedEnv{t: t}
	sites := make([]*httptest.Server, 3)
	for i := range sites {
		sites[i] = httptest.NewUnstartedServer(http.HandlerFunc(e.sitePage))
	}
	origin := func(s *httptest.Server) string { return "http://" + s.Listener.Addr().String() }
	e.host, e.other, e.evil = origin(sites[0]), origin(sites[1]), origin(sites[2])

	app, err := server.New(&config.Config{DataDir: t.TempDir(), EmbedOrigins: []string{e.host, e.other}, AdminKey: embedAdminKey},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e.app = app
	h := app.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/ws/") {
			e.mu.Lock()
			e.ws = append(e.ws, r.URL.Path)
			e.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	e.direct = ts.URL
	e.base = strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	for _, s := range sites {
		s.Start()
	}
	t.Cleanup(func() {
		for _, s := range sites {
			s.Close()
		}
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return e
}

// token mints an embed token for board.
func (e *embedEnv) token(board, can, name string, expires time.Time) string {
	e.t.Helper()
	tok, _, err := e.app.Links().MintToken(context.Background(), board, can, name, expires)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// viewID is the board's view id: what a host page names it by.
func (e *embedEnv) viewID(board string) string {
	e.t.Helper()
	v, err := e.app.Links().ViewID(context.Background(), board)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// wsRequests is how many WebSocket requests the server got for a path containing s.
func (e *embedEnv) wsRequests(s string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, p := range e.ws {
		if strings.Contains(p, s) {
			n++
		}
	}
	return n
}

// strokes is how many strokes the server's picture of board shows.
func (e *embedEnv) strokes(board string) int {
	e.t.Helper()
	resp, err := http.Get(e.direct + "/b/" + board + ".svg")
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("board SVG: %s", resp.Status)
	}
	return bytes.Count(body, []byte(`data-stroke="`))
}

// waitStrokes waits until the server's board shows n strokes.
func (e *embedEnv) waitStrokes(board string, n int) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for e.strokes(board) != n {
		if time.Now().After(deadline) {
			e.t.Fatalf("board %s: %d strokes, want %d", board, e.strokes(board), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sitePage serves the host sites' pages (every site serves the same ones):
//
//	/host.html    loads embed.js from the server; mountBoard(slot, options)
//	              mounts a board in #a or #b and logs its events
//	/poster.html  posts a clear command to every other frame of its parent, every 100 ms,
//	              and tells its parent how many board messages it got
//	/raw.html     an iframe of ?src= without embed.js; with post=1 it posts clear commands to it
func (e *embedEnv) sitePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// got: what boards posted to this page (results and events; commands, which have no type, are left out).
	const record = `window.got = []; addEventListener('message', (ev) => { if (ev.data && ev.data.type) got.push({ origin: ev.origin, data: ev.data }); });`
	switch r.URL.Path {
	case "/host.html":
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>host</title>
<style>body { margin: 0; font-size: 0 } .slot { display: inline-block; width: 480px; height: 360px; vertical-align: top } iframe.aux { width: 20px; height: 20px; border: 0 }</style>
</head><body><div id="a" class="slot"></div><div id="b" class="slot"></div>
<script src="%s/embed.js"></script>
<script>
%s
window.log = [];
window.boards = {};
window.posterReports = {};
addEventListener('message', (ev) => { if (ev.data && ev.data.posterReport) posterReports[ev.data.posterReport] = ev.data.got; });
window.mountBoard = (slot, opts) => {
  const b = Sketchpad.mount(document.getElementById(slot), opts);
  boards[slot] = b;
  for (const type of ['load', 'ready', 'joined', 'left', 'change', 'error']) b.on(type, (ev) => log.push({ slot, type, ev }));
  b.ready.then(() => log.push({ slot, type: 'ready-resolved' }), (err) => log.push({ slot, type: 'ready-rejected', ev: { message: String(err && err.message) } }));
  return true;
};
window.seen = (slot, type) => log.filter((l) => l.slot === slot && l.type === type).map((l) => l.ev || {});
window.command = async (slot, name, ...args) => {
  try {
    return { ok: true, value: await boards[slot][name](...args) };
  } catch (err) {
    return { ok: false, error: String(err && err.message) };
  }
};
window.addFrame = (src) => {
  const f = document.createElement('iframe');
  f.src = src;
  f.className = 'aux';
  document.body.appendChild(f);
  return true;
};
</script></body></html>`, e.base, record)
	case "/poster.html":
		fmt.Fprintf(w, `<!doctype html><html><body><script>
%s
let n = 0;
setInterval(() => {
  // Tell the page around (same site, so no target of its own to ask) what came back.
  parent.postMessage({ posterReport: location.origin, got: got.length }, '*');
  for (let i = 0; i < parent.frames.length; i++) {
    const f = parent.frames[i];
    if (f === window) continue;
    f.postMessage({ sketchpad: 1, id: 'poster-' + n++, cmd: 'clear', args: [] }, '*');
  }
}, 100);
</script></body></html>`, record)
	case "/raw.html":
		q := r.URL.Query()
		post := ""
		if q.Get("post") == "1" {
			post = `let n = 0;
setInterval(() => document.getElementById('f').contentWindow.postMessage({ sketchpad: 1, id: 'raw-' + n++, cmd: 'clear', args: [] }, '*'), 100);`
		}
		fmt.Fprintf(w, `<!doctype html><html><body style="margin:0">
<iframe id="f" src="%s" style="width:480px;height:360px;border:0" onload="window.loaded = true"></iframe>
<script>
%s
%s
</script></body></html>`, embHTMLAttr(q.Get("src")), record, post)
	default:
		http.NotFound(w, r)
	}
}

func embHTMLAttr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", `<`, "&lt;", `>`, "&gt;").Replace(s)
}

// embOpen loads a host site's page.
func embOpen(p *person, url string) {
	p.t.Helper()
	p.run("open "+url, chromedp.Navigate(url))
}

// embMount mounts a board in slot (a or b) of the host page, with embed.js.
func embMount(p *person, slot string, opts map[string]any) {
	p.t.Helper()
	js, _ := json.Marshal(opts)
	var ok bool
	p.eval(`window.mountBoard('`+slot+`', `+string(js)+`)`, &ok)
}

// embEvents returns the events of one type the host page heard from slot.
func embEvents(p *person, slot, typ string) []map[string]any {
	p.t.Helper()
	var evs []map[string]any
	p.eval(`window.seen('`+slot+`', '`+typ+`')`, &evs)
	return evs
}

// embWaitEvent waits until the host page heard an event of type typ from
// slot for which the JavaScript condition cond (on ev) holds, and returns it.
func embWaitEvent(p *person, slot, typ, cond string) map[string]any {
	p.t.Helper()
	if cond == "" {
		cond = "true"
	}
	js := `window.seen('` + slot + `', '` + typ + `').find((ev) => ` + cond + `)`
	p.waitFor(slot+" "+typ+" where "+cond, js+` !== undefined`)
	var ev map[string]any
	p.eval(js, &ev)
	return ev
}

// embCommand runs a board command through embed.js: its value, or its error.
func embCommand(p *person, slot, name string, args ...any) (any, string) {
	p.t.Helper()
	if args == nil {
		args = []any{}
	}
	js, _ := json.Marshal(args)
	var res struct {
		OK    bool   `json:"ok"`
		Value any    `json:"value"`
		Error string `json:"error"`
	}
	p.run("command "+name, chromedp.Evaluate(`window.command('`+slot+`', '`+name+`', ...`+string(js)+`)`, &res, awaitEmbedPromise))
	if !res.OK {
		return nil, res.Error
	}
	return res.Value, ""
}

func awaitEmbedPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// embFrameRect is where slot's iframe is on the host page (CSS pixels).
func embFrameRect(p *person, slot string) (x, y, w, h float64) {
	p.t.Helper()
	var r struct{ X, Y, W, H float64 }
	p.eval(`(() => { const r = boards['`+slot+`'].iframe.getBoundingClientRect(); return { X: r.left, Y: r.top, W: r.width, H: r.height }; })()`, &r)
	return r.X, r.Y, r.W, r.H
}

// embDrag drags through pts (CSS pixels inside slot's iframe) with the
// mouse: the events go to the host page's coordinates, the browser routes
// them into the iframe.
func embDrag(p *person, slot string, pts [][2]float64) {
	p.t.Helper()
	x, y, _, _ := embFrameRect(p, slot)
	page := make([][2]float64, len(pts))
	for i, pt := range pts {
		page[i] = [2]float64{x + pt[0], y + pt[1]}
	}
	p.drag(page)
}

// embedWave is a mouse path inside a 480 × 360 frame, clear of the toolbar.
func embedWave(x0, y float64) [][2]float64 {
	pts := make([][2]float64, 40)
	for i := range pts {
		pts[i] = [2]float64{x0 + float64(i)*5, y + 25*float64((i/5)%2*2-1)*float64(i%5)/5}
	}
	return pts
}

// embFrame attaches to the iframe whose address contains marker (its token):
// a person whose eval and waitFor run inside the embedded page.
func embFrame(p *person, marker string) *person {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		infos, err := chromedp.Targets(p.ctx)
		if err != nil {
			p.t.Fatal(err)
		}
		for _, in := range infos {
			if in.Type == "iframe" && strings.Contains(in.URL, marker) {
				ctx, _ := chromedp.NewContext(p.ctx, chromedp.WithTargetID(in.TargetID))
				watchPolicies(p.t, ctx, p.policies)
				// The first Run attaches, and the target lives as long as
				// that Run's context: the frame's own, with no deadline.
				if err := chromedp.Run(ctx); err != nil {
					p.t.Fatalf("attach to the embedded page: %v", err)
				}
				return &person{t: p.t, ctx: ctx, policies: p.policies}
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no iframe at an address containing %.40q", marker)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// embFrameBoard is the embedded page's board, decoded by the Go model.
func embFrameBoard(f *person) *canvas.Board {
	f.t.Helper()
	var h string
	f.eval(`window.sketchpad.boardHex()`, &h)
	raw, err := hex.DecodeString(h)
	if err != nil {
		f.t.Fatal(err)
	}
	b := new(canvas.Board)
	if err := b.UnmarshalBinary(raw); err != nil {
		f.t.Fatalf("the embedded page's board does not decode: %v", err)
	}
	return b
}

func embShown(b *canvas.Board) []*canvas.Stroke {
	var out []*canvas.Stroke
	for _, s := range b.Strokes() {
		if !s.Hidden {
			out = append(out, s)
		}
	}
	return out
}

// embNotRunning checks that the iframe at an address containing marker does
// not run the app (a refused page: Chromium shows its error page instead).
func embNotRunning(t *testing.T, p *person, marker string) {
	t.Helper()
	f := embFrame(p, marker)
	var what string
	f.eval(`typeof window.sketchpad + ' ' + (document.querySelector('canvas#board') !== null)`, &what)
	if what != "undefined false" {
		t.Errorf("the refused iframe runs the app: %s", what)
	}
}

func TestEmbeddedBoardLoadsAndDraws(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-draw"
	tok := e.token(board, access.CanDraw, "Ada", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": e.viewID(board), "token": tok, "tools": []string{"eraser", "pen", "hand"}, "theme": "dark",
		"view": map[string]any{"x": 100, "y": 50, "zoom": 2}})
	ready := embWaitEvent(p, "a", "ready", "")
	if ready["readOnly"] != false || ready["seq"] != float64(0) {
		t.Errorf("ready %v, want {seq: 0, readOnly: false}", ready)
	}
	if n := len(embEvents(p, "a", "load")); n != 1 {
		t.Errorf("%d load events", n)
	}
	embWaitEvent(p, "a", "ready-resolved", "")

	// The compact toolbar: the tools asked for, in toolbar order; no share
	// menu, name box, help or theme switch; the theme asked for.
	f := embFrame(p, tok)
	var ui struct {
		Tools               []string
		Share, Name, Help   bool
		Theme, Status, Tool string
		View                struct{ X, Y, Zoom float64 }
	}
	f.eval(`({
		Tools: [...document.querySelectorAll('[data-testid^="tool-"]')].map((b) => b.dataset.testid),
		Share: !!document.querySelector('[data-testid="share"]'),
		Name: !!document.querySelector('[data-testid="name-input"]'),
		Help: !!document.querySelector('[data-testid="help"]'),
		Theme: document.documentElement.dataset.theme,
		Status: window.sketchpad.status(),
		Tool: document.querySelector('[aria-pressed="true"][data-testid^="tool-"]').dataset.testid,
		View: window.sketchpad.view(),
	})`, &ui)
	if strings.Join(ui.Tools, ",") != "tool-hand,tool-pen,tool-eraser" || ui.Share || ui.Name || ui.Help {
		t.Errorf("compact toolbar: %+v", ui)
	}
	if ui.Theme != "dark" || ui.Status != "live" || ui.Tool != "tool-pen" {
		t.Errorf("embedded page: %+v", ui)
	}
	// view=100,50,2: board point (100, 50) CSS pixels at 100 % in the top-left corner, at 200 %.
	if v := ui.View; v.Zoom != 2 || v.X != -200 || v.Y != -100 {
		t.Errorf("first view %+v, want zoom 2 with the board origin at (-200, -100)", v)
	}

	// A drag inside the iframe draws on the board, for everyone.
	embDrag(p, "a", embedWave(60, 180))
	f.waitFor("the stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 0`)
	var seq float64
	f.eval(`window.sketchpad.seq()`, &seq)
	embWaitEvent(p, "a", "change", "ev.seq === "+ftoa(seq))
	e.waitStrokes(board, 1)
	f.waitFor("the stroke on the embedded canvas", inkJS(60+100, 180))
	if s := embShown(embFrameBoard(f)); len(s) != 1 || s[0].Tool != canvas.ToolPen {
		t.Errorf("the embedded page's board: %d strokes", len(s))
	}
	for _, ev := range embEvents(p, "a", "error") {
		t.Errorf("error event: %v", ev)
	}
}

func TestTwoEmbedsOnOnePageSeeEachOthersStrokes(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-two"
	view := e.viewID(board)
	ada := e.token(board, access.CanDraw, "Ada", time.Now().Add(time.Hour))
	bob := e.token(board, access.CanDraw, "Bob", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": ada})
	embWaitEvent(p, "a", "ready", "")
	embMount(p, "b", map[string]any{"board": view, "token": bob})
	embWaitEvent(p, "b", "ready", "")
	// Each hears the other come, under the name the token forces.
	joinedA := embWaitEvent(p, "a", "joined", `ev.name === 'Bob'`)
	joinedB := embWaitEvent(p, "b", "joined", `ev.name === 'Ada'`)
	fa, fb := embFrame(p, ada), embFrame(p, bob)

	// A draws; B sees it.
	embDrag(p, "a", embedWave(40, 150))
	fa.waitFor("A's stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 0`)
	var seqA float64
	fa.eval(`window.sketchpad.seq()`, &seqA)
	embWaitEvent(p, "b", "change", "ev.seq >= "+ftoa(seqA))
	fb.waitFor("A's stroke on B's canvas", inkJS(40+100, 150))

	// B draws somewhere else; A sees it.
	embDrag(p, "b", embedWave(120, 260))
	fb.waitFor("B's stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > `+ftoa(seqA))
	var seqB float64
	fb.eval(`window.sketchpad.seq()`, &seqB)
	embWaitEvent(p, "a", "change", "ev.seq >= "+ftoa(seqB))
	fa.waitFor("B's stroke on A's canvas", inkJS(120+100, 260))

	var hexA, hexB string
	fa.eval(`window.sketchpad.boardHex()`, &hexA)
	fb.eval(`window.sketchpad.boardHex()`, &hexB)
	if hexA != hexB {
		t.Error("the two embedded pages hold different boards")
	}
	if s := embShown(embFrameBoard(fa)); len(s) != 2 || s[0].ID.Author == s[1].ID.Author {
		t.Errorf("want one stroke by each: %d strokes", len(s))
	}
	e.waitStrokes(board, 2)

	// B goes: A hears it, with B's author id and name.
	p.eval(`boards.b.destroy(), true`, nil)
	left := embWaitEvent(p, "a", "left", `ev.name === 'Bob'`)
	if left["author"] != joinedA["author"] || joinedB["author"] == joinedA["author"] {
		t.Errorf("joined/left authors: %v %v %v", joinedA, joinedB, left)
	}
}
