package e2e

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The wire from a real pointer (issue 17): while a stroke is drawn its last
// point is the cursor, so the page sends no cursor frame, and peers place
// the cursor from the stroke.

// wsFrames records a page's WebSocket frames as DevTools reports them.
type wsFrames struct {
	mu         sync.Mutex
	sent, recv [][]byte
}

func (p *person) recordFrames() *wsFrames {
	p.t.Helper()
	f := &wsFrames{}
	listen := func(ev any) {
		var fr *network.WebSocketFrame
		var into *[][]byte
		switch e := ev.(type) {
		case *network.EventWebSocketFrameSent:
			fr, into = e.Response, &f.sent
		case *network.EventWebSocketFrameReceived:
			fr, into = e.Response, &f.recv
		default:
			return
		}
		if fr == nil || fr.Opcode != 2 {
			return
		}
		b, err := base64.StdEncoding.DecodeString(fr.PayloadData)
		if err != nil {
			return
		}
		f.mu.Lock()
		*into = append(*into, b)
		f.mu.Unlock()
	}
	// The page's board socket is opened and written in a dedicated worker
	// (net/socket_worker.ts): DevTools reports its frames on the worker's
	// target, not the page's, which sees none; and only a socket opened
	// after the worker's network events were on, so the page reconnects
	// (its worker closes the socket as a server going away would).
	var workers []target.ID
	p.run("find the socket worker", chromedp.ActionFunc(func(ctx context.Context) error {
		infos, err := chromedp.Targets(ctx)
		for _, in := range infos {
			if in.Type == "worker" {
				workers = append(workers, in.TargetID)
			}
		}
		return err
	}))
	if len(workers) != 1 {
		p.t.Fatalf("%d dedicated workers on the page; want the socket's one", len(workers))
	}
	wctx, _ := chromedp.NewContext(p.ctx, chromedp.WithTargetID(workers[0]))
	chromedp.ListenTarget(wctx, listen)
	// Not under a deadline: the first Run attaches, and a context that ends
	// detaches.
	if err := chromedp.Run(wctx, network.Enable()); err != nil {
		p.t.Fatalf("enable network events in the socket worker: %v", err)
	}
	p.eval(`(() => {
		const post = Worker.prototype.postMessage;
		Worker.prototype.postMessage = function (m, t) {
			post.call(this, m, t);
			if (m && m.t === 'send') {
				Worker.prototype.postMessage = post;
				post.call(this, { t: 'close', id: m.id, code: 1000, reason: '' }, []);
			}
		};
		return true;
	})()`, nil)
	// A hover sends a cursor frame, which closes the socket.
	p.run("hover", chromedp.ActionFunc(func(ctx context.Context) error {
		return input.DispatchMouseEvent(input.MouseMoved, 500, 500).Do(ctx)
	}))
	// The new socket's first frames are the sign that it is watched (the
	// old one's were not reported); the page may be live again before
	// DevTools' events reach this process, or reconnect between two looks
	// at its status.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		f.mu.Lock()
		got := len(f.recv)
		f.mu.Unlock()
		if got > 0 {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatal("DevTools reported no frame received by the socket worker after the page reconnected")
		}
	}
	p.waitFor("the page live again", `window.sketchpad.status() === 'live'`)
	return f
}

// take returns the frames recorded since the last take.
func (f *wsFrames) take() (sent, recv [][]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	sent, recv = f.sent, f.recv
	f.sent, f.recv = nil, nil
	return
}

// wireBytes is what frames cost on the wire: the payloads and the WebSocket
// framing (2 bytes, 2 more from 126 bytes of payload, and the 4-byte mask
// on what a client sends).
func wireBytes(frames [][]byte, masked bool) int {
	n := 0
	for _, b := range frames {
		n += len(b) + 2
		if len(b) >= 126 {
			n += 2
		}
		if masked {
			n += 4
		}
	}
	return n
}

// serverMessages returns the message types in a server frame (each: type
// u8, body length uvarint, body).
func serverMessages(frame []byte) []byte {
	var types []byte
	for i := 0; i < len(frame); {
		types = append(types, frame[i])
		i++
		n, shift := 0, 0
		for i < len(frame) {
			c := frame[i]
			i++
			n |= int(c&0x7f) << shift
			shift += 7
			if c < 0x80 {
				break
			}
		}
		i += n
	}
	return types
}

func TestAPersonDrawingSendsNoCursorFramesAndPeersSeeTheCursorOnTheStroke(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-wire")
	fa, fb := a.recordFrames(), b.recordFrames()
	var authorA int
	a.eval(`window.sketchpad.author()`, &authorA)
	a.tool("pen")
	a.drag(line(150, 300, 450, 360, 10)) // a first stroke: the page warms up
	settled(t, a, b)
	fa.take()
	fb.take()

	path := waveIn(140, 700, 220, 40, 120)
	a.drag(path)
	settled(t, a, b)
	sent, _ := fa.take()
	_, recv := fb.take()
	cursorsUp, cursorsDown, opsDown := 0, 0, 0
	for _, f := range sent {
		if len(f) > 0 && f[0] == 0x20 {
			cursorsUp++
		}
	}
	for _, f := range recv {
		for _, m := range serverMessages(f) {
			switch m {
			case 0x85:
				cursorsDown++
			case 0x81:
				opsDown++
			}
		}
	}
	samples := len(path)
	// Frames DevTools did not report would pass every bound below.
	if len(sent) == 0 || opsDown == 0 {
		t.Fatalf("DevTools reported %d frames sent by A and %d ops received by B for a stroke", len(sent), opsDown)
	}
	t.Logf("one stroke of %d pointer samples: A sent %d frames (%d cursor frames), %.1f bytes per sample with framing; B got %d frames (%d with ops, %d cursor messages), %.1f bytes per sample",
		samples, len(sent), cursorsUp, float64(wireBytes(sent, true))/float64(samples), len(recv), opsDown, cursorsDown, float64(wireBytes(recv, false))/float64(samples))
	// The target of issue 17: at most 10 bytes up and 10 down per pointer
	// sample with framing (it was about 19 up with a cursor frame beside
	// every op frame, and 10.2 down before live frames carried their ops
	// in the follow-on form, without a sequence number and a count).
	if up := float64(wireBytes(sent, true)) / float64(samples); up > 10 {
		t.Errorf("A sent %.1f bytes per pointer sample, framing included; want at most 10", up)
	}
	if down := float64(wireBytes(recv, false)) / float64(samples); down > 10 {
		t.Errorf("B got %.1f bytes per pointer sample, framing included; want at most 10", down)
	}
	// The press may follow a hover that is sent in the same frame.
	if cursorsUp > 1 {
		t.Errorf("A sent %d cursor frames while drawing; the stroke's points are the cursor", cursorsUp)
	}
	if cursorsDown > 1 {
		t.Errorf("B got %d cursor messages for A's stroke", cursorsDown)
	}

	// B shows A's cursor where A's stroke ends (both pages at the same view).
	var tr string
	b.waitFor("A's cursor on B's page", fmt.Sprintf(`(() => { const e = document.querySelector('.cursor[data-author="%d"]'); return !!e && !e.hidden; })()`, authorA))
	b.eval(fmt.Sprintf(`document.querySelector('.cursor[data-author="%d"]').style.transform`, authorA), &tr)
	m := regexp.MustCompile(`translate\(([-\d.]+)px, ([-\d.]+)px\)`).FindStringSubmatch(tr)
	if m == nil {
		t.Fatalf("A's cursor on B's page: transform %q", tr)
	}
	x, _ := strconv.ParseFloat(m[1], 64)
	y, _ := strconv.ParseFloat(m[2], 64)
	end := path[len(path)-1]
	if abs(x-end[0]) > 4 || abs(y-end[1]) > 4 {
		t.Errorf("A's cursor on B's page is at (%.0f, %.0f); A's stroke ends at (%.0f, %.0f)", x, y, end[0], end[1])
	}
}
