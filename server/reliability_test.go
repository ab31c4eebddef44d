package server_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// Reliability tests (issue 7); each logs the figures RELIABILITY.md quotes.

// realServer serves app with App.HTTPServer (the timeouts production uses)
// on a loopback port and returns its address.
func realServer(t *testing.T, cfg *config.Config) (addr string, app *server.App) {
	t.Helper()
	app, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := app.HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return ln.Addr().String(), app
}

// rawUpgrade opens a TCP connection and completes a WebSocket handshake by
// hand, so the test can then send frames no real client would.
func rawUpgrade(t *testing.T, addr, room string) (net.Conn, *bufio.Reader) {
	t.Helper()
	return rawUpgradeWith(t, &net.Dialer{}, addr, room)
}

// rawUpgradeWith is rawUpgrade over a connection from d.
func rawUpgradeWith(t *testing.T, d *net.Dialer, addr, room string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var key [16]byte
	_, _ = rand.Read(key[:])
	fmt.Fprintf(conn, "GET /ws/%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		room, addr, base64.StdEncoding.EncodeToString(key[:]))
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, "101") {
		t.Fatalf("handshake: %q %v", status, err)
	}
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	return conn, br
}

// frameHeader is a masked client frame header for a payload of n bytes.
func frameHeader(fin bool, opcode byte, n uint64) []byte {
	b0 := opcode
	if fin {
		b0 |= 0x80
	}
	h := []byte{b0}
	switch {
	case n < 126:
		h = append(h, 0x80|byte(n))
	case n < 1<<16:
		h = append(h, 0x80|126)
		h = binary.BigEndian.AppendUint16(h, uint16(n))
	default:
		h = append(h, 0x80|127)
		h = binary.BigEndian.AppendUint64(h, n)
	}
	return append(h, 0, 0, 0, 0) // mask key 0: payload bytes go as they are
}

// closedWithin reads until the server sends a close frame or drops the
// connection and returns how long that took and the close code (0 if none).
func closedWithin(conn net.Conn, br *bufio.Reader, limit time.Duration) (time.Duration, uint16) {
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	for {
		h := make([]byte, 2)
		if _, err := io.ReadFull(br, h); err != nil {
			return time.Since(start), 0
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			io.ReadFull(br, b[:])
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			io.ReadFull(br, b[:])
			n = binary.BigEndian.Uint64(b[:])
		}
		p := make([]byte, min(n, 1<<20))
		if _, err := io.ReadFull(br, p); err != nil {
			return time.Since(start), 0
		}
		if h[0]&0x0f == 0x8 && len(p) >= 2 {
			// The server closed the WebSocket; it then waits a moment for
			// the client's answer before dropping the socket.
			return time.Since(start), binary.BigEndian.Uint16(p)
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

func TestFrameAttacksAreClosedQuicklyAndHurtNoOne(t *testing.T) {
	cfg := &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, HandshakeTimeout: 500 * time.Millisecond}
	addr, _ := realServer(t, cfg)
	ctx := ctxT(t)
	// A bystander draws throughout and must see nothing of the attacks.
	by := client.New("ws://"+addr+"/ws/attacked", client.Options{Name: "bystander"})
	if err := by.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer by.Close()
	heap0 := heapInUse()

	attacks := []struct {
		name string
		send func(conn net.Conn)
		code uint16
	}{
		{"header claiming 2^60 bytes", func(c net.Conn) { c.Write(frameHeader(true, 2, 1<<60)) }, 1009},
		{"one byte over the frame limit", func(c net.Conn) {
			c.Write(frameHeader(true, 2, 64<<10+1))
			c.Write(make([]byte, 64<<10+1))
		}, 1009},
		{"10,000 one-byte fragments", func(c net.Conn) {
			var b []byte
			b = append(b, frameHeader(false, 2, 1)...)
			b = append(b, 0x7f)
			for i := 1; i < 10000; i++ {
				b = append(b, frameHeader(i == 9999, 0, 1)...)
				b = append(b, 0x00)
			}
			c.Write(b)
		}, uint16(canvas.CloseMalformed)},
	}
	for _, a := range attacks {
		conn, br := rawUpgrade(t, addr, "attacked")
		a.send(conn)
		took, code := closedWithin(conn, br, 3*time.Second)
		t.Logf("figure: %s: closed after %v with %d", a.name, took.Round(time.Millisecond), code)
		if took > raceSlowdown*time.Second || code != a.code {
			t.Errorf("%s: closed after %v with %d, want within 1s with %d", a.name, took, code, a.code)
		}
	}
	// A handshake that never finishes is dropped at the handshake timeout.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /ws/attacked HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n", addr)
	took, _ := closedWithin(conn, bufio.NewReader(conn), 5*time.Second)
	t.Logf("figure: unfinished handshake: closed after %v (timeout %v)", took.Round(time.Millisecond), cfg.HandshakeTimeout)
	if took > cfg.HandshakeTimeout+time.Second {
		t.Errorf("an unfinished handshake held its connection %v", took)
	}

	// The bystander is untouched: still live, its stroke goes through.
	if _, err := by.Stroke(1, 4, spiral(30, 0), 4); err != nil {
		t.Fatal(err)
	}
	if err := by.WaitAcked(ctx); err != nil || by.Err() != nil {
		t.Fatalf("bystander: %v %v", err, by.Err())
	}
	grew := int64(heapInUse()) - int64(heap0)
	t.Logf("figure: heap growth after the attacks: %d KiB", grew/1024)
	if grew > 8<<20 {
		t.Errorf("the attacks left %d bytes of heap behind", grew)
	}
}

func TestSlowConsumerIsDroppedAndOthersAreNotSlowed(t *testing.T) {
	// A clear hides its strokes until their room is needed (canvas/sweep.go):
	// the board limit makes that soon, so the board stays small.
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, SendQueueBytes: 1 << 20, RateDraw: 10000, RateDestructive: 1000, MaxBoardPoints: 120_000})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	fast := client.New(ts.wsURL("slow"), client.Options{Name: "fast", NoLog: true})
	if err := fast.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fast.Close)
	addr := strings.TrimPrefix(ts.URL, "http://")
	// The stalled one completes the handshake, then never reads again.
	conn, br := rawUpgrade(t, addr, "slow")
	hello := canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: "stalled"})
	conn.Write(append(frameHeader(true, 2, uint64(len(hello))), hello...))
	// The drawer writes raw frames and discards what it gets, so the heap
	// measured below is the server's (and fast's board), not a client's
	// copy of everything it sent.
	dconn, dbr := rawUpgrade(t, addr, "slow")
	go io.Copy(io.Discard, dbr)
	frame := func(b []byte) { dconn.Write(append(frameHeader(true, 2, uint64(len(b))), b...)) }
	frame(canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: "drawer"}))
	heap0 := heapInUse()
	// Enough bytes to fill the kernel's socket buffers (several MiB on
	// loopback) and then the 1 MiB queue: big ops, the board cleared now
	// and then so only the stalled client's backlog could grow.
	var sent int
	pts := make([]canvas.Point, canvas.MaxPointsPerOp)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(i%7) - 3, Y: int32(i%5) - 2}
	}
	for k := range 1500 {
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k + 1), Color: 0xff, Width: 4, Points: []canvas.Point{{X: 100, Y: 100}}}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
		sent++
		if k%50 == 49 {
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: 1}))
		}
		time.Sleep(raceSlowdown * 2 * time.Millisecond) // fast, but one a reading client keeps up with
	}
	frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: 9999, Color: 0xff, Width: 4, Points: []canvas.Point{{X: 1, Y: 1}}}))
	if err := fast.WaitSeq(ctx, uint64(sent*3+sent/50+1)); err != nil {
		t.Fatal(err)
	}
	grew := int64(heapInUse()) - int64(heap0)
	t.Logf("figure: %d strokes of 2,049 points drawn past a stalled reader; heap growth %d KiB (send queue bound 1 MiB)", sent, grew/1024)
	if grew > 16<<20 {
		t.Errorf("heap grew %d bytes: the stalled client is being buffered", grew)
	}
	// The stalled one was dropped at its queue bound. (No close frame can
	// reach a client that does not read: the socket is closed after a
	// second's try.)
	if _, body, _ := get(t, ts.URL+"/metrics"); !strings.Contains(body, "sketchpad_slow_consumer_drops_total 1") {
		t.Errorf("no slow-consumer drop counted")
	}
	if took, _ := closedWithin(conn, br, 10*time.Second); took >= 10*time.Second {
		t.Errorf("the stalled client's connection is still open")
	}
}

func TestLateJoinersDuringFullSpeedDrawingAlwaysMatch(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, MaxConnsPerIP: 10000, IPRateFactor: 100, RateHTTP: 1e4})
	// A bound on a hang, not a speed check: on a shared machine under the
	// race detector 200 joins of a growing board took past 120 s.
	ctx, cancel := context.WithTimeout(context.Background(), max(120*time.Second, raceSlowdown*60*time.Second))
	defer cancel()
	var drawers []*client.Client
	for i := range 20 {
		drawers = append(drawers, connect(t, ts, "race", "D"+itoa(i)))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, d := range drawers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(64 * time.Millisecond) // 4 ops: a 60 Hz pointer
			defer tick.Stop()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				if _, err := d.Stroke(uint32(i), 2, spiral(8, float64(k)), 4); err != nil {
					return
				}
			}
		}()
	}
	// 200 joiners at random moments: each keeps what it got (snapshot plus
	// replay, and any live ops in the same frames) and leaves.
	type seen struct {
		seq   uint64
		board []byte
	}
	var got []seen
	for range 200 {
		time.Sleep(time.Duration(mrand.IntN(20)) * time.Millisecond)
		j := client.New(ts.wsURL("race"), client.Options{Name: "late"})
		if err := j.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		if err := j.Err(); err != nil {
			t.Fatalf("joiner saw a gap or duplicate: %v", err)
		}
		// One copy of the board, its seq with it: the client goes on
		// applying live ops between two separate reads (Seq, then
		// BoardBytes), which under load paired a board with an older seq.
		b := j.Board()
		bb, err := b.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, seen{b.Seq, bb})
		j.Close()
	}
	close(stop)
	wg.Wait()
	converge(t, ctx, drawers...)
	// The drawers were there from the first op: their log is the room's
	// whole history. Replay it to each joiner's seq and compare.
	log := drawers[0].Log()
	ref := canvas.NewBoard(drawers[0].Board().Epoch)
	var op canvas.Op
	next := 0
	for i, g := range got {
		for ; next < len(log) && log[next].Seq <= g.seq; next++ {
			if err := canvas.DecodeOp(log[next].Op, &op); err != nil {
				t.Fatal(err)
			}
			ref.Apply(log[next].Author, &op)
		}
		want, _ := ref.MarshalBinary()
		if string(want) != string(g.board) {
			t.Fatalf("joiner %d at seq %d holds a board that differs from the history replayed to that seq", i, g.seq)
		}
	}
	t.Logf("figure: 200 late joiners at random moments during 20 drawers at 60 ops/s each (%d ops): every snapshot plus replay equals the history at its seq; 0 gaps, 0 duplicates",
		drawers[0].Seq())
}

func TestRedisDownFiveSecondsUnder50DrawersOn3Replicas(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{AOF: true})
	rs := replicas(t, rd.URL(), 3)
	room := roomName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cs, stop, results := drawingCrowd(t, rs, room, 50, 20, 60*time.Millisecond)
	time.Sleep(time.Second)
	acked := cs[0].Board() // everything on it was acknowledged
	rd.Stop()
	time.Sleep(5 * time.Second)
	rd.Restart(t)
	back := time.Now()
	time.Sleep(500 * time.Millisecond)
	close(stop)
	want := drawn(results)
	converge(t, ctx, cs...)
	took := time.Since(back)
	t.Logf("figure: Redis down 5 s under 50 drawers on 3 replicas: %d strokes, all converged %v after Redis returned", len(want), took.Round(time.Millisecond))
	if took > raceSlowdown*10*time.Second {
		t.Errorf("converged %v after Redis returned, want within 10 s", took)
	}
	final := cs[0].Board()
	for _, s := range acked.Strokes() {
		if got := final.Stroke(s.ID); got == nil || len(got.Points) < len(s.Points) {
			t.Errorf("acknowledged stroke %v lost", s.ID)
		}
	}
	strokesComplete(t, final, want)
	for _, r := range rs {
		if code, _, _ := get(t, r.URL+"/healthz"); code != 200 {
			t.Errorf("a replica is not healthy after the outage")
		}
	}
}
