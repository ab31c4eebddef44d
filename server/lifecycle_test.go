package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// waitMetric waits up to within for name to read want on ts and returns
// how long that took.
func waitMetric(t *testing.T, ts *testServer, name string, want float64, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got := metric(t, ts, name)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("%s is %v after %v, want %v", name, got, within, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// roomBytes reads what the open rooms are counted as holding.
func roomBytes(t *testing.T, ts *testServer) (board, replay, snapshot float64) {
	t.Helper()
	return metric(t, ts, `sketchpad_room_bytes{part="board"}`), metric(t, ts, `sketchpad_room_bytes{part="replay"}`), metric(t, ts, `sketchpad_room_bytes{part="snapshot"}`)
}

// At the default timers (--room-idle 30s, --room-park 10s), a board
// everyone left closes after --room-idle and before --room-idle plus one
// park interval, gives back what it held (and in Redis mode its
// subscription), and comes back identical when someone opens it again.
func TestAnEmptyBoardClosesAfterRoomIdleAtTheDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the default --room-idle")
	}
	t.Parallel()
	modes := map[string]func(t *testing.T) (*config.Config, *redis.Client){
		"embedded": func(t *testing.T) (*config.Config, *redis.Client) {
			return &config.Config{DataDir: t.TempDir()}, nil
		},
		"redis": func(t *testing.T) (*config.Config, *redis.Client) {
			url := redistest.Shared(t)
			opt, _ := redis.ParseURL(url)
			rdb := redis.NewClient(opt)
			t.Cleanup(func() { rdb.Close() })
			return &config.Config{RedisURL: url}, rdb
		},
	}
	for mode, setup := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			cfg, rdb := setup(t)
			defaults := &config.Config{}
			defaults.Defaults()
			ts := startWith(t, cfg)
			room := roomName(t)
			subscribers := func() int64 {
				if rdb == nil {
					return 0
				}
				n, err := rdb.PubSubNumSub(context.Background(), "sp:{"+room+"}").Result()
				if err != nil {
					t.Fatal(err)
				}
				return n["sp:{"+room+"}"]
			}
			a := connect(t, ts, room, "A")
			drawSpirals(t, a, 100, 30, 10)
			if err := a.WaitAcked(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			want := a.BoardBytes()
			if board, _, _ := roomBytes(t, ts); board <= 0 {
				t.Errorf("an open board of 3,000 points is counted as holding %v bytes", board)
			}
			if rdb != nil && subscribers() != 1 {
				t.Errorf("the open board has %d subscribers, want 1", subscribers())
			}
			a.Close()
			waitMetric(t, ts, "sketchpad_connections", 0, 10*time.Second)
			left := time.Now()
			// Someone looks at its picture every 2 s meanwhile: a
			// picture is no visit, and does not keep the board open.
			stop := make(chan struct{})
			looked := make(chan int)
			go func() {
				n := 0
				defer func() { looked <- n }()
				for {
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Second):
					}
					if resp, err := http.Get(ts.URL + "/b/" + room + ".svg"); err == nil {
						if resp.StatusCode == 200 {
							n++
						}
						resp.Body.Close()
					}
				}
			}()
			waitMetric(t, ts, "sketchpad_rooms", 0, defaults.RoomIdle+defaults.RoomPark+5*time.Second)
			took := time.Since(left)
			close(stop)
			if n := <-looked; n < 10 {
				t.Errorf("%d pictures served while the board waited to close, want one every 2 s", n)
			}
			if took < defaults.RoomIdle-time.Second {
				t.Errorf("the board closed %v after its last person left, before --room-idle (%v)", took, defaults.RoomIdle)
			}
			if took > defaults.RoomIdle+defaults.RoomPark {
				t.Errorf("the board closed %v after its last person left, later than --room-idle plus --room-park", took)
			}
			waitMetric(t, ts, "sketchpad_rooms_closing", 0, 5*time.Second)
			if b, r, s := roomBytes(t, ts); b != 0 || r != 0 || s != 0 {
				t.Errorf("closed, the board is still counted as holding board %v, replay %v, snapshot %v bytes", b, r, s)
			}
			if n := subscribers(); n != 0 {
				t.Errorf("closed, the board still has %d Redis subscribers", n)
			}
			b := connect(t, ts, room, "B")
			sameBoard(t, want, b)
		})
	}
}

// At --max-rooms, a new board is opened by closing the one nobody has
// been on for longest; boards with people on them are never closed for
// it, and when every open board has someone on it the new one is
// refused. The closed board loses nothing.
func TestAtMaxRoomsTheLongestEmptyBoardMakesRoom(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), MaxRooms: 3, RoomIdle: time.Hour})
	ctx := ctxT(t)
	old := connect(t, ts, "old", "O")
	drawSpirals(t, old, 3, 40, 8)
	if err := old.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	want := old.BoardBytes()
	old.Close()
	waitMetric(t, ts, "sketchpad_connections", 0, 5*time.Second)
	time.Sleep(10 * time.Millisecond) // "old" is the longest empty
	newer := connect(t, ts, "newer", "N")
	newer.Close()
	waitMetric(t, ts, "sketchpad_connections", 0, 5*time.Second)
	busy := connect(t, ts, "busy", "B")

	// Full: "old" makes room for "fresh", "newer" stays.
	fresh := connect(t, ts, "fresh", "F")
	if got := metric(t, ts, "sketchpad_rooms_evicted_total"); got != 1 {
		t.Fatalf("%v boards evicted, want 1", got)
	}
	// Full again, and the only empty one is "newer".
	connect(t, ts, "another", "A")
	// Every open board has someone on it now: a new one is refused.
	c := client.New(ts.wsURL("refused"), client.Options{})
	err := c.Connect(ctx)
	if err == nil || !strings.Contains(err.Error(), "1013") {
		t.Fatalf("a fourth board with three occupied: %v, want a close 1013", err)
	}
	// The people drawing kept their boards throughout.
	for _, p := range []*client.Client{busy, fresh} {
		if _, err := p.Stroke(1, 4, spiral(20, 1), 5); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitAcked(ctx); err != nil {
			t.Fatalf("a person on an open board: %v", err)
		}
	}
	// The evicted board comes back whole.
	fresh.Close()
	waitMetric(t, ts, "sketchpad_connections", 2, 5*time.Second)
	back := connect(t, ts, "old", "O2")
	sameBoard(t, want, back)
}

// One client address may be on at most --max-rooms-per-ip boards at once;
// other addresses are not affected, and leaving a board frees its place.
func TestOneAddressHoldsAtMostItsShareOfBoards(t *testing.T) {
	ts := startWith(t, &config.Config{DataDir: t.TempDir(), MaxRooms: 100, MaxRoomsPerIP: 3, TrustedProxies: []string{"127.0.0.1/32"}})
	ctx := ctxT(t)
	from := func(ip, room string) (*client.Client, error) {
		h := http.Header{}
		h.Set("X-Forwarded-For", ip)
		c := client.New(ts.wsURL(room), client.Options{Header: h})
		t.Cleanup(c.Close)
		return c, c.Connect(ctx)
	}
	var first *client.Client
	for i := range 3 {
		c, err := from("203.0.113.7", fmt.Sprintf("mine-%d", i))
		if err != nil {
			t.Fatalf("board %d of 3: %v", i+1, err)
		}
		if i == 0 {
			first = c
		}
	}
	// A second connection to a board it is on already is fine.
	second, err := from("203.0.113.7", "mine-0")
	if err != nil {
		t.Fatalf("a second tab on the same board: %v", err)
	}
	_, err = from("203.0.113.7", "mine-3")
	if err == nil || !strings.Contains(err.Error(), "1013") || !strings.Contains(err.Error(), "this address") {
		t.Fatalf("a fourth board from one address: %v, want close 1013 saying why", err)
	}
	if _, err := from("198.51.100.9", "theirs"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	// Both of its connections to mine-0 leave: the place is free.
	first.Close()
	second.Close()
	waitMetric(t, ts, "sketchpad_connections", 3, 5*time.Second)
	if _, err := from("203.0.113.7", "mine-3"); err != nil {
		t.Fatalf("a board after leaving one: %v", err)
	}
}
