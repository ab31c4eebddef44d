package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

func limitServer(t *testing.T, mod func(*config.Config)) *testServer {
	cfg := &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute}
	mod(cfg)
	return startWith(t, cfg)
}

func hasNotice(c *client.Client, code canvas.NoticeCode) bool {
	for _, n := range c.Notices() {
		if n.Code == code {
			return true
		}
	}
	return false
}

func TestConnectionsPerIPAreLimited(t *testing.T) {
	ts := limitServer(t, func(c *config.Config) { c.MaxConnsPerIP = 3 })
	var cs []*client.Client
	for i := range 3 {
		cs = append(cs, connect(t, ts, "r", "c"+itoa(i)))
	}
	c := client.New(ts.wsURL("r"), client.Options{})
	err := c.Connect(ctxT(t))
	if err == nil || !strings.Contains(err.Error(), "429") {
		t.Fatalf("4th connection from one address: %v, want HTTP 429", err)
	}
	cs[0].Close()
	for deadline := time.Now().Add(5 * time.Second); ; {
		c = client.New(ts.wsURL("r"), client.Options{})
		if err = c.Connect(ctxT(t)); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed connection's slot was not freed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestClientsPerBoardAreLimited(t *testing.T) {
	ts := limitServer(t, func(c *config.Config) { c.MaxRoomClients = 2 })
	connect(t, ts, "r", "a")
	connect(t, ts, "r", "b")
	c := client.New(ts.wsURL("r"), client.Options{})
	t.Cleanup(c.Close)
	_ = c.Connect(ctxT(t))
	if code, _, err := c.WaitClosed(ctxT(t)); err != nil || code != uint16(canvas.CloseTryAgain) {
		t.Fatalf("3rd person on a board of 2: close %d %v, want %d", code, err, uint16(canvas.CloseTryAgain))
	}
	connect(t, ts, "other", "c") // another board is not full
}

func TestAFullBoardRefusesMoreDrawingButStaysInStep(t *testing.T) {
	ts := limitServer(t, func(c *config.Config) { c.MaxBoardPoints = 100; c.MaxBoardStrokes = 3 })
	ctx := ctxT(t)
	a := connect(t, ts, "full", "A")
	b := connect(t, ts, "full", "B")
	if _, err := a.Stroke(1, 4, spiral(90, 0), 10); err != nil {
		t.Fatal(err)
	}
	// This one crosses 100 points: the ops past the limit become Ends.
	if _, err := a.Stroke(1, 4, spiral(40, 1), 10); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	if p := a.Board().Points(); p > 100 || p < 90 {
		t.Fatalf("board holds %d points, want at most 100", p)
	}
	if !hasNotice(a, canvas.NoticeBoardFull) || hasNotice(b, canvas.NoticeBoardFull) {
		t.Errorf("the drawer was not told the board is full, or the watcher was")
	}
	// Ops after the refusal are still applied in step: a clear makes room.
	_ = a.Send(&canvas.Op{Type: canvas.OpClear, Stroke: 1})
	if _, err := a.Stroke(1, 4, spiral(20, 2), 10); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	if n := len(a.Board().Strokes()); n != 1 || a.Board().Points() != 20 {
		t.Fatalf("after a clear: %d strokes, %d points; want 1 and 20", n, a.Board().Points())
	}
	for range 4 {
		_ = a.Send(&canvas.Op{Type: canvas.OpShape, Stroke: uint32(100 + len(a.Board().Strokes())), Tool: canvas.ToolLine, Color: 0xff, Width: 2,
			Points: []canvas.Point{{X: 1, Y: 1}, {X: 9, Y: 9}}})
		if err := a.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(a.Board().Strokes()); n != 3 {
		t.Fatalf("board holds %d strokes, want the limit of 3", n)
	}
}

func TestAFloodingClientIsSlowedThenDroppedOthersAreNot(t *testing.T) {
	ts := limitServer(t, func(c *config.Config) { c.RateDraw = 50; c.IPRateFactor = 1000 })
	ctx := ctxT(t)
	flood := connect(t, ts, "r", "flood")
	calm := connect(t, ts, "r", "calm")
	stop := make(chan struct{})
	go func() {
		pts := spiral(2, 0)
		for k := uint32(1); ; k++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := flood.Stroke(1, 2, pts, 1); err != nil {
				return
			}
		}
	}()
	defer close(stop)
	// The calm one draws at a human pace meanwhile, and gets everything acked.
	for k := range 10 {
		if _, err := calm.Stroke(2, 2, spiral(8, float64(k)), 4); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := calm.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if hasNotice(calm, canvas.NoticeRateLimited) {
		t.Errorf("the calm client was rate limited")
	}
	code, _, err := flood.WaitClosed(ctx)
	if err != nil || code != uint16(canvas.CloseRateLimited) {
		t.Fatalf("flooder: close %d %v, want %d", code, err, uint16(canvas.CloseRateLimited))
	}
	if !hasNotice(flood, canvas.NoticeRateLimited) {
		t.Errorf("the flooder was never told to slow down")
	}
}

// A client closed for flooding gets no fresh burst by reconnecting: the
// same 60 ops at once that a new connection from its address could send
// unslowed before (burst 100) are slowed after its close.
func TestAReconnectAfterAFloodCloseGetsNoFreshBurst(t *testing.T) {
	ts := limitServer(t, func(c *config.Config) { c.RateDraw = 50; c.IPRateFactor = 1000 })
	ctx := ctxT(t)
	burst := func(name string) bool {
		c := connect(t, ts, "r", name)
		if _, err := c.Stroke(1, 2, spiral(60, 0), 1); err != nil {
			t.Fatal(err)
		}
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		c.Close()
		return hasNotice(c, canvas.NoticeRateLimited)
	}
	if burst("before") {
		t.Fatal("60 ops at once were slowed on a fresh connection (burst 100)")
	}
	flood := connect(t, ts, "r", "flood")
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		// Until told: a closed client goes on taking strokes, to send
		// when it reconnects.
		defer close(stopped)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := flood.Stroke(1, 2, spiral(2, 0), 1); err != nil {
				return
			}
		}
	}()
	code, _, err := flood.WaitClosed(ctx)
	close(stop)
	<-stopped
	if err != nil || code != uint16(canvas.CloseRateLimited) {
		t.Fatalf("flooder: close %d %v, want %d", code, err, uint16(canvas.CloseRateLimited))
	}
	if !burst("after") {
		t.Error("a connection from the flooder's address got a fresh burst right after its close")
	}
}
