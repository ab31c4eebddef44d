package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/internal/sysmon"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
)

// The replica built as the Dockerfile builds it, started with
// --sysmon-awake on and off: the process that serves (the one started,
// since the re-exec keeps its ID) runs with the scheduler trace in its
// GODEBUG only when the setting is on, keeps the operator's own GODEBUG
// settings beside it, and leaves an operator's schedtrace alone. It
// keeps its name, and a SIGTERM still stops it cleanly.
func TestSysmonAwakeRunsTheReplicaWithTheSchedulerTrace(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("no /proc here")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin, err := local.BuildHere(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		env  []string
		want string // the served process's GODEBUG
	}{
		{"on by flag", []string{"--sysmon-awake=true"}, nil, sysmon.Setting},
		{"on by environment, with the operator's GODEBUG", nil, []string{"SKETCHPAD_SYSMON_AWAKE=true", "GODEBUG=madvdontneed=1"}, "madvdontneed=1," + sysmon.Setting},
		{"off by default", nil, nil, ""},
		{"off by default, the operator's GODEBUG", nil, []string{"GODEBUG=madvdontneed=1"}, "madvdontneed=1"},
		{"off by flag", []string{"--sysmon-awake=false"}, []string{"SKETCHPAD_SYSMON_AWAKE=true"}, ""},
		{"on, the operator's schedtrace", []string{"--sysmon-awake=true"}, []string{"GODEBUG=schedtrace=0"}, "schedtrace=0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			addr, err := testenv.FreeAddr()
			if err != nil {
				t.Fatal(err)
			}
			p := &testenv.Proc{Name: "sketchpad", Path: bin, LogPath: filepath.Join(dir, "sketchpad.log"),
				Args: append([]string{"--addr", addr, "--data", filepath.Join(dir, "data")}, tc.args...),
				// The test's own GODEBUG and setting are not the case's.
				Env: append([]string{"GODEBUG=", "SKETCHPAD_SYSMON_AWAKE="}, tc.env...)}
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Kill)
			if err := testenv.WaitHTTP(ctx, "http://"+addr+"/healthz", p, time.Minute); err != nil {
				t.Fatalf("%v\n%s", err, p.LogTail(20))
			}
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/healthz: %s", resp.Status)
			}
			if got := godebugOf(t, p.Pid()); got != tc.want {
				t.Errorf("the serving process runs with GODEBUG=%q, want %q", got, tc.want)
			}
			// ps, pgrep and top show it by its own name, not "exe".
			if comm, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid()) + "/comm"); err != nil || strings.TrimSpace(string(comm)) != "sketchpad" {
				t.Errorf("the serving process is named %q (%v), want sketchpad", comm, err)
			}
			p.Stop(syscall.SIGTERM, 30*time.Second)
			if err := p.ExitErr(); err != nil || !strings.Contains(p.LogTail(5), "stopped cleanly") {
				t.Errorf("after SIGTERM: exit %v, log:\n%s", err, p.LogTail(5))
			}
		})
	}
}

// godebugOf is the GODEBUG of process pid's running program ("" when it
// has none).
func godebugOf(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if v, ok := bytes.CutPrefix(kv, []byte("GODEBUG=")); ok {
			return string(v)
		}
	}
	return ""
}
