package main

import (
	"context"
	"io"
	"math"
	"os/exec"
	"testing"
	"time"
)

func quietConfig(t *testing.T, args ...string) *config {
	t.Helper()
	cfg, _, _, err := parseFlags(append([]string{"-quiet"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// A 2-second fan-out over a server in this process: every op reaches every
// client exactly once, boards agree, and the report's figures are sane.
func TestFanoutInProcess(t *testing.T) {
	cfg := quietConfig(t, "-scenario", "fanout", "-clients", "20", "-drawers", "2", "-duration", "2s",
		"-warmup", "200ms", "-target", "inproc")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := runOne(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep.writeTable(io.Discard)
	if rep.Errors != 0 {
		t.Fatalf("%d errors, first: %s", rep.Errors, rep.FirstError)
	}
	if rep.OpsLost != 0 || rep.OpsDuplicated != 0 || rep.Diverged != 0 || !rep.Drained {
		t.Errorf("lost %d, duplicated %d, diverged %d, drained %v", rep.OpsLost, rep.OpsDuplicated, rep.Diverged, rep.Drained)
	}
	if rep.BoardsAudited != 1 || rep.BoardsMismatched != 0 {
		t.Errorf("boards audited %d, mismatched %d; want 1 and 0", rep.BoardsAudited, rep.BoardsMismatched)
	}
	// 2 drawers at 100 points/s for 2 s: about 400 points, each to 19 peers.
	if rep.SentPoints < 300 || rep.SentPoints > 500 {
		t.Errorf("sent %d points, want about 400", rep.SentPoints)
	}
	if want := rep.SentPoints * 19; rep.PeerDeliveries < want*9/10 {
		t.Errorf("%d peer deliveries, want about %d", rep.PeerDeliveries, want)
	}
	if rep.Latency.N == 0 || math.IsNaN(rep.Latency.P99) || rep.Latency.P50 > rep.Latency.P99 || rep.Latency.P99 > rep.Latency.Max+0.001 {
		t.Errorf("latency %+v", rep.Latency)
	}
	if rep.BytesPerPointUp < 2 || rep.BytesPerPointUp > 8 || rep.BytesPerPointDown < 1 || rep.BytesPerPointDown > 10 {
		t.Errorf("bytes per point %.2f up, %.2f down", rep.BytesPerPointUp, rep.BytesPerPointDown)
	}
	// The kernel's CPU is added to, never taken from, what a delivery costs.
	if rep.DeliveriesPerCPUSec > 0 && (rep.DeliveriesPerAllCPUSec <= 0 || rep.DeliveriesPerAllCPUSec > rep.DeliveriesPerCPUSec) {
		t.Errorf("deliveries per CPU-s %.0f, with the kernel's %.0f", rep.DeliveriesPerCPUSec, rep.DeliveriesPerAllCPUSec)
	}
	if len(rep.Check) == 0 || len(rep.Procs) == 0 {
		t.Errorf("report without targets or processes: %+v", rep)
	}
}

// The Socket.IO relay, when its npm packages are installed
// (scripts/bench/peer/setup.sh), relays every message exactly once.
func TestPeerRelay(t *testing.T) {
	if !peerInstalled() {
		t.Skip("scripts/bench/peer/node_modules missing: run scripts/bench/peer/setup.sh")
	}
	for _, tool := range []string{"node", "redis-server"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	cfg := quietConfig(t, "-scenario", "fanout", "-clients", "10", "-drawers", "2", "-duration", "1s",
		"-warmup", "200ms", "-peer")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := runOne(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 0 || rep.OpsLost != 0 || rep.OpsDuplicated != 0 || !rep.Drained {
		t.Errorf("errors %d (%s), lost %d, duplicated %d, drained %v", rep.Errors, rep.FirstError, rep.OpsLost, rep.OpsDuplicated, rep.Drained)
	}
	if rep.PeerDeliveries < rep.SentPoints*9*9/10 || rep.BytesPerPointUp < 10 {
		t.Errorf("deliveries %d of %d points sent, %.1f bytes per point up", rep.PeerDeliveries, rep.SentPoints, rep.BytesPerPointUp)
	}
}

// The Centrifuge relay (its own module, built by the run) relays every
// message exactly once, on one node and on two over Redis with history.
func TestCentrifugeRelay(t *testing.T) {
	for _, nodes := range []string{"1", "2"} {
		t.Run("nodes="+nodes, func(t *testing.T) {
			if nodes == "2" {
				if _, err := exec.LookPath("redis-server"); err != nil {
					t.Skip("redis-server not installed")
				}
			}
			cfg := quietConfig(t, "-scenario", "fanout", "-clients", "10", "-drawers", "2", "-duration", "1s",
				"-warmup", "200ms", "-centrifuge", "-replicas", nodes)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			rep, err := runOne(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Errors != 0 || rep.OpsLost != 0 || rep.OpsDuplicated != 0 || !rep.Drained {
				t.Errorf("errors %d (%s), lost %d, duplicated %d, drained %v", rep.Errors, rep.FirstError, rep.OpsLost, rep.OpsDuplicated, rep.Drained)
			}
			if rep.PeerDeliveries < rep.SentPoints*9*9/10 {
				t.Errorf("deliveries %d of %d points sent", rep.PeerDeliveries, rep.SentPoints)
			}
		})
	}
}

func TestFlags(t *testing.T) {
	cfg := quietConfig(t, "-scenario", "rooms")
	if cfg.Clients != 10000 || cfg.RoomSize != 10 || cfg.Drawers != 1 || cfg.Rate != 60 || cfg.Target != "replica" {
		t.Errorf("rooms defaults: %+v", cfg)
	}
	cfg = quietConfig(t, "-scenario", "cluster")
	if cfg.Target != "cluster" || cfg.Replicas != 2 || cfg.CFAOF {
		t.Errorf("cluster defaults: %+v", cfg)
	}
	if cfg = quietConfig(t, "-scenario", "cluster", "-centrifuge", "-cf-aof"); !cfg.CFAOF {
		t.Error("-cf-aof did not give Centrifuge's Redis the append-only file")
	}
	if _, _, _, err := parseFlags([]string{"-scenario", "nope"}); err == nil {
		t.Error("unknown scenario accepted")
	}
	if _, _, _, err := parseFlags([]string{"-url", "ws://10.0.0.1:8080", "-quiet"}); err != nil {
		t.Fatal(err) // refused when the target is made, below
	}
	if _, err := externalTarget("ws://10.0.0.1:8080", "", "sketchpad"); err == nil {
		t.Error("a non-loopback target was accepted")
	}
}

func TestHistogram(t *testing.T) {
	var h histogram
	for i := 1; i <= 1000; i++ {
		h.add(int64(i) * int64(time.Millisecond))
	}
	for _, c := range []struct{ q, want float64 }{{0.5, 500}, {0.99, 990}} {
		if got := h.quantile(c.q); math.Abs(got-c.want)/c.want > 0.04 {
			t.Errorf("q%.2f = %.1f ms, want %.0f within 4%%", c.q, got, c.want)
		}
	}
	for us := uint64(0); us < 1<<30; us = us*9/8 + 1 {
		if f := bucketFloor(bucketOf(us)); f > us || bucketFloor(bucketOf(us)+1) <= us {
			t.Fatalf("%d us in bucket [%d, %d)", us, f, bucketFloor(bucketOf(us)+1))
		}
	}
}
