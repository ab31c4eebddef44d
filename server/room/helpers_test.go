package room

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
)

// waitUntil polls cond until it holds, for what no fake can report (a
// sender that returned, a gauge); it fails the test after waitTimeout.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, waitTimeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// What a client saw.

// waitFor waits until cond holds of the client's view and returns it; it
// fails the test, saying what, if it does not within waitTimeout, and at
// once if the client saw something a real client would close for.
func (p *fakePeer) waitFor(t testing.TB, what string, cond func(v *peerView) bool) peerView {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		// cond sees the client's own board (copied only for the caller,
		// as a big board copied at every frame would slow the tests).
		p.mu.Lock()
		v, ch := p.viewLocked(false), p.changed
		ok := len(v.errs) == 0 && cond(&v)
		if ok && v.board != nil {
			v.board = v.board.Clone()
		}
		seq := v.seq()
		p.mu.Unlock()
		if len(v.errs) > 0 {
			t.Fatalf("%s: waiting for %s, the client saw: %v", p.name, what, v.errs)
		}
		if ok {
			return v
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("%s: no %s within %v; seen: %d frames, %d welcomes, seq %d, notices %v, closed %v (%d %q)",
				p.name, what, waitTimeout, v.frames, len(v.welcomes), seq, v.notices, v.closed, v.code, v.reason)
		}
	}
}

// seq is the client's board's head (0 without a board).
func (v peerView) seq() uint64 {
	if v.board == nil {
		return 0
	}
	return v.board.Seq
}

// hasNotice reports whether the client was sent a notice with code.
func (v peerView) hasNotice(code canvas.NoticeCode) bool {
	for _, n := range v.notices {
		if n.Code == code {
			return true
		}
	}
	return false
}

// welcome waits for the client's Welcome (and its board) and returns it;
// a connection closed instead fails the test at once.
func (p *fakePeer) welcome(t testing.TB) canvas.Welcome {
	t.Helper()
	v := p.waitFor(t, "welcome", func(v *peerView) bool {
		return v.closed || len(v.welcomes) > 0 && v.board != nil && v.board.Seq >= v.welcomes[len(v.welcomes)-1].Head
	})
	if len(v.welcomes) == 0 || v.board == nil {
		t.Fatalf("%s: closed with %d (%q) instead of a welcome", p.name, v.code, v.reason)
	}
	return v.welcomes[len(v.welcomes)-1]
}

// waitSeq waits until the client's board is at seq at least.
func (p *fakePeer) waitSeq(t testing.TB, seq uint64) peerView {
	t.Helper()
	return p.waitFor(t, fmt.Sprintf("board at seq %d", seq), func(v *peerView) bool { return v.seq() >= seq })
}

// waitClosed waits until the room closed the connection and returns its
// code.
func (p *fakePeer) waitClosed(t testing.TB) (canvas.CloseCode, string) {
	t.Helper()
	v := p.waitFor(t, "close", func(v *peerView) bool { return v.closed })
	return v.code, v.reason
}

// waitNotice waits for a notice with code.
func (p *fakePeer) waitNotice(t testing.TB, code canvas.NoticeCode) peerView {
	t.Helper()
	return p.waitFor(t, fmt.Sprintf("notice %d", code), func(v *peerView) bool { return v.hasNotice(code) })
}

// opsBy returns the ops of author the client applied, in order.
func (v peerView) opsBy(author uint32) [][]byte {
	var out [][]byte
	for _, so := range v.ops {
		if so.Author == author {
			out = append(out, so.Op)
		}
	}
	return out
}

// sameBoard fails the test unless the boards a and b hold the same picture
// at the same sequence number.
func sameBoard(t testing.TB, what string, a, b *canvas.Board) {
	t.Helper()
	if a == nil || b == nil {
		t.Fatalf("%s: a board is missing (%v, %v)", what, a != nil, b != nil)
	}
	ea, err1 := a.MarshalBinary()
	eb, err2 := b.MarshalBinary()
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: encode: %v, %v", what, err1, err2)
	}
	if a.Seq != b.Seq || !bytes.Equal(ea, eb) {
		t.Fatalf("%s: boards differ: seq %d with %d strokes vs seq %d with %d strokes",
			what, a.Seq, len(a.Strokes()), b.Seq, len(b.Strokes()))
	}
}

// Ops a test draws.

// stroke is a freehand stroke's ops: its Begin (with points points) and
// its End.
func stroke(n uint32, points int) [][]byte {
	pts := make([]canvas.Point, points)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(n), Y: 1}
	}
	return [][]byte{
		canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: n, Color: 0xff, Width: 4, Points: pts}),
		canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}),
	}
}

// strokes returns the ops of strokes first..first+n-1, one point each.
func strokes(first uint32, n int) [][]byte {
	var ops [][]byte
	for i := range uint32(n) {
		ops = append(ops, stroke(first+i, 1)...)
	}
	return ops
}

// visible counts the strokes of b that are drawn (not erased, not swept).
func visible(b *canvas.Board) int {
	n := 0
	for _, s := range b.Strokes() {
		if s.Visible() {
			n++
		}
	}
	return n
}

func (p *fakePeer) Moderates() bool { return p.moderator }

func (p *fakePeer) ViewOnly() bool { return p.viewer }

func clearOp() []byte { return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: 1}) }

// draw sends ops from p, in order.
func draw(r *Room, p *fakePeer, ops [][]byte) {
	for _, op := range ops {
		r.Op(p, bytes.Clone(op))
	}
}

// A hub over a fake log.

// testConfig is the configuration of a test hub: set changes the fields a
// test is about, and the rest are the defaults (except that an empty room
// stays open for the whole test and nothing parks unless a test says so).
func testConfig(set func(*config.Config)) *config.Config {
	cfg := &config.Config{RoomIdle: time.Hour, RoomPark: time.Hour}
	if set != nil {
		set(cfg)
	}
	cfg.Defaults()
	return cfg
}

// newTestHub returns a hub over a new fake log (shared or not); the hub is
// closed when the test ends.
func newTestHub(t testing.TB, shared bool, set func(*config.Config)) (*Hub, *fakeLog, *metrics.Metrics) {
	t.Helper()
	l := newFakeLog(shared)
	m := metrics.New()
	h := NewHub(testConfig(set), l, slog.New(slog.DiscardHandler), m)
	t.Cleanup(h.Close)
	return h, l, m
}

// join attaches a new peer to board name with hello (a new author when
// nil) and waits for its Welcome.
func join(t testing.TB, h *Hub, name, who string, hello *canvas.Hello) (*Room, *fakePeer, canvas.Welcome) {
	t.Helper()
	p := newPeer(who)
	r := attach(t, h, name, p, hello)
	return r, p, p.welcome(t)
}

// attach attaches p to board name and says its Hello, without waiting.
func attach(t testing.TB, h *Hub, name string, p *fakePeer, hello *canvas.Hello) *Room {
	t.Helper()
	if hello == nil {
		hello = &canvas.Hello{Version: canvas.Version, Name: p.name}
	}
	r, why := h.Acquire(name, nil)
	if r == nil {
		t.Fatalf("%s: acquire %s refused: %s", p.name, name, why)
	}
	hh := *hello
	r.Join(p, &hh)
	return r
}

// leave detaches p as its session does when the connection closes.
func leave(h *Hub, r *Room, name string, p *fakePeer) {
	h.Left(name, nil)
	r.Leave(p)
}

// modes is the table of the room's two kinds of log: one this replica
// writes alone (the room numbers ahead of it) and one shared by replicas.
var modes = []struct {
	name   string
	shared bool
}{{"solo", false}, {"shared", true}}

// eachMode runs test once per kind of log.
func eachMode(t *testing.T, test func(t *testing.T, shared bool)) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { test(t, m.shared) })
	}
}
