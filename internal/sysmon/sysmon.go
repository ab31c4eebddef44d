// Package sysmon keeps the Go runtime's system monitor thread (sysmon)
// out of its deep sleep, by running the process with the runtime's
// scheduler trace on (GODEBUG schedtrace).
//
// Why: sysmon polls the scheduler (to retake Ps stuck in system calls,
// preempt long-running goroutines, poll the network). While every P is
// idle it stops polling and sleeps deeply, and the first goroutine back
// from a system call wakes it. Waking that way resets its polling to
// 20 µs sleeps, doubled only after a millisecond of polls that found
// nothing (runtime/proc.go, sysmon: "If it wakes from a syscall it
// resets idle and delay"). A replica serving a small board goes idle
// between frames (each op is written at once, then nothing runs until
// the next one arrives), so it pays that millisecond of polls, each a
// sleep and two context switches, over and over. With a scheduler trace
// on, sysmon never takes the deep sleep: it stays at its backed-off
// 10 ms poll while the process is idle and nothing resets it.
//
// The runtime reads schedtrace only from the environment at start
// (`//go:debug` and go.mod's godebug accept registered settings only,
// and os.Setenv at run time does not reach it), so KeepAwake
// re-executes the program with it added to GODEBUG. Its period is the
// largest the runtime accepts (2^31−1 ms, 24.8 days): the trace is one
// line on standard error each time the machine's monotonic clock passes
// a multiple of it, and a scheduler dump before the runtime's own report
// of a fatal error.
//
// The price: an idle process wakes up to 100 times a second instead of
// not at all; and the fast polls the setting avoids are also what hands
// a P held by a thread stuck in a system call (or descheduled by the
// kernel in one) to another thread: sysmon does that when it sees the
// same system call on two polls in a row, so with it kept at its 10 ms
// poll the work queued behind such a thread waits up to that long. On a
// machine short of CPU that costs latency, which is why the replica
// leaves it off unless told (--sysmon-awake).
package sysmon

import (
	"os"
	"strings"
	"syscall"
)

// Setting is what KeepAwake adds to GODEBUG.
const Setting = "schedtrace=2147483647"

// KeepAwake re-executes the running program (with the same arguments)
// with Setting added to GODEBUG, unless GODEBUG already has a
// schedtrace: an operator's own, or this process's after its re-exec.
// Call it before the program starts anything: the new image starts from
// main again in the same process (same ID, parent, process group and
// signal disposition). It returns nil when there is nothing to do, and
// the exec's error when it fails (the program runs on without the
// setting); on success it does not return.
func KeepAwake() error {
	env, ok := Environ(os.Environ())
	if !ok {
		return nil
	}
	return syscall.Exec(self(), os.Args, env)
}

// self is the path to execute the running program by. The kernel names
// a process after the last element of the path it was executed by, and
// ps, pgrep, top and the journal show that name: /proc/self/exe would
// rename every replica "exe". So it is the program's own path while that
// still holds the running file, and /proc/self/exe (the running file
// whatever its path now holds) only when it does not, as when the
// binary was replaced on disk after the process started.
func self() string {
	const proc = "/proc/self/exe"
	path, err := os.Executable()
	if err != nil {
		return proc
	}
	running, err1 := os.Stat(proc)
	named, err2 := os.Stat(path)
	if err1 != nil || err2 != nil || !os.SameFile(running, named) {
		return proc
	}
	return path
}

// Environ returns environ with Setting appended to its GODEBUG (added
// when it has none), and false, with environ unchanged, when GODEBUG
// already names schedtrace. Only the first GODEBUG entry counts, as the
// runtime reads only the first.
func Environ(environ []string) ([]string, bool) {
	const key = "GODEBUG="
	for i, kv := range environ {
		v, found := strings.CutPrefix(kv, key)
		if !found {
			continue
		}
		if hasSchedtrace(v) {
			return environ, false
		}
		out := append([]string(nil), environ...)
		if v == "" {
			out[i] = key + Setting
		} else {
			out[i] = kv + "," + Setting
		}
		return out, true
	}
	return append(append([]string(nil), environ...), key+Setting), true
}

// hasSchedtrace reports whether a GODEBUG value sets schedtrace (to
// anything: 0 is an operator saying no).
func hasSchedtrace(godebug string) bool {
	for _, field := range strings.Split(godebug, ",") {
		if k, _, ok := strings.Cut(field, "="); ok && k == "schedtrace" {
			return true
		}
	}
	return false
}
