//go:build !race

package server_test

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// One address asks for pictures of random boards as fast as it can while
// people draw on their boards from other addresses, at the default
// settings but one: --max-rooms leaves room for a single more board, which
// a newcomer must still get after the flood. Timing-sensitive (it measures who gets served while the
// replica is flooded), so it runs without -race (make gotest).
func TestAbuseOneAddressFloodingPicturesNeitherOpensBoardsNorTouchesDrawers(t *testing.T) {
	const (
		drawers  = 16
		requests = 100000
		workers  = 16
	)
	cfg := &config.Config{DataDir: t.TempDir(), TrustedProxies: []string{"127.0.0.0/8"}, MaxRooms: drawers + 1}
	ts := startWith(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Each person on a board of their own, from an address of their own,
	// with a watcher (another address) who must see everything they draw.
	type person struct {
		addr      string
		room      string
		d, w      *client.Client
		strokes   int
		pictures  int
		refusedHT []int // HTTP statuses other than 200 for their own board's picture
	}
	people := make([]*person, drawers)
	for i := range people {
		p := &person{addr: "198.51.100." + itoa(i+1), room: "drawer" + itoa(i)}
		p.d = wsFrom(ts, p.addr, p.room)
		p.w = wsFrom(ts, "198.51.101."+itoa(i+1), p.room)
		for _, c := range []*client.Client{p.d, p.w} {
			if err := c.Connect(ctx); err != nil {
				t.Fatalf("%s: %v", p.room, err)
			}
			t.Cleanup(c.Close)
		}
		people[i] = p
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	// Each stroke's round trip (sent to acknowledged), apart by whether
	// the flood was on: figures for RELIABILITY.md, not asserted (a timed
	// assertion means nothing on a shared machine).
	var flooding atomic.Bool
	var latMu sync.Mutex
	lat := map[bool][]time.Duration{}
	for _, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				sent, during := time.Now(), flooding.Load()
				if _, err := p.d.Stroke(uint32(k), 4, spiral(20, float64(k)), 4); err != nil {
					return
				}
				p.strokes++
				if err := p.d.WaitAcked(ctx); err == nil && during == flooding.Load() {
					latMu.Lock()
					lat[during] = append(lat[during], time.Since(sent))
					latMu.Unlock()
				}
				if k%5 == 0 { // now and then a look at their own board's picture
					code := statusFrom(p.addr, ts.URL+"/b/"+p.room+".svg")
					p.pictures++
					if code != http.StatusOK {
						p.refusedHT = append(p.refusedHT, code)
					}
				}
			}
		}()
	}
	// The open-board count, watched while the flood runs.
	var maxRooms atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if n, ok := gauge(ts.URL, "sketchpad_rooms"); ok && int64(n) > maxRooms.Load() {
				maxRooms.Store(int64(n))
			}
		}
	}()

	// The flood: from 127.0.0.1 itself (no X-Forwarded-For).
	names := randomNames("flood", requests)
	var codes sync.Map // status -> *atomic.Int64
	count := func(code int) {
		v, _ := codes.LoadOrStore(code, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	time.Sleep(2 * time.Second) // the people draw a while before the flood
	flooding.Store(true)
	start := time.Now()
	var fwg sync.WaitGroup
	for w := range workers {
		fwg.Add(1)
		go func() {
			defer fwg.Done()
			for i := w; i < requests; i += workers {
				resp, err := hc.Get(ts.URL + "/b/" + names[i] + ".svg")
				if err != nil {
					count(-1)
					continue
				}
				_, _ = readAll(resp)
				count(resp.StatusCode)
			}
		}()
	}
	fwg.Wait()
	took := time.Since(start)
	flooding.Store(false)
	time.Sleep(300 * time.Millisecond) // a few more strokes after the flood
	close(stop)
	wg.Wait()

	p99 := func(d []time.Duration) time.Duration {
		if len(d) == 0 {
			return 0
		}
		slices.Sort(d)
		return d[len(d)*99/100]
	}
	latMu.Lock()
	t.Logf("figure: the people's strokes, sent to acknowledged: p99 %v over %d before and after the flood, %v over %d during it",
		p99(lat[false]).Round(100*time.Microsecond), len(lat[false]), p99(lat[true]).Round(100*time.Microsecond), len(lat[true]))
	latMu.Unlock()
	got := map[int]int64{}
	codes.Range(func(k, v any) bool { got[k.(int)] = v.(*atomic.Int64).Load(); return true })
	t.Logf("figure: %d picture requests from one address in %v (%.0f/s): statuses %v", requests, took.Round(time.Millisecond), float64(requests)/took.Seconds(), got)
	if got[http.StatusTooManyRequests] == 0 {
		t.Errorf("the flooding address was never refused (statuses %v)", got)
	}
	// Served: at most its burst and its rate over the run (with a margin
	// for the clock between requests).
	rate := 50.0 // the default --rate-http
	if allowed := int64(2*rate + rate*took.Seconds() + 5); got[http.StatusOK] > allowed {
		t.Errorf("%d pictures served to the flooding address in %v, budget %d", got[http.StatusOK], took, allowed)
	}
	if other := int64(requests) - got[http.StatusOK] - got[http.StatusTooManyRequests]; other != 0 {
		t.Errorf("%d requests got neither 200 nor 429 (statuses %v)", other, got)
	}
	if n := maxRooms.Load(); n > drawers {
		t.Errorf("sketchpad_rooms reached %d during the flood, want at most the drawers' %d", n, drawers)
	}
	if n := metric(t, ts, "sketchpad_rooms"); n != drawers {
		t.Errorf("sketchpad_rooms = %v after the flood, want the drawers' %d", n, drawers)
	}

	// The replica still has room for one more board.
	newcomer := wsFrom(ts, "198.51.102.1", "newcomer")
	t.Cleanup(newcomer.Close)
	if err := newcomer.Connect(ctx); err != nil {
		t.Errorf("a newcomer after the flood: %v", err)
	} else if _, err := newcomer.Stroke(1, 4, spiral(10, 0), 4); err != nil || newcomer.WaitAcked(ctx) != nil {
		t.Errorf("a newcomer after the flood cannot draw: %v", err)
	}

	// The people were never refused or closed, and everything they drew
	// arrived.
	for _, p := range people {
		for _, c := range []*client.Client{p.d, p.w} {
			quick, qcancel := context.WithTimeout(ctx, time.Millisecond)
			code, reason, err := c.WaitClosed(quick)
			qcancel()
			if err == nil {
				t.Errorf("%s: closed %d %q during the flood", p.room, code, reason)
			}
		}
		if len(p.refusedHT) > 0 {
			t.Errorf("%s: its own board's picture refused with %v (of %d)", p.room, p.refusedHT, p.pictures)
		}
		if p.strokes == 0 {
			t.Errorf("%s drew nothing", p.room)
		}
		converge(t, ctx, p.d, p.w)
		if n := len(p.w.Board().Strokes()); n != p.strokes {
			t.Errorf("%s: the watcher sees %d strokes, %d were drawn", p.room, n, p.strokes)
		}
	}
}

// statusFrom is a GET as the client at addr (X-Forwarded-For, from a
// trusted proxy on loopback); -1 when it fails. Safe off the test's
// goroutine.
func statusFrom(addr, url string) int {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	_, _ = readAll(resp)
	return resp.StatusCode
}

// gauge reads one series from a replica's /metrics page at base. Safe
// off the test's goroutine.
func gauge(base, name string) (float64, bool) {
	v, err := testenv.Metric(context.Background(), base, name)
	return v, err == nil
}
