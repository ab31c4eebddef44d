// Command bigjoin measures joining a board at the default point limit
// (BENCHMARKS.md, "joining a 2,000,000-point board"): it starts a replica
// in this process (embedded mode, every setting at its default but the
// drawing rate, raised so the fill takes seconds), fills a board over the
// protocol, keeps -drawers people drawing small strokes on it, and then
// has joiners open it, one at a time: on loopback and on a link whose
// reads are throttled to -rate bytes a second. It prints how long each
// joiner took to be live, the bytes it read to get there, and the p99 of
// the drawers' strokes (sent to acknowledged) while nobody joined and
// while each joiner joined.
//
//	go run ./scripts/bench/bigjoin -points 1950000 -rate 300000 -trials 3
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

func main() {
	points := flag.Int("points", 1_900_000, "points to fill the board with, in strokes of 1,000 (the drawers add more, up to the 2,000,000 limit)")
	drawers := flag.Int("drawers", 4, "people drawing throughout, an 8-point stroke every 50 ms each")
	rate := flag.Float64("rate", 300_000, "bytes per second the throttled joiner reads at")
	trials := flag.Int("trials", 3, "joins of each kind, alternating")
	redisURL := flag.String("redis", "", "Redis URL: run the replica in Redis mode")
	flag.Parse()
	if err := run(*points, *drawers, *rate, *trials, *redisURL); err != nil {
		fmt.Fprintln(os.Stderr, "bigjoin:", err)
		os.Exit(1)
	}
}

func run(points, drawers int, rate float64, trials int, redisURL string) error {
	dir, err := os.MkdirTemp("", "bigjoin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := &config.Config{DataDir: dir, RedisURL: redisURL, RateDraw: 1e6, IPRateFactor: 1000}
	app, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := app.HTTPServer()
	go hs.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		_ = app.Shutdown(ctx)
	}()
	url := fmt.Sprintf("ws://%s/ws/big%d", ln.Addr(), time.Now().UnixNano()%1e9)
	ctx := context.Background()

	filler := client.New(url, client.Options{Name: "filler", NoLog: true})
	if err := filler.Connect(ctx); err != nil {
		return err
	}
	defer filler.Close()
	start := time.Now()
	for i := 0; i < points/1000; i++ {
		if _, err := filler.Stroke(uint32(i)<<8|0xff, 4, testenv.Spiral(1000, float64(i)), 1000); err != nil {
			return err
		}
	}
	if err := filler.WaitAcked(ctx); err != nil {
		return err
	}
	fmt.Printf("filled %d points in %d ops, %s\n", filler.Board().Points(), filler.Seq(), time.Since(start).Round(time.Millisecond))

	rec := &recorder{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range drawers {
		c := client.New(url, client.Options{Name: fmt.Sprint("drawer ", i), NoLog: true})
		if err := c.Connect(ctx); err != nil {
			return err
		}
		defer c.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			draw(c, i, rec, stop)
		}()
	}
	defer func() { close(stop); wg.Wait() }()

	time.Sleep(2 * time.Second)
	for k := range trials {
		t0 := time.Now()
		time.Sleep(10 * time.Second)
		p99, n := rec.p99(t0, time.Now())
		fmt.Printf("trial %d, nobody joining for 10s: drawers' p99 %s (%d strokes)\n", k+1, p99, n)
		for _, slow := range []bool{false, true} {
			name, opt := "loopback", client.Options{Name: "joiner", NoLog: true}
			var read atomic.Int64
			if slow {
				name = fmt.Sprintf("throttled to %.0f KB/s", rate/1000)
			}
			opt.NewDialer = func() (gws.Dialer, error) { return dialer{rate: rate, slow: slow, read: &read}, nil }
			j := client.New(url, opt)
			snap := len(canvas.AppendSnapshot(nil, filler.Board()))
			t1 := time.Now()
			if err := j.Connect(ctx); err != nil {
				return fmt.Errorf("%s joiner: %w", name, err)
			}
			took := time.Since(t1)
			j.Close()
			time.Sleep(time.Until(t1.Add(2 * time.Second))) // a window of at least 2 s
			p99, n := rec.p99(t1, time.Now())
			fmt.Printf("trial %d, %s: live after %s, %d bytes read (snapshot %d bytes, %d points); drawers' p99 meanwhile %s (%d strokes)\n",
				k+1, name, took.Round(time.Millisecond), read.Load(), snap, filler.Board().Points(), p99, n)
			time.Sleep(time.Second)
		}
	}
	return nil
}

// draw draws an 8-point stroke every 50 ms (a pointer at 60 Hz sends
// about that) and records how long each took
// to come back acknowledged.
func draw(c *client.Client, i int, rec *recorder, stop <-chan struct{}) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for k := 0; ; k++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		t := time.Now()
		if _, err := c.Stroke(0xff0000ff, 3, testenv.Spiral(8, float64(k+i*1000)), 8); err != nil {
			fmt.Fprintln(os.Stderr, "drawer:", err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := c.WaitAcked(ctx)
		cancel()
		if err != nil {
			fmt.Fprintln(os.Stderr, "drawer:", err)
			return
		}
		rec.add(t, time.Since(t))
	}
}

type sample struct {
	at  time.Time
	lat time.Duration
}

type recorder struct {
	mu sync.Mutex
	s  []sample
}

func (r *recorder) add(at time.Time, lat time.Duration) {
	r.mu.Lock()
	r.s = append(r.s, sample{at, lat})
	r.mu.Unlock()
}

// p99 of the strokes started in [from, to).
func (r *recorder) p99(from, to time.Time) (time.Duration, int) {
	r.mu.Lock()
	var l []time.Duration
	for _, s := range r.s {
		if !s.at.Before(from) && s.at.Before(to) {
			l = append(l, s.lat)
		}
	}
	r.mu.Unlock()
	if len(l) == 0 {
		return 0, 0
	}
	slices.Sort(l)
	return l[len(l)*99/100].Round(100 * time.Microsecond), len(l)
}

// dialer counts what its connection reads and, if slow, throttles its
// reads to rate bytes a second (testenv.Throttle).
type dialer struct {
	rate float64
	slow bool
	read *atomic.Int64
}

func (d dialer) Dial(network, addr string) (net.Conn, error) {
	c, err := net.DialTimeout(network, addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	if d.slow {
		c = testenv.Throttle(c, d.rate)
	}
	return &counted{Conn: c, read: d.read}, nil
}

// counted counts what is read through it.
type counted struct {
	net.Conn
	read *atomic.Int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}
