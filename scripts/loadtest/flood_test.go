package main

import (
	"context"
	"io"
	"math"
	"testing"
	"time"
)

// A short flood run over servers in this process: the flooder is slowed,
// nothing of it beyond what its limiter admits reaches the others, and no
// normal drawer's op is lost. The latency ratio is a measured figure, not
// asserted here (it would flake on a busy machine).
func TestFloodInProcess(t *testing.T) {
	if underRace {
		t.Skip("rate limits are wall-clock budgets: timing means nothing under -race; make test runs it without")
	}
	cfg := quietConfig(t, "-scenario", "flood", "-clients", "12", "-drawers", "6", "-duration", "2s",
		"-warmup", "200ms", "-target", "inproc", "-rounds", "2")
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	rep, err := runOne(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep.writeTable(io.Discard)
	f := rep.Flood
	if f == nil {
		t.Fatal("no flood section in the report")
	}
	if rep.Errors != 0 {
		t.Fatalf("%d errors, first: %s", rep.Errors, rep.FirstError)
	}
	if len(f.Rounds) != 2 {
		t.Fatalf("%d rounds reported, want 2", len(f.Rounds))
	}
	if a, b := f.Rounds[0].P99Ratio, f.Rounds[1].P99Ratio; math.Abs(f.P99Ratio-(a+b)/2) > 0.001 {
		t.Errorf("p99 ratio %.3f is not the median of the rounds' %.3f and %.3f", f.P99Ratio, a, b)
	}
	var runs []floodRun
	for _, rd := range f.Rounds {
		runs = append(runs, rd.Without, rd.With)
	}
	for _, run := range runs {
		if run.OpsLost != 0 || run.OpsDuplicated != 0 || run.SeqGaps != 0 || run.Diverged != 0 || !run.Drained ||
			run.ClosedByServer != 0 || run.BoardsAudited != 1 || run.BoardsMismatched != 0 {
			t.Errorf("normal drawers: %+v", run)
		}
		if run.Latency.N == 0 {
			t.Errorf("no latency samples: %+v", run)
		}
	}
	if len(f.Connections) == 0 || f.Seen == 0 || f.Excess != 0 || f.Unattributed != 0 {
		t.Errorf("flooder: %d connections, %d ops seen by others, %.0f admissible, excess %.0f, %d unattributed",
			len(f.Connections), f.Seen, f.Admissible, f.Excess, f.Unattributed)
	}
	// 2 s at 2,500 ops/s against 250/s with a burst of 500: most of it
	// must have been held back, and the flooder told.
	if f.Written < 2*int(f.Seen) || f.Notices429 == 0 {
		t.Errorf("flooder wrote %d ops, %d seen by others, %d notices 429", f.Written, f.Seen, f.Notices429)
	}
	for _, c := range rep.Check {
		if !c.Met && c.What != "p99 pointer-to-peer with the flooder / without" {
			t.Errorf("target %q: %s (want %s)", c.What, c.Got, c.Want)
		}
	}
}

func TestFloodFlags(t *testing.T) {
	cfg := quietConfig(t, "-scenario", "flood")
	if cfg.Clients != 60 || cfg.RoomSize != 60 || cfg.Drawers != 50 || cfg.Rate != 100 || cfg.Duration != time.Minute {
		t.Errorf("flood defaults: %+v", cfg)
	}
	cfg = quietConfig(t, "-scenario", "flood", "-clients", "80", "-duration", "5s")
	if cfg.RoomSize != 80 || cfg.Duration != 5*time.Second {
		t.Errorf("flood -clients 80 -duration 5s: room of %d for %s, want one room of 80 for 5s", cfg.RoomSize, cfg.Duration)
	}
}
