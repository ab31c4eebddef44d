package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
	"github.com/sketchpad/sketchpad/server/client"
)

// Several hosts, for real: three network namespaces joined by veth pairs
// to a bridge, each with an address of its own, stand in for three
// machines. Each runs Redis Cluster nodes (a master, and replicas of the
// other hosts' masters) and two run a Sketchpad replica; people draw on
// both replicas. Then one host's link goes down: its replica's people
// notice the silence themselves and reconnect to the other, its master's
// replica elsewhere takes over, the boards converge and nothing
// acknowledged is lost; the link comes back and the host's replica
// serves the board again.

// netHosts is a bridge and n namespaces on a /24 of their own.
type netHosts struct {
	t      *testing.T
	prefix string // "10.77.N."
	bridge string
	ns     []string
	veth   []string // root-side ends
}

func ipCmd(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// newHosts makes n hosts, or skips the test when the kernel refuses.
func newHosts(t *testing.T, n int) *netHosts {
	tag := strconv.Itoa(rand.IntN(200) + 20)
	h := &netHosts{t: t, prefix: "10.77." + tag + ".", bridge: "spbr" + tag}
	if err := ipCmd("link", "add", h.bridge, "type", "bridge"); err != nil {
		t.Skipf("network namespaces unavailable here (the kernel or its permissions refuse a bridge): %v", err)
	}
	t.Cleanup(h.remove)
	must := func(args ...string) {
		if err := ipCmd(args...); err != nil {
			t.Skipf("network namespaces unavailable here: %v", err)
		}
	}
	must("addr", "add", h.prefix+"254/24", "dev", h.bridge)
	must("link", "set", h.bridge, "up")
	for i := range n {
		ns := "sph" + tag + "x" + strconv.Itoa(i+1)
		must("netns", "add", ns)
		h.ns = append(h.ns, ns)
		root, inner := "spv"+tag+"x"+strconv.Itoa(i+1), "eth0"
		must("link", "add", root, "type", "veth", "peer", "name", inner, "netns", ns)
		h.veth = append(h.veth, root)
		must("link", "set", root, "master", h.bridge)
		must("link", "set", root, "up")
		must("-n", ns, "addr", "add", h.addr(i)+"/24", "dev", inner)
		must("-n", ns, "link", "set", inner, "up")
		must("-n", ns, "link", "set", "lo", "up")
	}
	return h
}

// addr is host i's address.
func (h *netHosts) addr(i int) string { return h.prefix + strconv.Itoa(i+1) }

// cut takes host i's link down (up false) or brings it back.
func (h *netHosts) link(i int, up bool) {
	state := "down"
	if up {
		state = "up"
	}
	if err := ipCmd("link", "set", h.veth[i], state); err != nil {
		h.t.Fatal(err)
	}
}

func (h *netHosts) remove() {
	for _, ns := range h.ns {
		_ = ipCmd("netns", "del", ns)
	}
	for _, v := range h.veth {
		_ = ipCmd("link", "del", v)
	}
	_ = ipCmd("link", "del", h.bridge)
}

// exec wraps a command line to run on host i.
func (h *netHosts) exec(i int, path string, args []string) (string, []string) {
	return "ip", append([]string{"netns", "exec", h.ns[i], path}, args...)
}

func TestHostsCutOffAndBackLoseNothingAcknowledged(t *testing.T) {
	if os.Getenv("SKETCHPAD_CLUSTER_TESTS") == "" {
		t.Skip("multi-host test: run `make test-cluster` (SKETCHPAD_CLUSTER_TESTS=1)")
	}
	h := newHosts(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	// Nine nodes, node i on host i%3: a master on each host and its two
	// replicas on the other two (redis-cli keeps a replica off its
	// master's host), so that with one host cut off every master still has
	// a replica to confirm writes (--redis-wait-replicas 1).
	hosts := make([]string, 9)
	for i := range hosts {
		hosts[i] = h.addr(i % 3)
	}
	rc, err := testenv.StartRedisCluster(ctx, testenv.ClusterOptions{Dir: dir, Masters: 3, Replicas: 2, AOF: true,
		Hosts: hosts, LogDir: dir, Wrap: func(node int, path string, args []string) (string, []string) {
			return h.exec(node%3, path, args)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rc.Kill)

	// The build has a bound of its own: on a busy machine it may take
	// minutes, which are not the test's.
	bctx, bcancel := context.WithTimeout(context.Background(), 5*time.Minute)
	bin, err := local.BuildHere(bctx, dir)
	bcancel()
	if err != nil {
		t.Fatal(err)
	}
	// Replicas on hosts 1 and 2, each told the Redis nodes of its own host.
	var urls []string
	for i := range 2 {
		addr := h.addr(i) + ":8080"
		redisURL := "redis://" + rc.Nodes[i].Addr + ",redis://" + rc.Nodes[i+3].Addr
		prog, args := h.exec(i, bin, []string{"--addr", addr, "--redis-url", redisURL, "--data", filepath.Join(dir, "data"+strconv.Itoa(i)),
			"--redis-wait-replicas", "1", "--sync-interval", "200ms", "--rate-http", "10000", "--ip-rate-factor", "1000",
			// Pings every 2 s: what tells a client its link is alive.
			"--idle-timeout", "4s"})
		p := &testenv.Proc{Name: "sketchpad-" + strconv.Itoa(i+1), Path: prog, Args: args, LogPath: filepath.Join(dir, "sketchpad"+strconv.Itoa(i)+".log")}
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Kill)
		urls = append(urls, "http://"+addr)
		waitReady(t, ctx, "http://"+addr, p)
	}
	// A board on host 1's master: cutting host 1 off fails it over.
	var room string
	for {
		room = "hosts" + strconv.Itoa(rand.IntN(1e9))
		out, _ := exec.Command("redis-cli", "-h", h.addr(0), "-p", strings.Split(rc.Nodes[0].Addr, ":")[1], "EXISTS", "sp:{"+room+"}:meta").CombinedOutput()
		if !strings.Contains(string(out), "MOVED") {
			break
		}
	}
	ws := func(i int) string { return "ws" + strings.TrimPrefix(urls[i], "http") + "/ws/" + room }
	// Each person knows both replicas' addresses (as a page behind a
	// name with two addresses would) and keeps its own liveness: a
	// connection that hears nothing, not even a ping, for 5 s is dead,
	// and the client reconnects through the next address by itself.
	live := client.Liveness{ReadTimeout: 5 * time.Second, URLs: []string{ws(0), ws(1)},
		Reconnect: &client.Backoff{Base: 100 * time.Millisecond, Max: time.Second, Attempt: 5 * time.Second}}
	var cs []*client.Client
	for i := range 4 {
		c := client.New(ws(i%2), client.Options{Name: "H" + strconv.Itoa(i), Color: 0x112233ff, Liveness: live})
		if err := c.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		cs = append(cs, c)
	}
	draw := func(c *client.Client, k int) {
		if _, err := c.Stroke(uint32(k), 3, curve(12, int(c.Author()), k), 4); err != nil {
			t.Fatal(err)
		}
	}
	for k := range 5 {
		for _, c := range cs {
			draw(c, k)
		}
	}
	for _, c := range cs {
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
	}
	before := map[canvas.StrokeID]int{}
	for _, c := range cs {
		for _, s := range c.Board().Strokes() {
			before[s.ID] = len(s.Points)
		}
	}

	// Host 1 is cut off, and everyone goes on drawing: the cut-off
	// replica's people notice the silence by themselves and come back on
	// host 2, where what they drew meanwhile is sent again.
	h.link(0, false)
	cutAt := time.Now()
	for k := 5; k < 8; k++ {
		for _, c := range cs {
			draw(c, k)
		}
	}
	for _, c := range cs {
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatalf("author %d drawing after the cut: %v", c.Author(), err)
		}
	}
	for i := 0; i < len(cs); i += 2 {
		if cs[i].URL() != ws(1) {
			t.Errorf("author %d is on %s after the cut, want host 2", cs[i].Author(), cs[i].URL())
		}
	}
	t.Logf("host 1 cut off: everyone drawing on host 2 after %v", time.Since(cutAt).Round(10*time.Millisecond))

	// The link comes back: host 1's replica serves the board again.
	h.link(0, true)
	if err := rc.WaitOK(ctx); err != nil {
		t.Fatal(err)
	}
	back := client.New(ws(0), client.Options{Name: "back", Color: 0x112233ff})
	t.Cleanup(back.Close)
	for {
		cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
		err := back.Connect(cctx)
		ccancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("host 1's replica never served again: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	draw(back, 0)
	all := append(cs, back)
	for _, c := range all {
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var head uint64
	for _, c := range all {
		head = max(head, c.Seq())
	}
	for _, c := range all {
		if err := c.WaitSeq(ctx, head); err != nil {
			t.Fatal(err)
		}
	}
	want := string(all[0].BoardBytes())
	for _, c := range all[1:] {
		if string(c.BoardBytes()) != want {
			t.Errorf("author %d holds a different board", c.Author())
		}
	}
	final := back.Board()
	for id, n := range before {
		if s := final.Stroke(id); s == nil || len(s.Points) < n {
			t.Errorf("stroke %v acknowledged before the cut is gone or shorter", id)
		}
	}
}

// waitReady waits until the replica at base says it is ready.
func waitReady(t *testing.T, ctx context.Context, base string, p *testenv.Proc) {
	t.Helper()
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if !p.Running() || ctx.Err() != nil {
			t.Fatalf("%s never ready: %v\n%s", p.Name, err, p.LogTail(20))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
