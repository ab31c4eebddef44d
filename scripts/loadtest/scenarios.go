package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

func selfPID() int { return os.Getpid() }

// scenarioDefaults are issue 6's sizes for each scenario; flags override.
var scenarioDefaults = map[string]config{
	"fanout":  {Clients: 1000, RoomSize: 1000, Drawers: 10, Rate: 100, Batch: 4},
	"rooms":   {Clients: 10000, RoomSize: 10, Drawers: 1, Rate: 60, Batch: 4},
	"cluster": {Clients: 2000, RoomSize: 20, Drawers: 1, Rate: 100, Batch: 4, Replicas: 2},
	"idle":    {Clients: 10000, RoomSize: 10},
	"join":    {JoinPoints: 100000, Joiners: 100},
	"wire":    {Clients: 2, RoomSize: 2, Drawers: 1, Rate: 100, Batch: 4},
	// Issue 7 test 4: 50 drawers (each receiving the others) and 10
	// watchers in one room, then the same beside a flooder (flood.go).
	// Small enough to leave this 2-core machine headroom: the ratio is to
	// measure isolation, not CPU exhaustion.
	"flood": {Clients: 60, RoomSize: 60, Drawers: 50, Rate: 100, Batch: 4},
}

var scenarioNames = []string{"fanout", "rooms", "cluster", "idle", "join", "wire", "flood"}

// forceGC asks the server (through its pprof listener) to collect garbage:
// the heap profile handler runs runtime.GC with ?gc=1. It returns the Go
// heap and stacks in use afterwards (bytes), from the profile's MemStats.
func forceGC(pprof string) (int64, bool) {
	if pprof == "" {
		return 0, false
	}
	resp, err := http.Get(pprof + "/debug/pprof/heap?gc=1&debug=1")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var heap, stack int64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# HeapInuse = "); ok {
			heap, _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		}
		if v, ok := strings.CutPrefix(line, "# Stack = "); ok {
			a, _, _ := strings.Cut(v, " ")
			stack, _ = strconv.ParseInt(strings.TrimSpace(a), 10, 64)
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return heap + stack, resp.StatusCode == http.StatusOK
}

// runIdle connects cfg.Clients clients (rooms of cfg.RoomSize) that say
// Hello and then nothing, and measures what they cost the server: RSS
// after a forced GC, and CPU over cfg.Duration (pings included: the
// server pings every idle-timeout/2, 30 s by default).
func runIdle(ctx context.Context, cfg *config, tgt *target) (*report, error) {
	if len(tgt.servers) == 0 || tgt.servers[0] == 0 {
		return nil, errors.New("idle: the server's process is unknown (need a started or loopback target)")
	}
	l := &load{clock: clock{start: time.Now()}}
	nRooms := max(1, cfg.Clients/cfg.RoomSize)
	rooms := make([]*room, nRooms)
	id := 0
	for i := range rooms {
		r := &room{name: randomName()}
		for range cfg.RoomSize {
			r.clients = append(r.clients, &client{l: l, room: r, id: id, done: make(chan struct{})})
			id++
		}
		rooms[i] = r
	}
	pid := tgt.servers[0]
	before0, gcBefore := forceGC(tgt.pprof)
	time.Sleep(time.Second)
	before, err := readProc(pid)
	if err != nil {
		return nil, err
	}
	cfg.Logf("idle: %d connections in %d rooms of %d; server RSS before %.1f MiB", nRooms*cfg.RoomSize, nRooms, cfg.RoomSize, float64(before.rss)/(1<<20))
	sessions, err := connectAll(ctx, cfg, tgt, l, rooms, nil)
	if err != nil {
		return nil, err
	}
	defer closeAll(sessions)
	// Settle: presence messages, the server's join work, goroutines parking.
	time.Sleep(3 * time.Second)
	after0, gcAfter := forceGC(tgt.pprof)
	time.Sleep(2 * time.Second)
	after, err := readProc(pid)
	if err != nil {
		return nil, err
	}
	n := len(sessions)
	procs := watchProcs(tgt)
	sampleAll(procs, false)
	cfg.Logf("idle: measuring CPU for %s", cfg.Duration)
	start := time.Now()
	t := time.NewTicker(time.Second)
	for time.Since(start) < cfg.Duration && ctx.Err() == nil {
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "\r  %4.0fs/%.0fs idle  ", time.Since(start).Seconds(), cfg.Duration.Seconds())
		}
	}
	t.Stop()
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	window := time.Since(start)
	sampleAll(procs, true)
	// Settled: what the connections cost after they have been idle a
	// while. Each GC halves a goroutine stack that uses under a quarter
	// of it, so a read goroutine whose stack grew while its Hello was
	// handled takes more than one cycle to come back down; a server does
	// collect now and then (the runtime forces a GC every two minutes),
	// and returns freed memory to the OS in the background.
	_, _ = forceGC(tgt.pprof) // the first halves stacks; the second's reading counts
	settled0, _ := forceGC(tgt.pprof)
	time.Sleep(2 * time.Second)
	settled, err := readProc(pid)
	if err != nil {
		return nil, err
	}
	closed := 0
	for _, s := range sessions {
		if s.c.closed.Load() {
			closed++
		}
	}
	rep := newReport(cfg, tgt, nRooms)
	rep.procs(procs, window)
	rep.Closed = closed
	cpu := procs[0].end.cpu - procs[0].start.cpu
	rep.Idle = &idleReport{Connections: n, RSSBeforeMiB: round(float64(before.rss)/(1<<20), 1),
		RSSAfterMiB: round(float64(after.rss)/(1<<20), 1), GCForced: gcBefore && gcAfter,
		RSSPerConnKiB:    round(float64(after.rss-before.rss)/1024/float64(n), 2),
		RSSSettledMiB:    round(float64(settled.rss)/(1<<20), 1),
		RSSSettledPerKiB: round(float64(settled.rss-before.rss)/1024/float64(n), 2),
		CPUWindowS:       round(window.Seconds(), 1),
		CPUPerConnUs:     round(cpu*1e6/float64(n)/window.Seconds(), 3)}
	if gcBefore && gcAfter {
		rep.Idle.HeapStackPerKiB = round(float64(after0-before0)/1024/float64(n), 2)
		rep.Idle.HeapStackSettledKiB = round(float64(settled0-before0)/1024/float64(n), 2)
	}
	rep.Errors = l.errs.Load()
	rep.checkTargets()
	return rep, nil
}

// runJoin builds a board of cfg.JoinPoints points (strokes of 500 points,
// their points in ops of 100, at 200 ops/s: under the server's per-
// connection drawing rate), then cfg.Joiners clients join at once; each measures
// from its Hello to the whole first frame (Welcome, Snapshot, Presence).
func runJoin(ctx context.Context, cfg *config, tgt *target) (*report, error) {
	if tgt.kind != "sketchpad" {
		return nil, errors.New("join: the peer relay keeps no board, so it has nothing to serve a late joiner")
	}
	l := &load{clock: clock{start: time.Now()}}
	r := &room{name: randomName()}
	r.idx.Store(&roomIndex{byAuthor: map[uint32]*drawer{}})
	seedC := &client{l: l, room: r, done: make(chan struct{})}
	seed, err := connectOne(ctx, tgt, seedC, false)
	if err != nil {
		return nil, err
	}
	cfg.Logf("join: drawing a board of %d points", cfg.JoinPoints)
	pen := newPen(42)
	var e spEncoder
	sent, strokes := 0, 0
	var batch []canvas.Point
	ops := int64(0)
	pace := time.NewTicker(5 * time.Millisecond)
	defer pace.Stop()
	send := func(f []byte) error {
		<-pace.C
		ops++
		return seed.conn.send(f)
	}
	for sent < cfg.JoinPoints && err == nil {
		n := min(500, cfg.JoinPoints-sent)
		strokes++
		err = send(e.begin(pen.next(), 0x1e1e1eff))
		for i := 1; i < n && err == nil; i += 100 {
			batch = batch[:0]
			for j := i; j < min(i+100, n); j++ {
				batch = append(batch, pen.next())
			}
			err = send(e.points(batch))
		}
		if err == nil {
			err = send(e.end())
		}
		pen.lift()
		sent += n
		// Keep the server's send queue for the seeder short.
		for seedC.seen.Load() < ops-2000 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
	}
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for seedC.seen.Load() < ops {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, fmt.Errorf("join: the board's ops were not all acknowledged (%d of %d)", seedC.seen.Load(), ops)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	cfg.Logf("join: %d late joiners at once", cfg.Joiners)
	var serve, connect histogram
	var mu sync.Mutex
	var firstErr error
	var welcomeBytes, snapBytes, snapPoints int
	start := make(chan struct{})
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	for i := range cfg.Joiners {
		ready.Add(1)
		wg.Go(func() {
			c := &client{l: l, room: r, id: i + 1, done: make(chan struct{})}
			t0 := time.Now()
			s, err := dialSketchpad(c, tgt.wsURL(0, r.name), i == 0)
			ready.Done()
			if err == nil {
				connect.add(int64(time.Since(t0)))
				<-start
				defer s.close()
				h0 := l.now()
				if err = s.hello(fmt.Sprintf("joiner %d", i), 0x3366ccff); err == nil {
					select {
					case w := <-s.welcome:
						err = w.err
						if err == nil {
							serve.add(w.at - h0)
							mu.Lock()
							welcomeBytes, snapBytes = max(welcomeBytes, w.frameBytes), max(snapBytes, w.snapBytes)
							mu.Unlock()
						}
					case <-time.After(30 * time.Second):
						err = errors.New("no welcome within 30s")
					}
				}
				if err == nil && s.board != nil {
					mu.Lock()
					snapPoints = s.board.Points()
					mu.Unlock()
				}
			}
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	ready.Wait() // every joiner has its connection open: all Hellos go together
	close(start)
	wg.Wait()
	seed.conn.close()
	if firstErr != nil {
		return nil, firstErr
	}
	rep := newReport(cfg, tgt, 1)
	rep.Join = &joinReport{BoardPoints: cfg.JoinPoints, BoardStrokes: strokes, Joiners: cfg.Joiners,
		SnapshotBytes: snapBytes, WelcomeBytes: welcomeBytes, Serve: serve.stats(), Connect: connect.stats(),
		SnapshotPoints: snapPoints}
	rep.Errors = l.errs.Load()
	if p := l.firstErr.Load(); p != nil {
		rep.FirstError = *p
	}
	rep.checkTargets()
	return rep, nil
}
