package redis

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// clusterLog opens a log on the cluster at url (any of its nodes).
func clusterLog(t *testing.T, url string, wait int) *Log {
	t.Helper()
	cfg := &config.Config{ReplayOps: 6, SyncInterval: 100 * time.Millisecond, RedisWaitReplicas: wait}
	cfg.Defaults()
	l, err := Open(url, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	if !l.Clustered() {
		t.Fatalf("%s: not taken for a Redis Cluster", url)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// The cluster log passes the same table as every log, with its boards
// spread over three masters.
func TestRedisClusterLogConforms(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	// One node named is enough: the log discovers the others.
	url := "redis://" + c.Nodes[1].Addr
	oplogtest.Run(t, func(t *testing.T) oplog.Log { return clusterLog(t, url, 0) })
}

// The cluster's slot of a key is the one Redis computes (CLUSTER KEYSLOT),
// hash tag included.
func TestSlotOfMatchesRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	l := clusterLog(t, "redis://"+c.Nodes[0].Addr, 0)
	for _, k := range []string{"sp:{board}", "sp:{board}:meta", "a", "", "{}x", "x{}", "{a}{b}", "sp:{ü😀}:log", "123456789"} {
		want, err := l.rdb.ClusterKeySlot(context.Background(), k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if got := slotOf(k); int64(got) != want {
			t.Errorf("slot of %q: %d, Redis says %d", k, got, want)
		}
	}
}

// BenchmarkClusterSubmit is one board's batch of one op numbered and
// acknowledged on a Redis Cluster of 3 masters with a replica each, with
// --redis-wait-replicas 0 and 1: the difference is what WAIT adds to an
// acknowledgement (a replication round trip).
func BenchmarkClusterSubmit(b *testing.B) {
	c := redistest.StartCluster(b, redistest.ClusterOptions{Masters: 3, Replicas: 1})
	for _, wait := range []int{0, 1} {
		b.Run("wait"+strconv.Itoa(wait), func(b *testing.B) {
			cfg := &config.Config{ReplayOps: 6, SyncInterval: time.Second, RedisWaitReplicas: wait}
			cfg.Defaults()
			l, err := Open("redis://"+c.Nodes[0].Addr, cfg, slog.New(slog.DiscardHandler), metrics.New())
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			room := "bench" + randomHex()
			st, err := l.Open(context.Background(), room)
			if err != nil {
				b.Fatal(err)
			}
			op := endOp()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if _, _, err := l.submitWait(room, st.Epoch, []oplog.BatchOp{{Author: 1, Index: uint64(i), Op: op}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
