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

// metricSnap is one reading of the target's /metrics: each series (its full
// name with labels, as /metrics prints it) summed over the replicas, so that
// one scrape serves every figure read at the same moment.
type metricSnap map[string]float64

func scrapeMetrics(bases []string) metricSnap {
	out := metricSnap{}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, b := range bases {
		resp, err := client.Get("http" + strings.TrimPrefix(b, "ws") + "/metrics")
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			// "series value": the value is the last field (label values
			// may hold spaces; client_golang prints no timestamps).
			line := strings.TrimSpace(sc.Text())
			i := strings.LastIndexByte(line, ' ')
			if i < 0 || strings.HasPrefix(line, "#") {
				continue
			}
			if n, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
				out[strings.TrimSpace(line[:i])] += n
			}
		}
		resp.Body.Close()
	}
	return out
}

// pipelines is how many pipelined round trips the replicas' submits to
// Redis took (sketchpad_redis_pipeline_rooms counts one per pipeline).
func (m metricSnap) pipelines() float64 {
	return m["sketchpad_redis_pipeline_rooms_count"]
}

// fanout picks sketchpad_fanout_seconds's buckets out of the reading.
func (m metricSnap) fanout() histSnap {
	out := histSnap{}
	for series, n := range m {
		le, ok := strings.CutPrefix(series, `sketchpad_fanout_seconds_bucket{le="`)
		if !ok {
			continue
		}
		le, ok = strings.CutSuffix(le, `"}`)
		if !ok {
			continue
		}
		if bound, err := strconv.ParseFloat(le, 64); err == nil {
			out[bound] += n
		}
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
