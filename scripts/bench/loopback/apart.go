package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"time"
)

// readersEnv names the listener's address for the child process that
// holds the reading ends (-apart).
const readersEnv = "LOOPBACK_READERS"

// readApart is the child of -apart: it dials n connections to addr, says
// so on stdout, and reads them until the parent closes them.
func readApart(addr string, n int) {
	done := make(chan struct{}, n)
	for range n {
		c, err := net.Dial("tcp", addr)
		check(err)
		go func() {
			b := make([]byte, 4096)
			for {
				if _, err := c.Read(b); err != nil {
					done <- struct{}{}
					return
				}
			}
		}()
	}
	fmt.Println("ready")
	for range n {
		<-done
	}
}

// writeApart writes as the default mode does, to readers in a child
// process, and prints the writing process's CPU per write (all its
// threads) beside the writing thread's and the readers' process's.
func writeApart(ln net.Listener, conns, rate, size int, duration time.Duration) {
	self, err := os.Executable()
	check(err)
	child := exec.Command(self, "-conns", strconv.Itoa(conns))
	child.Env = append(os.Environ(), readersEnv+"="+ln.Addr().String())
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	check(err)
	check(child.Start())
	writers := make([]net.Conn, 0, conns)
	for range conns {
		s, err := ln.Accept()
		check(err)
		writers = append(writers, s)
	}
	_, err = bufio.NewReader(out).ReadString('\n')
	check(err)
	msg := make([]byte, size)
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	runtime.LockOSThread()
	r0 := childCPU(child.Process.Pid)
	t0, c0, w0 := time.Now(), cpu(), threadCPU()
	writes := 0
	for time.Since(t0) < duration {
		<-tick.C
		for _, w := range writers {
			_, err := w.Write(msg)
			check(err)
			writes++
		}
	}
	el, used, wrote, read := time.Since(t0), cpu()-c0, threadCPU()-w0, childCPU(child.Process.Pid)-r0
	for _, w := range writers {
		_ = w.Close()
	}
	_ = child.Wait()
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(writes) }
	fmt.Printf("%d connections × %d writes/s of %d bytes, readers in another process: %d writes in %.1f s, %.1f µs CPU per write the writing process's (%.1f of it the writing thread's), %.1f µs the readers' process's\n",
		conns, rate, size, writes, el.Seconds(), per(used), per(wrote), per(read))
}

// childCPU is the CPU time so far of process pid, from /proc (utime and
// stime, in clock ticks of 10 ms: coarse, but the runs last seconds).
func childCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	check(err)
	// The fields after the command's closing parenthesis: state is the
	// first (field 3), utime and stime fields 14 and 15.
	i := len(b) - 1
	for i > 0 && b[i] != ')' {
		i--
	}
	var f []string
	start := -1
	for j := i + 2; j <= len(b); j++ {
		if j == len(b) || b[j] == ' ' {
			if start >= 0 {
				f = append(f, string(b[start:j]))
			}
			start = -1
		} else if start < 0 {
			start = j
		}
	}
	ut, err := strconv.ParseInt(f[11], 10, 64)
	check(err)
	st, err := strconv.ParseInt(f[12], 10, 64)
	check(err)
	return time.Duration(ut+st) * (time.Second / clockTicks)
}

// clockTicks is USER_HZ, 100 on Linux.
const clockTicks = 100
