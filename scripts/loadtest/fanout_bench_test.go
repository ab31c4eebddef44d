package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	srvconfig "github.com/sketchpad/sketchpad/server/config"
)

// Black-box benchmarks of the fan-out path over real sockets: a server in
// this process, one drawer and N receivers (the load generator's lean
// clients) on one board. Each op is a 4-point Trace op; the drawer keeps
// at most 64 ops ahead of the slowest receiver. ns/op is the time to get
// one op to every receiver; allocs/op counts the whole process (server and
// clients; the clients' own read path allocates next to nothing).
//
//	go test ./scripts/loadtest -run '^$' -bench Fanout -benchmem
//
// store=memory takes the disk out (an in-memory Store through the exported
// interface), store=bolt is the embedded mode as it ships.

func benchServer(b *testing.B, store string) string {
	cfg := &srvconfig.Config{DataDir: b.TempDir(), RateDraw: 1e9, MaxConnsPerIP: 100000, RateHTTP: 1e9}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var app *server.App
	if store == "memory" {
		app = server.NewWithStore(cfg, log, newMemStore())
	} else {
		var err error
		if app, err = server.New(cfg, log); err != nil {
			b.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: app.Handler()}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() {
		_ = srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return "ws://" + ln.Addr().String()
}

func BenchmarkFanout(b *testing.B) {
	for _, store := range []string{"memory", "bolt"} {
		for _, n := range []int{10, 100, 1000} {
			if store == "bolt" && n == 1000 {
				continue // joins are durable one by one: slow to set up, same fan-out
			}
			b.Run(fmt.Sprintf("store=%s/receivers=%d", store, n), func(b *testing.B) { benchFanout(b, store, n) })
		}
	}
}

func benchFanout(b *testing.B, store string, n int) {
	base := benchServer(b, store)
	l := &load{clock: clock{start: time.Now()}}
	rm := &room{name: randomName()}
	rm.idx.Store(&roomIndex{byAuthor: map[uint32]*drawer{}})
	var conns []*spConn
	for i := range n + 1 {
		c := &client{l: l, room: rm, id: i, done: make(chan struct{})}
		rm.clients = append(rm.clients, c)
		s, err := dialSketchpad(c, base+"/ws/"+rm.name, false)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.hello("bench", 1); err != nil {
			b.Fatal(err)
		}
		if w := <-s.welcome; w.err != nil {
			b.Fatal(w.err)
		}
		conns = append(conns, s)
	}
	b.Cleanup(func() {
		for _, s := range conns {
			s.close()
		}
	})
	drawer, receivers := conns[0], rm.clients[1:]
	minSeen := func() int64 {
		m := int64(1 << 62)
		for _, c := range receivers {
			m = min(m, c.seen.Load())
		}
		return m
	}
	waitFor := func(ops int64) {
		for minSeen() < ops {
			time.Sleep(50 * time.Microsecond)
		}
	}
	var e spEncoder
	pen := newPen(1)
	pts := make([]canvas.Point, 4)
	if err := drawer.send(e.begin(pen.next(), 1)); err != nil {
		b.Fatal(err)
	}
	waitFor(1)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	sent := int64(1)
	for i := 0; i < b.N; i++ {
		for k := range pts {
			pts[k] = pen.next()
		}
		if err := drawer.send(e.points(pts)); err != nil {
			b.Fatal(err)
		}
		sent++
		if sent%16 == 0 {
			waitFor(sent - 64)
		}
	}
	waitFor(sent)
	b.StopTimer()
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N)*float64(n)*4/el, "point-deliveries/s")
}
