package testenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// PostgresOptions for StartPostgres.
type PostgresOptions struct {
	Dir  string // data directory, created by initdb when empty; required
	Addr string // 127.0.0.1:port to listen on; "" picks a free port
	// Name, LogPath and Echo are the Proc's; Name defaults to "postgres".
	Name    string
	LogPath string
	Echo    io.Writer
	// ReadyTimeout bounds the wait for the server to accept connections;
	// default 30 s.
	ReadyTimeout time.Duration
}

// Postgres is a PostgreSQL server of the caller's own (Debian's
// postgresql package: scripts/setup installs it), supervised as a Proc.
// Run as root, it runs as the postgres user, as PostgreSQL insists. Its
// superuser is postgres, with trust authentication on loopback.
type Postgres struct {
	*Proc
	Addr  string // 127.0.0.1:port
	bin   string
	ready time.Duration
}

// PostgresBin is the directory of the newest installed PostgreSQL's
// programs (initdb, postgres, pg_isready).
func PostgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "postgres")); err == nil {
			return dirs[i], nil
		}
	}
	return "", errors.New("PostgreSQL is not installed (scripts/setup installs Debian's postgresql)")
}

// StartPostgres initialises o.Dir if it holds no cluster yet, starts a
// server on it and waits until it accepts connections.
func StartPostgres(ctx context.Context, o PostgresOptions) (*Postgres, error) {
	bin, err := PostgresBin()
	if err != nil {
		return nil, err
	}
	if o.Dir == "" {
		return nil, errors.New("testenv: StartPostgres needs a data directory")
	}
	addr := o.Addr
	if addr == "" {
		if addr, err = FreeAddr(); err != nil {
			return nil, err
		}
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("testenv: postgres address %q: %w", addr, err)
	}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("testenv: running as root, PostgreSQL needs the postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.MkdirAll(o.Dir, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(o.Dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(o.Dir, "PG_VERSION")); err != nil {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", o.Dir, "-A", "trust", "-U", "postgres", "--no-sync")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("initdb %s: %w\n%s", o.Dir, err, Tail(string(out), 15))
		}
	}
	name := o.Name
	if name == "" {
		name = "postgres"
	}
	p := &Postgres{Addr: addr, bin: bin, ready: o.ReadyTimeout,
		Proc: &Proc{Name: name, Path: filepath.Join(bin, "postgres"), LogPath: o.LogPath, Echo: o.Echo, Cred: cred,
			Args: []string{"-D", o.Dir, "-p", port, "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + o.Dir}}}
	if p.ready == 0 {
		p.ready = 30 * time.Second
	}
	if err := p.Restart(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// URL is the server's URL for database db as the postgres superuser.
func (p *Postgres) URL(db string) string {
	return "postgres://postgres@" + p.Addr + "/" + db + "?sslmode=disable"
}

// Restart starts the server again on the same port and directory and
// waits until it accepts connections (pg_isready). A server killed a
// moment ago may refuse to start while its old backends still hold the
// shared memory: it is started again until the deadline. A server that
// does not accept connections in time is killed.
func (p *Postgres) Restart(ctx context.Context) error {
	if err := p.Start(); err != nil {
		return err
	}
	host, port, _ := net.SplitHostPort(p.Addr)
	deadline := time.Now().Add(p.ready)
	for {
		err := exec.CommandContext(ctx, filepath.Join(p.bin, "pg_isready"), "-q", "-h", host, "-p", port, "-U", "postgres").Run()
		if err == nil {
			return nil
		}
		if !p.Running() && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
			if err := p.Start(); err != nil {
				return err
			}
			continue
		}
		if !p.Running() || time.Now().After(deadline) {
			p.Kill()
			if t := p.LogTail(15); t != "" {
				err = fmt.Errorf("%w\n--- %s (%s)\n%s", err, p.Name, p.LogPath, t)
			}
			return fmt.Errorf("postgres on %s did not accept connections: %w", p.Addr, err)
		}
		select {
		case <-ctx.Done():
			p.Kill()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop stops the server the fast way (SIGINT: roll back, write, exit),
// killing it after grace.
func (p *Postgres) Stop(grace time.Duration) { p.Proc.Stop(syscall.SIGINT, grace) }

// CreateDB creates database name unless it exists (createdb).
func (p *Postgres) CreateDB(ctx context.Context, name string) error {
	host, port, _ := net.SplitHostPort(p.Addr)
	out, err := exec.CommandContext(ctx, filepath.Join(p.bin, "createdb"), "-h", host, "-p", port, "-U", "postgres", name).CombinedOutput()
	if err != nil && !strings.Contains(string(out), "already exists") {
		return fmt.Errorf("createdb %s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}
