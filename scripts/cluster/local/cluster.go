// Package local runs Sketchpad's scaled-out topology, the one
// docker-compose.yml describes, as local processes: a redis-server with its
// append-only file on, N replicas of the sketchpad binary in Redis mode, and
// nginx in front of them with the compose load balancer's very configuration
// (scripts/cluster/nginx/sketchpad.conf.template) rendered for local
// addresses. `go run ./scripts/cluster` uses it for people without a
// container engine, and tests use it to kill and restart real replicas.
//
// How it mirrors compose: in compose, nginx asks Docker's DNS (127.0.0.11)
// for the name "sketchpad" at run time and gets every live replica's
// address, all on port 8080. Here each replica listens on its own loopback
// address (127.0.77.1, 127.0.77.2, ...; Linux routes all of 127/8 to lo) on
// one shared port, and a small DNS server of the cluster's own answers
// "sketchpad" with the replicas that are up. A killed replica leaves the
// answers, a restarted one comes back, as containers do.
//
// Everything listens on loopback only; files live in one directory (a
// temporary one unless Options.Dir is set): the binary, redis' data, each
// process' log, nginx's rendered configuration.
package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
)

// ServiceName is the name the replicas answer to, as the compose service.
const ServiceName = "sketchpad"

// Options for Start. The zero value starts the default cluster.
type Options struct {
	Replicas int    // replicas to run; default 3
	Port     int    // port of the load balancer on 127.0.0.1; 0 picks a free one
	Dir      string // working directory, kept; "" is a temporary one removed by Close
	RedisURL string // use this Redis; "" starts a redis-server of the cluster's own
	// ArchiveURL is the PostgreSQL the replicas archive cold boards to
	// (--archive-url); "" starts a PostgreSQL of the cluster's own, as
	// docker-compose.yml runs one, unless NoArchive.
	ArchiveURL string
	NoArchive  bool // run without an archive: Redis keeps every board
	// RedisCluster, when above 0, starts a Redis Cluster of that many
	// masters with one replica each instead of one redis-server.
	RedisCluster int
	Binary       string // sketchpad binary to run; "" builds ./server/cmd/sketchpad
	// ReplicaArgs are extra flags for every replica (e.g. --room-idle 5s).
	ReplicaArgs []string
	// Echo, when set, also gets every process' output, each line prefixed
	// with the process' name. Logs are always written to files in Dir.
	Echo io.Writer
	// Logf reports progress ("building", "starting nginx", ...).
	Logf func(format string, args ...any)
	// InstallNginx installs Debian's nginx package when nginx is missing.
	InstallNginx bool
	// ReadyTimeout bounds the wait for each process to answer; default 60s.
	ReadyTimeout time.Duration
}

// Cluster is a running local cluster. Close stops it.
type Cluster struct {
	URL        string // the load balancer: http://127.0.0.1:port
	RedisURL   string
	ArchiveURL string // "" without an archive
	Dir        string
	Replicas   []*Replica
	// NginxConf is the main nginx configuration, which includes the
	// rendered template (sketchpad.conf beside it).
	NginxConf string

	opts    Options
	tempDir bool
	redis   *testenv.Redis
	pg      *testenv.Postgres
	redisCl *testenv.RedisCluster
	nginx   *testenv.Proc
	dns     *dnsServer
	close   sync.Once
}

// Replica is one sketchpad process.
type Replica struct {
	Index int    // 0-based
	Addr  string // 127.0.77.N:port
	URL   string // http://Addr
	ip    netip.Addr
	proc  *testenv.Proc
}

// Start builds and starts the cluster and waits until every replica is
// ready and the load balancer answers. On error it stops what it started.
func Start(ctx context.Context, o Options) (c *Cluster, err error) {
	if o.Replicas == 0 {
		o.Replicas = 3
	}
	if o.Replicas < 1 || o.Replicas > 250 {
		return nil, fmt.Errorf("cluster: %d replicas: want 1 to 250", o.Replicas)
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 60 * time.Second
	}
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	tmpl, err := LoadTemplate(root)
	if err != nil {
		return nil, err
	}
	var nginxPath string
	if o.InstallNginx {
		nginxPath, err = EnsureNginx(ctx, o.Logf)
	} else {
		nginxPath, err = FindNginx()
	}
	if err != nil {
		return nil, err
	}

	if o.Port != 0 {
		// Fail before building anything when the load balancer's port is taken.
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", o.Port))
		if err != nil {
			return nil, fmt.Errorf("cluster: port %d is not free for the load balancer (choose another): %w", o.Port, err)
		}
		ln.Close()
	}

	c = &Cluster{opts: o, Dir: o.Dir}
	if c.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "sketchpad-cluster-"); err != nil {
			return nil, err
		}
		c.tempDir = true
	} else if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = fmt.Errorf("%w%s", err, c.logTails(15))
			c.Close()
			c = nil
		}
	}()

	bin := o.Binary
	if bin == "" {
		o.Logf("building ./server/cmd/sketchpad")
		if bin, err = Build(ctx, root, c.Dir); err != nil {
			return c, err
		}
	}

	c.RedisURL = o.RedisURL
	switch {
	case c.RedisURL != "":
	case o.RedisCluster > 0:
		if err = c.startRedisCluster(ctx); err != nil {
			return c, err
		}
	default:
		if err = c.startRedis(ctx); err != nil {
			return c, err
		}
	}

	c.ArchiveURL = o.ArchiveURL
	if c.ArchiveURL == "" && !o.NoArchive {
		if err = c.startPostgres(ctx); err != nil {
			return c, err
		}
	}

	if c.dns, err = startDNS(ServiceName); err != nil {
		return c, fmt.Errorf("cluster: DNS: %w", err)
	}
	ips := make([]netip.Addr, o.Replicas)
	for i := range ips {
		ips[i] = replicaIP(i)
	}
	port, err := sharedFreePort(ips)
	if err != nil {
		return c, err
	}
	for i, ip := range ips {
		addr := net.JoinHostPort(ip.String(), strconv.Itoa(port))
		dataDir := filepath.Join(c.Dir, fmt.Sprintf("replica-%d", i+1))
		// nginx on loopback is the one proxy: believe its X-Forwarded-For,
		// so per-address limits see the real clients.
		args := []string{"--addr", addr, "--redis-url", c.RedisURL, "--data", dataDir, "--trusted-proxies", "127.0.0.0/8"}
		if c.ArchiveURL != "" {
			args = append(args, "--archive-url", c.ArchiveURL)
		}
		args = append(args, o.ReplicaArgs...)
		c.Replicas = append(c.Replicas, &Replica{Index: i, Addr: addr, URL: "http://" + addr, ip: ip,
			proc: &testenv.Proc{Name: fmt.Sprintf("replica-%d", i+1), Path: bin, Args: args,
				LogPath: filepath.Join(c.Dir, fmt.Sprintf("replica-%d.log", i+1)), Echo: o.Echo}})
	}
	o.Logf("starting %d replicas on %s (port %d)", o.Replicas, ipRange(ips), port)
	errs := make(chan error, len(c.Replicas))
	for i := range c.Replicas {
		go func() { errs <- c.Restart(ctx, i) }()
	}
	for range c.Replicas {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return c, err
	}

	lbPort := o.Port
	if lbPort == 0 {
		if lbPort, err = testenv.FreePort(); err != nil {
			return c, err
		}
	}
	c.URL = fmt.Sprintf("http://127.0.0.1:%d", lbPort)
	ndir := filepath.Join(c.Dir, "nginx")
	c.NginxConf, err = WriteConfig(ndir, tmpl, map[string]string{
		VarListen:   fmt.Sprintf("127.0.0.1:%d", lbPort),
		VarResolver: c.dns.Addr(),
		VarBackend:  fmt.Sprintf("%s:%d", ServiceName, port),
	})
	if err != nil {
		return c, err
	}
	if err = TestConfig(ctx, nginxPath, c.NginxConf); err != nil {
		return c, fmt.Errorf("cluster: the rendered nginx configuration does not pass nginx -t: %w", err)
	}
	o.Logf("starting nginx on %s", c.URL)
	c.nginx = &testenv.Proc{Name: "nginx", Path: nginxPath, Args: NginxArgs(c.NginxConf),
		LogPath: filepath.Join(ndir, "stderr.log"), Echo: o.Echo}
	if err = c.nginx.Start(); err != nil {
		return c, err
	}
	if err = testenv.WaitHTTP(ctx, c.URL+"/lb-healthz", c.nginx, o.ReadyTimeout); err != nil {
		return c, fmt.Errorf("cluster: nginx: %w", err)
	}
	if err = testenv.WaitHTTP(ctx, c.URL+"/readyz", c.nginx, o.ReadyTimeout); err != nil {
		return c, fmt.Errorf("cluster: replicas through nginx: %w", err)
	}
	return c, nil
}

// WSURL is the board WebSocket URL of room through the load balancer.
func (c *Cluster) WSURL(room string) string {
	return "ws" + strings.TrimPrefix(c.URL, "http") + "/ws/" + room
}

// WSURL is the board WebSocket URL of room on this replica alone.
func (r *Replica) WSURL(room string) string { return "ws://" + r.Addr + "/ws/" + room }

// Running reports whether the replica's process is up.
func (r *Replica) Running() bool { return r.proc.Running() }

// Kill kills replica i with SIGKILL, as a crash would, and takes it out of
// the load balancer's DNS answers (as Docker does for a dead container).
func (c *Cluster) Kill(i int) {
	r := c.Replicas[i]
	r.proc.Kill()
	c.dns.set(r.ip, false)
}

// Stop stops replica i with SIGTERM (graceful shutdown) and takes it out of
// the load balancer's DNS answers.
func (c *Cluster) Stop(i int) {
	r := c.Replicas[i]
	c.dns.set(r.ip, false)
	r.proc.Stop(syscall.SIGTERM, 20*time.Second)
}

// Restart starts replica i again (same address, same flags), waits until
// its /readyz answers, and puts it back into the DNS answers.
func (c *Cluster) Restart(ctx context.Context, i int) error {
	r := c.Replicas[i]
	if err := r.proc.Start(); err != nil {
		return err
	}
	if err := testenv.WaitHTTP(ctx, r.URL+"/readyz", r.proc, c.opts.ReadyTimeout); err != nil {
		return fmt.Errorf("cluster: %s: %w", r.proc.Name, err)
	}
	c.dns.set(r.ip, true)
	return nil
}

// Close stops everything, in order: nginx, the replicas (gracefully, in
// parallel), Redis (SIGTERM: it writes its append-only file); then removes
// the directory if it was a temporary one. Safe to call more than once.
func (c *Cluster) Close() {
	c.close.Do(func() {
		if c.nginx != nil {
			c.nginx.Stop(syscall.SIGTERM, 5*time.Second)
		}
		var wg sync.WaitGroup
		for _, r := range c.Replicas {
			wg.Go(func() { r.proc.Stop(syscall.SIGTERM, 20*time.Second) })
		}
		wg.Wait()
		if c.redis != nil {
			c.redis.Stop(syscall.SIGTERM, 10*time.Second)
		}
		if c.pg != nil {
			c.pg.Stop(10 * time.Second)
		}
		if c.redisCl != nil {
			for _, n := range c.redisCl.Nodes {
				wg.Go(func() { n.Stop(syscall.SIGTERM, 10*time.Second) })
			}
			wg.Wait()
		}
		if c.dns != nil {
			c.dns.close()
		}
		if c.tempDir {
			_ = os.RemoveAll(c.Dir)
		}
	})
}

// LogTail returns the last n lines of each process' log, for test failures.
func (c *Cluster) LogTail(n int) string { return c.logTails(n) }

func (c *Cluster) logTails(n int) string {
	var b strings.Builder
	var procs []*testenv.Proc
	if c.pg != nil {
		procs = append(procs, c.pg.Proc)
	}
	if c.redis != nil {
		procs = append(procs, c.redis.Proc)
	}
	if c.redisCl != nil {
		for _, n := range c.redisCl.Nodes {
			procs = append(procs, n.Proc)
		}
	}
	for _, r := range c.Replicas {
		procs = append(procs, r.proc)
	}
	if c.nginx != nil {
		procs = append(procs, c.nginx)
	}
	for _, p := range procs {
		if t := p.LogTail(n); t != "" {
			fmt.Fprintf(&b, "\n--- %s (%s)\n%s", p.Name, p.LogPath, t)
		}
	}
	if c.nginx != nil {
		if t := testenv.TailFile(filepath.Join(filepath.Dir(c.NginxConf), "error.log"), n); t != "" {
			fmt.Fprintf(&b, "\n--- nginx error.log\n%s", t)
		}
	}
	return b.String()
}

// Metric reads one unlabeled series (e.g. "sketchpad_connections") from the
// replica's /metrics.
func (r *Replica) Metric(ctx context.Context, name string) (float64, error) {
	return testenv.Metric(ctx, r.URL, name)
}

// Build compiles ./server/cmd/sketchpad into dir as the Dockerfile does
// (static, -trimpath) and returns its path.
func Build(ctx context.Context, root, dir string) (string, error) {
	out := filepath.Join(dir, "sketchpad")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, "./server/cmd/sketchpad")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./server/cmd/sketchpad: %v\n%s", err, b)
	}
	return out, nil
}

// BuildHere builds the sketchpad module the working directory is in
// (ModuleRoot) into dir (Build): what the tests that start the real binary
// run first.
func BuildHere(ctx context.Context, dir string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	return Build(ctx, root, dir)
}

// ModuleRoot is the directory of the sketchpad module's go.mod, found from
// the working directory.
func ModuleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("cluster: run this inside the sketchpad module (no go.mod found)")
	}
	return filepath.Dir(gomod), nil
}

func (c *Cluster) startRedis(ctx context.Context) error {
	dataDir := filepath.Join(c.Dir, "redis")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		return err
	}
	c.RedisURL = "redis://" + addr + "/0"
	c.opts.Logf("starting redis-server on %s (append-only file in %s)", addr, dataDir)
	// As docker-compose.yml runs it: AOF with fsync every second, no
	// eviction; no RDB snapshots.
	c.redis, err = testenv.StartRedis(ctx, testenv.RedisOptions{Dir: dataDir, Addr: addr, AOF: true,
		Args:    []string{"--maxmemory-policy", "noeviction"},
		LogPath: filepath.Join(c.Dir, "redis.log"), Echo: c.opts.Echo, ReadyTimeout: c.opts.ReadyTimeout})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// startPostgres starts the cluster's PostgreSQL, as docker-compose.yml
// runs one for the archive: Debian's postgresql package (its server run
// as the postgres user when this runs as root), data in Dir/postgres.
func (c *Cluster) startPostgres(ctx context.Context) error {
	if _, err := testenv.PostgresBin(); err != nil {
		return fmt.Errorf("cluster: %w (or pass -no-archive)", err)
	}
	if os.Geteuid() == 0 {
		// The server runs as the postgres user: it must reach its data.
		if err := os.Chmod(c.Dir, 0o755); err != nil {
			return err
		}
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		return err
	}
	dataDir := filepath.Join(c.Dir, "postgres")
	c.opts.Logf("starting PostgreSQL on %s (data in %s)", addr, dataDir)
	c.pg, err = testenv.StartPostgres(ctx, testenv.PostgresOptions{Dir: dataDir, Addr: addr,
		LogPath: filepath.Join(c.Dir, "postgres.log"), Echo: c.opts.Echo, ReadyTimeout: c.opts.ReadyTimeout})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	if err := c.pg.CreateDB(ctx, "sketchpad"); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	c.ArchiveURL = c.pg.URL("sketchpad")
	return nil
}

// startRedisCluster starts a Redis Cluster of o.RedisCluster masters with
// one replica each, append-only files on, as the compose "cluster"
// profile runs it; the replicas are told every node.
func (c *Cluster) startRedisCluster(ctx context.Context) error {
	dataDir := filepath.Join(c.Dir, "redis-cluster")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	replicas := 1
	if c.opts.RedisCluster < 3 {
		replicas = 0 // redis-cli makes clusters of 3 masters or more; smaller ones are for measuring
	}
	c.opts.Logf("starting a Redis Cluster of %d masters with %d replica(s) each (append-only files in %s)", c.opts.RedisCluster, replicas, dataDir)
	var err error
	c.redisCl, err = testenv.StartRedisCluster(ctx, testenv.ClusterOptions{Dir: dataDir, Masters: c.opts.RedisCluster,
		Replicas: replicas, AOF: true, LogDir: c.Dir, Timeout: c.opts.ReadyTimeout + time.Minute})
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	c.RedisURL = c.redisCl.URL()
	return nil
}

// replicaIP is replica i's loopback address: 127.0.77.1, 127.0.77.2, ...
func replicaIP(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{127, 0, 77, byte(i + 1)})
}

func ipRange(ips []netip.Addr) string {
	if len(ips) == 1 {
		return ips[0].String()
	}
	return ips[0].String() + "-" + ips[len(ips)-1].String()
}

// sharedFreePort finds a port free on every one of ips.
func sharedFreePort(ips []netip.Addr) (int, error) {
	for range 50 {
		port, err := testenv.FreePort()
		if err != nil {
			return 0, err
		}
		ok := true
		var lns []net.Listener
		for _, ip := range ips {
			ln, err := net.Listen("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, ln)
		}
		for _, ln := range lns {
			ln.Close()
		}
		if ok {
			return port, nil
		}
	}
	return 0, errors.New("cluster: no port is free on every replica address")
}
