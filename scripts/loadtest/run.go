package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	spclient "github.com/sketchpad/sketchpad/server/client"
)

// config is one run: a scenario, its sizes, and the target.
type config struct {
	Scenario string
	Clients  int
	RoomSize int
	Drawers  int // per room
	Rate     float64
	Batch    int
	Duration time.Duration
	Warmup   time.Duration // drawing before measuring starts

	Target   string // replica, cluster, inproc, url
	URL      string
	RedisURL string
	Replicas int
	// RedisCluster: masters of a Redis Cluster for -target cluster (0: one Redis).
	RedisCluster int
	Peer         bool   // drive a peer relay instead of Sketchpad
	PeerKind     string // which: socketio (scripts/bench/peer) or centrifuge (scripts/bench/centrifuge)
	// Centrifuge relay: its WriteDelay, and publications kept per channel
	// (-1: 1,000 with more than one replica, the guarantee comparable to
	// Sketchpad's, else none).
	CFWriteDelay time.Duration
	CFHistory    int
	CFAOF        bool     // the relay's redis-server keeps an append-only file, as Sketchpad's does
	CompareWith  []string // the relays -compare runs after Sketchpad

	JoinPoints int
	Joiners    int
	Rounds     int // flood: pairs of runs without and with the flooder
	Audit      int // rooms whose board is checked against a fresh client's
	Dialers    int // connections opened at once during setup

	Progress io.Writer // progress lines; nil for none
	Logf     func(string, ...any)
}

// conn is a load connection of either protocol.
type conn interface {
	wire
	close()
}

// session is one connected client of a run.
type session struct {
	c    *client
	conn conn
	sp   *spConn // sketchpad only
}

func randomName() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "lt-" + hex.EncodeToString(b[:])
}

// connectAll opens every client's connection, cfg.Dialers at a time, and
// waits for its Welcome (sketchpad) or namespace confirmation (peer).
func connectAll(ctx context.Context, cfg *config, tgt *target, l *load, rooms []*room, audit map[*client]bool) ([]*session, error) {
	var all []*client
	for _, r := range rooms {
		all = append(all, r.clients...)
	}
	sessions := make([]*session, len(all))
	sem := make(chan struct{}, cfg.Dialers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	var connected int
	lastShown := time.Now()
	for i, c := range all {
		if ctx.Err() != nil {
			break
		}
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s, err := connectOne(ctx, tgt, c, audit[c])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("client %d: %w", c.id, err)
				}
				return
			}
			sessions[i] = s
			connected++
			if cfg.Progress != nil && time.Since(lastShown) > time.Second {
				lastShown = time.Now()
				fmt.Fprintf(cfg.Progress, "\r  connecting %d/%d   ", connected, len(all))
			}
		})
	}
	wg.Wait()
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "\r  connected %d/%d        \n", connected, len(all))
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		for _, s := range sessions {
			if s != nil {
				s.conn.close()
			}
		}
		return nil, firstErr
	}
	return sessions, nil
}

func connectOne(ctx context.Context, tgt *target, c *client, audit bool) (*session, error) {
	// A room's clients are spread over the replicas: client j of a room
	// goes to replica j mod n.
	j := 0
	for k, rc := range c.room.clients {
		if rc == c {
			j = k
		}
	}
	c.replica = j % max(1, len(tgt.bases))
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	if tgt.kind == "peer" {
		base := tgt.bases[j%len(tgt.bases)]
		var pc conn
		var ready <-chan error
		what := "no namespace confirmation within 30s"
		if tgt.peer == "centrifuge" {
			p, err := dialCentrifuge(c, base, c.room.name)
			if err != nil {
				return nil, err
			}
			pc, ready, what = p, p.ready, "not subscribed within 30s"
		} else {
			p, err := dialPeer(c, base, c.room.name)
			if err != nil {
				return nil, err
			}
			pc, ready = p, p.ready
		}
		var err error
		select {
		case err = <-ready:
		case <-timeout.C:
			err = errors.New(what)
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			pc.close()
			return nil, err
		}
		c.author = uint32(c.id + 1)
		return &session{c: c, conn: pc}, nil
	}
	s, err := dialSketchpad(c, tgt.wsURL(j, c.room.name), audit)
	if err != nil {
		return nil, err
	}
	if err := s.hello(fmt.Sprintf("load %d", c.id), 0x3366ccff); err != nil {
		s.close()
		return nil, err
	}
	var w welcomeInfo
	select {
	case w = <-s.welcome:
	case <-timeout.C:
		w.err = errors.New("no welcome within 30s")
	case <-ctx.Done():
		w.err = ctx.Err()
	}
	if w.err != nil {
		s.close()
		return nil, w.err
	}
	if w.head != 0 && c.room.name != "" && len(c.room.drawers) > 0 {
		s.close()
		return nil, fmt.Errorf("room %s is not fresh (head %d)", c.room.name, w.head)
	}
	return &session{c: c, conn: s, sp: s}, nil
}

// closeAll closes every connection and waits (up to 10 s) for their read
// goroutines to end, after which their counters may be read.
func closeAll(sessions []*session) {
	for _, s := range sessions {
		if s != nil {
			s.c.byUs.Store(true)
			s.conn.close()
		}
	}
	deadline := time.After(10 * time.Second)
	for _, s := range sessions {
		if s == nil {
			continue
		}
		select {
		case <-s.c.done:
		case <-deadline:
			return
		}
	}
}

// machineStart and machineEnd are /proc/stat's busy and total CPU
// seconds at the window's ends (one run at a time per process).
var machineStart, machineEnd [3]float64

// watchProcs samples the target's processes (and this one).
func watchProcs(tgt *target) []*watched {
	var ws []*watched
	for i, pid := range tgt.servers {
		if pid == 0 {
			continue
		}
		name := "server"
		if tgt.kind == "peer" {
			name = "relay"
		}
		if len(tgt.servers) > 1 {
			name = fmt.Sprintf("%s-%d", name, i+1)
		}
		if tgt.inproc {
			name += " (+loadgen)"
		}
		ws = append(ws, &watched{name: name, role: "server", pid: pid})
	}
	if !tgt.inproc {
		ws = append(ws, &watched{name: "loadgen", role: "loadgen", pid: selfPID()})
	}
	return ws
}

func sampleAll(ws []*watched, end bool) {
	busy, total, softirq := machineCPU()
	if end {
		machineEnd = [3]float64{busy, total, softirq}
	} else {
		machineStart = [3]float64{busy, total, softirq}
	}
	for _, w := range ws {
		s, err := readProc(w.pid)
		if err != nil {
			continue
		}
		if end {
			w.end = s
		} else {
			w.start = s
		}
	}
}

// newRooms builds the rooms of a drawing run (runDraw, runFloodOnce):
// cfg.Clients clients in rooms of cfg.RoomSize, ids 0 up, the first
// cfg.Drawers of each room drawing to plan's rate and batch, and in the first
// cfg.Audit rooms one receiver whose board is audited after the run
// (Sketchpad only: the peer relay keeps no board to audit against).
func newRooms(cfg *config, tgt *target, l *load, plan drawPlan) (rooms []*room, audit map[*client]bool) {
	rooms = make([]*room, max(1, cfg.Clients/cfg.RoomSize))
	audit = map[*client]bool{}
	id := 0
	for i := range rooms {
		r := &room{name: randomName()}
		rooms[i] = r
		for j := range cfg.RoomSize {
			c := &client{l: l, room: r, id: id, done: make(chan struct{})}
			id++
			r.clients = append(r.clients, c)
			if j < cfg.Drawers {
				c.d = newDrawer(c, j, plan, cfg.Warmup+cfg.Duration+time.Second)
				r.drawers = append(r.drawers, c.d)
			}
		}
		if tgt.kind == "sketchpad" && i < cfg.Audit {
			audit[r.clients[min(cfg.Drawers, cfg.RoomSize-1)]] = true
		}
	}
	return rooms, audit
}

// runDraw runs a drawing scenario (fanout, rooms, cluster, wire): every
// client connects, then the drawers draw for cfg.Duration while everyone
// receives, then the run drains, checks and reports.
func runDraw(ctx context.Context, cfg *config, tgt *target) (*report, error) {
	l := &load{clock: clock{start: time.Now()}}
	plan := drawPlan{rate: cfg.Rate, batch: cfg.Batch}
	rooms, audit := newRooms(cfg, tgt, l, plan)
	nRooms := len(rooms)
	cfg.Logf("%s: %d clients in %d rooms of %d, %d drawer(s) per room at %g points/s, %d points per op, for %s",
		cfg.Scenario, nRooms*cfg.RoomSize, nRooms, cfg.RoomSize, cfg.Drawers, cfg.Rate, cfg.Batch, cfg.Duration)
	sessions, err := connectAll(ctx, cfg, tgt, l, rooms, audit)
	if err != nil {
		return nil, err
	}
	defer closeAll(sessions)
	byClient := map[*client]*session{}
	for _, s := range sessions {
		byClient[s.c] = s
	}
	for _, r := range rooms {
		ix := &roomIndex{byAuthor: map[uint32]*drawer{}, drawers: len(r.drawers)}
		for _, d := range r.drawers {
			ix.byAuthor[d.c.author] = d
		}
		r.idx.Store(ix)
	}
	// Let the joins' presence traffic settle.
	time.Sleep(time.Second + time.Duration(cfg.Clients)*100*time.Microsecond)
	runtime.GC()

	procs := watchProcs(tgt)
	var rw *redisWatch
	if tgt.redisURL != "" {
		// A cluster's nodes all count as Redis CPU; command counts and
		// output buffers are the first node's.
		for i, u := range strings.Split(tgt.redisURL, ",") {
			w, err := newRedisWatch(u)
			if err != nil {
				return nil, err
			}
			name := "redis"
			if i > 0 {
				name = "redis-" + strconv.Itoa(i+1)
			}
			procs = append(procs, &watched{name: name, role: "redis", pid: w.pid})
			if i == 0 {
				rw = w
				defer rw.rdb.Close()
			} else {
				_ = w.rdb.Close()
			}
		}
	}
	// Drawers start at plan.start; the first cfg.Warmup is not measured
	// (connections warm up, a JIT compiles), then cfg.Duration is.
	plan.start = l.now() + int64(200*time.Millisecond)
	measureFrom := plan.start + int64(cfg.Warmup)
	plan.end = measureFrom + int64(cfg.Duration)
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 7))
	iv := int64(plan.interval())
	for _, r := range rooms {
		for _, d := range r.drawers {
			s := byClient[d.c]
			var e encoder
			if tgt.kind == "peer" && tgt.peer == "centrifuge" {
				e = &cfEncoder{author: d.c.author, channel: []byte(r.name)}
			} else if tgt.kind == "peer" {
				e = &peerEncoder{author: d.c.author}
			} else {
				e = &spEnc{}
			}
			go d.run(s.conn, e, plan, rng.Int64N(iv), rng.Uint64())
		}
	}
	if wait := measureFrom - l.now(); wait > 0 {
		time.Sleep(time.Duration(wait))
	}
	sampleAll(procs, false)
	var metricsStart metricSnap
	if tgt.kind == "sketchpad" {
		metricsStart = scrapeMetrics(tgt.bases)
	}
	if rw != nil {
		rw.begin(250 * time.Millisecond)
	}
	windowStart := time.Now()
	l.from.Store(max(measureFrom, 1))
	l.measuring.Store(true)
	// Progress while drawing.
	tick := time.NewTicker(time.Second)
	var prevPeer, prevSent int64
	prevAt := time.Now()
	for l.now() < plan.end {
		select {
		case <-ctx.Done():
			for _, r := range rooms {
				for _, d := range r.drawers {
					d.stop.Store(true)
				}
			}
		case <-tick.C:
		}
		if ctx.Err() != nil {
			break
		}
		if cfg.Progress != nil {
			now := time.Now()
			dt := now.Sub(prevAt).Seconds()
			peer, sent := l.peerPoints.Load()+l.selfPoints.Load(), l.sentPoints.Load()
			fmt.Fprintf(cfg.Progress, "\r  %4.0fs/%.0fs  sent %s pts/s  delivered %s pts/s  p50 %.1f ms  p99 %.1f ms  errors %d   ",
				float64(l.now()-measureFrom)/1e9, cfg.Duration.Seconds(), si(float64(sent-prevSent)/dt),
				si(float64(peer-prevPeer)/dt), l.lat.quantile(0.5), l.lat.quantile(0.99), l.errs.Load())
			prevPeer, prevSent, prevAt = peer, sent, now
		}
	}
	tick.Stop()
	for _, r := range rooms {
		for _, d := range r.drawers {
			<-d.done
		}
	}
	drawEnd := time.Now()
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	// Drain: every receiver gets every op, or 15 s pass.
	drained := waitDrained(rooms, tgt.kind, 15*time.Second)
	l.measuring.Store(false)
	window := time.Since(windowStart)
	sampleAll(procs, true)
	var wait *serverWait
	var pipelines float64 // Redis round trips of the replicas' submits over the window
	if metricsStart != nil {
		metricsEnd := scrapeMetrics(tgt.bases)
		wait = fanoutDelta(metricsStart.fanout(), metricsEnd.fanout())
		pipelines = metricsEnd.pipelines() - metricsStart.pipelines()
	}
	if rw != nil {
		rw.finish()
	}
	// Audit: a fresh client's board (the server's snapshot) against the
	// board an auditor built from the stream.
	audited, mismatched := 0, 0
	if tgt.kind == "sketchpad" {
		for c := range audit {
			s := byClient[c]
			ok, err := auditRoom(ctx, tgt, s)
			if err != nil {
				l.fail("audit: " + err.Error())
				continue
			}
			audited++
			if !ok {
				mismatched++
			}
		}
	}
	closeAll(sessions)
	rep := newReport(cfg, tgt, nRooms)
	rep.DrawSeconds = float64(plan.end-measureFrom) / 1e9
	_ = drawEnd
	rep.WindowSeconds = window.Seconds()
	rep.Drained = drained
	rep.fill(l, rooms, tgt.kind)
	rep.BoardsAudited, rep.BoardsMismatched = audited, mismatched
	rep.procs(procs, window)
	rep.ServerWait = wait
	if rw != nil {
		rep.redis(rw, window, nRooms, plan, pipelines)
	}
	rep.checkTargets()
	return rep, nil
}

// waitDrained waits until every client has every op its room's drawers
// sent (sketchpad: including its own, echoed; peer: the others').
func waitDrained(rooms []*room, kind string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		all := true
		for _, r := range rooms {
			var total int64
			for _, d := range r.drawers {
				total += d.ops.Load()
			}
			for _, c := range r.clients {
				want := total
				if kind == "peer" && c.d != nil {
					want -= c.d.ops.Load()
				}
				if c.seen.Load() < want {
					all = false
					break
				}
			}
			if !all {
				break
			}
		}
		if all {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// auditRoom connects a full client (server/client) to the auditor's room
// and compares the snapshot it gets with the auditor's board.
func auditRoom(ctx context.Context, tgt *target, s *session) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	fc := spclient.New(tgt.wsURL(0, s.c.room.name), spclient.Options{Name: "auditor"})
	if err := fc.Connect(ctx); err != nil {
		return false, err
	}
	defer fc.Close()
	s.c.byUs.Store(true)
	s.conn.close()
	select {
	case <-s.c.done:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	got := fc.BoardBytes()
	want, err := s.sp.board.MarshalBinary()
	if err != nil {
		return false, err
	}
	// The fresh client's board also says who joined (authors' applied
	// counts), which the auditor's board has too: both are canonical.
	return string(got) == string(want), nil
}

func si(v float64) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
