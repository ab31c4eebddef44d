package room

import (
	"runtime"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
)

// A replica that spends little CPU per frame lets big rooms send sooner;
// one that spends much makes them wait longer; an estimate moves halfway
// each second and stays within its bounds.
func TestFrameCostFollowsTheCPUAFrameTakes(t *testing.T) {
	var c frameCost
	if got := c.per(); got != frameCostStart {
		t.Fatalf("before any frame: %v, want %v", got, frameCostStart)
	}
	measure := func(frames int, burn time.Duration) time.Duration {
		runtime.GC()   // the garbage of the tests before is not collected in the window measured
		c.sent(frames) // the baseline, taken now
		c.mu.Lock()
		c.at = time.Time{}
		c.mu.Unlock()
		c.per()
		// Burn CPU time, not wall time: on a busy machine a loop of 300
		// ms of wall time may get a tenth of that of a core.
		start, ok := processCPU()
		if !ok {
			t.Skip("no getrusage")
		}
		for now := start; now-start < burn; now, _ = processCPU() {
		}
		c.sent(frames)
		c.mu.Lock()
		c.at = time.Now().Add(-1100 * time.Millisecond) // a second has passed (and not three, however long the burn took)
		c.mu.Unlock()
		return c.per()
	}
	// 2,000 frames in ~4 ms of CPU: 2 µs each, below the floor of 5.
	cheap := measure(frameCostSample, 4*time.Millisecond)
	if cheap >= frameCostStart || cheap < frameCostMin {
		t.Errorf("after cheap frames: %v, want below %v and at least %v", cheap, frameCostStart, frameCostMin)
	}
	// 2,000 frames in ~300 ms of CPU: 150 µs each, above the ceiling.
	dear := measure(frameCostSample, 300*time.Millisecond)
	if dear <= cheap || dear > frameCostMax {
		t.Errorf("after dear frames: %v, want above %v and at most %v", dear, cheap, frameCostMax)
	}
	// Too few frames: the estimate stands.
	c.sent(frameCostSample / 2)
	if got := c.per(); got != dear {
		t.Errorf("after too few frames: %v, want %v unchanged", got, dear)
	}
}

// A replica just started does not hold its frames at the guess for
// seconds: the first measurement comes frameCostFirst after its baseline
// and replaces the guess, where later ones need a second and move the
// estimate halfway.
func TestFrameCostsFirstMeasurementReplacesTheGuessAtOnce(t *testing.T) {
	var c frameCost
	runtime.GC()
	c.sent(frameCostSample)
	c.per() // the baseline
	start, ok := processCPU()
	if !ok {
		t.Skip("no getrusage")
	}
	// 2,000 frames in ~4 ms of CPU: 2 µs each, below the floor.
	for now := start; now-start < 4*time.Millisecond; now, _ = processCPU() {
	}
	c.sent(frameCostSample)
	c.mu.Lock()
	c.at = time.Now().Add(-frameCostFirst - 10*time.Millisecond) // long enough for a first measurement, not for a later one
	c.mu.Unlock()
	// Averaged with the guess it would be 16 µs or more; the bound leaves
	// room for other work of the process in the window.
	first := c.per()
	if first > 10*time.Microsecond {
		t.Fatalf("the first measurement of 2 µs frames, %v after the baseline: %v, want %v or a little more (the guess %v replaced, not averaged)", frameCostFirst, first, frameCostMin, frameCostStart)
	}
	// Measured once: the next waits a second, however many frames go out.
	c.sent(frameCostSample)
	c.mu.Lock()
	c.at = time.Now().Add(-frameCostFirst - 10*time.Millisecond)
	c.mu.Unlock()
	for now := start; now-start < 300*time.Millisecond; now, _ = processCPU() {
	}
	if got := c.per(); got != first {
		t.Errorf("a second measurement before a second had passed: %v, want %v unchanged", got, first)
	}
}

// A room of n waits n × a frame's CPU ÷ the share of a core its frames may
// take (--frame-cpu), at most --flush-interval.
func TestSendIntervalSpendsTheFrameCPUShare(t *testing.T) {
	h := &Hub{}
	h.cost.perNS.Store(int64(20 * time.Microsecond))
	r := &Room{hub: h, cfg: &config.Config{FlushInterval: time.Second, FrameCPU: 0.5}, sessions: map[Peer]*member{}}
	for range 100 {
		r.sessions[&fakePeer{}] = &member{}
	}
	for _, tc := range []struct {
		share float64
		flush time.Duration
		want  time.Duration
	}{
		{0.5, time.Second, 4 * time.Millisecond},
		{0.1, time.Second, 20 * time.Millisecond},
		{0.1, 10 * time.Millisecond, 10 * time.Millisecond},
		{1e-13, 10 * time.Millisecond, 10 * time.Millisecond}, // past what a Duration holds: the bound
	} {
		r.cfg.FrameCPU, r.cfg.FlushInterval = tc.share, tc.flush
		if got := r.sendInterval(); got != tc.want {
			t.Errorf("100 sessions, 20 µs a frame, frame-cpu %v, flush-interval %v: %v, want %v", tc.share, tc.flush, got, tc.want)
		}
	}
}

// A room sends frames at once while its frames of the last flush interval
// cost less than its share of a core, then one per sendInterval: ops that
// come no faster than the budget pays for are never held back.
func TestPacingSendsAtOnceWithinTheBudget(t *testing.T) {
	h := &Hub{}
	h.cost.perNS.Store(int64(20 * time.Microsecond))
	r := &Room{hub: h, cfg: &config.Config{FlushInterval: 30 * time.Millisecond, FrameCPU: 0.5}, sessions: map[Peer]*member{}, outUrgent: true}
	for range 100 {
		r.sessions[&fakePeer{}] = &member{}
	}
	// 100 sessions × 20 µs ÷ 0.5: 4 ms of the budget a frame; with 30 ms
	// of budget, 8 frames go at once (the 8th with 28 ms spent).
	now := time.Now()
	for i := range 8 {
		if due := r.sendDue(); due.After(now) {
			t.Fatalf("frame %d of a burst due in %s, want at once", i+1, due.Sub(now))
		}
		r.spend(now)
	}
	if due := r.sendDue(); due.Sub(now) != 2*time.Millisecond {
		t.Errorf("the 9th frame of a burst due in %s, want 2ms (the budget spent)", due.Sub(now))
	}
	// Sent steadily, one per 4 ms, every frame goes the moment it is due.
	for i := range 20 {
		now = r.sendDue()
		r.spend(now)
		if i > 0 && r.sendDue().Sub(now) != 4*time.Millisecond {
			t.Fatalf("steady frame %d: next due in %s, want 4ms", i, r.sendDue().Sub(now))
		}
	}
	// After a quiet spell longer than the flush interval the budget is
	// whole again.
	now = now.Add(time.Second)
	if due := r.sendDue(); due.After(now) {
		t.Errorf("after a quiet second a frame is due in %s, want at once", due.Sub(now))
	}
}
