package server_test

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// A client that stops reading (a real socket whose reader stalls, its
// buffers full) holds up only its own writer: the others on its board get
// every op meanwhile without waiting anywhere near the write timeout, and
// the stalled one is cut once its socket has taken nothing for the write
// timeout, counted as a slow consumer. (Its socket buffers take megabytes
// first, some seconds of the filler's ops; its queue bound is more than the
// filler sends in the test's time, so only the write timeout can cut it.)
func TestAStalledReaderDelaysNoOtherConnectionsWrites(t *testing.T) {
	cfg := bigBoardConfig(t, "")
	// Well above the time a stroke takes on a loaded machine (under -race
	// too), so a stroke held up by the stalled reader, which takes the
	// whole timeout, stands out from one that was merely slow.
	cfg.WriteTimeout = raceSlowdown * 2 * time.Second
	cfg.SendQueueBytes = 16 << 20 // the write timeout, not the queue bound, must cut it
	cfg.RateDestructive = 1000
	ts := startWith(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), raceSlowdown*time.Minute)
	defer cancel()
	addr := strings.TrimPrefix(ts.URL, "http://")
	hello := func(name string) []byte {
		return canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: name})
	}

	stalled, sbr := rawUpgradeWith(t, smallRcvBuf, addr, "b")
	stalled.Write(append(frameHeader(true, 2, uint64(len(hello("stalled")))), hello("stalled")...))
	// It reads its board (a joiner's deadline is longer), then stops.
	if _, err := skipFrame(sbr); err != nil {
		t.Fatal(err)
	}
	drawer := connect(t, ts, "b", "drawer")
	watcher := connect(t, ts, "b", "watcher")

	// A filler sends big ops (cleared now and then, to keep the board
	// small): the stalled socket's buffers fill within a second.
	fconn, fbr := rawUpgrade(t, addr, "b")
	go io.Copy(io.Discard, fbr)
	frame := func(b []byte) { fconn.Write(append(frameHeader(true, 2, uint64(len(b))), b...)) }
	frame(hello("filler"))
	pts := make([]canvas.Point, canvas.MaxPointsPerOp)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(i%7) - 3, Y: int32(i%5) - 2}
	}
	stop := make(chan struct{})
	filled := make(chan struct{})
	t.Cleanup(func() { close(stop); <-filled })
	go func() {
		defer close(filled)
		for k := 0; ; k++ {
			select {
			case <-stop:
				return
			default:
			}
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k + 1), Color: 0xff, Width: 4, Points: []canvas.Point{{X: 100, Y: 100}}}))
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
			if k%50 == 49 {
				frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: uint32(1<<30 + k)})) // a sweep number apart from the strokes
			}
			time.Sleep(raceSlowdown * 2 * time.Millisecond)
		}
	}()

	// Strokes until the stalled reader is cut, and a second more: each
	// reaches the watcher well within the write timeout.
	var worst time.Duration
	start := time.Now()
	var cutAt time.Time
	for k := 0; cutAt.IsZero() || time.Since(cutAt) < time.Second; k++ {
		if time.Since(start) > raceSlowdown*30*time.Second {
			t.Fatalf("the stalled reader was not cut in %s", time.Since(start))
		}
		if cutAt.IsZero() && slowDrops(t, ts) > 0 {
			cutAt = time.Now()
		}
		t0 := time.Now()
		if _, err := drawer.Stroke(0xff0000ff, 3, spiral(8, float64(k)), 8); err != nil {
			t.Fatal(err)
		}
		if err := drawer.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		if err := watcher.WaitSeq(ctx, drawer.Seq()); err != nil {
			t.Fatal(err)
		}
		worst = max(worst, time.Since(t0))
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("figure: stalled reader cut after %s; the watcher's slowest stroke meanwhile %s",
		cutAt.Sub(start).Round(10*time.Millisecond), worst.Round(time.Millisecond))

	if worst >= cfg.WriteTimeout {
		t.Errorf("a stroke took %s to reach the watcher: the stalled reader held it up (write timeout %s)", worst, cfg.WriteTimeout)
	}
	if n := slowDrops(t, ts); n != 1 {
		t.Errorf("%d slow-consumer drops, want 1 (the stalled reader)", n)
	}
	_ = stalled.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, stalled); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Errorf("the stalled reader's connection, read again: %v; want it ended", err)
	}
}

// A connection's writer lives while frames wait for its socket and goes
// away after: readers that stall during a burst (their sockets full, so
// every one of them has a writer blocked in a write) and then catch up
// leave no writer behind, and the process returns to the goroutines it
// had before the burst.
func TestWritersDoNotOutliveABurst(t *testing.T) {
	cfg := bigBoardConfig(t, "")
	cfg.WriteTimeout = time.Minute // the stall must not cut anyone
	cfg.SendQueueBytes = 16 << 20  // nor the queue bound
	cfg.RateDestructive = 1000
	ts := startWith(t, cfg)
	addr := strings.TrimPrefix(ts.URL, "http://")
	hello := func(name string) []byte {
		b := canvas.AppendHello(nil, &canvas.Hello{Version: canvas.Version, Name: name})
		return append(frameHeader(true, 2, uint64(len(b))), b...)
	}
	settled := func() int {
		// More than a writer's linger (a second) after the last frame.
		time.Sleep(2 * time.Second)
		runtime.GC()
		return runtime.NumGoroutine()
	}

	const n = 8
	resume := make(chan struct{})
	for i := range n {
		conn, br := rawUpgradeWith(t, smallRcvBuf, addr, "burst")
		conn.Write(hello("r" + strconv.Itoa(i)))
		if _, err := skipFrame(br); err != nil { // its board
			t.Fatal(err)
		}
		go func() {
			<-resume
			_, _ = io.Copy(io.Discard, br) // until the test closes it
		}()
	}
	fconn, fbr := rawUpgrade(t, addr, "burst")
	go io.Copy(io.Discard, fbr)
	fconn.Write(hello("filler"))
	idle := settled()
	idleWriters := sessionWriters(t)

	// Big ops until every stalled socket is full and its writer waits in
	// a write (cleared now and then, to keep the board small).
	pts := make([]canvas.Point, canvas.MaxPointsPerOp)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(i%7) - 3, Y: int32(i%5) - 2}
	}
	frame := func(b []byte) { fconn.Write(append(frameHeader(true, 2, uint64(len(b))), b...)) }
	blocked := 0
	for k := 0; ; k++ {
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k + 1), Color: 0xff, Width: 4, Points: []canvas.Point{{X: 100, Y: 100}}}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
		frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
		if k%50 == 49 {
			frame(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: uint32(1<<30 + k)}))
		}
		if k%20 == 19 {
			if blocked = sessionWriters(t) - idleWriters; blocked >= n {
				break
			}
		}
		if k > 20000 {
			t.Fatalf("after %d strokes only %d of %d stalled readers have a writer", k, blocked, n)
		}
		time.Sleep(raceSlowdown * time.Millisecond)
	}
	during := runtime.NumGoroutine()

	close(resume)
	after := settled()
	for k := 0; (after > idle || sessionWriters(t) > idleWriters) && k < 10; k++ {
		after = settled() // the readers are still catching up, or the machine is busy
	}
	t.Logf("figure: goroutines idle %d, with %d stalled readers %d, after they caught up %d", idle, n, during, after)
	if w := sessionWriters(t); w > idleWriters {
		t.Errorf("%d writers left after the readers caught up, %d before the burst: writers outlive their frames", w, idleWriters)
	}
	// Other goroutines may come and go meanwhile (timers, the store's
	// flusher): a few, not one per connection.
	if after > idle+3 {
		t.Errorf("%d goroutines after the burst, %d before: writers outlive their frames", after, idle)
	}
}

// sessionWriters counts the goroutines running a connection's writer.
func sessionWriters(t *testing.T) int {
	t.Helper()
	var b bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&b, 2); err != nil {
		t.Fatal(err)
	}
	return strings.Count(b.String(), "ws.(*Session).writeLoop(")
}

// A joiner's board goes out with a long deadline of its own; once the
// board is written that deadline must not linger on the socket, or the
// first frame after it passes would find the connection timed out. Two
// people who join and then stay quiet longer than it still draw together.
func TestAQuietSpellPastTheJoinDeadlineCutsNoOne(t *testing.T) {
	ts := startWith(t, bigBoardConfig(t, ""))
	ctx := ctxT(t)
	a := connect(t, ts, "quiet", "a")
	b := connect(t, ts, "quiet", "b")
	time.Sleep(11 * time.Second) // past the joiners' deadline (joinGrace, 10 s, plus their small boards)
	if _, err := a.Stroke(0xff0000ff, 3, spiral(20, 0), 4); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.WaitAcked(ctx2); err != nil {
		t.Fatalf("the drawer's own stroke after a quiet spell: %v", err)
	}
	if err := b.WaitSeq(ctx2, a.Seq()); err != nil {
		t.Fatalf("the other's stroke after a quiet spell: %v", err)
	}
}
