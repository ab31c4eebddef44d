// Package redistest gives tests a real Redis: the machine's server at
// 127.0.0.1:6379 when one answers there, or else a redis-server of the test's
// own on a free port. Tests that restart, kill or flush Redis start their own
// with Start, so they never disturb anything else.
//
// redis-server must be installed (scripts/setup installs Debian's package).
// Nothing here is a mock: every test talks to a real server over a socket.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Shared returns the URL of a Redis the test may use but must not flush or
// stop: 127.0.0.1:6379 if it answers PING, else one started once for this
// test binary. Keys should be unique to the test (random room names are).
func Shared(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() {
		if ping("127.0.0.1:6379") == nil {
			sharedURL = "redis://127.0.0.1:6379/0"
			return
		}
		dir, err := os.MkdirTemp("", "redistest-shared-")
		if err != nil {
			sharedErr = err
			return
		}
		s := &Server{dir: dir, aof: false}
		if sharedErr = s.start(); sharedErr == nil {
			sharedURL = s.URL()
		}
		// The process lives as long as the test binary; redis-server is
		// started with the binary's pid as its parent-death watch below.
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
	Addr string // 127.0.0.1:port
	dir  string
	aof  bool
	mu   sync.Mutex
	cmd  *exec.Cmd
}

// Start starts a redis-server on a free port with its data in a temporary
// directory; it is killed when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{dir: t.TempDir(), aof: o.AOF}
	if err := s.start(); err != nil {
		t.Fatalf("redistest: %v", err)
	}
	t.Cleanup(s.Kill)
	return s
}

// URL is the go-redis URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

func (s *Server) start() error {
	if _, err := exec.LookPath("redis-server"); err != nil {
		return fmt.Errorf("redis-server is not installed (scripts/setup installs it): %w", err)
	}
	if s.Addr == "" {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	}
	_, port, _ := net.SplitHostPort(s.Addr)
	args := []string{"--port", port, "--bind", "127.0.0.1", "--dir", s.dir, "--save", "", "--daemonize", "no", "--loglevel", "warning"}
	if s.aof {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	}
	cmd := exec.Command("redis-server", args...)
	cmd.Stdout, cmd.Stderr = nil, nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ping(s.Addr)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return fmt.Errorf("redis-server on %s did not answer: %v", s.Addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop shuts the server down the way an operator would (SIGTERM: it writes
// and fsyncs its append-only file, then exits) and waits for it.
func (s *Server) Stop() { s.signal(syscall.SIGTERM) }

// Kill kills the server with SIGKILL and waits for it.
func (s *Server) Kill() { s.signal(syscall.SIGKILL) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	_ = cmd.Wait()
}

// Restart starts the server again on the same port and directory (with
// AOF on, it loads its append-only file).
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.start(); err != nil {
		t.Fatalf("redistest: restart: %v", err)
	}
}

// Do sends one command (inline form) and returns the first reply line.
func (s *Server) Do(t testing.TB, args ...string) string {
	t.Helper()
	reply, err := do(s.Addr, args...)
	if err != nil {
		t.Fatalf("redistest: %s: %v", strings.Join(args, " "), err)
	}
	return reply
}

func ping(addr string) error {
	reply, err := do(addr, "PING")
	if err != nil {
		return err
	}
	if reply != "+PONG" {
		return fmt.Errorf("PING answered %q", reply)
	}
	return nil
}

// do speaks just enough RESP to send a command and read a one-line reply.
func do(addr string, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := conn.Write([]byte(b.String())); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(line, "-") {
		return line, fmt.Errorf("redis: %s", line[1:])
	}
	return line, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// Dir is the server's data directory (its append-only file lives there).
func (s *Server) Dir() string { return filepath.Clean(s.dir) }
