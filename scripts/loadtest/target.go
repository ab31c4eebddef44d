package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
	"github.com/sketchpad/sketchpad/server"
	srvconfig "github.com/sketchpad/sketchpad/server/config"
)

// target is the service under load: where to connect (one base URL per
// replica, ws://host:port) and which processes to watch.
type target struct {
	kind     string   // "sketchpad" or "peer"
	peer     string   // the peer: "socketio" or "centrifuge"
	bases    []string // ws://host:port, one per replica
	servers  []int    // server pids (0: unknown)
	inproc   bool     // the server runs in this process
	redisURL string
	pprof    string // http://addr of a replica's pprof, if on
	desc     string
	closers  []func()
}

func (t *target) close() {
	for i := len(t.closers) - 1; i >= 0; i-- {
		t.closers[i]()
	}
}

// wsURL is the board WebSocket URL of room on replica i (sketchpad).
func (t *target) wsURL(i int, room string) string {
	return t.bases[i%len(t.bases)] + "/ws/" + room
}

// childGrace is how long a child the run started has to exit after
// SIGTERM before its process group is killed.
const childGrace = 15 * time.Second

// readyTimeout bounds the wait for a child to answer HTTP.
const readyTimeout = time.Minute

// stopper is a target closer that stops p (SIGTERM, then SIGKILL after
// childGrace) and waits.
func stopper(p *testenv.Proc) func() {
	return func() { p.Stop(syscall.SIGTERM, childGrace) }
}

// loadRateHTTP is the per-address HTTP budget (--rate-http) of the servers
// the load generator starts: it opens clientsPerIP connections per address
// as fast as it can, which the default budget would spread over seconds,
// and these runs measure the boards, not that budget.
const loadRateHTTP = "100000"

// serverEnv is added to the environment of the servers the load generator
// starts (-server-godebug): the replica and the Centrifuge relay alike, so
// that a runtime setting tried on one is tried on both.
var serverEnv []string

// startReplica builds ./server/cmd/sketchpad and runs one replica in the
// embedded mode over a temporary data directory, with pprof on loopback.
func startReplica(ctx context.Context, args []string, logf func(string, ...any)) (*target, error) {
	dir, err := os.MkdirTemp("", "sketchpad-loadtest-")
	if err != nil {
		return nil, err
	}
	t := &target{kind: "sketchpad", closers: []func(){func() { _ = os.RemoveAll(dir) }}}
	logf("building ./server/cmd/sketchpad")
	bin, err := local.BuildHere(ctx, dir)
	if err != nil {
		t.close()
		return nil, err
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.close()
		return nil, err
	}
	paddr, _ := testenv.FreeAddr()
	full := append([]string{"--addr", addr, "--data", filepath.Join(dir, "data"), "--pprof", paddr, "--rate-http", loadRateHTTP}, args...)
	c := &testenv.Proc{Name: "sketchpad", Path: bin, Args: full, Dir: dir, LogPath: filepath.Join(dir, "sketchpad.log"), Env: serverEnv}
	if err := c.Start(); err != nil {
		t.close()
		return nil, err
	}
	t.closers = append(t.closers, stopper(c))
	if err := testenv.WaitHTTP(ctx, "http://"+addr+"/readyz", c, readyTimeout); err != nil {
		t.close()
		return nil, err
	}
	t.bases = []string{"ws://" + addr}
	t.servers = []int{c.Pid()}
	t.pprof = "http://" + paddr
	t.desc = fmt.Sprintf("1 sketchpad replica, embedded mode (%s, pprof %s)", addr, paddr)
	return t, nil
}

// startInproc runs the server in this process (for tests): CPU and memory
// figures then include the load generator.
func startInproc(dir string, memory bool) (*target, error) {
	cfg := &srvconfig.Config{DataDir: dir, RateHTTP: 1e5}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var app *server.App
	desc := "sketchpad in this process (embedded mode)"
	if memory {
		app = server.NewWithStore(cfg, log, newMemStore())
		desc = "sketchpad in this process over a store that keeps nothing (no disk)"
	} else {
		var err error
		if app, err = server.New(cfg, log); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: app.Handler()}
	go func() { _ = srv.Serve(ln) }()
	t := &target{kind: "sketchpad", bases: []string{"ws://" + ln.Addr().String()}, servers: []int{os.Getpid()},
		inproc: true, desc: desc}
	t.closers = append(t.closers, func() {
		_ = srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return t, nil
}

// startCluster runs Redis and n replicas in Redis mode (and nginx, which the
// load does not use: each client connects to a replica directly, so a
// room's clients can be split across replicas) with scripts/cluster/local.
func startCluster(ctx context.Context, n, redisCluster int, logf func(string, ...any)) (*target, error) {
	c, err := local.Start(ctx, local.Options{Replicas: n, RedisCluster: redisCluster, Logf: logf,
		ReplicaArgs: []string{"--room-idle", "60s", "--pprof", "127.0.0.1:0", "--rate-http", loadRateHTTP}})
	if err != nil {
		return nil, err
	}
	t := &target{kind: "sketchpad", redisURL: c.RedisURL, closers: []func(){c.Close},
		desc: fmt.Sprintf("%d sketchpad replicas in Redis mode + redis-server (scripts/cluster/local)", n)}
	if redisCluster > 0 {
		t.desc = fmt.Sprintf("%d sketchpad replicas in Redis mode + a Redis Cluster of %d masters (scripts/cluster/local)", n, redisCluster)
	}
	var pprofs []string
	for _, r := range c.Replicas {
		t.bases = append(t.bases, "ws://"+r.Addr)
		pid := listenerPID(r.Addr)
		t.servers = append(t.servers, pid)
		for _, a := range listenAddrs(pid) {
			if strings.HasPrefix(a, "127.0.0.1:") {
				pprofs = append(pprofs, "http://"+a)
			}
		}
	}
	if len(pprofs) > 0 {
		t.pprof = pprofs[0]
		t.desc += "; pprof " + strings.Join(pprofs, " ")
	}
	return t, nil
}

// startRedis runs a redis-server of the run's own on a free port, nothing
// kept on disk unless aof (the append-only file, fsync every second).
func startRedis(ctx context.Context, dir string, aof bool) (url string, stop func(), err error) {
	r, err := testenv.StartRedis(ctx, testenv.RedisOptions{Dir: dir, LogPath: filepath.Join(dir, "redis.log"), AOF: aof,
		ReadyTimeout: 5 * time.Second})
	if err != nil {
		return "", nil, err
	}
	return r.URL(), stopper(r.Proc), nil
}

// peerDir is scripts/bench/peer.
func peerDir() (string, error) {
	root, err := local.ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "scripts", "bench", "peer"), nil
}

// peerInstalled reports whether the peer relay's npm packages are there.
func peerInstalled() bool {
	dir, err := peerDir()
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "node_modules", "@socket.io", "redis-adapter"))
	return err == nil
}

// startPeer runs the Socket.IO relay (scripts/bench/peer) as n replicas
// on one redis-server of its own.
func startPeer(ctx context.Context, n int, logf func(string, ...any)) (*target, error) {
	pdir, err := peerDir()
	if err != nil {
		return nil, err
	}
	if !peerInstalled() {
		return nil, fmt.Errorf("the peer relay's npm packages are missing: run scripts/bench/peer/setup.sh")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not installed")
	}
	dir, err := os.MkdirTemp("", "sketchpad-peer-")
	if err != nil {
		return nil, err
	}
	t := &target{kind: "peer", peer: "socketio", closers: []func(){func() { _ = os.RemoveAll(dir) }}}
	rurl, stop, err := startRedis(ctx, dir, false)
	if err != nil {
		t.close()
		return nil, err
	}
	t.closers = append(t.closers, stop)
	t.redisURL = rurl
	logf("starting %d Socket.IO relay replica(s) on redis %s", n, rurl)
	for i := range n {
		addr, err := testenv.FreeAddr()
		if err != nil {
			t.close()
			return nil, err
		}
		host, port, _ := net.SplitHostPort(addr)
		c := &testenv.Proc{Name: fmt.Sprintf("peer-%d", i+1), Path: node, Args: []string{"server.js"}, Dir: pdir,
			Env: []string{"PORT=" + port, "HOST=" + host, "REDIS_URL=" + rurl}, LogPath: filepath.Join(dir, fmt.Sprintf("peer-%d.log", i+1))}
		if err := c.Start(); err != nil {
			t.close()
			return nil, err
		}
		t.closers = append(t.closers, stopper(c))
		if err := testenv.WaitHTTP(ctx, "http://"+addr+"/healthz", c, readyTimeout); err != nil {
			t.close()
			return nil, err
		}
		t.bases = append(t.bases, "ws://"+addr)
		t.servers = append(t.servers, c.Pid())
	}
	cmd := exec.Command(node, "-e", `process.stdout.write(require("socket.io/package.json").version+", redis-adapter "+require("@socket.io/redis-adapter/package.json").version)`)
	cmd.Dir = pdir
	v, _ := cmd.Output()
	t.desc = fmt.Sprintf("%d Socket.IO relay replica(s) (socket.io %s) + redis-server", n, strings.TrimSpace(string(v)))
	return t, nil
}

// externalTarget uses replicas someone else runs: bases are ws:// URLs.
// Their processes are found by their listening sockets when on loopback.
func externalTarget(list, redisURL, kind string) (*target, error) {
	t := &target{kind: kind, redisURL: redisURL, desc: "running service at " + list}
	for _, b := range strings.Split(list, ",") {
		u, err := url.Parse(strings.TrimSpace(b))
		if err != nil || (u.Scheme != "ws" && u.Scheme != "http") {
			return nil, fmt.Errorf("-url %q: want ws://host:port", b)
		}
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("-url %q: load runs only against loopback addresses", b)
		}
		port := u.Port()
		if port == "" {
			port = "80"
		}
		t.bases = append(t.bases, "ws://"+net.JoinHostPort(host, port))
		t.servers = append(t.servers, listenerPID(net.JoinHostPort(host, port)))
	}
	return t, nil
}
