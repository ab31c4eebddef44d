package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/scripts/cluster/local"
	"github.com/sketchpad/sketchpad/server/client"
)

// TestReconnectStormAfterAReplicaWith2000ConnectionsIsKilled: real
// processes (redis-server, 3 replicas, nginx). 2,000 clients hold their
// connections on one replica while one of them draws; that replica gets
// SIGKILL. They come back through nginx with the reconnect policy the
// browser uses (the first attempt at a uniformly random moment within 10 s,
// then exponential backoff with full jitter), so no second takes more than
// 20% of them; 99% are back within 30 s, each resuming from its sequence
// number (a replay, no snapshot, no gap).
func TestReconnectStormAfterAReplicaWith2000ConnectionsIsKilled(t *testing.T) {
	if testing.Short() || underRace {
		t.Skip("2,000 connections: timing means nothing under -race or in -short; make test runs it without -race")
	}
	needNginx(t)
	needTool(t, "redis-server", func() (string, error) { return exec.LookPath("redis-server") })
	bin := buildSketchpad(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := local.Start(ctx, local.Options{Replicas: 3, Logf: t.Logf, Binary: bin,
		ReplicaArgs: []string{"--max-conns-per-ip", "100000", "--ip-rate-factor", "100000", "--rate-http", "100000"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("cluster logs:%s", c.LogTail(25))
		}
	})

	room := fmt.Sprintf("storm-%d", rand.Uint64())
	const n = 2000
	victim := c.Replicas[0]
	clients := make([]*client.Client, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 64)
	for i := range clients {
		cl := client.New(victim.WSURL(room), client.Options{Name: fmt.Sprintf("p%d", i), NoLog: true})
		clients[i] = cl
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := cl.Connect(ctx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("connect to the victim: %v", err)
	}
	t.Cleanup(func() {
		for _, cl := range clients {
			cl.Close()
		}
	})
	drawer := clients[0]
	for k := range 5 {
		if _, err := drawer.Stroke(uint32(k), 4, curve(30, 0, k), 4); err != nil {
			t.Fatal(err)
		}
	}
	if err := drawer.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	head := drawer.Seq()
	for _, cl := range clients {
		if err := cl.WaitSeq(ctx, head); err != nil {
			t.Fatal(err)
		}
	}

	killed := time.Now()
	c.Kill(0)
	back := make([]time.Duration, n)
	lbURL := c.WSURL(room)
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := cl.WaitClosed(ctx); err != nil {
				errs2 <- err
				return
			}
			cl.SetURL(lbURL)
			b := client.Backoff{Base: 10 * time.Second, Max: 20 * time.Second, Attempt: 10 * time.Second,
				OnRetry: func(attempt int, err error, wait time.Duration) {
					retryMu.Lock()
					retries[err.Error()[:min(60, len(err.Error()))]]++
					retryMu.Unlock()
				}}
			if err := cl.Reconnect(ctx, b); err != nil {
				errs2 <- fmt.Errorf("client %d: %w", i, err)
				return
			}
			back[i] = time.Since(killed)
		}()
	}
	wg.Wait()
	select {
	case err := <-errs2:
		t.Fatal(err)
	default:
	}
	t.Logf("failed attempts: %v", retries)
	defer func() { t.Logf("reconnects per second after the kill: %v", perSecondList(back)) }()
	// Spread: reconnects per second.
	perSecond := map[int]int{}
	for _, d := range back {
		perSecond[int(d/time.Second)]++
	}
	worst := 0
	for _, k := range perSecond {
		worst = max(worst, k)
	}
	sorted := append([]time.Duration(nil), back...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	p99 := sorted[n*99/100-1]
	t.Logf("figure: %d connections on a killed replica: busiest second took %d (%.1f%%), 50%% back in %v, 99%% in %v, last in %v",
		n, worst, 100*float64(worst)/n, sorted[n/2].Round(time.Millisecond), p99.Round(time.Millisecond), sorted[n-1].Round(time.Millisecond))
	if worst > n/5 {
		t.Errorf("one second took %d reconnects, more than 20%%", worst)
	}
	if p99 > 30*time.Second {
		t.Errorf("99%% back only after %v", p99)
	}
	// Each resumed from its sequence number: a replay, not a snapshot.
	snaps := 0
	for _, cl := range clients {
		if err := cl.Err(); err != nil {
			t.Fatalf("a client saw a gap or duplicate: %v", err)
		}
		if cl.Snapshots() > 1 {
			snaps++
		}
	}
	if snaps > 0 {
		t.Errorf("%d clients got a snapshot instead of resuming from their sequence number", snaps)
	}
	// And the board goes on: one more stroke reaches everyone.
	if _, err := drawer.Stroke(9, 4, curve(10, 0, 9), 4); err != nil {
		t.Fatal(err)
	}
	if err := drawer.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	want := drawer.BoardBytes()
	for _, cl := range clients {
		if err := cl.WaitSeq(ctx, drawer.Seq()); err != nil {
			t.Fatal(err)
		}
		if string(cl.BoardBytes()) != string(want) {
			t.Fatal("a client holds a different board after the storm")
		}
	}
}

var (
	errs2   = make(chan error, 2000)
	retryMu sync.Mutex
	retries = map[string]int{}
)

func perSecondList(back []time.Duration) []int {
	var out []int
	for _, d := range back {
		s := int(d / time.Second)
		for len(out) <= s {
			out = append(out, 0)
		}
		out[s]++
	}
	return out
}
