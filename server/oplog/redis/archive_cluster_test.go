package redis

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// The archive on a Redis Cluster: a board's keys share its slot, but the
// index of boards by last use is one key in another slot, and the boards
// from before the archive are spread over every master.

func skipUnlessClusterTests(t *testing.T) {
	t.Helper()
	if os.Getenv("SKETCHPAD_CLUSTER_TESTS") == "" {
		t.Skip("Redis Cluster test: run `make test-cluster` (SKETCHPAD_CLUSTER_TESTS=1)")
	}
}

// roomsOnEveryMaster names n rooms per master of l's cluster.
func roomsOnEveryMaster(t *testing.T, l *Log, prefix string, n int) []string {
	t.Helper()
	slots, err := l.loadSlots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	var rooms []string
	for i := 0; len(rooms) < n*3 && i < 10000; i++ {
		room := fmt.Sprintf("%s%d", prefix, i)
		m := slots[slotOf("sp:{"+room+"}")]
		if m == "" || per[m] >= n {
			continue
		}
		per[m]++
		rooms = append(rooms, room)
	}
	if len(per) != 3 {
		t.Fatalf("rooms on %d masters, want 3: %v", len(per), per)
	}
	return rooms
}

// A board archived on a cluster and brought back is the board it was
// (its bytes, epoch, versions and the board at every seq), on each of
// the three masters, read while archived and after it is back.
func TestClusterArchivedBoardComesBackWhole(t *testing.T) {
	skipUnlessClusterTests(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	l := archiveLog(t, "redis://"+c.Nodes[0].Addr, archivetest.Database(t), time.Millisecond)
	if !l.Clustered() {
		t.Fatal("not taken for a Redis Cluster")
	}
	ctx := context.Background()
	for i, room := range roomsOnEveryMaster(t, l, "cold", 1) {
		ops := drawBoard(t, l, room, uint64(i), 50)
		before := readState(t, l, room, true)
		if len(before.at) != len(ops)+1 {
			t.Fatalf("%s: history of %d ops before archiving, want %d", room, len(before.at)-1, len(ops))
		}
		time.Sleep(5 * time.Millisecond)
		if done, err := l.Archive(ctx, room); err != nil || !done {
			t.Fatalf("%s: archive: %v, %v", room, done, err)
		}
		if redisHolds(t, l, room) {
			t.Fatalf("%s: the cluster still holds keys of the archived board", room)
		}
		if st, _, _ := l.arch.State(ctx, room); st != "archived" {
			t.Fatalf("%s: the archive says %q", room, st)
		}
		if d := before.diff(readState(t, l, room, false)); d != "" {
			t.Fatalf("%s: read while archived: %s", room, d)
		}
		if d := before.diff(readState(t, l, room, true)); d != "" {
			t.Fatalf("%s: loaded back: %s", room, d)
		}
		if !redisHolds(t, l, room) {
			t.Fatalf("%s: the board did not come back into the cluster", room)
		}
		checkWhole(t, l, room, before.epoch, ops)
	}
}

// Boards a cluster held before the archive was configured, on every
// master, are found, archived once unused, and come back whole.
func TestClusterBoardsFromBeforeTheArchiveAreArchivedToo(t *testing.T) {
	skipUnlessClusterTests(t)
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	url := "redis://" + c.Nodes[1].Addr
	pg := archivetest.Database(t)
	cfg := &config.Config{SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	before, err := Open(url, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	rooms := roomsOnEveryMaster(t, before, "old", 2)
	drawn := map[string][]oplog.BatchOp{}
	epochs := map[string]uint64{}
	for i, room := range rooms {
		drawn[room] = drawBoard(t, before, room, uint64(i), 20)
		st, err := before.Open(context.Background(), room)
		if err != nil {
			t.Fatal(err)
		}
		epochs[room] = st.Epoch
	}
	_ = before.Close()

	l, err := Open(url, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	store, err := archive.Open(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	l.UseArchive(store, 200*time.Millisecond)
	deadline := time.Now().Add(20 * time.Second)
	for _, room := range rooms {
		for redisHolds(t, l, room) {
			if time.Now().After(deadline) {
				t.Fatalf("%s, a board from before the archive, is still in the cluster after 20 s", room)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for _, room := range rooms {
		checkWhole(t, l, room, epochs[room], drawn[room])
	}
}
