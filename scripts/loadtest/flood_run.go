package main

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"time"
)

// One run of the flood scenario, with or without the flooder, and the wait
// for its rooms to settle.

// rateLimitedDraw is the server's count of drawing frames its rate limits
// delayed.
const rateLimitedDraw = `sketchpad_rate_limited_total{class="draw"}`

// runFloodOnce is one run: the drawing of runDraw, with the flooder in the
// first room when flood is set.
func runFloodOnce(ctx context.Context, cfg *config, tgt *target, fr *floodReport, flood bool) (*report, floodRun, error) {
	var run floodRun
	l := &load{clock: clock{start: time.Now()}}
	plan := drawPlan{rate: cfg.Rate, batch: cfg.Batch}
	rooms, audit := newRooms(cfg, tgt, l, plan)
	nRooms := len(rooms)
	what := "without the flooder"
	if flood {
		what = fmt.Sprintf("with a flooder at %g drawing ops/s (%dx the server's %g per connection)", fr.FloodRate, floodFactor, fr.RateDraw)
	}
	cfg.Logf("flood: %d clients in %d room(s) of %d, %d drawer(s) per room at %g points/s, %d points per op, for %s, %s",
		nRooms*cfg.RoomSize, nRooms, cfg.RoomSize, cfg.Drawers, cfg.Rate, cfg.Batch, cfg.Duration, what)
	sessions, err := connectAll(ctx, cfg, tgt, l, rooms, audit)
	if err != nil {
		return nil, run, err
	}
	defer closeAll(sessions)
	byClient := map[*client]*session{}
	for _, s := range sessions {
		byClient[s.c] = s
	}
	var fl *flooder
	if flood {
		r := rooms[0]
		// Its own loopback address: the first one no other client (ids 0
		// to nRooms×RoomSize−1) uses.
		fid := (nRooms*cfg.RoomSize/clientsPerIP + 1) * clientsPerIP
		fl = &flooder{l: l, cfg: cfg, tgt: tgt, room: r, c: &client{l: l, room: r, id: fid, done: make(chan struct{})},
			base: len(r.drawers), rate: fr.FloodRate, done: make(chan struct{}),
			slots: int(cfg.Duration/(4*time.Second)) + 3} // a connection lasts about 5.2 s under flood
	}
	for _, r := range rooms {
		ix := &roomIndex{byAuthor: map[uint32]*drawer{}, drawers: len(r.drawers)}
		if fl != nil && r == fl.room {
			ix.drawers += fl.slots
		}
		for _, d := range r.drawers {
			ix.byAuthor[d.c.author] = d
		}
		r.idx.Store(ix)
	}
	time.Sleep(time.Second + time.Duration(cfg.Clients)*100*time.Microsecond)
	runtime.GC()

	procs := watchProcs(tgt)
	plan.start = l.now() + int64(200*time.Millisecond)
	measureFrom := plan.start + int64(cfg.Warmup)
	plan.end = measureFrom + int64(cfg.Duration)
	rng := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), 7))
	iv := int64(plan.interval())
	for _, r := range rooms {
		for _, d := range r.drawers {
			go d.run(byClient[d.c].conn, &spEnc{}, plan, rng.Int64N(iv), rng.Uint64())
		}
	}
	if fl != nil {
		go fl.run(ctx, measureFrom, plan.end, rng.Uint64())
	}
	if wait := measureFrom - l.now(); wait > 0 {
		time.Sleep(time.Duration(wait))
	}
	sampleAll(procs, false)
	others0, irq0 := allProcs(), irqSeconds()
	metrics0 := scrapeMetrics(tgt.bases)
	windowStart := time.Now()
	l.from.Store(max(measureFrom, 1))
	l.measuring.Store(true)
	tick := time.NewTicker(time.Second)
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
			fmt.Fprintf(cfg.Progress, "\r  %4.0fs/%.0fs  p50 %.1f ms  p99 %.1f ms  errors %d%s   ",
				float64(l.now()-measureFrom)/1e9, cfg.Duration.Seconds(), l.lat.quantile(0.5), l.lat.quantile(0.99),
				l.errs.Load(), fl.progress())
		}
	}
	tick.Stop()
	for _, r := range rooms {
		for _, d := range r.drawers {
			<-d.done
		}
	}
	// CPU, bytes and frames are compared over the drawing window: the
	// flooder's tail (the server reading what it wrote last, below) has
	// no drawer beside it.
	window := time.Since(windowStart)
	l.measuring.Store(false)
	sampleAll(procs, true)
	run.IRQSeconds = round(irqSeconds()-irq0, 2)
	run.OtherProcsSeconds, run.OtherTop = otherProcs(others0, allProcs(), procs)
	metrics1 := scrapeMetrics(tgt.bases)
	run.RateLimitedDraw = metrics1[rateLimitedDraw] - metrics0[rateLimitedDraw]
	run.ServerWait = fanoutDelta(metrics0.fanout(), metrics1.fanout())
	framesDown := l.framesDown.Load()
	if fl != nil {
		<-fl.done
	}
	if cfg.Progress != nil {
		fmt.Fprintln(cfg.Progress)
	}
	drained := waitSettled(rooms, 15*time.Second)
	for c := range audit {
		ok, err := auditRoom(ctx, tgt, byClient[c])
		if err != nil {
			l.fail("audit: " + err.Error())
			continue
		}
		run.BoardsAudited++
		if !ok {
			run.BoardsMismatched++
		}
	}
	closeAll(sessions)

	rep := newReport(cfg, tgt, nRooms)
	rep.DrawSeconds = float64(plan.end-measureFrom) / 1e9
	rep.WindowSeconds = window.Seconds()
	rep.Drained = drained
	rep.fill(l, rooms, tgt.kind)
	rep.BoardsAudited, rep.BoardsMismatched = run.BoardsAudited, run.BoardsMismatched
	rep.procs(procs, window)
	// fill counts every op a receiver got against the drawers' ops; the
	// flooder's ops would hide a loss, so count per normal drawer instead.
	var unattributed uint64
	for _, r := range rooms {
		for _, c := range r.clients {
			for _, d := range r.drawers {
				var got uint64
				if c.counts != nil {
					got = c.counts[d.ord]
				}
				want := uint64(d.ops.Load())
				if got < want {
					run.OpsLost += int64(want - got)
				} else {
					run.OpsDuplicated += int64(got - want)
				}
			}
			run.OpsDuplicated += int64(c.dups)
			run.SeqGaps += c.gaps
			unattributed += c.foreign
		}
	}
	rep.OpsLost, rep.OpsDuplicated = run.OpsLost, run.OpsDuplicated
	run.Latency = rep.Latency
	run.SentOps = rep.SentOps
	run.Diverged = rep.Diverged
	run.Drained = drained
	run.ClosedByServer = rep.Closed
	run.ServerCPUSeconds = round(rep.ServerCPUSeconds, 2)
	run.MachineBusyPercent = rep.MachineBusyPercent
	run.OtherCPUSeconds = rep.OtherCPUSeconds
	run.WindowSeconds = round(window.Seconds(), 2)
	run.FramesPerClientSec = round(float64(framesDown)/float64(max(1, rep.Clients))/window.Seconds(), 1)
	run.Errors = rep.Errors
	if fl != nil {
		fl.fill(fr, unattributed)
	}
	return rep, run, nil
}

// waitSettled waits until every drawer has its own ops back and every
// room's clients have received the same number of ops, unchanged for
// 300 ms (the flooder's ops, whose number only the receivers know,
// included), or until timeout.
func waitSettled(rooms []*room, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	var last []int64
	var since time.Time
	for {
		ok := true
		var seen []int64
		for _, r := range rooms {
			for _, d := range r.drawers {
				if d.c.acked.Load() < d.ops.Load() {
					ok = false
				}
			}
			for _, c := range r.clients {
				n := c.seen.Load()
				if n != r.clients[0].seen.Load() {
					ok = false
				}
				seen = append(seen, n)
			}
		}
		switch {
		case !ok || !slices.Equal(seen, last):
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) >= 300*time.Millisecond:
			return true
		}
		last = seen
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
