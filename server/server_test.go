package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// testServer is a real replica on a real socket over a store in dir.
type testServer struct {
	*httptest.Server
	app *server.App
}

func startServer(t *testing.T, dir string) *testServer {
	t.Helper()
	return startWith(t, &config.Config{DataDir: dir, RoomIdle: time.Minute})
}

// startWith starts a replica with cfg (embedded mode unless cfg.RedisURL).
func startWith(t *testing.T, cfg *config.Config) *testServer {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(&testWriter{t}, nil))
	}
	app, err := server.New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(app.Handler()), app: app}
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

func (ts *testServer) stop(t *testing.T) {
	if ts.app == nil {
		return
	}
	ts.Server.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.app.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	ts.app = nil
}

type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (ts *testServer) wsURL(room string) string {
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws/" + room
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func connect(t *testing.T, ts *testServer, room, name string) *client.Client {
	t.Helper()
	c := client.New(ts.wsURL(room), client.Options{Name: name, Color: 0x112233ff})
	if err := c.Connect(ctxT(t)); err != nil {
		t.Fatalf("%s connect: %v", name, err)
	}
	t.Cleanup(c.Close)
	return c
}

// spiral returns n absolute points along a smooth curve.
var spiral = testenv.Spiral

// drawSpirals draws n strokes of points spiral points each (colour i, width
// 4), batch points to an op.
func drawSpirals(t *testing.T, c *client.Client, n, points, batch int) {
	t.Helper()
	for i := range n {
		if _, err := c.Stroke(uint32(i), 4, spiral(points, float64(i)), batch); err != nil {
			t.Fatal(err)
		}
	}
}

func sameBoard(t *testing.T, want []byte, clients ...*client.Client) {
	t.Helper()
	for _, c := range clients {
		if got := c.BoardBytes(); !bytes.Equal(got, want) {
			t.Errorf("author %d holds a different board (%d bytes vs %d)", c.Author(), len(got), len(want))
		}
	}
}

func TestStrokeReachesPeerInOrderAndLateJoinerSeesSameBoard(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "room1", "A")
	b := connect(t, ts, "room1", "B")

	pts := spiral(500, 0)
	id, err := a.Stroke(0xff0000ff, 8, pts, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	head := a.Seq()
	if err := b.WaitSeq(ctx, head); err != nil {
		t.Fatal(err)
	}
	// B received exactly A's ops, in A's order.
	la, lb := a.Log(), b.Log()
	if len(la) != len(lb) || len(lb) != 1+125+1 {
		t.Fatalf("A logged %d ops, B %d; want %d", len(la), len(lb), 127)
	}
	for i := range la {
		if la[i].Seq != lb[i].Seq || la[i].Author != lb[i].Author || !bytes.Equal(la[i].Op, lb[i].Op) {
			t.Fatalf("op %d differs between A and B", i)
		}
	}
	s := b.Board().Stroke(id)
	if s == nil || len(s.Points) != 500 || s.Points[499] != pts[499] {
		t.Fatalf("B's copy of the stroke is wrong: %+v", s)
	}

	c := connect(t, ts, "room1", "C")
	if c.Snapshots() != 1 {
		t.Errorf("late joiner got %d snapshots, want 1", c.Snapshots())
	}
	sameBoard(t, a.BoardBytes(), b, c)
	if err := c.WaitPeople(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if got := c.People()[a.Author()].Name; got != "A" {
		t.Errorf("C sees A as %q", got)
	}
}

func TestReconnectGetsExactlyTheMissedOps(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "r", "A")
	b := connect(t, ts, "r", "B")
	if _, err := a.Stroke(1, 4, spiral(40, 0), 4); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, 12); err != nil {
		t.Fatal(err)
	}
	before := len(b.Log())
	b.Drop()
	if _, _, err := b.WaitClosed(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Stroke(2, 4, spiral(80, 1), 4); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	missedFrom := b.Seq() + 1
	if err := b.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	if b.Snapshots() != 1 {
		t.Errorf("reconnect sent a snapshot; want a replay of the missed ops only")
	}
	got := b.Log()[before:]
	want := a.Log()
	var missed []client.Entry
	for _, e := range want {
		if e.Seq >= missedFrom {
			missed = append(missed, e)
		}
	}
	if len(got) != len(missed) {
		t.Fatalf("got %d ops after reconnect, missed %d", len(got), len(missed))
	}
	for i := range got {
		if got[i].Seq != missed[i].Seq || !bytes.Equal(got[i].Op, missed[i].Op) {
			t.Fatalf("replayed op %d is seq %d, want %d", i, got[i].Seq, missed[i].Seq)
		}
	}
	sameBoard(t, a.BoardBytes(), b)
}

func TestOpsDrawnOfflineAreSentOnceAfterReconnect(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "r", "A")
	b := connect(t, ts, "r", "B")
	if _, err := a.Stroke(1, 4, spiral(20, 0), 5); err != nil {
		t.Fatal(err)
	}
	// Some ops are in flight when the connection dies: they may or may not
	// have reached the room. Either way each must be applied exactly once.
	a.Drop()
	if _, err := a.Stroke(2, 4, spiral(30, 2), 5); err != nil {
		t.Fatal(err)
	}
	if err := a.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	board := b.Board()
	if n := len(board.Strokes()); n != 2 {
		t.Fatalf("board has %d strokes, want 2", n)
	}
	for _, s := range board.Strokes() {
		want := map[uint32]int{1: 20, 2: 30}[s.ID.N]
		if len(s.Points) != want {
			t.Errorf("stroke %d has %d points, want %d", s.ID.N, len(s.Points), want)
		}
	}
	sameBoard(t, a.BoardBytes(), b)
}

func TestMalformedFrameClosesOnlyTheSender(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "r", "A")
	b := connect(t, ts, "r", "B")
	bad := connect(t, ts, "r", "Mallory")
	if _, err := a.Stroke(1, 4, spiral(10, 0), 3); err != nil {
		t.Fatal(err)
	}
	// All of the stroke sequenced before the board is taken as the one the bad frames must leave alone.
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	board := b.BoardBytes()

	cases := []struct {
		frame []byte
		code  uint16
	}{
		{[]byte{0x11, 0x01, 0x80}, uint16(canvas.CloseMalformed)},                            // truncated varint
		{[]byte{0x7f}, uint16(canvas.CloseMalformed)},                                        // unknown type
		{canvas.AppendHello(nil, &canvas.Hello{Version: 1}), uint16(canvas.CloseOutOfOrder)}, // second hello
	}
	for _, tc := range cases {
		if err := bad.SendRaw(tc.frame); err != nil {
			t.Fatal(err)
		}
		code, reason, err := bad.WaitClosed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || reason == "" {
			t.Errorf("frame %x: closed with %d %q, want %d and a reason", tc.frame, code, reason, tc.code)
		}
		if err := bad.Connect(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Others are still connected and drawing works; the board is intact.
	if _, err := b.Stroke(2, 4, spiral(5, 1), 5); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitSeq(ctx, b.Seq()+3); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	var before canvas.Board
	if err := before.UnmarshalBinary(board); err != nil {
		t.Fatal(err)
	}
	if got := a.Board().Strokes(); len(got) != 2 || len(got[0].Points) != 10 {
		t.Errorf("board changed by the bad frames: %d strokes", len(got))
	}
	sameBoard(t, a.BoardBytes(), b)
}

func TestOversizedFrameCloses1009(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	c := connect(t, ts, "r", "A")
	if err := c.SendRaw(make([]byte, 64<<10+1)); err != nil {
		t.Fatal(err)
	}
	if code, _, err := c.WaitClosed(ctx); err != nil || code != 1009 {
		t.Errorf("oversized frame: close %d (%v), want 1009", code, err)
	}
}

func TestRestartKeepsTheBoard(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	ctx := ctxT(t)
	a := connect(t, ts, "keep", "A")
	drawSpirals(t, a, 3, 100, 4)
	// An erase and a restore too, so more than strokes survive.
	if err := a.Send(&canvas.Op{Type: canvas.OpErase, Strokes: []canvas.StrokeID{{Author: a.Author(), N: 2}}}); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	want := a.BoardBytes()
	a.Close()
	ts.stop(t)

	ts2 := startServer(t, dir)
	c := connect(t, ts2, "keep", "C")
	sameBoard(t, want, c)
	if n := len(c.Board().Strokes()); n != 3 {
		t.Errorf("restarted board has %d strokes, want 3", n)
	}
}

// A crowd opening a board at once: each gets the whole board (a frame
// past 64 KiB, written as Welcome, the shared snapshot and presence in one
// writev) and an author id of its own, and ids handed out before a restart
// are never handed out again.
func TestCrowdJoiningABigBoardGetsItWholeWithDistinctAuthors(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	ctx := ctxT(t)
	a := connect(t, ts, "crowd", "A")
	drawSpirals(t, a, 40, 1000, 100)
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	want := a.BoardBytes()
	if len(want) < 100<<10 {
		t.Fatalf("board is %d bytes; the test wants one past 100 KiB", len(want))
	}
	const n = 70 // more than one block of author ids
	crowd := make([]*client.Client, n)
	errs := make(chan error, n)
	for i := range crowd {
		crowd[i] = client.New(ts.wsURL("crowd"), client.Options{Name: "joiner " + strconv.Itoa(i), Color: 0x112233ff})
		t.Cleanup(crowd[i].Close)
		go func() { errs <- crowd[i].Connect(ctx) }()
	}
	for range crowd {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	seen := map[uint32]string{a.Author(): "A"}
	for i, c := range crowd {
		if got := c.Snapshots(); got != 1 {
			t.Errorf("joiner %d got %d snapshots, want 1", i, got)
		}
		if other, dup := seen[c.Author()]; dup {
			t.Errorf("joiner %d has author %d, as %s does", i, c.Author(), other)
		}
		seen[c.Author()] = "joiner " + strconv.Itoa(i)
	}
	sameBoard(t, want, crowd...)
	// The crowd's presence reached everyone, A included.
	if err := a.WaitPeople(ctx, n+1); err != nil {
		t.Fatal(err)
	}
	for _, c := range crowd {
		c.Close()
	}
	a.Close()
	ts.stop(t)

	ts2 := startServer(t, dir)
	late := connect(t, ts2, "crowd", "late")
	if other, dup := seen[late.Author()]; dup {
		t.Errorf("after a restart, author %d was handed out again (it was %s's)", late.Author(), other)
	}
	sameBoard(t, want, late)
}

func TestHTTPErrorsAreJSON(t *testing.T) {
	ts := startServer(t, t.TempDir())
	for _, path := range []string{"/b/has.dot", "/ws/" + strings.Repeat("x", 65), "/b/sp%20ace"} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var body server.HTTPError
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 400 || err != nil || body.Error.Code != "bad_room" || body.Error.Message == "" {
			t.Errorf("%s: %d %+v (%v); want 400 bad_room with a message", path, resp.StatusCode, body, err)
		}
	}
	// / makes a new board with an unguessable id.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	seen := map[string]bool{}
	for range 3 {
		resp, err := noFollow.Get(ts.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/b/") || len(loc) < 3+22 || seen[loc] {
			t.Errorf("/ redirected %d to %q", resp.StatusCode, loc)
		}
		seen[loc] = true
	}
}

func TestForeignOriginIsRefused(t *testing.T) {
	ts := startServer(t, t.TempDir())
	c := client.New(ts.wsURL("r"), client.Options{Header: http.Header{"Origin": {"https://evil.example"}}})
	err := c.Connect(ctxT(t))
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("foreign origin connected or failed otherwise: %v", err)
	}
	same := client.New(ts.wsURL("r"), client.Options{Header: http.Header{"Origin": {ts.URL}}})
	if err := same.Connect(ctxT(t)); err != nil {
		t.Errorf("same origin refused: %v", err)
	}
	same.Close()
}

func TestCursorsAndPresence(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	a := connect(t, ts, "r", "A")
	b := connect(t, ts, "r", "B")
	if err := a.WaitPeople(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := b.SendCursor(120, -40); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitCursor(ctx, b.Author(), 120, -40); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if err := a.WaitPeople(ctx, 1); err != nil {
		t.Fatal(err)
	}
}

func TestShutdownStoresEverythingAndTellsClientsToReconnect(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir)
	ctx := ctxT(t)
	a := connect(t, ts, "r", "A")
	if _, err := a.Stroke(1, 4, spiral(50, 0), 4); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	want := a.BoardBytes()
	ts.stop(t)
	code, _, err := a.WaitClosed(ctx)
	if err != nil || code != uint16(canvas.CloseGoingAway) {
		t.Fatalf("client saw close %d (%v), want %d", code, err, uint16(canvas.CloseGoingAway))
	}
	ts2 := startServer(t, dir)
	c := connect(t, ts2, "r", "C")
	sameBoard(t, want, c)
}

func TestConcurrentDrawersAndMidwayJoinerConverge(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	var drawers []*client.Client
	for i := range 6 {
		drawers = append(drawers, connect(t, ts, "busy", "D"+itoa(i)))
	}
	errs := make(chan error, len(drawers))
	for i, d := range drawers {
		go func() {
			for k := range 5 {
				if _, err := d.Stroke(uint32(i), 3, spiral(60, float64(i*5+k)), 3); err != nil {
					errs <- err
					return
				}
			}
			errs <- d.WaitAcked(ctx)
		}()
	}
	late := connect(t, ts, "busy", "late") // joins while they draw
	for range drawers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var head uint64
	for _, d := range drawers {
		head = max(head, d.Seq())
	}
	for _, c := range append(drawers, late) {
		if err := c.WaitSeq(ctx, head); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(late.Board().Strokes()); n != 30 {
		t.Errorf("late joiner sees %d strokes, want 30", n)
	}
	sameBoard(t, late.BoardBytes(), drawers...)
}

func itoa(i int) string { return strconv.Itoa(i) }
