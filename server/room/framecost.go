package room

import (
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// frameCost measures what a frame sent costs this replica: the process's
// CPU time (user and system, from getrusage) over the frames its rooms
// sent, re-measured at most once a second while at least 2,000 frames go
// out in under 3 s (otherwise the last estimate stands). A
// loopback write cost 24–30 µs of CPU on this project's CI machine on one
// day and 13 µs on another, and 3–4 µs on a fast one (BENCHMARKS.md), so
// a fixed guess either overloads a slow machine or makes a fast one's big
// rooms wait longer than they need. Everything the process does is
// counted, so the figure is an upper bound on the writes' own cost.
//
// The guess it starts from (frameCostStart) is replaced by the first
// measurement, made as soon as frameCostFirst after the first 2,000
// frames, not averaged with it over seconds: a board of 200 at the guess
// spends 12 ms of its budget per frame, and a replica just started would
// hold its frames that long for the seconds the average took to come
// down.
type frameCost struct {
	frames atomic.Int64 // frames sent, one per session per broadcast
	perNS  atomic.Int64 // the current estimate, ns per frame

	atCount atomic.Int64 // frames at the last measurement

	mu  sync.Mutex // guards the last measurement
	at  time.Time
	cpu time.Duration
}

const (
	frameCostStart = 30 * time.Microsecond // until measured
	// frameCostFirst is how long after its baseline the first
	// measurement is made (later ones: a second).
	frameCostFirst = 100 * time.Millisecond
	frameCostMin   = 5 * time.Microsecond
	frameCostMax   = 100 * time.Microsecond
	// frameCostSample is the fewest frames a measurement is made from:
	// with fewer, the process's other work would be most of it.
	frameCostSample = 2000
)

// sent counts n frames sent.
func (c *frameCost) sent(n int) { c.frames.Add(int64(n)) }

// per returns the current estimate of the CPU a frame costs, re-measuring
// it if a second (before the first measurement, frameCostFirst) has passed
// and enough frames went out meanwhile.
func (c *frameCost) per() time.Duration {
	est := time.Duration(c.perNS.Load())
	measured := est != 0
	if !measured {
		est = frameCostStart
	}
	frames := c.frames.Load()
	if frames-c.atCount.Load() < frameCostSample || !c.mu.TryLock() {
		return est // the common case: atomic loads only
	}
	defer c.mu.Unlock()
	now := time.Now()
	wait := time.Second
	if !measured {
		wait = frameCostFirst
	}
	if now.Sub(c.at) < wait {
		return est
	}
	cpu, ok := processCPU()
	if !ok {
		return est
	}
	// From a baseline at most 3 s old: over longer, slow trickles of
	// frames, the process's other work would be most of the CPU counted.
	if last := c.atCount.Load(); !c.at.IsZero() && now.Sub(c.at) <= 3*time.Second && frames-last >= frameCostSample {
		sample := (cpu - c.cpu) / time.Duration(frames-last)
		// Half the old estimate, half the new: one odd second (a GC, a
		// compaction) moves it only halfway. The guess is no estimate.
		if measured {
			sample = (est + sample) / 2
		}
		est = min(max(sample, frameCostMin), frameCostMax)
		c.perNS.Store(int64(est))
	}
	c.at, c.cpu = now, cpu
	c.atCount.Store(frames)
	return est
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
