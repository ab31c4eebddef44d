package server_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// Faults of Redis itself, each on a redis-server of the test's own.

// drawLoop has c draw strokes of n points, one every pause, until stop is
// closed; it returns the ids and point counts of what it drew.
func drawLoop(c *client.Client, n int, pause time.Duration, stop <-chan struct{}) <-chan map[canvas.StrokeID]int {
	out := make(chan map[canvas.StrokeID]int, 1)
	go func() {
		drawn := map[canvas.StrokeID]int{}
		for k := 0; ; k++ {
			select {
			case <-stop:
				out <- drawn
				return
			case <-time.After(pause):
			}
			id, err := c.Stroke(uint32(k), 2, spiral(n, float64(k)), 4)
			if err == nil {
				drawn[id] = n
			}
		}
	}()
	return out
}

// drawingCrowd connects n clients spread over the replicas, each kept
// connected and drawing strokes of points points every pause until stop is
// closed; results give what each drew.
func drawingCrowd(t *testing.T, rs []*testServer, room string, n, points int, pause time.Duration) ([]*client.Client, chan struct{}, []<-chan map[canvas.StrokeID]int) {
	var cs []*client.Client
	for i := range n {
		c := connect(t, rs[i%len(rs)], room, "D"+itoa(i))
		keepConnected(t, c)
		cs = append(cs, c)
	}
	stop := make(chan struct{})
	var results []<-chan map[canvas.StrokeID]int
	for _, c := range cs {
		results = append(results, drawLoop(c, points, pause, stop))
	}
	return cs, stop, results
}

// drawn collects what drawLoops drew, once stop is closed.
func drawn(results []<-chan map[canvas.StrokeID]int) map[canvas.StrokeID]int {
	want := map[canvas.StrokeID]int{}
	for _, r := range results {
		for id, n := range <-r {
			want[id] = n
		}
	}
	return want
}

func TestRedisRestartWithAOFLosesNothingAcknowledged(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{AOF: true})
	rs := replicas(t, rd.URL(), 2)
	room := roomName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cs, stop, results := drawingCrowd(t, rs, room, 4, 25, 15*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	// Everything acknowledged so far must survive the restart.
	before := cs[0].BoardBytes()
	beforeBoard := cs[0].Board()
	rd.Stop()
	time.Sleep(1200 * time.Millisecond) // they keep drawing into a dead Redis
	rd.Restart(t)
	time.Sleep(400 * time.Millisecond)
	close(stop)
	want := drawn(results)
	converge(t, ctx, cs...)
	late := connect(t, rs[0], room, "late")
	converge(t, ctx, append(cs, late)...)
	if late.Board().Epoch != beforeBoard.Epoch {
		t.Fatalf("epoch changed across an AOF restart: history was lost")
	}
	for _, s := range beforeBoard.Strokes() {
		if got := late.Board().Stroke(s.ID); got == nil || len(got.Points) < len(s.Points) {
			t.Errorf("stroke %v acknowledged before the restart is gone or shorter", s.ID)
		}
	}
	strokesComplete(t, late.Board(), want)
	// Each client was told drawing paused, then resumed.
	for _, c := range cs {
		var codes []canvas.NoticeCode
		for _, n := range c.Notices() {
			if n.Code == canvas.NoticePaused || n.Code == canvas.NoticeResumed {
				codes = append(codes, n.Code)
			}
		}
		if !slices.Contains(codes, canvas.NoticePaused) || codes[len(codes)-1] != canvas.NoticeResumed {
			t.Errorf("author %d got notices %v; want paused (1) then resumed (2) last", c.Author(), codes)
		}
	}
	if len(before) == 0 || len(want) < 8 {
		t.Fatalf("too little was drawn to prove anything: %d strokes", len(want))
	}
}

func TestRedisKilledSubscriberIsRepairedFromTheLog(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{})
	_, _, a, b := redisPair(t, rd.URL())
	ctx := ctxT(t)
	if _, err := a.Stroke(1, 4, spiral(20, 0), 4); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	want := map[canvas.StrokeID]int{}
	for round := range 3 {
		// Cut every subscriber; publish while they are gone.
		rd.Do(t, "CLIENT", "KILL", "TYPE", "pubsub")
		id, err := a.Stroke(uint32(round+2), 4, spiral(40, float64(round)), 4)
		if err != nil {
			t.Fatal(err)
		}
		want[id] = 40
		converge(t, ctx, a, b)
	}
	strokesComplete(t, b.Board(), want)
}

func TestRedisFlushAllStartsANewEpochEveryoneConverges(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{})
	rs, room, a, b := redisPair(t, rd.URL())
	ctx := ctxT(t)
	keepConnected(t, a)
	keepConnected(t, b)
	if _, err := a.Stroke(1, 4, spiral(30, 0), 4); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	old := a.Board().Epoch

	rd.Do(t, "FLUSHALL")
	newEpoch := func(c *client.Client) error {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if e := c.Board().Epoch; e != old && e != 0 {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
		}
		return context.DeadlineExceeded
	}
	var wg sync.WaitGroup
	for _, c := range []*client.Client{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := newEpoch(c); err != nil {
				t.Errorf("author %d never saw a new epoch after FLUSHALL", c.Author())
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	id, err := b.Stroke(2, 4, spiral(25, 1), 4)
	if err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	late := connect(t, rs[0], room, "late")
	converge(t, ctx, a, b, late)
	if late.Board().Epoch == old {
		t.Fatal("late joiner sees the old epoch")
	}
	if n := len(late.Board().Strokes()); n != 1 {
		t.Errorf("new epoch has %d strokes, want only the one drawn after the flush", n)
	}
	strokesComplete(t, late.Board(), map[canvas.StrokeID]int{id: 25})
}
