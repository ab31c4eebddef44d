package server_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// Nothing of a flood reaches anyone beyond what the flooder's limiter
// admits: at every moment, what another client has seen of it is at most
// burst + rate × the time since its first frame (server/ws/limits.go). The
// rest waits in its socket, unread. `go run ./scripts/loadtest -scenario
// flood` measures the same beside 50 drawers, with their latency.
func TestAFloodReachesOthersOnlyAsFastAsItsLimiterAdmits(t *testing.T) {
	const rate, burst = 50.0, 100.0 // burst: twice the rate
	ts := limitServer(t, func(c *config.Config) { c.RateDraw = rate; c.IPRateFactor = 1000 })
	flood := connect(t, ts, "r", "flood")
	watch := connect(t, ts, "r", "watch")
	author := flood.Author()
	var written atomic.Int64
	t0 := time.Now()
	go func() {
		for k := uint32(1); ; k++ {
			op := canvas.Op{Type: canvas.OpShape, Stroke: k, Tool: canvas.ToolLine, Color: 0xff, Width: 2,
				Points: []canvas.Point{{X: 1, Y: 1}, {X: 9, Y: 9}}}
			if err := flood.SendRaw(canvas.AppendOp(nil, &op)); err != nil {
				return
			}
			written.Add(1)
		}
	}()
	defer flood.Drop()
	seen := func() int {
		n := 0
		for _, e := range watch.Log() {
			if e.Author == author {
				n++
			}
		}
		return n
	}
	n := 0
	for time.Since(t0) < 1500*time.Millisecond {
		time.Sleep(50 * time.Millisecond)
		n = seen() // before the clock is read: the bound can only be generous
		if limit := burst + rate*time.Since(t0).Seconds(); float64(n) > limit {
			t.Fatalf("the watcher saw %d of the flooder's ops %v after its first, more than burst + rate × time = %.0f",
				n, time.Since(t0).Round(time.Millisecond), limit)
		}
	}
	if n < burst {
		t.Fatalf("the watcher saw %d of the flooder's ops, not even its burst of %.0f", n, burst)
	}
	if w := written.Load(); w < 2*int64(n) {
		t.Fatalf("the flooder wrote %d ops, %d of them seen: not a flood", w, n)
	}
}
