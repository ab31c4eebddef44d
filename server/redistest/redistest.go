// Package redistest gives tests a real Redis: the machine's server at
// 127.0.0.1:6379 when one answers there, or else a redis-server of the test's
// own on a free port. Tests that restart, kill or flush Redis start their own
// with Start, so they never disturb anything else.
//
// redis-server must be installed (scripts/setup installs Debian's package).
// Nothing here is a mock: every test talks to a real server over a socket.
package redistest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
)

// Shared returns the URL of a Redis the test may use but must not flush or
// stop: 127.0.0.1:6379 if it answers PING, else one started once for this
// test binary. Keys should be unique to the test (random room names are).
func Shared(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() {
		if testenv.RedisPing("127.0.0.1:6379") == nil {
			sharedURL = "redis://127.0.0.1:6379/0"
			return
		}
		dir, err := os.MkdirTemp("", "redistest-shared-")
		if err != nil {
			sharedErr = err
			return
		}
		// The process lives as long as the test binary, which its
		// parent-death signal ties it to.
		r, err := testenv.StartRedis(context.Background(), testenv.RedisOptions{Dir: dir})
		if sharedErr = err; err == nil {
			sharedURL = r.URL()
		}
	})
	if sharedErr != nil {
		t.Fatalf("redistest: no Redis at 127.0.0.1:6379 and could not start one: %v", sharedErr)
	}
	return sharedURL
}

var (
	sharedOnce sync.Once
	sharedURL  string
	sharedErr  error
)

// Options for Start.
type Options struct {
	// AOF turns on the append-only file with appendfsync everysec, as the
	// docker-compose Redis runs.
	AOF bool
}

// Server is a redis-server process of the test's own.
type Server struct {
	Addr  string // 127.0.0.1:port
	dir   string
	redis *testenv.Redis
}

// Start starts a redis-server on a free port with its data in a temporary
// directory; it is killed when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	dir := t.TempDir()
	r, err := testenv.StartRedis(context.Background(), testenv.RedisOptions{Dir: dir, AOF: o.AOF})
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	s := &Server{Addr: r.Addr, dir: dir, redis: r}
	t.Cleanup(s.Kill)
	return s
}

// URL is the go-redis URL of the server.
func (s *Server) URL() string { return s.redis.URL() }

// stopGrace bounds Stop's wait: far longer than redis-server needs to
// write its append-only file and exit.
const stopGrace = time.Minute

// Stop shuts the server down the way an operator would (SIGTERM: it writes
// and fsyncs its append-only file, then exits) and waits for it.
func (s *Server) Stop() { s.redis.Stop(syscall.SIGTERM, stopGrace) }

// Kill kills the server with SIGKILL and waits for it.
func (s *Server) Kill() { s.redis.Kill() }

// Restart starts the server again on the same port and directory (with
// AOF on, it loads its append-only file).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.redis.Restart(context.Background()); err != nil {
		t.Fatalf("redistest: restart: %v", err)
	}
}

// Do sends one command (inline form) and returns the first reply line.
func (s *Server) Do(t testing.TB, args ...string) string {
	t.Helper()
	reply, err := testenv.RedisDo(s.Addr, args...)
	if err != nil {
		t.Fatalf("redistest: %s: %v", strings.Join(args, " "), err)
	}
	return reply
}

// Dir is the server's data directory (its append-only file lives there).
func (s *Server) Dir() string { return filepath.Clean(s.dir) }

// ClusterOptions for StartCluster.
type ClusterOptions struct {
	Masters  int  // default 3
	Replicas int  // per master; default 0
	AOF      bool // append-only file on every node
}

// Cluster is a Redis Cluster of the test's own (testenv.StartRedisCluster),
// killed when the test ends.
type Cluster struct {
	*testenv.RedisCluster
}

// StartCluster starts a Redis Cluster of redis-server processes on free
// ports, with their data in a temporary directory, and waits until every
// slot is served.
func StartCluster(t testing.TB, o ClusterOptions) *Cluster {
	t.Helper()
	c, err := testenv.StartRedisCluster(context.Background(), testenv.ClusterOptions{
		Dir: t.TempDir(), Masters: o.Masters, Replicas: o.Replicas, AOF: o.AOF})
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(c.Kill)
	return &Cluster{c}
}
