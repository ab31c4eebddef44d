package main

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The server's own view of its rooms' wait: sketchpad_fanout_seconds, the
// time from the oldest unsent op's arrival at its room to its frame being
// queued to every session (one observation per flush). Read from every
// replica's /metrics at both ends of the window, it splits the latency
// into the room's wait (store or Redis, then encoding) and the rest (reads,
// writes, scheduling, the receivers).

type histSnap map[float64]float64 // cumulative count by upper bound (le)

func scrapeFanout(bases []string) histSnap {
	out := histSnap{}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, b := range bases {
		resp, err := client.Get("http" + strings.TrimPrefix(b, "ws") + "/metrics")
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			rest, ok := strings.CutPrefix(line, `sketchpad_fanout_seconds_bucket{le="`)
			if !ok {
				continue
			}
			le, val, ok := strings.Cut(rest, `"} `)
			if !ok {
				continue
			}
			bound, err1 := strconv.ParseFloat(le, 64)
			n, err2 := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err1 == nil && err2 == nil {
				out[bound] += n
			}
		}
		resp.Body.Close()
	}
	return out
}

// serverWait summarises the flushes of the window.
type serverWait struct {
	Flushes float64 `json:"flushes"`
	P50     string  `json:"p50"` // "<= 10 ms": bucket upper bounds
	P99     string  `json:"p99"`
	Over50  float64 `json:"share_over_50ms"`
}

func fanoutDelta(a, b histSnap) *serverWait {
	var bounds []float64
	for k := range b {
		bounds = append(bounds, k)
	}
	sort.Float64s(bounds)
	if len(bounds) == 0 {
		return nil
	}
	total := b[math.Inf(1)] - a[math.Inf(1)]
	if total <= 0 {
		return nil
	}
	w := &serverWait{Flushes: total}
	q := func(p float64) string {
		for _, k := range bounds {
			if b[k]-a[k] >= p*total {
				if math.IsInf(k, 1) {
					return "> 1 s"
				}
				return fmt.Sprintf("<= %g ms", k*1000)
			}
		}
		return "?"
	}
	w.P50, w.P99 = q(0.5), q(0.99)
	if n, ok := b[0.05]; ok {
		w.Over50 = round(1-(n-a[0.05])/total, 3)
	}
	return w
}
