package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// Redis-mode tests: real replicas (each an App on its own socket) sharing
// rooms through a real Redis.

func startReplica(t *testing.T, redisURL string) *testServer {
	t.Helper()
	// Many test clients share one address: the per-address budget is
	// raised to what many people behind one address would have (drawing
	// and WebSocket upgrades).
	return startWith(t, &config.Config{RedisURL: redisURL, RoomIdle: time.Minute, SyncInterval: 200 * time.Millisecond, IPRateFactor: 1000, RateHTTP: 1e4})
}

func replicas(t *testing.T, redisURL string, n int) []*testServer {
	out := make([]*testServer, n)
	for i := range out {
		out[i] = startReplica(t, redisURL)
	}
	return out
}

func roomName(t *testing.T) string {
	return "t" + itoa(int(time.Now().UnixNano()%1e12))
}

// keepConnected reconnects c (with jittered backoff) whenever the server
// closes it, until the test ends: what a browser does.
func keepConnected(t *testing.T, c *client.Client) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if _, _, err := c.WaitClosed(ctx); err != nil {
				return
			}
			for delay := 20 * time.Millisecond; ctx.Err() == nil; delay = min(2*delay, time.Second) {
				cctx, ccancel := context.WithTimeout(ctx, 3*time.Second)
				err := c.Connect(cctx)
				ccancel()
				if err == nil {
					break
				}
				select {
				case <-ctx.Done():
				case <-time.After(delay/2 + time.Duration(time.Now().UnixNano()%int64(delay/2+1))):
				}
			}
		}
	}()
}

// converge waits until every client has every op of the longest log and
// checks they hold byte-identical boards.
func converge(t *testing.T, ctx context.Context, cs ...*client.Client) {
	t.Helper()
	for _, c := range cs {
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatalf("author %d: %v", c.Author(), err)
		}
	}
	var head uint64
	for _, c := range cs {
		head = max(head, c.Seq())
	}
	for _, c := range cs {
		if err := c.WaitSeq(ctx, head); err != nil {
			t.Fatalf("author %d: %v", c.Author(), err)
		}
		if err := c.Err(); err != nil {
			t.Fatalf("author %d saw a protocol error: %v", c.Author(), err)
		}
	}
	sameBoard(t, cs[0].BoardBytes(), cs[1:]...)
}

// strokesComplete checks that the board holds each wanted stroke of an
// author exactly once with all its points.
func strokesComplete(t *testing.T, b *canvas.Board, want map[canvas.StrokeID]int) {
	t.Helper()
	seen := map[canvas.StrokeID]int{}
	for _, s := range b.Strokes() {
		seen[s.ID]++
		if n, ok := want[s.ID]; ok && len(s.Points) != n {
			t.Errorf("stroke %v has %d points, want %d", s.ID, len(s.Points), n)
		}
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("stroke %v is on the board %d times, want once", id, seen[id])
		}
	}
}

func TestRedisReplicasConvergeAndLateJoinerOnAnotherReplica(t *testing.T) {
	url := redistest.Shared(t)
	rs := replicas(t, url, 4)
	room := roomName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var cs []*client.Client
	for i := range 20 {
		cs = append(cs, connect(t, rs[i%3], room, "D"+itoa(i)))
	}
	want := map[canvas.StrokeID]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 4 {
				n := 30 + 7*k
				id, err := c.Stroke(uint32(i), 3, spiral(n, float64(i*4+k)), 3)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				want[id] = n
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	converge(t, ctx, cs...)
	late := connect(t, rs[3], room, "late")
	converge(t, ctx, append(cs, late)...)
	strokesComplete(t, late.Board(), want)
	if n := len(late.Board().Strokes()); n != 80 {
		t.Errorf("late joiner sees %d strokes, want 80", n)
	}
}

func TestRedisReplicasReplayAndResumeAcrossReplicas(t *testing.T) {
	url := redistest.Shared(t)
	rs := replicas(t, url, 2)
	room := roomName(t)
	ctx := ctxT(t)
	a := connect(t, rs[0], room, "A")
	b := connect(t, rs[1], room, "B")
	if _, err := a.Stroke(1, 4, spiral(40, 0), 4); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	// A moves to the other replica with ops in flight: each is applied once.
	a.Drop()
	id, err := a.Stroke(2, 4, spiral(30, 2), 5)
	if err != nil {
		t.Fatal(err)
	}
	a.SetURL(rs[1].wsURL(room))
	if err := a.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	strokesComplete(t, b.Board(), map[canvas.StrokeID]int{id: 30})
}

func TestRedisReadyzFollowsRedis(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{AOF: true})
	r := startReplica(t, rd.URL())
	status := func() int {
		resp, err := http.Get(r.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := status(); s != http.StatusOK {
		t.Fatalf("/readyz = %d with Redis up", s)
	}
	rd.Stop()
	if s := status(); s != http.StatusServiceUnavailable {
		t.Fatalf("/readyz = %d with Redis down, want 503", s)
	}
	if resp, err := http.Get(r.URL + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz with Redis down: %v %v", resp, err)
	}
	rd.Restart(t)
	if s := status(); s != http.StatusOK {
		t.Fatalf("/readyz = %d after Redis came back", s)
	}
}
