package server_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// Redis Cluster mode: replicas on a Redis Cluster of the test's own (real
// redis-server processes in cluster mode), boards spread over its masters.
// The fault tests (failover, resharding, restarts) take a minute or more
// between them: they run in `make test-cluster` (SKETCHPAD_CLUSTER_TESTS=1).

func clusterFaults(t *testing.T) {
	t.Helper()
	if os.Getenv("SKETCHPAD_CLUSTER_TESTS") == "" {
		t.Skip("Redis Cluster fault test: run `make test-cluster` (SKETCHPAD_CLUSTER_TESTS=1)")
	}
}

// clusterReplicas starts n replicas on the cluster, acknowledging ops once
// wait replicas of a master have them.
func clusterReplicas(t *testing.T, c *redistest.Cluster, n, wait int) []*testServer {
	t.Helper()
	out := make([]*testServer, n)
	for i := range out {
		// Each replica is told one node, a different one: it finds the rest.
		url := "redis://" + c.Nodes[i%len(c.Nodes)].Addr
		out[i] = startWith(t, &config.Config{RedisURL: url, RedisWaitReplicas: wait, RoomIdle: time.Minute,
			SyncInterval: 200 * time.Millisecond, IPRateFactor: 1000, RateHTTP: 1e4})
	}
	return out
}

// redisCLI runs one command on addr and returns its reply lines.
func redisCLI(t *testing.T, addr string, args ...string) []string {
	t.Helper()
	out, err := testenv.RedisInfo(addr, args...)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// Boards drawn on through two replicas land on every master of the
// cluster; each replica holds one subscription connection per master that
// has its boards, not one per board; and every board converges.
func TestClusterBoardsSpreadOverMastersWithOneSubscriptionPerMaster(t *testing.T) {
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	rs := clusterReplicas(t, c, 2, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const boards = 12
	var pairs [][2]*client.Client
	for i := range boards {
		room := roomName(t) + "b" + itoa(i)
		a, b := pairAcross(t, rs, room)
		pairs = append(pairs, [2]*client.Client{a, b})
	}
	for i, p := range pairs {
		if _, err := p[i%2].Stroke(uint32(i), 3, spiral(30, float64(i)), 4); err != nil {
			t.Fatal(err)
		}
		if _, err := p[1-i%2].Stroke(uint32(i), 3, spiral(20, float64(i)+1), 4); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range pairs {
		converge(t, ctx, p[0], p[1])
		if n := len(p[0].Board().Strokes()); n != 2 {
			t.Fatalf("board has %d strokes, want 2", n)
		}
	}
	masters, err := c.Masters()
	if err != nil {
		t.Fatal(err)
	}
	channels, holding := 0, 0
	for _, m := range masters {
		ch := len(redisCLI(t, m, "PUBSUB", "SHARDCHANNELS"))
		subs := len(redisCLI(t, m, "CLIENT", "LIST", "TYPE", "pubsub"))
		channels += ch
		want := 0
		if ch > 0 {
			want, holding = len(rs), holding+1
		}
		if subs != want {
			t.Errorf("master %s: %d boards' channels, %d subscription connections; want %d (one per replica)", m, ch, subs, want)
		}
	}
	if channels != boards {
		t.Errorf("%d shard channels subscribed over the masters, want %d (one per board)", channels, boards)
	}
	if holding < 2 {
		t.Errorf("all %d boards on %d master(s): not spread", boards, holding)
	}
}

// acked is what each author had acknowledged at a moment: its own strokes
// on its board, with their point counts.
func acked(cs []*client.Client) map[canvas.StrokeID]int {
	out := map[canvas.StrokeID]int{}
	for _, c := range cs {
		for _, s := range c.Board().Strokes() {
			if s.ID.Author == c.Author() {
				out[s.ID] = len(s.Points)
			}
		}
	}
	return out
}

// survived checks that every stroke of want is on b with at least its
// points, and returns how many are not.
func survived(b *canvas.Board, want map[canvas.StrokeID]int) (lost int) {
	for id, n := range want {
		if s := b.Stroke(id); s == nil || len(s.Points) < n {
			lost++
		}
	}
	return lost
}

// waitDrawing waits until a fresh stroke by c is acknowledged: drawing has
// resumed. It returns how long that took.
func waitDrawing(ctx context.Context, c *client.Client, k uint32) (time.Duration, error) {
	start := time.Now()
	for ctx.Err() == nil {
		sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := c.Stroke(1000+k, 2, spiral(3, float64(k)), 3)
		if err == nil {
			err = c.WaitAcked(sctx)
		}
		cancel()
		if err == nil {
			return time.Since(start), nil
		}
	}
	return 0, ctx.Err()
}

// failover kills the master serving room with SIGKILL while a crowd draws
// on it, waits for the cluster's own failover, and checks that everyone
// converges; it returns the strokes acknowledged to their authors at the
// kill, the final board and whether its epoch changed. The master's
// replicas are stopped (SIGSTOP) and cut off for a moment before the kill
// and go on after it: the replica promoted is behind its master by that
// moment, as a replica on a slow link would be.
func failover(t *testing.T, wait int) (before map[canvas.StrokeID]int, after *canvas.Board, newEpoch bool) {
	// WAIT n needs n replicas left after one is promoted.
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3, Replicas: 1 + wait})
	rs := clusterReplicas(t, c, 2, wait)
	room := roomName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cs, stop, results := drawingCrowd(t, rs, room, 4, 20, 40*time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	slot := redisCLI(t, c.Nodes[0].Addr, "CLUSTER", "KEYSLOT", "sp:{"+room+"}:meta")[0]
	owner := masterOfSlot(t, c, slot)
	epoch := cs[0].Board().Epoch
	replicas := replicasOf(t, c, owner)
	for _, r := range replicas {
		_ = syscall.Kill(r.Pid(), syscall.SIGSTOP)
	}
	// Cut the replication links too: what the master writes from now on
	// is on no replica (a stopped process still receives into its socket).
	redisCLI(t, owner, "CLIENT", "KILL", "TYPE", "replica")
	t.Cleanup(func() {
		for _, r := range replicas {
			_ = syscall.Kill(r.Pid(), syscall.SIGCONT)
		}
	})
	time.Sleep(800 * time.Millisecond)
	before = acked(cs)
	c.Node(owner).Kill()
	for _, r := range replicas {
		_ = syscall.Kill(r.Pid(), syscall.SIGCONT)
	}
	killed := time.Now()
	rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
	defer rcancel()
	if _, err := waitDrawing(rctx, cs[0], 1); err != nil {
		for _, n := range c.Nodes {
			if n.Running() {
				t.Logf("cluster nodes seen from %s:\n%s", n.Addr, strings.Join(redisCLI(t, n.Addr, "CLUSTER", "NODES"), "\n"))
				break
			}
		}
		t.Fatalf("master %s killed: drawing never resumed: %v", owner, err)
	}
	t.Logf("master %s (slot %s) killed: drawing resumed after %v", owner, slot, time.Since(killed).Round(10*time.Millisecond))
	time.Sleep(300 * time.Millisecond)
	close(stop)
	drawn(results)
	converge(t, ctx, cs...)
	late := connect(t, rs[1], room, "late")
	converge(t, ctx, append(cs, late)...)
	return before, late.Board(), late.Board().Epoch != epoch
}

// replicasOf are the nodes replicating the master at addr.
func replicasOf(t *testing.T, c *redistest.Cluster, addr string) []*testenv.Redis {
	t.Helper()
	var id string
	lines := redisCLI(t, addr, "CLUSTER", "NODES")
	for _, line := range lines {
		if f := strings.Fields(line); len(f) > 2 && strings.Contains(f[2], "myself") {
			id = f[0]
		}
	}
	var out []*testenv.Redis
	for _, line := range lines {
		if f := strings.Fields(line); len(f) > 3 && f[3] == id {
			a, _, _ := strings.Cut(f[1], "@")
			out = append(out, c.Node(a))
		}
	}
	if len(out) == 0 {
		t.Fatalf("master %s has no replica", addr)
	}
	return out
}

// masterOfSlot is the address of the master serving slot.
func masterOfSlot(t *testing.T, c *redistest.Cluster, slot string) string {
	t.Helper()
	for _, line := range redisCLI(t, c.Nodes[0].Addr, "CLUSTER", "NODES") {
		f := strings.Fields(line)
		if len(f) < 9 || !strings.Contains(f[2], "master") {
			continue
		}
		for _, r := range f[8:] {
			lo, hi, ok := strings.Cut(r, "-")
			if !ok {
				hi = lo
			}
			if atoiT(t, lo) <= atoiT(t, slot) && atoiT(t, slot) <= atoiT(t, hi) {
				addr, _, _ := strings.Cut(f[1], "@")
				return addr
			}
		}
	}
	t.Fatalf("no master serves slot %s", slot)
	return ""
}

func atoiT(t *testing.T, s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = 10*n + int(r-'0')
	}
	return n
}

// With --redis-wait-replicas 1, a master killed while people draw loses
// nothing anyone was told was kept: its replica had every acknowledged op.
func TestClusterMasterKilledWithWait1LosesNothingAcknowledged(t *testing.T) {
	clusterFaults(t)
	before, after, _ := failover(t, 1)
	if lost := survived(after, before); lost > 0 {
		t.Errorf("%d of %d strokes acknowledged before the master was killed are gone or shorter", lost, len(before))
	}
	if len(before) < 4 {
		t.Fatalf("too little was drawn to prove anything: %d strokes", len(before))
	}
}

// With --redis-wait-replicas 0 a failover may lose the last moment of
// drawing; then the board starts a new epoch and every page reloads it:
// nobody is left on a board the others do not have (failover converges).
func TestClusterMasterKilledWithWait0Converges(t *testing.T) {
	clusterFaults(t)
	before, after, reset := failover(t, 0)
	lost := survived(after, before)
	t.Logf("wait 0: %d of %d acknowledged strokes lost; new epoch: %v", lost, len(before), reset)
	if lost > 0 && !reset {
		t.Errorf("%d acknowledged strokes lost and the board kept its epoch: pages hold ops the log does not", lost)
	}
	if lost == 0 {
		// The promoted replica was stopped while its master acknowledged
		// ops: without WAIT some are lost. If not, the test proved nothing.
		t.Errorf("no acknowledged stroke lost though the promoted replica was stopped while people drew")
	}
}

// stillConnected fails the test for every client the server closed.
func stillConnected(t *testing.T, cs []*client.Client) {
	t.Helper()
	for _, c := range cs {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		code, reason, err := c.WaitClosed(ctx)
		cancel()
		if err == nil {
			t.Errorf("author %d was disconnected: %d %s", c.Author(), code, reason)
		}
	}
}

// Every slot of a master moves to another with `redis-cli --cluster
// reshard` while people draw on boards there: no op is lost or doubled,
// nobody is disconnected, and the boards' channels follow their slots.
func TestClusterReshardWhileDrawingLosesNothingAndDisconnectsNobody(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	rs := clusterReplicas(t, c, 2, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	masters, err := c.Masters()
	if err != nil {
		t.Fatal(err)
	}
	from, to := masters[0], masters[1]
	// Boards until three of them live on the master whose slots move.
	var rooms []string
	moving := 0
	for i := 0; moving < 3; i++ {
		room := roomName(t) + "r" + itoa(i)
		slot := redisCLI(t, from, "CLUSTER", "KEYSLOT", "sp:{"+room+"}")[0]
		if masterOfSlot(t, c, slot) == from {
			moving++
		} else if len(rooms) >= 3 {
			continue
		}
		rooms = append(rooms, room)
	}
	var all []*client.Client
	var stops []chan struct{}
	var results [][]<-chan map[canvas.StrokeID]int
	for _, room := range rooms {
		cs, stop, res := drawingCrowdOnce(t, rs, room, 2, 12, 60*time.Millisecond)
		all = append(all, cs...)
		stops = append(stops, stop)
		results = append(results, res)
	}
	time.Sleep(500 * time.Millisecond)
	start := time.Now()
	if _, err := c.Reshard(ctx, from, to, 16384); err != nil {
		t.Fatal(err)
	}
	t.Logf("every slot of %s moved to %s in %v while %d people drew on %d boards", from, to, time.Since(start).Round(time.Millisecond), len(all), len(rooms))
	time.Sleep(time.Second)
	for _, s := range stops {
		close(s)
	}
	for i, room := range rooms {
		want := drawn(results[i])
		cs := slices.Clone(all[2*i : 2*i+2])
		converge(t, ctx, cs...)
		late := connect(t, rs[i%2], room, "late")
		converge(t, ctx, append(cs, late)...)
		strokesComplete(t, late.Board(), want)
		if len(want) < 5 {
			t.Errorf("board %s: only %d strokes drawn", room, len(want))
		}
	}
	stillConnected(t, all)
	if n := len(redisCLI(t, from, "PUBSUB", "SHARDCHANNELS")); n != 0 {
		t.Errorf("%d channels still subscribed on %s, which serves no slot", n, from)
	}
	channels := 0
	for _, m := range masters[1:] {
		channels += len(redisCLI(t, m, "PUBSUB", "SHARDCHANNELS"))
	}
	if channels != len(rooms) {
		t.Errorf("%d channels subscribed where the slots are, want %d", channels, len(rooms))
	}
}

// drawingCrowdOnce is drawingCrowd without reconnecting: a client the
// server closes stays closed (stillConnected tells).
func drawingCrowdOnce(t *testing.T, rs []*testServer, room string, n, points int, pause time.Duration) ([]*client.Client, chan struct{}, []<-chan map[canvas.StrokeID]int) {
	var cs []*client.Client
	for i := range n {
		cs = append(cs, connect(t, rs[i%len(rs)], room, "D"+itoa(i)))
	}
	stop := make(chan struct{})
	var results []<-chan map[canvas.StrokeID]int
	for _, c := range cs {
		results = append(results, drawLoop(c, points, pause, stop))
	}
	return cs, stop, results
}

// A master stopped and started again (SIGTERM, then the same port and
// directory, its append-only file on) while people draw: drawing pauses
// on its boards and resumes, and everything acknowledged is still there.
func TestClusterNodeRestartedLosesNothingAcknowledged(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3, AOF: true})
	rs := clusterReplicas(t, c, 2, 0)
	room := roomName(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, stop, results := drawingCrowd(t, rs, room, 4, 20, 40*time.Millisecond)
	time.Sleep(500 * time.Millisecond)
	slot := redisCLI(t, c.Nodes[0].Addr, "CLUSTER", "KEYSLOT", "sp:{"+room+"}")[0]
	owner := c.Node(masterOfSlot(t, c, slot))
	epoch := cs[0].Board().Epoch
	owner.Stop(syscall.SIGTERM, time.Minute)
	before := acked(cs)
	time.Sleep(500 * time.Millisecond) // people draw into a stopped master
	if err := owner.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitOK(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := waitDrawing(ctx, cs[0], 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	want := drawn(results)
	converge(t, ctx, cs...)
	late := connect(t, rs[1], room, "late")
	converge(t, ctx, append(cs, late)...)
	if late.Board().Epoch != epoch {
		t.Errorf("the board's epoch changed across a restart with its append-only file: history was lost")
	}
	if lost := survived(late.Board(), before); lost > 0 {
		t.Errorf("%d of %d strokes acknowledged before the restart are gone or shorter", lost, len(before))
	}
	strokesComplete(t, late.Board(), want)
}

// The whole cluster stopped and started again with its append-only files:
// every board comes back under its epoch with everything acknowledged,
// and the replicas carry on without being restarted.
func TestClusterWholeRestartWithAOFLosesNothingAcknowledged(t *testing.T) {
	clusterFaults(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3, Replicas: 1, AOF: true})
	rs := clusterReplicas(t, c, 2, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var all []*client.Client
	var rooms []string
	for i := range 4 {
		room := roomName(t) + "w" + itoa(i)
		a, b := pairAcross(t, rs, room)
		keepConnected(t, a)
		keepConnected(t, b)
		for k := range 3 {
			if _, err := a.Stroke(uint32(k), 2, spiral(15, float64(k)), 4); err != nil {
				t.Fatal(err)
			}
		}
		converge(t, ctx, a, b)
		all, rooms = append(all, a, b), append(rooms, room)
	}
	before := map[string]map[canvas.StrokeID]int{}
	epochs := map[string]uint64{}
	for i, room := range rooms {
		epochs[room] = all[2*i].Board().Epoch
		before[room] = acked(all[2*i : 2*i+2])
	}
	for _, n := range c.Nodes {
		n.Stop(syscall.SIGTERM, time.Minute)
	}
	for _, n := range c.Nodes {
		if err := n.Restart(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.WaitOK(ctx); err != nil {
		t.Fatal(err)
	}
	for i, room := range rooms {
		a, b := all[2*i], all[2*i+1]
		if _, err := waitDrawing(ctx, b, uint32(i)); err != nil {
			t.Fatalf("board %s: %v", room, err)
		}
		converge(t, ctx, a, b)
		late := connect(t, rs[0], room, "late")
		converge(t, ctx, a, b, late)
		stillConnected(t, []*client.Client{a, b})
		if late.Board().Epoch != epochs[room] {
			t.Errorf("board %s: epoch changed across a restart with append-only files", room)
		}
		if lost := survived(late.Board(), before[room]); lost > 0 || len(before[room]) != 3 {
			t.Errorf("board %s: %d of %d strokes acknowledged before the restart are gone", room, lost, len(before[room]))
		}
	}
}
