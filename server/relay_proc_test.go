package server_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
)

// A replica as a process of its own, built as the Dockerfile builds it:
// what a test kills with SIGKILL, so that it dies without a word.

type procReplica struct {
	proc *testenv.Proc
	url  string
}

// replicaProcess builds the server and starts it as a replica on the
// Redis (or Redis Cluster node) at redisURL, with the test replicas'
// settings (startReplica). The build is Go's cached one after the first.
func replicaProcess(t *testing.T, redisURL string) *procReplica {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, err := local.BuildHere(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	p := &testenv.Proc{Name: "replica", Path: bin, LogPath: filepath.Join(dir, "replica.log"),
		Args: []string{"--addr", addr, "--redis-url", redisURL, "--data", filepath.Join(dir, "data"),
			"--sync-interval", "200ms", "--rate-http", "10000", "--ip-rate-factor", "1000"}}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	if err := testenv.WaitHTTP(ctx, "http://"+addr+"/readyz", p, 30*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, p.LogTail(20))
	}
	return &procReplica{proc: p, url: "http://" + addr}
}
