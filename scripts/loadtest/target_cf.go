package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
)

// startCentrifuge builds the Centrifuge relay (scripts/bench/centrifuge,
// a module of its own) and runs cfg.Replicas of it: on Centrifuge's
// in-memory broker when one, else on its Redis broker over a redis-server
// of the run's own, keeping history as cfg.CFHistory says.
func startCentrifuge(ctx context.Context, cfg *config) (*target, error) {
	root, err := local.ModuleRoot()
	if err != nil {
		return nil, err
	}
	src := filepath.Join(root, "scripts", "bench", "centrifuge")
	dir, err := os.MkdirTemp("", "sketchpad-centrifuge-")
	if err != nil {
		return nil, err
	}
	t := &target{kind: "peer", peer: "centrifuge", closers: []func(){func() { _ = os.RemoveAll(dir) }}}
	bin := filepath.Join(dir, "centrifuge-relay")
	cfg.Logf("building scripts/bench/centrifuge")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		t.close()
		return nil, fmt.Errorf("build the Centrifuge relay: %v\n%s", err, out)
	}
	n := max(cfg.Replicas, 1)
	history := cfg.CFHistory
	if history < 0 {
		history = 0
		if n > 1 {
			history = 1000
		}
	}
	args := []string{"-history", strconv.Itoa(history), "-write-delay", cfg.CFWriteDelay.String()}
	broker := "in-memory broker"
	if n > 1 {
		rurl, stop, err := startRedis(ctx, dir, cfg.CFAOF)
		if err != nil {
			t.close()
			return nil, err
		}
		t.closers = append(t.closers, stop)
		t.redisURL = rurl
		args = append(args, "-redis", rurl)
		broker = "Redis broker + redis-server"
		if cfg.CFAOF {
			broker += " with the append-only file"
		}
	}
	for i := range n {
		addr, err := testenv.FreeAddr()
		if err != nil {
			t.close()
			return nil, err
		}
		c := &testenv.Proc{Name: fmt.Sprintf("centrifuge-%d", i+1), Path: bin, Args: append([]string{"-addr", addr}, args...),
			Dir: dir, LogPath: filepath.Join(dir, fmt.Sprintf("centrifuge-%d.log", i+1)), Env: serverEnv}
		if err := c.Start(); err != nil {
			t.close()
			return nil, err
		}
		t.closers = append(t.closers, stopper(c))
		if err := testenv.WaitHTTP(ctx, "http://"+addr+"/healthz", c, readyTimeout); err != nil {
			t.close()
			return nil, err
		}
		host, port, _ := net.SplitHostPort(addr)
		t.bases = append(t.bases, "ws://"+net.JoinHostPort(host, port))
		t.servers = append(t.servers, c.Pid())
	}
	t.desc = fmt.Sprintf("%d Centrifuge relay replica(s) (centrifuge v0.40.1, protobuf, %s, history %d, write delay %s)",
		n, broker, history, cfg.CFWriteDelay)
	return t, nil
}
