package redis

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Redis Cluster mode, discovered: REDIS_URL names one or more nodes
// (comma-separated redis:// URLs); the first that answers says whether it
// is a cluster (INFO cluster: cluster_enabled:1). A cluster gets a
// go-redis ClusterClient, which learns the other nodes from any one of
// them; one Redis gets a plain Client, exactly as before.
//
// What changes in a cluster:
//
//   - A board's keys and its channel share the hash tag {R}, so they live
//     in one slot of one shard, and submit.lua publishes with SPUBLISH
//     (sharded pub/sub) from inside the script: the channel's slot is the
//     keys' slot. (Plain PUBLISH in a cluster is broadcast to every node.)
//   - The subscriber holds one connection per master, not per board
//     (shard.go), and moves boards between connections when slots move.
//   - The submitter groups each pipeline by master (pipe.go) and retries
//     the batches a resharding redirected (MOVED, ASK, TRYAGAIN).
//
// Every other call (Open, Since, history, pictures) is one script on one
// slot, which the ClusterClient routes and redirects by itself.

// dialTimeouts are short and nothing is retried behind the caller: rooms
// retry by themselves and must notice an outage quickly to tell their
// clients drawing paused.
func dialTimeouts(o *goredis.Options) {
	o.DialTimeout = time.Second
	o.ReadTimeout = 2 * time.Second
	o.WriteTimeout = 2 * time.Second
	o.MaxRetries = 0
	o.DialerRetries = 1
	o.ContextTimeoutEnabled = true
}

// clients are the go-redis clients of one log: rdb for every call, and
// exactly one of single (one Redis) and cluster.
type clients struct {
	rdb     goredis.UniversalClient
	single  *goredis.Client
	cluster *goredis.ClusterClient
	node    goredis.Options // a node's options, for the subscriber's own clients
}

// dial parses REDIS_URL and connects to one Redis or to a cluster. It does
// not fail when Redis is down: one URL is then taken for one Redis, several
// for a cluster.
func dial(urls string) (*clients, error) {
	var opts []*goredis.Options
	for _, u := range strings.Split(urls, ",") {
		if u = strings.TrimSpace(u); u == "" {
			continue
		}
		o, err := goredis.ParseURL(u)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		dialTimeouts(o)
		opts = append(opts, o)
	}
	if len(opts) == 0 {
		return nil, fmt.Errorf("REDIS_URL: no redis:// URL in %q", urls)
	}
	isCluster, known := false, false
	for _, o := range opts {
		if c, ok := probeCluster(o); ok {
			isCluster, known = c, true
			break
		}
	}
	if !known {
		isCluster = len(opts) > 1
	}
	if !isCluster {
		if len(opts) > 1 {
			return nil, fmt.Errorf("REDIS_URL names %d servers but %s is not a Redis Cluster (cluster_enabled:0): name one", len(opts), opts[0].Addr)
		}
		c := goredis.NewClient(opts[0])
		return &clients{rdb: c, single: c, node: *opts[0]}, nil
	}
	o := opts[0]
	if o.DB != 0 {
		return nil, fmt.Errorf("REDIS_URL: a Redis Cluster has only database 0, not %d", o.DB)
	}
	co := &goredis.ClusterOptions{
		Username: o.Username, Password: o.Password, TLSConfig: o.TLSConfig,
		DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout,
		MaxRetries: 0, DialerRetries: o.DialerRetries, ContextTimeoutEnabled: true,
		// Redirects are not retries: a resharding answers MOVED or ASK
		// and the command runs where the slot is now.
		MaxRedirects: 4,
	}
	for _, x := range opts {
		co.Addrs = append(co.Addrs, x.Addr)
	}
	c := goredis.NewClusterClient(co)
	return &clients{rdb: c, cluster: c, node: *o}, nil
}

// probeCluster asks the server at o whether it is a cluster node; ok is
// false when it did not answer.
func probeCluster(o *goredis.Options) (cluster, ok bool) {
	c := goredis.NewClient(o)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	info, err := c.Info(ctx, "cluster").Result()
	if err != nil {
		return false, false
	}
	return strings.Contains(info, "cluster_enabled:1"), true
}

// Clustered reports whether the log runs on a Redis Cluster.
func (l *Log) Clustered() bool { return l.cl.cluster != nil }

// slotOf is the cluster slot of key: CRC16 (XMODEM) of its hash tag (the
// part between the first { and the next }, when not empty) mod 16384.
func slotOf(key string) int {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			key = key[i+1 : i+1+j]
		}
	}
	var crc uint16
	for k := 0; k < len(key); k++ {
		crc ^= uint16(key[k]) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return int(crc) % 16384
}

// slotMap is who serves each slot: a master's address, "" when none.
type slotMap [16384]string

// loadSlots asks the cluster (any node that answers) who serves which
// slot: the master of each shard that is online (during a failover a
// shard may have none for a moment).
func (l *Log) loadSlots(ctx context.Context) (*slotMap, error) {
	shards, err := l.cl.cluster.ClusterShards(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("cluster shards: %w", err)
	}
	m := new(slotMap)
	for _, sh := range shards {
		addr := ""
		for _, n := range sh.Nodes {
			if n.Role == "master" && n.Health == "online" {
				host := n.IP
				if host == "" || host == "?" {
					host = n.Endpoint
				}
				addr = net.JoinHostPort(host, strconv.FormatInt(n.Port, 10))
			}
		}
		for _, r := range sh.Slots {
			for s := max(r.Start, 0); s <= r.End && s < int64(len(m)); s++ {
				m[s] = addr
			}
		}
	}
	return m, nil
}

// isRedirect reports whether err says the command did not run because its
// slot is elsewhere or moving (a resharding, a failover): it can be sent
// again once the client knows where the slot is.
func isRedirect(err error) bool {
	if err == nil {
		return false
	}
	for _, p := range []string{"MOVED ", "ASK ", "TRYAGAIN", "CLUSTERDOWN"} {
		if goredis.HasErrorPrefix(err, strings.TrimSpace(p)) {
			return true
		}
	}
	return false
}
