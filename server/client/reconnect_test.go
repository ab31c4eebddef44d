package client_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// replica is a real server on addr over the board store in dir.
type replica struct {
	app *server.App
	srv *http.Server
}

func startReplica(t *testing.T, addr, dir string) *replica {
	t.Helper()
	return startReplicaIdle(t, addr, dir, 0)
}

// startReplicaIdle is startReplica with --idle-timeout idle (0: the
// default).
func startReplicaIdle(t *testing.T, addr, dir string, idle time.Duration) *replica {
	t.Helper()
	app, err := server.New(&config.Config{DataDir: dir, IdleTimeout: idle}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{app: app, srv: &http.Server{Handler: app.Handler()}}
	go func() { _ = r.srv.Serve(ln) }()
	t.Cleanup(r.stop)
	return r
}

func (r *replica) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = r.srv.Close()
	_ = r.app.Shutdown(ctx)
}

func line(n int, y int32) []canvas.Point {
	pts := make([]canvas.Point, n)
	for i := range pts {
		pts[i] = canvas.Point{X: int32(100 + 7*i), Y: y}
	}
	return pts
}

func TestReconnectRetriesUntilTheServerIsBackAndResumes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	r1 := startReplica(t, addr, dir)
	c := client.New("ws://"+addr+"/ws/retry", client.Options{Name: "R"})
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Stroke(1, 3, line(30, 10), 4); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	r1.stop()
	if _, _, err := c.WaitClosed(ctx); err != nil {
		t.Fatal(err)
	}
	// Drawn while no server runs: kept and sent after the reconnect.
	_, _ = c.Stroke(2, 3, line(25, 20), 4)

	var retries atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- c.Reconnect(ctx, client.Backoff{Base: 10 * time.Millisecond, Max: 100 * time.Millisecond,
			OnRetry: func(int, error, time.Duration) { retries.Add(1) }})
	}()
	time.Sleep(400 * time.Millisecond) // several refused attempts
	startReplica(t, addr, dir)
	if err := <-done; err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	if retries.Load() < 2 {
		t.Errorf("%d failed attempts while the server was down, want several", retries.Load())
	}
	if err := c.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	b := c.Board()
	for n, want := range map[uint32]int{1: 30, 2: 25} {
		s := b.Stroke(canvas.StrokeID{Author: c.Author(), N: n})
		if s == nil || len(s.Points) != want {
			t.Errorf("stroke %d: %v, want %d points", n, s, want)
		}
	}
	if len(b.Strokes()) != 2 {
		t.Errorf("board has %d strokes, want 2", len(b.Strokes()))
	}
}

func TestReconnectGivesUpWhenTheContextEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every attempt is refused
	c := client.New("ws://"+addr+"/ws/none", client.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = c.Reconnect(ctx, client.Backoff{Base: 10 * time.Millisecond, Max: 50 * time.Millisecond})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Reconnect returned %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Reconnect took %v after its context ended", d)
	}
}
