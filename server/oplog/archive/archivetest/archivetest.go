// Package archivetest gives tests a real PostgreSQL database of their
// own: created on the server SKETCHPAD_TEST_POSTGRES names (default the
// machine's, postgres://postgres@127.0.0.1:5432/postgres, which
// scripts/setup installs) and dropped when the test ends (Database), or a
// server of their own to restart and kill (Start). Nothing here is a
// mock.
package archivetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sketchpad/sketchpad/internal/testenv"
)

// AdminURL is the server tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("SKETCHPAD_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Database creates an empty database for t and returns its URL; it is
// dropped (its connections cut) when t ends.
func Database(t testing.TB) string {
	t.Helper()
	admin := AdminURL()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "sketchpad_test_" + hex.EncodeToString(b[:])
	if err := exec(admin, `create database `+name); err != nil {
		t.Fatalf("archivetest: cannot create a database on %s (is PostgreSQL running? scripts/setup installs it): %v", admin, err)
	}
	t.Cleanup(func() {
		if err := exec(admin, `drop database if exists `+name+` with (force)`); err != nil {
			t.Logf("archivetest: drop %s: %v", name, err)
		}
	})
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

func exec(admin, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// Server is a PostgreSQL server of the test's own, for tests that
// restart or kill it; its database sketchpad is created empty.
type Server struct {
	pg  *testenv.Postgres
	dir string
}

// Start starts a PostgreSQL server on a free port with its data in a
// temporary directory; it is stopped and removed when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	dir, err := os.MkdirTemp("", "archivetest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	// The server may run as the postgres user: it must reach its data
	// directory inside.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pg, err := testenv.StartPostgres(context.Background(), testenv.PostgresOptions{Dir: filepath.Join(dir, "data"), LogPath: filepath.Join(dir, "postgres.log")})
	if err != nil {
		t.Fatalf("archivetest: %v", err)
	}
	t.Cleanup(func() { pg.Stop(10 * time.Second) })
	if err := exec(pg.URL("postgres"), `create database sketchpad`); err != nil {
		t.Fatalf("archivetest: %v", err)
	}
	return &Server{pg: pg, dir: dir}
}

// URL is the URL of the server's sketchpad database.
func (s *Server) URL() string { return s.pg.URL("sketchpad") }

// Kill kills the server with SIGKILL (it recovers from its write-ahead
// log when started again).
func (s *Server) Kill() { s.pg.Kill() }

// Restart stops the server if it runs and starts it again on the same
// port and data.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.pg.Stop(10 * time.Second)
	if err := s.pg.Restart(context.Background()); err != nil {
		t.Fatalf("archivetest: restart: %v", err)
	}
}
