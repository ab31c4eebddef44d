package testenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"time"
)

// RedisOptions for StartRedis.
type RedisOptions struct {
	Dir  string // data directory (the append-only file lives there); required
	Addr string // 127.0.0.1:port to listen on; "" picks a free port
	// AOF turns on the append-only file with appendfsync everysec, as the
	// docker-compose Redis runs; without it nothing is kept on disk.
	AOF  bool
	Args []string // more redis-server flags
	// Name, LogPath and Echo are the Proc's; Name defaults to "redis".
	Name    string
	LogPath string
	Echo    io.Writer
	// ReadyTimeout bounds the wait for PONG; default 10 s.
	ReadyTimeout time.Duration
}

// Redis is a redis-server of the caller's own, supervised as a Proc.
type Redis struct {
	*Proc
	Addr  string // 127.0.0.1:port
	ready time.Duration
}

// StartRedis starts a redis-server (RDB snapshots off, no daemon, log level
// warning) and waits until it answers PING.
func StartRedis(ctx context.Context, o RedisOptions) (*Redis, error) {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server is not installed (scripts/setup installs Debian's redis-server): %w", err)
	}
	if o.Dir == "" {
		return nil, errors.New("testenv: StartRedis needs a data directory")
	}
	addr := o.Addr
	if addr == "" {
		if addr, err = FreeAddr(); err != nil {
			return nil, err
		}
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("testenv: redis address %q: %w", addr, err)
	}
	args := []string{"--port", port, "--bind", "127.0.0.1", "--dir", o.Dir, "--save", "", "--daemonize", "no", "--loglevel", "warning"}
	if o.AOF {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	} else {
		args = append(args, "--appendonly", "no")
	}
	name := o.Name
	if name == "" {
		name = "redis"
	}
	r := &Redis{Addr: addr, ready: o.ReadyTimeout,
		Proc: &Proc{Name: name, Path: path, Args: append(args, o.Args...), LogPath: o.LogPath, Echo: o.Echo}}
	if r.ready == 0 {
		r.ready = 10 * time.Second
	}
	if err := r.Restart(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// URL is the go-redis URL of the server (database 0).
func (r *Redis) URL() string { return "redis://" + r.Addr + "/0" }

// Restart starts the server again on the same port and directory (with AOF
// on, it loads its append-only file) and waits until it answers PING. A
// server that does not answer in time is killed.
func (r *Redis) Restart(ctx context.Context) error {
	if err := r.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(r.ready)
	for {
		err := RedisPing(r.Addr)
		if err == nil {
			return nil
		}
		if !r.Running() || time.Now().After(deadline) {
			r.Kill()
			if t := r.LogTail(15); t != "" {
				err = fmt.Errorf("%w\n--- %s (%s)\n%s", err, r.Name, r.LogPath, t)
			}
			return fmt.Errorf("redis-server on %s did not answer: %w", r.Addr, err)
		}
		select {
		case <-ctx.Done():
			r.Kill()
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// RedisPing sends PING to addr and wants PONG.
func RedisPing(addr string) error {
	reply, err := RedisDo(addr, "PING")
	if err != nil {
		return err
	}
	if reply != "+PONG" {
		return fmt.Errorf("PING answered %q", reply)
	}
	return nil
}

// RedisDo sends one command to addr on a connection of its own and returns
// the first line of the reply (an error reply is also an error). It speaks
// just enough RESP for set-up and fault injection, without a client library.
func RedisDo(addr string, args ...string) (string, error) {
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
