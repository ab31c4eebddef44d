package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ClusterOptions for StartRedisCluster.
type ClusterOptions struct {
	Dir string // each node's data directory is a folder in it; required
	// Masters: default 3. redis-cli refuses to create fewer than 3; one or
	// two (without replicas) are assigned their slots by hand, so that
	// the scale-out from one shard can be measured.
	Masters  int
	Replicas int // replicas per master; default 0
	// AOF turns the append-only file on for every node (appendfsync
	// everysec), so a node, or the whole cluster, can restart with its data.
	AOF bool
	// NodeTimeout is cluster-node-timeout: how long a master is unreachable
	// before its replica takes over. Default 2s.
	NodeTimeout time.Duration
	// Host is the address every node binds and announces; default
	// 127.0.0.1. (The multi-host test gives each node the address of its
	// network namespace and starts the nodes itself through Wrap.)
	Host string
	// Wrap, when set, turns each node's command line into the one to run
	// (for example under `ip netns exec`); node is its index.
	Wrap    func(node int, path string, args []string) (string, []string)
	Hosts   []string      // per node address (overrides Host), for Wrap
	LogDir  string        // when set, each node logs to LogDir/redis-<port>.log
	Timeout time.Duration // bounds the whole start; default 60s
}

// RedisCluster is a Redis Cluster of redis-server processes of the caller's
// own, created with `redis-cli --cluster create`.
type RedisCluster struct {
	Nodes    []*Redis // masters first, then replicas (as created; failovers swap roles)
	opts     ClusterOptions
	replicas int
}

// maxClusterPort is the highest port a cluster node may use: its cluster
// bus listens on port+10000, which must be a valid port too.
const maxClusterPort = 65535 - 10000

// FreeClusterPort returns a free port whose cluster bus port (+10000) is
// free too.
func FreeClusterPort() (int, error) {
	for range 200 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		p := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if p > maxClusterPort {
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+10000))
		if err != nil {
			continue
		}
		bus.Close()
		return p, nil
	}
	return 0, errors.New("testenv: no free port with a free cluster bus port")
}

// StartRedisCluster starts Masters×(1+Replicas) redis-server nodes in
// cluster mode, creates the cluster and waits until every node reports
// cluster_state:ok.
func StartRedisCluster(ctx context.Context, o ClusterOptions) (*RedisCluster, error) {
	if o.Dir == "" {
		return nil, errors.New("testenv: StartRedisCluster needs a directory")
	}
	if o.Masters == 0 {
		o.Masters = 3
	}
	if o.NodeTimeout == 0 {
		o.NodeTimeout = 2 * time.Second
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Timeout == 0 {
		o.Timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server is not installed (scripts/setup installs Debian's redis-server): %w", err)
	}
	c := &RedisCluster{opts: o, replicas: o.Replicas}
	n := o.Masters * (1 + o.Replicas)
	for i := range n {
		host := o.Host
		if i < len(o.Hosts) {
			host = o.Hosts[i]
		}
		port, err := FreeClusterPort()
		if err != nil {
			c.Kill()
			return nil, err
		}
		dir := filepath.Join(o.Dir, "node"+strconv.Itoa(port))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			c.Kill()
			return nil, err
		}
		args := []string{"--port", strconv.Itoa(port), "--bind", host, "--dir", dir, "--save", "", "--daemonize", "no",
			"--loglevel", "warning", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-node-timeout", strconv.Itoa(int(o.NodeTimeout / time.Millisecond)),
			"--cluster-announce-ip", host, "--protected-mode", "no",
			// A replica takes over however long it was cut off: the tests
			// cut links and kill masters on purpose.
			"--cluster-replica-validity-factor", "0"}
		if o.AOF {
			args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
		} else {
			args = append(args, "--appendonly", "no")
		}
		prog, pargs := path, args
		if o.Wrap != nil {
			prog, pargs = o.Wrap(i, path, args)
		}
		r := &Redis{Addr: net.JoinHostPort(host, strconv.Itoa(port)), ready: 10 * time.Second,
			Proc: &Proc{Name: "redis-" + strconv.Itoa(port), Path: prog, Args: pargs}}
		if o.LogDir != "" {
			r.LogPath = filepath.Join(o.LogDir, "redis-"+strconv.Itoa(port)+".log")
		}
		if err := r.Restart(ctx); err != nil {
			c.Kill()
			return nil, err
		}
		c.Nodes = append(c.Nodes, r)
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		c.Kill()
		return nil, fmt.Errorf("redis-cli is not installed: %w", err)
	}
	if o.Masters < 3 {
		if err := c.createSmall(ctx); err != nil {
			c.Kill()
			return nil, err
		}
		return c, nil
	}
	args := []string{"--cluster", "create"}
	for _, r := range c.Nodes {
		args = append(args, r.Addr)
	}
	args = append(args, "--cluster-replicas", strconv.Itoa(o.Replicas), "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		c.Kill()
		return nil, fmt.Errorf("redis-cli --cluster create: %w\n%s", err, out)
	}
	if err := c.WaitOK(ctx); err != nil {
		c.Kill()
		return nil, err
	}
	if err := c.WaitReplicated(ctx); err != nil {
		c.Kill()
		return nil, err
	}
	return c, nil
}

// createSmall makes a cluster of one or two masters, which redis-cli
// --cluster create refuses: each gets an even share of the slots, and they
// meet.
func (c *RedisCluster) createSmall(ctx context.Context) error {
	if c.replicas > 0 {
		return errors.New("testenv: a cluster of fewer than 3 masters is made without replicas")
	}
	n := len(c.Nodes)
	for i, r := range c.Nodes {
		lo, hi := i*16384/n, (i+1)*16384/n-1
		if _, err := RedisInfo(r.Addr, "CLUSTER", "ADDSLOTSRANGE", strconv.Itoa(lo), strconv.Itoa(hi)); err != nil {
			return err
		}
		if i > 0 {
			if _, err := RedisInfo(r.Addr, "CLUSTER", "MEET", hostOf(c.Nodes[0].Addr), portOf(c.Nodes[0].Addr)); err != nil {
				return err
			}
		}
	}
	return c.WaitOK(ctx)
}

// WaitReplicated waits until every running replica's link to its master is
// up and synchronized: until then a master's writes are on no replica
// (WAIT answers 0) and a failover would lose everything.
func (c *RedisCluster) WaitReplicated(ctx context.Context) error {
	for {
		var last error
		for _, r := range c.Nodes {
			if !r.Running() {
				continue
			}
			info, err := RedisInfo(r.Addr, "INFO", "replication")
			switch {
			case err != nil:
				last = err
			case strings.Contains(info, "role:slave") && (!strings.Contains(info, "master_link_status:up") || strings.Contains(info, "master_sync_in_progress:1")):
				last = fmt.Errorf("replica %s is not in sync with its master", r.Addr)
			}
		}
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return last
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Addrs are the nodes' addresses.
func (c *RedisCluster) Addrs() []string {
	a := make([]string, len(c.Nodes))
	for i, r := range c.Nodes {
		a[i] = r.Addr
	}
	return a
}

// URL is REDIS_URL for the cluster: every node, comma-separated (a client
// needs only one to discover the rest).
func (c *RedisCluster) URL() string {
	u := make([]string, len(c.Nodes))
	for i, r := range c.Nodes {
		u[i] = "redis://" + r.Addr
	}
	return strings.Join(u, ",")
}

// Kill kills every node.
func (c *RedisCluster) Kill() {
	for _, r := range c.Nodes {
		r.Kill()
	}
}

// WaitOK waits until every running node reports cluster_state:ok and
// agrees on who serves every slot.
func (c *RedisCluster) WaitOK(ctx context.Context) error {
	var last error
	for {
		last = c.checkOK()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("redis cluster not ok: %w", last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (c *RedisCluster) checkOK() error {
	var first string
	for _, r := range c.Nodes {
		if !r.Running() {
			continue
		}
		info, err := RedisInfo(r.Addr, "CLUSTER", "INFO")
		if err != nil {
			return fmt.Errorf("%s: %w", r.Addr, err)
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return fmt.Errorf("%s: cluster_state is not ok", r.Addr)
		}
		masters, err := c.MasterAddrsFrom(r.Addr)
		if err != nil {
			return err
		}
		if first == "" {
			first = strings.Join(masters, " ")
		} else if strings.Join(masters, " ") != first {
			return fmt.Errorf("%s sees masters %v, another node %s", r.Addr, masters, first)
		}
	}
	return nil
}

// MasterAddrsFrom is the masters serving slots as node addr sees them,
// sorted by their first slot.
func (c *RedisCluster) MasterAddrsFrom(addr string) ([]string, error) {
	nodes, err := RedisInfo(addr, "CLUSTER", "NODES")
	if err != nil {
		return nil, err
	}
	type m struct {
		addr  string
		first int
	}
	var ms []m
	for _, line := range strings.Split(strings.TrimSpace(nodes), "\n") {
		f := strings.Fields(line)
		if len(f) < 9 || !strings.Contains(f[2], "master") || strings.Contains(f[2], "fail") {
			continue
		}
		first, _ := strconv.Atoi(strings.SplitN(f[8], "-", 2)[0])
		a, _, _ := strings.Cut(f[1], "@")
		ms = append(ms, m{a, first})
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].first < ms[j-1].first; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	out := make([]string, len(ms))
	for i, x := range ms {
		out[i] = x.addr
	}
	return out, nil
}

// Node returns the node listening on addr (nil if none).
func (c *RedisCluster) Node(addr string) *Redis {
	for _, r := range c.Nodes {
		if r.Addr == addr {
			return r
		}
	}
	return nil
}

// Masters are the running nodes that serve slots now, from the first
// running node's view.
func (c *RedisCluster) Masters() ([]string, error) {
	for _, r := range c.Nodes {
		if r.Running() {
			return c.MasterAddrsFrom(r.Addr)
		}
	}
	return nil, errors.New("no node is running")
}

// RedisInfo sends one command to addr and returns its bulk string reply
// (CLUSTER INFO, CLUSTER NODES, INFO ...).
func RedisInfo(addr string, args ...string) (string, error) {
	out, err := exec.Command("redis-cli", append([]string{"-h", hostOf(addr), "-p", portOf(addr)}, args...)...).Output()
	if err != nil {
		return "", fmt.Errorf("redis-cli %s on %s: %w", strings.Join(args, " "), addr, err)
	}
	s := string(out)
	if strings.HasPrefix(s, "ERR") || strings.HasPrefix(s, "(error)") {
		return "", fmt.Errorf("redis-cli %s on %s: %s", strings.Join(args, " "), addr, strings.TrimSpace(s))
	}
	return s, nil
}

func hostOf(addr string) string { h, _, _ := net.SplitHostPort(addr); return h }
func portOf(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// Reshard moves n slots from the master at from to the master at to with
// `redis-cli --cluster reshard`, the way an operator would, and returns
// its output.
func (c *RedisCluster) Reshard(ctx context.Context, from, to string, n int) (string, error) {
	fromID, err := nodeID(from)
	if err != nil {
		return "", err
	}
	toID, err := nodeID(to)
	if err != nil {
		return "", err
	}
	out, err := exec.CommandContext(ctx, "redis-cli", "--cluster", "reshard", from,
		"--cluster-from", fromID, "--cluster-to", toID, "--cluster-slots", strconv.Itoa(n),
		"--cluster-yes", "--cluster-pipeline", "10").CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("redis-cli --cluster reshard: %w\n%s", err, Tail(string(out), 20))
	}
	return string(out), nil
}

func nodeID(addr string) (string, error) {
	id, err := RedisInfo(addr, "CLUSTER", "MYID")
	return strings.TrimSpace(id), err
}
