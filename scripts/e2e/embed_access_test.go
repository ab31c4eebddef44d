package e2e

// Embedding (issue 5), who may do what: a host not on the list cannot
// frame a board, commands from another origin are ignored, a view token
// cannot draw however the page is tampered with, and expired or foreign
// tokens are refused at connect. The harness is in embed_test.go.

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server/access"
)

func TestAHostNotOnTheListIsRefusedFraming(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-evil"
	view := e.viewID(board)
	tok := e.token(board, access.CanDraw, "", time.Now().Add(time.Hour))
	p := newPerson(t, "evil host")
	p.expectPolicy("frame-ancestors") // the refusal this test checks

	// With embed.js: the server refuses the page (host_not_allowed), and its
	// error response may not be framed either; the host hears load_failed.
	embOpen(p, e.evil+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": tok})
	ev := embWaitEvent(p, "a", "error", "")
	if ev["code"] != "load_failed" || ev["fatal"] != true {
		t.Errorf("error event %v", ev)
	}
	embWaitEvent(p, "a", "ready-rejected", "")
	embNotRunning(t, p, tok)

	// A plain iframe of the embed page (no host parameter): the server sends
	// it, but with frame-ancestors listing only the allowed origins, so
	// Chromium does not show it in the evil page.
	raw := e.base + "/embed/" + view + "?token=" + tok + "&try=evil"
	embOpen(p, e.evil+"/raw.html?src="+url.QueryEscape(raw))
	time.Sleep(1500 * time.Millisecond)
	embNotRunning(t, p, "try=evil")
	if n := e.wsRequests(view); n != 0 {
		t.Errorf("%d WebSocket requests from pages that must not run", n)
	}

	// The same plain iframe on an allowed origin runs and connects: what
	// refused it above was the origin.
	allowed := strings.Replace(raw, "try=evil", "try=host", 1)
	embOpen(p, e.host+"/raw.html?src="+url.QueryEscape(allowed))
	f := embFrame(p, "try=host")
	f.waitFor("the board live in an allowed host's iframe", `window.sketchpad && window.sketchpad.status() === 'live'`)
	if n := e.wsRequests(view); n != 1 {
		t.Errorf("%d WebSocket requests, want 1", n)
	}
}

func TestCommandsFromTheWrongOriginAreIgnored(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-origin"
	view := e.viewID(board)
	tok := e.token(board, access.CanDraw, "Ada", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": tok})
	embWaitEvent(p, "a", "ready", "")
	embDrag(p, "a", embedWave(60, 180))
	e.waitStrokes(board, 1)
	f := embFrame(p, tok)
	f.waitFor("the stroke acknowledged", `window.sketchpad.pendingOps() === 0`)
	var seq float64
	f.eval(`window.sketchpad.seq()`, &seq)
	embWaitEvent(p, "a", "change", "ev.seq === "+ftoa(seq))
	changes := len(embEvents(p, "a", "change"))

	// Three senders try to clear the board for a while:
	//  - a frame of the evil origin on the host page, posting to its sibling (the board);
	//  - a frame of the host's own origin that is not the board's parent;
	//  - the host page itself, with a targetOrigin that is not the board's.
	p.eval(`addFrame('`+e.evil+`/poster.html'), addFrame('`+e.host+`/poster.html?same=1'), true`, nil)
	p.eval(`(() => {
		const w = boards.a.iframe.contentWindow;
		window.wrongTarget = setInterval(() => w.postMessage({ sketchpad: 1, id: 'wrong-target', cmd: 'clear', args: [] }, '`+e.host+`'), 100);
		return true;
	})()`, nil)
	//  - an allowed origin that frames the board naming the host as its host (so
	//    the board talks only to the host's origin, which is not its parent's).
	other := e.token(board, access.CanDraw, "Other", time.Now().Add(time.Hour))
	src := e.base + "/embed/" + view + "?host=" + url.QueryEscape(e.host) + "&token=" + other
	o := newPerson(t, "other")
	embOpen(o, e.other+"/raw.html?post=1&src="+url.QueryEscape(src))
	fo := embFrame(o, other)
	fo.waitFor("the board live on the other origin", `window.sketchpad && window.sketchpad.status() === 'live'`)
	p.waitFor("both posters posting", `posterReports['`+e.evil+`'] !== undefined && posterReports['`+e.host+`'] !== undefined`)

	time.Sleep(2 * time.Second)
	if n := e.strokes(board); n != 1 {
		t.Fatalf("a command from the wrong origin cleared the board: %d strokes", n)
	}
	var now float64
	f.eval(`window.sketchpad.seq()`, &now)
	if now != seq {
		t.Errorf("the board changed: seq %v, was %v", now, seq)
	}
	// Nobody got an answer: results go to the parent only, and none was sent.
	var hostGot []map[string]any
	p.eval(`got.filter((m) => m.data && m.data.type === 'result')`, &hostGot)
	if len(hostGot) != 0 {
		t.Errorf("the host page got results for commands it did not send: %v", hostGot)
	}
	var evilGot, sameGot, otherGot int
	p.eval(`posterReports['`+e.evil+`']`, &evilGot)
	p.eval(`posterReports['`+e.host+`']`, &sameGot)
	o.eval(`got.length`, &otherGot)
	if evilGot != 0 || sameGot != 0 || otherGot != 0 {
		t.Errorf("board messages reached other frames: evil %d, host origin sibling %d, other origin %d", evilGot, sameGot, otherGot)
	}
	if n := len(embEvents(p, "a", "change")); n != changes {
		t.Errorf("%d change events, want %d (the stroke's)", n, changes)
	}

	// The host itself, through embed.js, can.
	p.eval(`clearInterval(window.wrongTarget), true`, nil)
	if _, err := embCommand(p, "a", "clear"); err != "" {
		t.Fatalf("clear from the host: %s", err)
	}
	e.waitStrokes(board, 0)
}

// stripReadOnly makes the embedded page p reload with the app's script
// given a first line that takes the read-only meta tag out of the page: a
// page that does not know it may only view. (The script, not the page:
// Chromium treats a page served through the DevTools protocol as a public
// one, which may not open a WebSocket to a loopback server.)
func stripReadOnly(p *person) {
	p.t.Helper()
	chromedp.ListenTarget(p.ctx, func(ev any) {
		e, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			_ = chromedp.Run(p.ctx, chromedp.ActionFunc(func(ctx context.Context) error {
				if e.ResponseStatusCode == 0 && e.ResponseErrorReason == "" {
					// The request: ask for the whole script (not "not modified") and its response.
					var hdrs []*fetch.HeaderEntry
					for k, v := range e.Request.Headers {
						if !strings.HasPrefix(strings.ToLower(k), "if-") {
							hdrs = append(hdrs, &fetch.HeaderEntry{Name: k, Value: fmt.Sprint(v)})
						}
					}
					return fetch.ContinueRequest(e.RequestID).WithHeaders(hdrs).WithInterceptResponse(true).Do(ctx)
				}
				body, err := fetch.GetResponseBody(e.RequestID).Do(ctx)
				if err != nil || e.ResponseStatusCode != 200 {
					return fetch.ContinueRequest(e.RequestID).Do(ctx)
				}
				body = append([]byte(`document.querySelector('meta[name="sketchpad-read-only"]')?.remove();`+"\n"), body...)
				var hdrs []*fetch.HeaderEntry
				for _, h := range e.ResponseHeaders {
					// The body comes back decoded: it goes out uncompressed.
					if !strings.EqualFold(h.Name, "Content-Length") && !strings.EqualFold(h.Name, "ETag") && !strings.EqualFold(h.Name, "Last-Modified") && !strings.EqualFold(h.Name, "Content-Encoding") {
						hdrs = append(hdrs, h)
					}
				}
				return fetch.FulfillRequest(e.RequestID, e.ResponseStatusCode).WithResponseHeaders(hdrs).
					WithBody(base64.StdEncoding.EncodeToString(body)).Do(ctx)
			}))
		}()
	})
	p.run("intercept the app's script", fetch.Enable().WithPatterns([]*fetch.RequestPattern{
		{URLPattern: "*/static/app.*.js*", ResourceType: network.ResourceTypeScript, RequestStage: fetch.RequestStageRequest},
	}))
	// The script's name is its hash, so the browser keeps it without
	// asking: only with the cache off does the reload fetch it again.
	p.run("reload", network.SetCacheDisabled(true), chromedp.Evaluate(`location.reload(), true`, nil))
}

func TestAViewTokenCannotDraw(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-view"
	view := e.viewID(board)
	viewer := e.token(board, access.CanView, "Viewer", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": viewer})
	if ready := embWaitEvent(p, "a", "ready", ""); ready["readOnly"] != true {
		t.Errorf("ready %v, want readOnly", ready)
	}
	// The page shows the view-only UI and refuses drawing commands itself.
	f := embFrame(p, viewer)
	var ui struct {
		Badge, Pen bool
		Tool       string
	}
	f.eval(`({
		Badge: !document.querySelector('[data-testid="read-only"]').hidden,
		Pen: document.querySelector('[data-testid="tool-pen"]').offsetParent !== null,
		Tool: document.querySelector('[aria-pressed="true"][data-testid^="tool-"]').dataset.testid,
	})`, &ui)
	if !ui.Badge || ui.Pen || ui.Tool != "tool-hand" {
		t.Errorf("view-only UI: %+v", ui)
	}
	if _, err := embCommand(p, "a", "setTool", "pen"); !strings.Contains(err, "view-only") {
		t.Errorf("setTool('pen') on a view token: %q", err)
	}
	if _, err := embCommand(p, "a", "clear"); !strings.Contains(err, "view-only") {
		t.Errorf("clear on a view token: %q", err)
	}
	embDrag(p, "a", embedWave(60, 180))

	// A page that lost its read-only tag (the view token still says view):
	// it draws, the server refuses the op (4403), the page turns view-only
	// and tells the host; the board never changes.
	tampered := e.token(board, access.CanView, "Tampered", time.Now().Add(time.Hour))
	embMount(p, "b", map[string]any{"board": view, "token": tampered})
	embWaitEvent(p, "b", "ready", "")
	fb := embFrame(p, tampered)
	stripReadOnly(fb)
	p.waitFor("the reloaded page ready", `window.seen('b', 'ready').length === 2`)
	if ready := embEvents(p, "b", "ready"); len(ready) != 2 || ready[1]["readOnly"] != false {
		t.Fatalf("the tampered page is read-only (%v): the test proves nothing", ready)
	}
	var wsErrMu sync.Mutex
	var wsErrs []string
	chromedp.ListenTarget(fb.ctx, func(ev any) {
		if w, ok := ev.(*network.EventWebSocketFrameError); ok {
			wsErrMu.Lock()
			wsErrs = append(wsErrs, w.ErrorMessage)
			wsErrMu.Unlock()
		}
	})
	embDrag(p, "b", embedWave(60, 180))
	// The board never changes, on the server or on either page.
	unchanged := func() {
		t.Helper()
		if n := e.strokes(board); n != 0 {
			t.Errorf("a view token drew: %d strokes on the board", n)
		}
		var seqA, seqB float64
		f.eval(`window.sketchpad.seq()`, &seqA)
		fb.eval(`window.sketchpad.seq()`, &seqB)
		if seqA != 0 || seqB != 0 || len(embEvents(p, "a", "change")) != 0 || len(embEvents(p, "b", "change")) != 0 {
			t.Errorf("the board changed: seq %v and %v", seqA, seqB)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(embEvents(p, "b", "error")) == 0 {
		wsErrMu.Lock()
		closedTwice := slices.ContainsFunc(wsErrs, func(m string) bool { return strings.Contains(m, "Close received after close") })
		wsErrMu.Unlock()
		if closedTwice {
			// The server did refuse (it closed the connection at the op)
			// but the browser never learns the code: see serverClosesTwice.
			time.Sleep(time.Second)
			unchanged()
			t.Skip(serverClosesTwice)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no error event after the refused op; WebSocket errors: %v", wsErrs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ev := embWaitEvent(p, "b", "error", "")
	if ev["code"] != "read_only" || ev["fatal"] != false {
		t.Errorf("error event %v, want read_only, not fatal", ev)
	}
	fb.waitFor("the page view-only", `window.sketchpad.readOnly() && !document.querySelector('[data-testid="read-only"]').hidden`)
	fb.waitFor("the page live again", `window.sketchpad.status() === 'live' && window.sketchpad.pendingOps() === 0`)
	unchanged()
}

// serverClosesTwice explains a skip: server/ws/session.go Close writes its
// close frame with conn.WriteMessage, so gws does not know the server has
// sent one, and when the browser answers with its own close frame gws sends
// a second close. Chromium then fails the connection ("Close received after
// close") and the page sees 1006 instead of the server's code (4403, 4410,
// 4400, 4426, ...). Fixed in the server by half-closing the socket right
// after the close frame (CloseWrite), so the second close is never written.
const serverClosesTwice = "the server refused the op, but its close code never reaches the browser: " +
	"server/ws/session.go Close lets gws send a second close frame (Chromium: \"Close received after close\", code 1006); " +
	"the page turns view-only on 4403 once the server half-closes after its close frame"

func TestExpiredAndWrongBoardTokensAreRefusedAtConnect(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-tokens"
	view := e.viewID(board)
	expired := e.token(board, access.CanDraw, "Late", time.Now().Add(-time.Minute))
	wrong := e.token("emb-another", access.CanDraw, "Lost", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": expired})
	embMount(p, "b", map[string]any{"board": view, "token": wrong})
	// The server serves a refused embed its page with the reason (not a
	// JSON body nobody in an iframe would read): the host is told exactly
	// why, and the page never connects.
	for slot, code := range map[string]string{"a": "token_expired", "b": "token_wrong_board"} {
		ev := embWaitEvent(p, slot, "error", "")
		if ev["fatal"] != true || ev["code"] != code || ev["message"] == "" {
			t.Errorf("%s: error event %v, want fatal %s", slot, ev, code)
		}
		embWaitEvent(p, slot, "ready-rejected", "")
		if n := len(embEvents(p, slot, "ready")); n != 0 {
			t.Errorf("%s: the board went live", slot)
		}
		if _, err := embCommand(p, slot, "exportSVG"); err == "" {
			t.Errorf("%s: a command worked on a refused board", slot)
		}
		// The person in the iframe reads words, not the host's error.
		f := embFrame(p, map[string]string{"a": expired, "b": wrong}[slot])
		var said string
		f.eval(`document.querySelector('[data-testid="status"]').textContent`, &said)
		if strings.Contains(strings.ToLower(said), "token") || strings.Contains(said, "_") || !strings.HasPrefix(said, "This ") {
			t.Errorf("%s: the refused board's page says %q to the person in it", slot, said)
		}
	}
	if n := e.wsRequests(""); n != 0 {
		t.Errorf("%d WebSocket requests with refused tokens", n)
	}

	// A token that expires while the board is open: the next op is refused
	// (4410), the board stops and the host is told, for good.
	expires := time.Now().Add(4 * time.Second)
	short := e.token(board, access.CanDraw, "Short", expires)
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": view, "token": short})
	embWaitEvent(p, "a", "ready", "")
	f := embFrame(p, short)
	time.Sleep(time.Until(time.Unix(expires.Unix(), 0).Add(100 * time.Millisecond)))
	embDrag(p, "a", embedWave(60, 180))
	ev := embWaitEvent(p, "a", "error", "")
	if ev["code"] != "token_expired" || ev["fatal"] != true {
		t.Errorf("error event %v, want token_expired, fatal", ev)
	}
	f.waitFor("the page stopped, view-only", `window.sketchpad.readOnly() && window.sketchpad.statusText() === 'Access to this board has expired'`)
	if n := e.strokes(board); n != 0 {
		t.Errorf("an expired token drew: %d strokes", n)
	}
}
