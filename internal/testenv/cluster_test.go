package testenv

import (
	"context"
	"strings"
	"testing"
)

// A cluster of three masters with a replica each comes up with every slot
// served, and every node agrees on who serves them.
func TestStartRedisClusterServesEverySlot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts six redis-server processes")
	}
	c, err := StartRedisCluster(context.Background(), ClusterOptions{Dir: t.TempDir(), Masters: 3, Replicas: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Kill)
	info, err := RedisInfo(c.Nodes[0].Addr, "CLUSTER", "INFO")
	if err != nil || !strings.Contains(info, "cluster_slots_assigned:16384") || !strings.Contains(info, "cluster_size:3") {
		t.Fatalf("cluster info: %v\n%s", err, info)
	}
	if ms, err := c.Masters(); err != nil || len(ms) != 3 {
		t.Fatalf("masters %v, %v", ms, err)
	}
}

// One master, which redis-cli will not create, serves every slot.
func TestStartRedisClusterOfOneMaster(t *testing.T) {
	c, err := StartRedisCluster(context.Background(), ClusterOptions{Dir: t.TempDir(), Masters: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Kill)
	info, err := RedisInfo(c.Nodes[0].Addr, "CLUSTER", "INFO")
	if err != nil || !strings.Contains(info, "cluster_slots_assigned:16384") || !strings.Contains(info, "cluster_state:ok") {
		t.Fatalf("cluster info: %v\n%s", err, info)
	}
}
