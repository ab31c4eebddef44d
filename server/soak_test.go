package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// A soak at the default timers: 10,000 distinct boards opened one after
// another, a stroke drawn on each, everyone gone. After --room-idle the
// replica is back where it started: no board open, the Go heap within a
// few MiB of before, no Redis subscription left. (Run without -race by
// the Makefile: the race detector makes 10,000 joins take minutes.)
func TestSoakTenThousandBoardsComeAndGo(t *testing.T) {
	if raceSlowdown > 1 || testing.Short() {
		t.Skip("run without -race (make test does)")
	}
	t.Parallel()
	url := redistest.Shared(t)
	opt, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	// Every timer and limit at its default; the clients come from many
	// addresses (through a trusted proxy header), as many people would.
	ts := startWith(t, &config.Config{RedisURL: url, TrustedProxies: []string{"127.0.0.1/32"}})
	defaults := &config.Config{}
	defaults.Defaults()
	ctx := context.Background()
	prefix := roomName(t)
	channels := func() int {
		chs, err := rdb.PubSubChannels(ctx, "sp:{"+prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		return len(chs)
	}

	// Warm up what the first boards allocate once (pools, buffers,
	// connections to Redis), then measure from there.
	soakBoards(t, ts, prefix+"-warm", 200)
	waitMetric(t, ts, "sketchpad_rooms", 0, defaults.RoomIdle+defaults.RoomPark+10*time.Second)
	before := heapInUse()

	const boards = 10_000
	start := time.Now()
	soakBoards(t, ts, prefix, boards)
	t.Logf("%d boards opened, drawn on and left in %v", boards, time.Since(start).Round(time.Millisecond))
	peak := metric(t, ts, "sketchpad_rooms")
	if peak < boards/2 {
		t.Errorf("only %v boards open right after the run: the soak did not open them", peak)
	}
	during := heapInUse()
	waitMetric(t, ts, "sketchpad_rooms", 0, defaults.RoomIdle+defaults.RoomPark+30*time.Second)
	waitMetric(t, ts, "sketchpad_rooms_closing", 0, 10*time.Second)
	after := heapInUse()
	t.Logf("heap: %.1f MiB before, %.1f MiB with %v boards open, %.1f MiB after they closed",
		float64(before)/(1<<20), float64(during)/(1<<20), peak, float64(after)/(1<<20))
	// What may stay: the Go runtime keeps the descriptor of every
	// goroutine that ever ran at once for reuse (a board's loop is one;
	// about 450 bytes each), a Go map keeps the buckets it grew to (the
	// hub's and the Redis log's maps of boards), and go-redis keeps the
	// connections it opened. A board's own memory (its strokes, replay
	// window, snapshot) is several KiB: keeping it would pass the margin.
	margin := uint64(4<<20) + uint64(peak)*768
	if after > before+margin {
		t.Errorf("the heap is %.1f MiB after every board closed, %.1f MiB before: more than the %.1f MiB margin kept",
			float64(after)/(1<<20), float64(before)/(1<<20), float64(margin)/(1<<20))
	}
	if n := channels(); n != 0 {
		t.Errorf("%d Redis subscriptions left for the soak's boards", n)
	}
	if b, r, s := roomBytes(t, ts); b != 0 || r != 0 || s != 0 {
		t.Errorf("no board open, yet rooms are counted as holding board %v, replay %v, snapshot %v bytes", b, r, s)
	}
}

// soakBoards opens n boards named prefix-i from 8 workers, draws a stroke
// on each and leaves it.
func soakBoards(t *testing.T, ts *testServer, prefix string, n int) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				h := http.Header{}
				h.Set("X-Forwarded-For", fmt.Sprintf("10.0.%d.%d", w, i%25))
				c := client.New(ts.wsURL(fmt.Sprintf("%s-%d", prefix, i)), client.Options{Header: h, NoLog: true})
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				err := c.Connect(ctx)
				if err == nil {
					_, err = c.Stroke(1, 4, spiral(12, float64(i)), 6)
				}
				if err == nil {
					err = c.WaitAcked(ctx)
				}
				cancel()
				c.Close()
				if err != nil {
					errs <- fmt.Errorf("board %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
