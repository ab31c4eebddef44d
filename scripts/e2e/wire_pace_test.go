package e2e

import (
	"bytes"
	"encoding/base64"
	"math"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// The pace of the wire while drawing (issue 17): at most one frame per
// animation frame in all, and no added latency. Both are told in the
// page's own clock, its animation frames, not in milliseconds, so a loaded
// machine that makes every frame late cannot fail the test and a page that
// holds an op back a frame cannot pass it. The frames are DevTools' (what
// went on the wire); the page tags each with the animation frame that
// handed it to the socket's worker (net/socket_worker.ts), matched to
// DevTools' in order and by content.

// paceProbe counts the page's animation frames (its callback, asked for in
// the previous frame, runs before the page's own, asked for by the input
// since), tags each pointer sample with the count when it arrived and each
// message the page hands its socket's worker with the count when it went.
const paceProbe = `(() => {
	const w = window.__pace = { tick: 0, samples: [], posts: [] };
	const loop = () => { w.tick++; requestAnimationFrame(loop); };
	requestAnimationFrame(loop);
	const c = document.getElementById('board');
	const take = (e) => {
		const r = c.getBoundingClientRect(), v = window.sketchpad.view();
		const list = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
		for (const s of (list.length ? list : [e])) {
			w.samples.push([w.tick, (s.clientX - r.left - v.x) / v.scale, (s.clientY - r.top - v.y) / v.scale]);
		}
	};
	window.addEventListener('pointerdown', take, true);
	window.addEventListener('pointermove', take, true);
	const post = Worker.prototype.postMessage;
	Worker.prototype.postMessage = function (m, t) {
		if (m && m.t === 'send') {
			const b = new Uint8Array(m.data instanceof ArrayBuffer ? m.data : m.data.buffer.slice(m.data.byteOffset, m.data.byteOffset + m.data.byteLength));
			let s = '';
			for (const x of b) s += String.fromCharCode(x);
			w.posts.push([w.tick, btoa(s)]);
		}
		return post.call(this, m, t);
	};
	return true;
})()`

type paceLog struct {
	Samples [][3]float64 `json:"samples"` // tick, board x, y
	Posts   [][2]any     `json:"posts"`   // tick, base64 bytes
}

func TestADrawerSendsAtMostOneFramePerAnimationFrameAndHoldsNoPointBack(t *testing.T) {
	base := startServer(t)
	a := newPerson(t, "A")
	a.open(base + "/b/e2e-wire-pace")
	fa := a.recordFrames()
	var author int
	a.eval(`window.sketchpad.author()`, &author)
	a.tool("pen")
	a.drag(line(150, 300, 450, 360, 10)) // a first stroke: the page warms up
	settled(t, a)
	a.eval(paceProbe, nil)
	settled(t, a)
	fa.take()
	a.eval(`(window.__pace.samples = [], window.__pace.posts = [], true)`, nil)

	path := waveIn(140, 700, 220, 40, 120)
	a.drag(path)
	settled(t, a)
	sent, _ := fa.take()
	var log paceLog
	a.eval(`window.__pace`, &log)

	// The page's posts are DevTools' frames, in order.
	if len(log.Posts) != len(sent) {
		t.Fatalf("the page handed its socket %d messages; DevTools saw %d frames go", len(log.Posts), len(sent))
	}
	ticks := make([]int, len(sent))
	for i, p := range log.Posts {
		b, err := base64.StdEncoding.DecodeString(p[1].(string))
		if err != nil || !bytes.Equal(b, sent[i]) {
			t.Fatalf("message %d the page handed its socket is not frame %d on the wire", i, i)
		}
		ticks[i] = int(p[0].(float64))
	}

	// At most one frame per animation frame while the stroke is drawn. The
	// press and the release each go at once, not a frame later: the Begin
	// may follow the hover's cursor frame, and the End the last points, in
	// one animation frame (a client frame carries one message).
	perTick := map[int]int{}
	begins, ends := 0, 0
	for i, k := range ticks {
		switch canvas.OpType(sent[i][0]) {
		case canvas.OpBegin:
			begins++
		case canvas.OpEnd:
			ends++
		default:
			perTick[k]++
		}
	}
	if begins != 1 || ends != 1 {
		t.Errorf("one stroke sent %d Begin and %d End ops; want one of each", begins, ends)
	}
	first, last := int(log.Samples[0][0]), int(log.Samples[len(log.Samples)-1][0])
	for k, n := range perTick {
		if n > 1 {
			t.Errorf("animation frame %d (the stroke's samples came in %d..%d) sent %d frames besides a Begin or End; want at most one", k, first, last, n)
		}
	}

	// No added latency: a sample that arrived before animation frame k+1
	// (the probe counted k) is on the wire in a frame sent by the end of
	// frame k+1, not held back a frame. The ops are applied as the server
	// would; each sample's point must be among the stroke's points by then.
	board := canvas.NewBoard(0)
	var f canvas.ClientFrame
	next := 0 // the next frame to apply
	held := 0
	for i, s := range log.Samples {
		k := int(s[0])
		for next < len(sent) && ticks[next] <= k+1 {
			if err := canvas.DecodeClientFrame(sent[next], &f); err != nil {
				t.Fatalf("frame %d: %v", next, err)
			}
			if canvas.IsOp(f.Type) {
				board.Apply(uint32(author), &f.Op)
			}
			next++
		}
		strokes := board.Strokes()
		found := false
		if len(strokes) > 0 {
			x, y := s[1], s[2]
			for _, p := range strokes[len(strokes)-1].Points {
				if math.Abs(float64(p.X)-x) <= 1 && math.Abs(float64(p.Y)-y) <= 1 {
					found = true
					break
				}
			}
		}
		if !found {
			held++
			if held <= 3 {
				t.Errorf("sample %d of %d (animation frame %d, at %.1f, %.1f) was not on the wire by the end of frame %d", i, len(log.Samples), k, s[1], s[2], k+1)
			}
		}
	}
	if held > 3 {
		t.Errorf("... %d samples in all held back", held)
	}
	t.Logf("%d pointer samples over %d animation frames (%d..%d); %d frames sent, at most %d in one animation frame",
		len(log.Samples), last-first+1, first, last, len(sent), maxOf(perTick))
}

func maxOf(m map[int]int) int {
	n := 0
	for _, v := range m {
		n = max(n, v)
	}
	return n
}
