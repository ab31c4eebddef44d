// Command loopback measures the floor under every fan-out figure in
// BENCHMARKS.md: the CPU one small write costs on this machine's loopback,
// both ends counted (the writer's syscall, the kernel delivering to the
// reader's socket and waking it, the reader's syscall), with nothing of
// Sketchpad's in the way. It opens -conns TCP connections to itself and
// writes -size bytes to each of them -rate times a second for -duration.
//
//	go run ./scripts/bench/loopback -conns 1000 -rate 25
//
// A room that sends n sessions f frames a second cannot cost less than
// n × f times the figure this prints. It also prints the writing end's
// own share: the writes run on one goroutine locked to its OS thread, and
// that thread's CPU (RUSAGE_THREAD) is what the writer paid, its syscalls
// and whatever the kernel did inside them (on loopback the delivery to the
// reader's socket and its wakeup mostly run there, in the writer's
// softirq); the readers' reads are the rest. A replica is the writing end,
// so its CPU per frame compares with that share, not with the whole.
//
// With -apart, the readers run in a child process (this program run
// again), as a replica's clients do in the load generator: the writing
// process's whole CPU (RUSAGE_SELF: its writing thread, and the runtime's
// threads around it, sysmon's polling among them) is then the writing
// end's, and is printed beside the writing thread's and the readers'.
//
//	go run ./scripts/bench/loopback -conns 200 -rate 120 -size 24 -apart
//
// With -burst, it measures the floor under the join figure instead: every
// connection is written one -burst-byte message at the same moment (the
// way a room serves a crowd of late joiners the same snapshot), and it
// prints when the median and the last reader had all of theirs, a few
// times over.
//
//	go run ./scripts/bench/loopback -conns 100 -burst 304000
//
// With -idle, the floor under the idle figure: the memory of -conns idle
// connections served the way a goroutine-per-connection Go server serves
// them (one goroutine blocked in Read on a 512-byte buffer each), after GC.
// Both ends live in this process, so the figure per connection counts the
// client's end too: a server's own share is less.
//
//	go run ./scripts/bench/loopback -conns 4000 -idle
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"syscall"
	"time"
)

func cpu() time.Duration { return usage(syscall.RUSAGE_SELF) }

// threadCPU is the CPU time of the calling OS thread (the goroutine must
// be locked to it).
func threadCPU() time.Duration { return usage(rusageThread) }

// rusageThread is Linux's RUSAGE_THREAD, which package syscall does not name.
const rusageThread = 1

func usage(who int) time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	conns := flag.Int("conns", 1000, "connections")
	rate := flag.Int("rate", 25, "writes per connection per second")
	size := flag.Int("size", 120, "bytes per write")
	duration := flag.Duration("duration", 5*time.Second, "how long to write")
	burst := flag.Int("burst", 0, "instead: write one message of this many bytes to every connection at once, and time its arrival")
	trials := flag.Int("trials", 5, "with -burst: how many times")
	idle := flag.Bool("idle", false, "instead: hold the connections idle and print their memory")
	apart := flag.Bool("apart", false, "the readers in a child process: print the writing process's CPU per write")
	flag.Parse()
	if addr := os.Getenv(readersEnv); addr != "" {
		readApart(addr, *conns)
		return
	}
	if *idle {
		idleFloor(*conns)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	if *apart {
		writeApart(ln, *conns, *rate, *size, *duration)
		return
	}
	var writers, readers []net.Conn
	for range *conns {
		c, s := dialPair(ln)
		writers = append(writers, s)
		if *burst > 0 {
			readers = append(readers, c)
			continue
		}
		go func() {
			b := make([]byte, 4096)
			for {
				if _, err := c.Read(b); err != nil {
					return
				}
			}
		}()
	}
	if *burst > 0 {
		bursts(writers, readers, *burst, *trials)
		return
	}
	msg := make([]byte, *size)
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	runtime.LockOSThread() // the writing end's CPU is this thread's
	t0, c0, w0 := time.Now(), cpu(), threadCPU()
	writes := 0
	for time.Since(t0) < *duration {
		<-tick.C
		for _, w := range writers {
			_, err := w.Write(msg)
			check(err)
			writes++
		}
	}
	el, used, wrote := time.Since(t0), cpu()-c0, threadCPU()-w0
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(writes) }
	fmt.Printf("%d connections × %d writes/s of %d bytes: %d writes in %.1f s, %.0f%% of a core, %.1f µs CPU per write (both ends), %.1f µs of it the writing end's\n",
		*conns, *rate, *size, writes, el.Seconds(), 100*used.Seconds()/el.Seconds(), per(used), per(wrote))
}

// bursts writes size bytes to every writer at once, trials times, and
// prints when the readers had them: the median reader, and the last.
func bursts(writers, readers []net.Conn, size, trials int) {
	msg := make([]byte, size)
	for range trials {
		took := make([]time.Duration, len(readers))
		var wg sync.WaitGroup
		t0, c0 := time.Now(), cpu()
		for i, c := range readers {
			wg.Go(func() {
				b := make([]byte, size)
				_, err := io.ReadFull(c, b)
				check(err)
				took[i] = time.Since(t0)
			})
		}
		for _, w := range writers {
			go func() {
				_, err := w.Write(msg)
				check(err)
			}()
		}
		wg.Wait()
		used := cpu() - c0
		slices.Sort(took)
		fmt.Printf("%d connections × one %d-byte message at once: median reader done in %.1f ms, last in %.1f ms; %.1f ms CPU\n",
			len(readers), size, ms(took[len(took)/2]), ms(took[len(took)-1]), ms(used))
		time.Sleep(200 * time.Millisecond)
	}
}

// check ends the program on an error: a floor measured past one is no floor.
func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// dialPair opens one loopback connection to ln and returns both its ends.
func dialPair(ln net.Listener) (client, server net.Conn) {
	client, err := net.Dial("tcp", ln.Addr().String())
	check(err)
	server, err = ln.Accept()
	check(err)
	return client, server
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }

// idleFloor holds n idle connections, a reading goroutine each, and prints
// what they cost after GC.
func idleFloor(n int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	runtime.GC()
	debug.FreeOSMemory()
	rss0, heap0, stack0 := memory()
	held := make([]net.Conn, 0, n) // the clients' ends, kept open
	for range n {
		c, s := dialPair(ln)
		held = append(held, c)
		go func() {
			b := make([]byte, 512)
			for {
				if _, err := s.Read(b); err != nil {
					return
				}
			}
		}()
	}
	time.Sleep(time.Second)
	runtime.GC()
	debug.FreeOSMemory()
	rss1, heap1, stack1 := memory()
	per := func(a, b uint64) float64 { return float64(b-a) / 1024 / float64(n) }
	fmt.Printf("%d idle connections (both ends in this process), after GC: RSS %.2f KiB each (heap %.2f, goroutine stacks %.2f)\n",
		len(held), per(rss0, rss1), per(heap0, heap1), per(stack0, stack1))
}

func memory() (rss, heap, stack uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b, err := os.ReadFile("/proc/self/statm")
	if err == nil {
		var size, res uint64
		if _, err := fmt.Sscan(string(b), &size, &res); err == nil {
			rss = res * uint64(os.Getpagesize())
		}
	}
	return rss, ms.HeapInuse, ms.StackInuse
}
