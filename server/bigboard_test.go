package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// Boards at the default limits (issue 21): their snapshot is bigger than a
// connection's send queue, and every joiner, on loopback or on a slow
// link, must still get the whole board and go live, while the people
// drawing on it are not slowed or dropped.

// bigBoardConfig is the default configuration but for the drawing rate,
// raised so that a board fills in seconds.
func bigBoardConfig(t *testing.T, redisURL string) *config.Config {
	c := &config.Config{RoomIdle: time.Minute, RateDraw: 1e6, IPRateFactor: 1000}
	if redisURL != "" {
		c.RedisURL, c.SyncInterval = redisURL, 200*time.Millisecond
	} else {
		c.DataDir = t.TempDir()
	}
	return c
}

// fillPoints draws strokes of 1,000 points (one Trace op each) until the
// board holds points points.
func fillPoints(t *testing.T, c *client.Client, points int) {
	t.Helper()
	for i := 0; i < points/1000; i++ {
		if _, err := c.Stroke(uint32(i)<<8|0xff, 4, spiral(1000, float64(i)), 1000); err != nil {
			t.Fatal(err)
		}
	}
}

// fillStrokes adds n rectangles, one Shape op each.
func fillStrokes(t *testing.T, c *client.Client, n int) {
	t.Helper()
	for i := range n {
		x, y := int32(i%1000)*40, int32(i/1000)*40
		if err := c.Send(&canvas.Op{Type: canvas.OpShape, Stroke: uint32(i + 1), Tool: canvas.ToolRect, Color: 0x336699ff, Width: 2,
			Points: []canvas.Point{{X: x, Y: y}, {X: x + 30, Y: y + 30}}}); err != nil {
			t.Fatal(err)
		}
	}
}

// throttledDialer dials connections whose reads go at rate bytes a
// second, through a small receive buffer: a joiner on a slow link.
func throttledDialer(rate float64) func() (gws.Dialer, error) {
	return func() (gws.Dialer, error) { return throttled{rate}, nil }
}

type throttled struct{ rate float64 }

func (d throttled) Dial(network, addr string) (net.Conn, error) {
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return testenv.Throttle(c, d.rate), nil
}

// drawer draws small strokes, one at a time, each waited for, until stop;
// it records how long each took to be acknowledged.
type drawer struct {
	c     *client.Client
	stop  chan struct{}
	done  chan struct{}
	mu    sync.Mutex
	lat   []time.Duration
	err   error
	drawn atomic.Int64
}

func startDrawer(t *testing.T, c *client.Client) *drawer {
	d := &drawer{c: c, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for k := 0; ; k++ {
			select {
			case <-d.stop:
				return
			case <-tick.C:
			}
			start := time.Now()
			_, err := c.Stroke(0xff0000ff, 3, spiral(20, float64(k)), 20)
			if err == nil {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				err = c.WaitAcked(ctx)
				cancel()
			}
			if err != nil {
				d.mu.Lock()
				d.err = err
				d.mu.Unlock()
				return
			}
			d.mu.Lock()
			d.lat = append(d.lat, time.Since(start))
			d.mu.Unlock()
			d.drawn.Add(1)
		}
	}()
	return d
}

// finish stops the drawer and returns its strokes' p99 and count, and its
// error.
func (d *drawer) finish() (time.Duration, int, error) {
	close(d.stop)
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.lat) == 0 {
		return 0, 0, d.err
	}
	s := slices.Clone(d.lat)
	slices.Sort(s)
	return s[len(s)*99/100], len(s), d.err
}

// joinBigBoard runs the scenario on servers (one, or replicas sharing
// Redis): fill fills the board through a client of servers[0]; a drawer
// there keeps drawing while joiners on the last server, one on loopback
// and one on a link throttled to rate bytes/s, join it. Every client ends
// with the server's board, byte for byte, and the drawer is never
// dropped.
func joinBigBoard(t *testing.T, servers []*testServer, fill func(*client.Client), rate float64) {
	ctx, cancel := context.WithTimeout(context.Background(), raceSlowdown*3*time.Minute)
	defer cancel()
	room := roomName(t)
	first, last := servers[0], servers[len(servers)-1]
	filler := client.New(first.wsURL(room), client.Options{Name: "filler", NoLog: true})
	if err := filler.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer filler.Close()
	start := time.Now()
	fill(filler)
	if err := filler.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	b := filler.Board()
	t.Logf("figure: filled %d points, %d strokes in %d ops, %s; snapshot %d bytes",
		b.Points(), len(b.Strokes()), b.Seq, time.Since(start).Round(time.Millisecond), len(canvas.AppendSnapshot(nil, b)))

	dc := client.New(first.wsURL(room), client.Options{Name: "drawer", NoLog: true})
	if err := dc.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	d := startDrawer(t, dc)
	time.Sleep(300 * time.Millisecond) // the drawer is drawing

	type joined struct {
		c    *client.Client
		took time.Duration
		err  error
	}
	joiners := []struct {
		name string
		opt  client.Options
	}{
		{"loopback", client.Options{Name: "loopback", NoLog: true}},
		{"throttled", client.Options{Name: "throttled", NoLog: true, NewDialer: throttledDialer(rate)}},
	}
	res := make([]joined, len(joiners))
	var wg sync.WaitGroup
	for i, j := range joiners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client.New(last.wsURL(room), j.opt)
			start := time.Now()
			err := c.Connect(ctx)
			res[i] = joined{c, time.Since(start), err}
		}()
	}
	wg.Wait()
	for i, r := range res {
		defer r.c.Close()
		if r.err != nil {
			t.Fatalf("%s joiner: %v", joiners[i].name, r.err)
		}
		t.Logf("figure: %s joiner live after %s", joiners[i].name, r.took.Round(time.Millisecond))
	}
	time.Sleep(300 * time.Millisecond) // the joiners see live ops too
	p99, n, err := d.finish()
	if err != nil {
		t.Fatalf("the drawer, drawing while others joined: %v", err)
	}
	t.Logf("figure: drawer's strokes meanwhile: %d, p99 %s", n, p99.Round(time.Millisecond))
	if n == 0 {
		t.Fatal("the drawer drew nothing")
	}
	head := dc.Seq()
	want, err := last.app.BoardOf(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	for want.Seq < head {
		time.Sleep(50 * time.Millisecond)
		if want, err = last.app.BoardOf(ctx, room); err != nil {
			t.Fatal(err)
		}
	}
	wantBytes, _ := want.MarshalBinary()
	t.Logf("figure: the board at the end: %d points, %d strokes", want.Points(), len(want.Strokes()))
	for _, c := range []*client.Client{filler, dc, res[0].c, res[1].c} {
		if err := c.WaitSeq(ctx, head); err != nil {
			t.Fatalf("author %d: %v", c.Author(), err)
		}
		if c.Err() != nil {
			t.Errorf("author %d saw a protocol error: %v", c.Author(), c.Err())
		}
		if got := c.BoardBytes(); !bytes.Equal(got, wantBytes) {
			t.Errorf("author %d holds a different board than the server (%d bytes vs %d)", c.Author(), len(got), len(wantBytes))
		}
	}
	if dc.Snapshots() != 1 || filler.Snapshots() != 1 {
		t.Errorf("drawer or filler reconnected (snapshots %d, %d)", dc.Snapshots(), filler.Snapshots())
	}
	if _, body, _ := get(t, last.URL+"/metrics"); !strings.Contains(body, "sketchpad_slow_consumer_drops_total 0") {
		t.Errorf("a slow consumer was dropped")
	}
}

// The default limits. The fills stop short by what the drawer adds in a
// run (20-point strokes, 20 a second, for about 15 s under -race), so
// that its strokes are drawn, not refused as over the limit.
const fullBoardPoints, fullBoardStrokes = 2_000_000, 100_000

func TestBoardAtThePointLimitCanBeJoined(t *testing.T) {
	fill := func(c *client.Client) { fillPoints(t, c, fullBoardPoints-12_000) }
	t.Run("embedded", func(t *testing.T) {
		joinBigBoard(t, []*testServer{startWith(t, bigBoardConfig(t, ""))}, fill, 400<<10)
	})
	t.Run("redis", func(t *testing.T) {
		url := redistest.Shared(t)
		joinBigBoard(t, []*testServer{startWith(t, bigBoardConfig(t, url)), startWith(t, bigBoardConfig(t, url))}, fill, 400<<10)
	})
}

func TestBoardAtTheStrokeLimitCanBeJoined(t *testing.T) {
	fill := func(c *client.Client) { fillStrokes(t, c, fullBoardStrokes-400) }
	t.Run("embedded", func(t *testing.T) {
		joinBigBoard(t, []*testServer{startWith(t, bigBoardConfig(t, ""))}, fill, 400<<10)
	})
	t.Run("redis", func(t *testing.T) {
		url := redistest.Shared(t)
		joinBigBoard(t, []*testServer{startWith(t, bigBoardConfig(t, url)), startWith(t, bigBoardConfig(t, url))}, fill, 400<<10)
	})
}

// smallRcvBuf dials with a 4 KiB receive buffer, set before the
// connection opens: a client that stops reading stops the server's
// writes after little more than the server's own socket buffer.
var smallRcvBuf = &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
	return rc.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4<<10)
	})
}}

// slowDrops reads the replica's slow-consumer drop count.
func slowDrops(t *testing.T, ts *testServer) int {
	t.Helper()
	_, body, _ := get(t, ts.URL+"/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, "sketchpad_slow_consumer_drops_total "); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	t.Fatal("no sketchpad_slow_consumer_drops_total in /metrics")
	return 0
}

// skipFrame reads one server frame's header and discards its payload.
func skipFrame(br *bufio.Reader) (int, error) {
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return 0, err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return 0, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return 0, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	_, err := io.CopyN(io.Discard, br, int64(n))
	return int(n), err
}

// A joiner that does not read its board is dropped as too slow once its
// snapshot's deadline passes (not at once, as when the snapshot counted
// against its queue, and not never); a joiner that read its board and
// then stopped reading is dropped at its queue bound, as any slow reader
// is; the people drawing meanwhile notice nothing.
func TestStalledJoinersAreDroppedAndOthersAreNot(t *testing.T) {
	cfg := bigBoardConfig(t, "")
	cfg.SendQueueBytes = 1 << 20
	cfg.JoinMinRate = 1e9 // the deadline is the 10 s grace
	cfg.RateDestructive = 1000
	ts := startWith(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), raceSlowdown*2*time.Minute)
	defer cancel()
	addr := strings.TrimPrefix(ts.URL, "http://")
	hello := canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: "stalled"})

	// A 6 MB board: more than the server's socket buffer (4 MiB at most
	// here) and the joiner's take, so its write must wait for the reader.
	filler := connect(t, ts, "big", "filler")
	fillPoints(t, filler, fullBoardPoints-50_000)
	if err := filler.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	d := startDrawer(t, connect(t, ts, "big", "drawer"))
	conn, _ := rawUpgradeWith(t, smallRcvBuf, addr, "big")
	start := time.Now()
	conn.Write(append(frameHeader(true, 2, uint64(len(hello))), hello...))
	for slowDrops(t, ts) == 0 && time.Since(start) < raceSlowdown*30*time.Second {
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(start)
	t.Logf("figure: a joiner that does not read its %d-byte board dropped after %s", len(canvas.AppendSnapshot(nil, filler.Board())), took.Round(100*time.Millisecond))
	if took < 10*time.Second || slowDrops(t, ts) != 1 {
		t.Errorf("the stalled joiner was dropped after %s (%d drops), want one drop after its 10 s deadline", took, slowDrops(t, ts))
	}
	if p99, n, err := d.finish(); err != nil || n == 0 {
		t.Errorf("the drawer, meanwhile: %v (%d strokes)", err, n)
	} else {
		t.Logf("figure: drawer's strokes meanwhile: %d, p99 %s", n, p99.Round(time.Millisecond))
	}

	// A board of 1.2 MB, more than the 1 MiB queue: read whole, then
	// the joiner stops reading while a drawer sends big ops.
	mid := connect(t, ts, "mid", "filler")
	fillPoints(t, mid, 500_000)
	if err := mid.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	conn, br := rawUpgradeWith(t, smallRcvBuf, addr, "mid")
	conn.Write(append(frameHeader(true, 2, uint64(len(hello))), hello...))
	// Notice 3 (the board is on its way), then the board.
	if n, err := skipFrame(br); err != nil || n > 256 {
		t.Fatalf("joiner's first frame: %d bytes, %v; want the loading notice", n, err)
	}
	if n, err := skipFrame(br); err != nil || n < 1<<20 {
		t.Fatalf("joiner's board frame: %d bytes, %v", n, err)
	}
	dconn, dbr := rawUpgrade(t, addr, "mid")
	go io.Copy(io.Discard, dbr)
	frame := func(b []byte) { dconn.Write(append(frameHeader(true, 2, uint64(len(b))), b...)) }
	frame(canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: "drawer"}))
	pts := make([]canvas.Point, canvas.MaxPointsPerOp)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(i%7) - 3, Y: int32(i%5) - 2}
	}
	start = time.Now()
	for k := 0; slowDrops(t, ts) == 1 && time.Since(start) < raceSlowdown*30*time.Second; k++ {
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k + 1), Color: 0xff, Width: 4, Points: []canvas.Point{{X: 100, Y: 100}}}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
		if k%50 == 49 {
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: 1}))
		}
		time.Sleep(raceSlowdown * 2 * time.Millisecond)
	}
	if slowDrops(t, ts) != 2 {
		t.Fatalf("the joiner that stopped reading after its board was not dropped in %s", time.Since(start))
	}
	t.Logf("figure: a joiner that stopped reading after its board dropped at the queue bound after %s of drawing", time.Since(start).Round(100*time.Millisecond))
	if took, _ := closedWithin(conn, br, 10*time.Second); took >= 10*time.Second {
		t.Errorf("its connection is still open")
	}
}

// A joiner reading a big board says nothing to the server meanwhile, and
// the server's pings wait behind the board: with an idle timeout shorter
// than the board takes, it must still not be cut as idle, and once live
// it answers pings again.
func TestAJoinerReadingItsBoardIsNotCutAsIdle(t *testing.T) {
	cfg := bigBoardConfig(t, "")
	cfg.IdleTimeout = 2 * time.Second
	ts := startWith(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), raceSlowdown*time.Minute)
	defer cancel()
	addr := strings.TrimPrefix(ts.URL, "http://")
	// The filler writes raw frames and reads nothing back, so that it
	// cannot fall behind; it is cut as idle once it has drawn.
	fconn, fbr := rawUpgrade(t, addr, "idle")
	go io.Copy(io.Discard, fbr)
	frame := func(b []byte) { fconn.Write(append(frameHeader(true, 2, uint64(len(b))), b...)) }
	frame(canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: "filler"}))
	pts := make([]canvas.Point, canvas.MaxPointsPerOp)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(i%7) - 3, Y: int32(i%5) - 2}
	}
	const strokes = 400
	for k := range strokes {
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k + 1), Color: 0xff, Width: 4, Points: []canvas.Point{{X: 100, Y: 100}}}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
	}
	for {
		b, err := ts.app.BoardOf(ctx, "idle")
		if err != nil {
			t.Fatal(err)
		}
		if b.Seq == 1+3*strokes-1 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	j := client.New(ts.wsURL("idle"), client.Options{Name: "joiner", NoLog: true, NewDialer: throttledDialer(300 << 10)})
	start := time.Now()
	if err := j.Connect(ctx); err != nil {
		t.Fatalf("joiner, after %s: %v", time.Since(start), err)
	}
	defer j.Close()
	took := time.Since(start)
	t.Logf("figure: joiner of a %d-point board at 300 KB/s live after %s (idle timeout 2s)", j.Board().Points(), took.Round(100*time.Millisecond))
	if took < 2*cfg.IdleTimeout {
		t.Fatalf("the board took %s: too short to show anything", took)
	}
	wctx, wcancel := context.WithTimeout(ctx, 3*cfg.IdleTimeout)
	defer wcancel()
	if code, _, err := j.WaitClosed(wctx); err == nil {
		t.Errorf("the joiner was closed (%d) after going live", code)
	}
}
