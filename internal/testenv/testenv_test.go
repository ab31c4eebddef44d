package testenv

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestProcLogsRestartsAndStops(t *testing.T) {
	p := &Proc{Name: "sh", Path: "/bin/sh", Args: []string{"-c", "echo started; exec sleep 60"},
		LogPath: filepath.Join(t.TempDir(), "sh.log")}
	if p.Running() || p.Pid() != 0 {
		t.Fatal("a Proc never started says it runs")
	}
	for run := 1; run <= 2; run++ {
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		if err := p.Start(); err == nil {
			t.Fatal("a running Proc started twice")
		}
		deadline := time.Now().Add(10 * time.Second)
		for strings.Count(p.LogTail(10), "started") < run {
			if time.Now().After(deadline) {
				t.Fatalf("run %d: log %q", run, p.LogTail(10))
			}
			time.Sleep(10 * time.Millisecond)
		}
		if !p.Running() {
			t.Fatalf("run %d: not running", run)
		}
		if run == 1 {
			p.Kill()
		} else {
			p.Stop(syscall.SIGTERM, 10*time.Second)
		}
		if p.Running() || p.ExitErr() == nil {
			t.Fatalf("run %d: running %v, exit %v after a signal", run, p.Running(), p.ExitErr())
		}
	}
	if got := p.LogTail(1); got != "started" {
		t.Errorf("LogTail(1) = %q (the log is appended across runs)", got)
	}
}

func TestRedisAnswersRestartsOnItsPortAndStops(t *testing.T) {
	dir := t.TempDir()
	r, err := StartRedis(context.Background(), RedisOptions{Dir: dir, AOF: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Kill()
	if _, err := RedisDo(r.Addr, "SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	r.Stop(syscall.SIGTERM, time.Minute)
	if RedisPing(r.Addr) == nil {
		t.Fatal("Redis answers after Stop")
	}
	if err := r.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, err := RedisDo(r.Addr, "GET", "k"); err != nil || got != "$1" {
		t.Errorf("GET after a restart with AOF: %q %v, want the value kept", got, err)
	}
	if !strings.HasPrefix(r.URL(), "redis://127.0.0.1:") {
		t.Errorf("URL %q", r.URL())
	}
}
