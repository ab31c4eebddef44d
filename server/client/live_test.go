package client_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/client"
)

// freezer is a TCP proxy to target that can go silent: it stops moving
// bytes either way without closing anything, as a link cut off does.
type freezer struct {
	ln     net.Listener
	mu     sync.Mutex
	frozen bool // guarded by mu
}

func newFreezer(t *testing.T, target string) *freezer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go f.pipe(c, s)
			go f.pipe(s, c)
		}
	}()
	return f
}

func (f *freezer) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		f.mu.Lock()
		frozen := f.frozen
		f.mu.Unlock()
		if frozen {
			// Swallow everything and never close: the silence of a dead link.
			if err != nil {
				return
			}
			continue
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			dst.Close()
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	f.frozen = true
	f.mu.Unlock()
}

// A client whose link goes silent (no close, no reset: nothing) notices
// by itself when the server's pings stop arriving, reconnects through the
// next address it knows, and what it drew meanwhile reaches the board.
func TestASilentLinkIsLeftForTheNextAddress(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// The server pings every connection at half its idle timeout.
	startReplicaIdle(t, addr, t.TempDir(), 600*time.Millisecond)
	a, b := newFreezer(t, addr), newFreezer(t, addr)
	urls := []string{"ws://" + a.ln.Addr().String() + "/ws/silent", "ws://" + b.ln.Addr().String() + "/ws/silent"}
	c := client.New(urls[0], client.Options{Name: "S", Liveness: client.Liveness{
		ReadTimeout: 2 * time.Second, URLs: urls,
		Reconnect: &client.Backoff{Base: 50 * time.Millisecond, Max: 500 * time.Millisecond, Attempt: 3 * time.Second}}})
	if err := c.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Stroke(1, 3, line(20, 10), 4); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	// Several ping periods of an idle but healthy link: it stays.
	time.Sleep(2500 * time.Millisecond)
	if !c.Live() || c.URL() != urls[0] {
		t.Fatalf("a healthy idle link was left (live %v, on %s)", c.Live(), c.URL())
	}
	a.freeze()
	if _, err := c.Stroke(2, 3, line(15, 20), 4); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitAcked(ctx); err != nil {
		t.Fatalf("the stroke drawn on the silent link never arrived: %v", err)
	}
	if c.URL() != urls[1] {
		t.Errorf("acknowledged through %s, want the next address %s", c.URL(), urls[1])
	}
	if n := len(c.Board().Strokes()); n != 2 {
		t.Errorf("board has %d strokes, want 2", n)
	}
}
