package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
	"github.com/sketchpad/sketchpad/server/client"
)

// drawer is one client of the test and every stroke it drew.
type drawer struct {
	*client.Client
	name    string
	strokes map[uint32][]canvas.Point // stroke number: absolute points
	ops     uint64                    // ops it sent
}

// curve returns n absolute points of a drawer's k-th stroke.
func curve(n, who, k int) []canvas.Point {
	pts := make([]canvas.Point, n)
	for i := range pts {
		a := float64(who)*0.7 + float64(k)*0.3 + float64(i)*0.08
		r := 100 + float64(i)*2
		pts[i] = canvas.Point{X: int32(3000 + r*math.Cos(a)), Y: int32(3000 + r*math.Sin(a))}
	}
	return pts
}

// opsFor is how many ops a stroke of n points sent in batches costs.
func opsFor(n, batch int) uint64 { return uint64(2 + (n-1+batch-1)/batch) }

// slowStroke draws stroke number n point batch by point batch, pausing
// between batches, so that the stroke is open for a while. Send errors are
// ignored: an op sent on a dying connection is kept and resent after the
// reconnect, which is what the test checks.
func (d *drawer) slowStroke(n uint32, pts []canvas.Point, batch int, pause time.Duration) {
	prev := canvas.Point{}
	delta := func(ps []canvas.Point) []canvas.Point {
		out := make([]canvas.Point, len(ps))
		for i, p := range ps {
			out[i] = canvas.Point{X: p.X - prev.X, Y: p.Y - prev.Y, P: p.P}
			prev = p
		}
		return out
	}
	_ = d.Send(&canvas.Op{Type: canvas.OpBegin, Stroke: n, Color: 0x336699ff, Width: 3, Points: delta(pts[:1])})
	for rest := pts[1:]; len(rest) > 0; {
		time.Sleep(pause)
		k := min(batch, len(rest))
		_ = d.Send(&canvas.Op{Type: canvas.OpPoints, Points: delta(rest[:k])})
		rest = rest[k:]
	}
	_ = d.Send(&canvas.Op{Type: canvas.OpEnd})
	d.strokes[n] = pts
	d.ops += opsFor(len(pts), batch)
}

func connections(ctx context.Context, t *testing.T, c *local.Cluster) []int {
	t.Helper()
	out := make([]int, len(c.Replicas))
	for i, r := range c.Replicas {
		if !r.Running() {
			continue
		}
		v, err := r.Metric(ctx, "sketchpad_connections")
		if err != nil {
			t.Fatalf("replica %d: %v", i+1, err)
		}
		out[i] = int(v)
	}
	return out
}

// waitConnections waits until the replicas together hold n connections (the
// gauge moves a moment after a client's Connect returns).
func waitConnections(ctx context.Context, t *testing.T, c *local.Cluster, n int) []int {
	t.Helper()
	for {
		conns := connections(ctx, t, c)
		sum := 0
		for _, k := range conns {
			sum += k
		}
		if sum == n {
			return conns
		}
		select {
		case <-ctx.Done():
			t.Fatalf("replicas hold %v connections, want %d in all", conns, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// converge waits until every client applied the highest sequence any of
// them has, and checks that they all hold the same board.
func converge(ctx context.Context, t *testing.T, clients []*client.Client) []byte {
	t.Helper()
	var head uint64
	for _, c := range clients {
		head = max(head, c.Seq())
	}
	for _, c := range clients {
		if err := c.WaitSeq(ctx, head); err != nil {
			t.Fatalf("author %d: %v", c.Author(), err)
		}
	}
	want := clients[0].BoardBytes()
	for _, c := range clients[1:] {
		if got := c.BoardBytes(); string(got) != string(want) {
			t.Errorf("author %d holds a different board at seq %d (%d bytes vs %d)", c.Author(), head, len(got), len(want))
		}
	}
	return want
}

// checkExactlyOnce checks that the board holds every stroke of every drawer
// with exactly the points drawn (none missing, none doubled) and that each
// author's ops were applied exactly once.
func checkExactlyOnce(t *testing.T, b *canvas.Board, drawers []*drawer) {
	t.Helper()
	total := 0
	for _, d := range drawers {
		author := d.Author()
		for n, pts := range d.strokes {
			s := b.Stroke(canvas.StrokeID{Author: author, N: n})
			if s == nil {
				t.Errorf("%s (author %d): stroke %d is missing", d.name, author, n)
				continue
			}
			if !slices.Equal(s.Points, pts) {
				t.Errorf("%s (author %d): stroke %d has %d points, drew %d (lost or doubled)", d.name, author, n, len(s.Points), len(pts))
			}
		}
		if got := b.Author(author).Applied; got != d.ops {
			t.Errorf("%s (author %d): the board applied %d of its ops, it sent %d", d.name, author, got, d.ops)
		}
		total += len(d.strokes)
	}
	if n := len(b.Strokes()); n != total {
		t.Errorf("board has %d strokes, drawn %d", n, total)
	}
}

// TestClusterThroughNginxConvergesAndSurvivesAKilledReplica runs the local
// cluster (real redis-server, three sketchpad processes in Redis mode,
// nginx): clients that nginx spread over the replicas draw together and
// converge; then one replica is killed with SIGKILL mid-stroke, its clients
// reconnect through nginx with jittered backoff and finish their strokes,
// and every client, a late joiner and the restarted replica hold one board
// with every acknowledged op exactly once.
func TestClusterThroughNginxConvergesAndSurvivesAKilledReplica(t *testing.T) {
	needNginx(t)
	needTool(t, "redis-server", func() (string, error) { return exec.LookPath("redis-server") })
	bin := buildSketchpad(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	start := time.Now()
	logf := func(format string, args ...any) {
		t.Helper()
		t.Logf("%5.2fs "+format, append([]any{time.Since(start).Seconds()}, args...)...)
	}
	c, err := local.Start(ctx, local.Options{Replicas: 3, Logf: logf, Binary: bin})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Close()
		logf("cluster stopped")
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("cluster logs:%s", c.LogTail(25))
		}
	})

	room := fmt.Sprintf("cluster-%d", rand.Uint64())
	// A browser on the load balancer's page sends its origin: the Host that
	// nginx passes on must make it same-origin.
	hdr := http.Header{"Origin": {c.URL}}
	const people = 9
	var drawers []*drawer
	var clients []*client.Client
	for i := range people {
		name := fmt.Sprintf("D%d", i)
		cl := client.New(c.WSURL(room), client.Options{Name: name, Color: uint32(0x10203000 + i), Header: hdr})
		if err := cl.Connect(ctx); err != nil {
			t.Fatalf("%s: connect through nginx: %v", name, err)
		}
		t.Cleanup(cl.Close)
		drawers = append(drawers, &drawer{Client: cl, name: name, strokes: map[uint32][]canvas.Point{}})
		clients = append(clients, cl)
	}
	conns := waitConnections(ctx, t, c, people)
	used := 0
	for _, k := range conns {
		if k > 0 {
			used++
		}
	}
	logf("connections per replica: %v", conns)
	if used < 2 {
		t.Fatalf("nginx put all %d clients on one replica (%v): the test would not cross replicas", people, conns)
	}

	// Phase 1: everyone draws at once; all converge.
	const batch = 4
	var wg sync.WaitGroup
	for i, d := range drawers {
		wg.Go(func() {
			for k := range 3 {
				pts := curve(40, i, k)
				id, err := d.Stroke(0x11223344, 3, pts, batch)
				if err != nil {
					t.Errorf("%s: %v", d.name, err)
					return
				}
				d.strokes[id.N] = pts
				d.ops += opsFor(len(pts), batch)
			}
		})
	}
	wg.Wait()
	for _, d := range drawers {
		if err := d.WaitAcked(ctx); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
	}
	converge(ctx, t, clients)
	checkExactlyOnce(t, clients[0].Board(), drawers)
	logf("phase 1: %d clients converged at seq %d", people, clients[0].Seq())
	if t.Failed() {
		t.FailNow()
	}

	// Phase 2: slow strokes; one replica dies with SIGKILL mid-stroke.
	victim := 0
	for i, k := range conns {
		if k > conns[victim] {
			victim = i
		}
	}
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	var closed, reconnects, retries atomic.Int32
	var watchers sync.WaitGroup
	for _, d := range drawers {
		watchers.Go(func() {
			for {
				if _, _, err := d.WaitClosed(watch); err != nil {
					if watch.Err() == nil {
						t.Errorf("%s: %v", d.name, err)
					}
					return
				}
				closed.Add(1)
				err := d.Reconnect(watch, client.Backoff{Base: 50 * time.Millisecond, Max: time.Second,
					OnRetry: func(n int, err error, wait time.Duration) {
						retries.Add(1)
						logf("%s: reconnect attempt %d: %v (next in %v)", d.name, n, err, wait)
					}})
				if err != nil {
					if watch.Err() == nil {
						t.Errorf("%s: reconnect: %v", d.name, err)
					}
					return
				}
				reconnects.Add(1)
			}
		})
	}
	for i, d := range drawers {
		wg.Go(func() {
			for k := range 2 {
				d.slowStroke(uint32(1000+k), curve(60, i, 10+k), 3, 15*time.Millisecond)
			}
		})
	}
	time.Sleep(150 * time.Millisecond) // every stroke is open now
	logf("killing replica %d (%s), which holds %d of the clients", victim+1, c.Replicas[victim].Addr, conns[victim])
	c.Kill(victim)
	wg.Wait()
	for _, d := range drawers {
		if err := d.WaitAcked(ctx); err != nil {
			t.Fatalf("%s: after the kill: %v", d.name, err)
		}
	}
	board := converge(ctx, t, clients)
	stopWatch()
	watchers.Wait()
	logf("%d connections closed by the kill, %d reconnects, %d failed attempts", closed.Load(), reconnects.Load(), retries.Load())
	if int(closed.Load()) != conns[victim] || int(reconnects.Load()) != conns[victim] {
		t.Errorf("the killed replica held %d clients; %d saw their connection close and %d reconnected",
			conns[victim], closed.Load(), reconnects.Load())
	}
	checkExactlyOnce(t, clients[0].Board(), drawers)

	// A late joiner through nginx, and the killed replica restarted, serve
	// the same board.
	late := client.New(c.WSURL(room), client.Options{Name: "late", Header: hdr})
	if err := late.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(late.Close)
	if err := c.Restart(ctx, victim); err != nil {
		t.Fatal(err)
	}
	logf("replica %d restarted", victim+1)
	direct := client.New(c.Replicas[victim].WSURL(room), client.Options{Name: "direct"})
	if err := direct.Connect(ctx); err != nil {
		t.Fatalf("restarted replica: %v", err)
	}
	t.Cleanup(direct.Close)
	head := clients[0].Seq()
	for _, cl := range []*client.Client{late, direct} {
		if err := cl.WaitSeq(ctx, head); err != nil {
			t.Fatal(err)
		}
		if got := cl.BoardBytes(); string(got) != string(board) {
			t.Errorf("%s holds a different board (%d bytes vs %d)", map[*client.Client]string{late: "the late joiner", direct: "the restarted replica's client"}[cl], len(got), len(board))
		}
	}
}

// buildSketchpad builds the server for a test's local cluster, with a
// deadline of its own: on a machine busy compiling the other packages'
// tests, the build alone has taken longer than the two minutes a test
// gives the cluster to do its work.
func buildSketchpad(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	bin, err := local.BuildHere(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
