// Package archivetest gives tests a real PostgreSQL database of their
// own: created on the server SKETCHPAD_TEST_POSTGRES names (default the
// machine's, postgres://postgres@127.0.0.1:5432/postgres, which
// scripts/setup installs) and dropped when the test ends. Nothing here is
// a mock.
package archivetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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
