package main

import (
	"context"
	"errors"
	"sort"
	"time"

	srvconfig "github.com/sketchpad/sketchpad/server/config"
)

// The flood scenario is issue 7's test 4, rate-limit isolation: one client
// sending drawing ops at 10 times the server's per-connection drawing limit
// beside 50 people drawing at a human pace. It runs the same drawing twice,
// each time against a fresh server: without the flooder, then with it. It
// reports the normal drawers' pointer-to-peer p50/p99 in both runs and their
// ratio (target: p99 with the flood at most 1.2 times p99 without), and how
// many of the flooder's ops reached the other clients against how many the
// server's limiter can admit (target: not one more).
//
// What the limiter admits (server/ws/limits.go, server/ws/session.go allow): a
// connection's drawing bucket starts full (burst, twice the rate) when its
// first drawing frame is read and refills at the rate. A frame beyond the
// budget is not dropped but waited for: the read goroutine sleeps out the
// debt, then hands the frame to the room. So by any moment t the room has
// been handed at most burst + rate × (t − first frame) of a connection's
// ops; the rest waits in TCP buffers, and the sender is slowed by
// backpressure. The sleeps are summed, and once a connection has waited
// more than 5 s in all (a flood past its burst, about 5 s later) the frame
// at hand is refused and the connection closed with 4429; it was told with
// Notice 429 (at most once a second) meanwhile. Nothing it sent after that
// is read. The bound checked here is burst + rate × (the flooder's first op
// written to its close received), per connection: the client's interval
// holds the server's, so the bound is a little generous (a few ms × rate),
// never too strict.
//
// The flooder reconnects at once whenever it is closed (a new author each
// time, from its own loopback address), so the flood lasts the whole
// measured window, and it closes its last connection itself at the end.
// Receivers tell its ops apart by author: each of its connections is
// registered in the room's index like a drawer whose ops were all "sent
// before the window", so receivers count them per connection (and check
// their order) but they add nothing to the normal drawers' latency or
// delivery figures.
//
// The scenario's other files: flooder.go (the flooding client),
// flood_run.go (one run), flood_report.go (its figures and table),
// flood_targets.go (the criteria).

// maxDebt is the server's: how long a connection may be kept waiting by
// its rate limits in all before it is closed with 4429 (server/ws/limits.go).
const maxDebt = 5 * time.Second

// floodFactor is how many times the server's drawing limit the flooder sends.
const floodFactor = 10

// serverLimits are the drawing limits of the servers the load generator
// starts (the server's defaults); a -url target must use them too.
func serverLimits() (rate, burst float64) {
	c := srvconfig.Config{}
	c.Defaults()
	return c.RateDraw, 2 * c.RateDraw
}

// runFlood runs the drawing without, then with the flooder, each against
// a fresh target, cfg.Rounds times, and reports the last run (its own
// figures: latency, deliveries, CPU) with every run's in its flood section.
func runFlood(ctx context.Context, cfg *config) (*report, error) {
	if cfg.Peer {
		return nil, errors.New("flood: Sketchpad only (the Socket.IO relay has no rate limits)")
	}
	rate, burst := serverLimits()
	fr := &floodReport{RateDraw: rate, Burst: burst, FloodRate: floodFactor * rate}
	var rep *report
	for i := range max(1, cfg.Rounds) {
		var rd floodRound
		for _, flood := range []bool{false, true} {
			tgt, err := startTarget(ctx, cfg)
			if err != nil {
				return nil, err
			}
			cfg.Logf("target: %s", tgt.desc)
			if cfg.Rounds > 1 {
				cfg.Logf("flood: round %d of %d", i+1, cfg.Rounds)
			}
			r, run, err := runFloodOnce(ctx, cfg, tgt, fr, flood)
			tgt.close()
			if err != nil {
				return nil, err
			}
			if flood {
				rd.With, rep = run, r
			} else {
				rd.Without = run
			}
		}
		rd.P50Ratio = round(rd.With.Latency.P50/rd.Without.Latency.P50, 3)
		rd.P99Ratio = round(rd.With.Latency.P99/rd.Without.Latency.P99, 3)
		fr.Rounds = append(fr.Rounds, rd)
	}
	last := fr.Rounds[len(fr.Rounds)-1]
	fr.Without, fr.With = last.Without, last.With
	fr.P50Ratio = median(fr.Rounds, func(r floodRound) float64 { return r.P50Ratio })
	fr.P99Ratio = median(fr.Rounds, func(r floodRound) float64 { return r.P99Ratio })
	rep.Flood = fr
	rep.checkTargets()
	return rep, nil
}

// median is the median of f over xs (the mean of the middle two of an
// even count).
func median[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	sort.Float64s(v)
	n := len(v)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return v[n/2]
	}
	return round((v[n/2-1]+v[n/2])/2, 3)
}
