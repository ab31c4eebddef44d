package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// The flood scenario's section of the report: its figures and their table.

// floodConnReport is one of the flooder's connections.
type floodConnReport struct {
	Author     uint32  `json:"author"`
	Written    int     `json:"ops_written"`
	Seconds    float64 `json:"seconds"`            // first op written to close received
	Admissible float64 `json:"admissible_ops"`     // burst + rate × seconds
	Seen       uint64  `json:"ops_seen_by_others"` // the most any other client saw
	SeenMin    uint64  `json:"ops_seen_by_others_min"`
	Echoed     int64   `json:"ops_echoed_to_it"` // its own ops the server sent back before closing it
	Notices429 int64   `json:"notices_429"`      // Notice 429 (slow down) received
	Close      string  `json:"close"`            // code and reason
	ClosedByUs bool    `json:"closed_by_us"`     // at the end of the window, not by the server
	Excess     float64 `json:"excess_ops"`       // seen beyond admissible, 0 if none
	firstOp    int64   // clock ns
	closedAt   int64   // clock ns
	code       uint16
	d          *drawer // its slot in the room's index
}

// floodRun is one of the two runs' figures for the normal drawers.
type floodRun struct {
	Latency            latencyStats `json:"latency"` // normal drawers' ops to the other clients
	SentOps            int64        `json:"sent_ops"`
	OpsLost            int64        `json:"ops_lost"` // per normal drawer and receiver
	OpsDuplicated      int64        `json:"ops_duplicated"`
	SeqGaps            uint64       `json:"sequence_gaps"`
	Diverged           int          `json:"receivers_diverged"`
	Drained            bool         `json:"drained"`
	BoardsAudited      int          `json:"boards_audited"`
	BoardsMismatched   int          `json:"boards_mismatched"`
	ClosedByServer     int          `json:"clients_closed_by_server"`
	RateLimitedDraw    float64      `json:"server_rate_limited_draw_frames"` // sketchpad_rate_limited_total{class="draw"} over the window
	FramesPerClientSec float64      `json:"frames_down_per_client_s"`
	ServerWait         *serverWait  `json:"server_fanout_wait,omitempty"` // the rooms' wait, op arrival to frame queued
	ServerCPUSeconds   float64      `json:"server_cpu_s"`
	MachineBusyPercent float64      `json:"machine_busy_percent"`
	OtherCPUSeconds    float64      `json:"other_cpu_s"` // busy CPU-s not used by the server or the load generator
	// Of that: other processes (those alive at both ends of the window),
	// the busiest of them, and interrupt work (loopback networking).
	OtherProcsSeconds float64 `json:"other_processes_cpu_s"`
	OtherTop          string  `json:"other_processes_top"`
	IRQSeconds        float64 `json:"irq_softirq_cpu_s"`
	WindowSeconds     float64 `json:"window_s"`
	Errors            int64   `json:"errors"`
}

// floodReport is the flood scenario's section of the report.
type floodReport struct {
	RateDraw  float64 `json:"server_rate_draw_per_s"` // per connection
	Burst     float64 `json:"server_burst"`
	FloodRate float64 `json:"flood_rate_ops_per_s"` // what the flooder tries to send

	Without floodRun `json:"without_flood"`
	With    floodRun `json:"with_flood"`

	P50Ratio float64 `json:"p50_ratio"` // with / without; with -rounds, the median of the rounds'
	P99Ratio float64 `json:"p99_ratio"`

	// Rounds are the pairs of runs (-rounds), alternating without and
	// with the flooder: the machine's own drift from run to run (the p99
	// of runs without the flooder alone varies by about as much as the
	// 20% criterion) shows in the rounds without, and a median ratio of
	// several rounds is not one draw of that noise.
	Rounds []floodRound `json:"rounds"`

	Connections  []floodConnReport `json:"flooder_connections"`
	Written      int               `json:"flooder_ops_written"`
	WrittenPerS  float64           `json:"flooder_ops_written_per_s"`
	FloodSeconds float64           `json:"flooder_seconds"` // its connections' lifetimes, summed
	Seen         uint64            `json:"flooder_ops_seen_by_others"`
	SeenPerS     float64           `json:"flooder_ops_seen_per_s"`
	Admissible   float64           `json:"flooder_ops_admissible"`
	Excess       float64           `json:"flooder_excess_ops"` // must be 0
	Unattributed uint64            `json:"unattributed_ops"`   // ops from unknown authors (must be 0)
	Notices429   int64             `json:"flooder_notices_429"`
	Closes4429   int               `json:"flooder_closes_4429"`
}

// floodRound is one pair of runs.
type floodRound struct {
	Without  floodRun `json:"without_flood"`
	With     floodRun `json:"with_flood"`
	P50Ratio float64  `json:"p50_ratio"`
	P99Ratio float64  `json:"p99_ratio"`
}

// ratios lists the rounds' p99 ratios, and the spread of the runs without
// the flooder: "1.27, 1.03, 0.80; without: p99 8.7-11.5 ms".
func (f *floodReport) ratios() string {
	var rs []string
	lo, hi := math.Inf(1), 0.0
	for _, rd := range f.Rounds {
		rs = append(rs, fmt.Sprintf("%.2f", rd.P99Ratio))
		lo, hi = min(lo, rd.Without.Latency.P99), max(hi, rd.Without.Latency.P99)
	}
	return fmt.Sprintf("%s; runs without the flooder: p99 %.1f-%.1f ms", strings.Join(rs, ", "), lo, hi)
}

// closes summarises the flooder's close codes: "4429 ×3, 1000 (ours) ×1".
func (f *floodReport) closes() string {
	n := map[string]int{}
	for _, c := range f.Connections {
		k := fmt.Sprint(c.code)
		if c.ClosedByUs {
			k += " (ours, at the end)"
		}
		n[k]++
	}
	var out []string
	for k, v := range n {
		out = append(out, fmt.Sprintf("%s ×%d", k, v))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func (f *floodReport) table(p func(k, format string, args ...any)) {
	row := func(name string, x floodRun) {
		p(name, "p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  (%d samples); machine %.0f%% busy, server CPU %.1f s, others %.1f CPU-s; %.0f frames/client/s; %.0f draw frames rate limited",
			x.Latency.P50, x.Latency.P99, x.Latency.P999, x.Latency.N, x.MachineBusyPercent, x.ServerCPUSeconds, x.OtherCPUSeconds,
			x.FramesPerClientSec, x.RateLimitedDraw)
		p("", "others: %.1f CPU-s in other processes (%s), %.1f in interrupts", x.OtherProcsSeconds, x.OtherTop, x.IRQSeconds)
		if w := x.ServerWait; w != nil {
			p("", "server's room wait p50 %s, p99 %s, %.1f%% of %.0f flushes over 50 ms", w.P50, w.P99, 100*w.Over50, w.Flushes)
		}
	}
	p("two runs", "the figures above are the last run's (with the flooder); each run on a fresh server:")
	row("without the flooder", f.Without)
	row("with the flooder", f.With)
	p("ratio with / without", "p50 %.2f  p99 %.2f", f.P50Ratio, f.P99Ratio)
	if len(f.Rounds) > 1 {
		for i, rd := range f.Rounds {
			p(fmt.Sprintf("round %d", i+1), "p99 %.2f ms without, %.2f ms with: ratio %.2f (p50 ratio %.2f)",
				rd.Without.Latency.P99, rd.With.Latency.P99, rd.P99Ratio, rd.P50Ratio)
		}
		p("ratio with / without", "median of %d rounds: p50 %.2f  p99 %.2f (%s)", len(f.Rounds), f.P50Ratio, f.P99Ratio, f.ratios())
	}
	p("flooder", "%d ops written in %.1f s over %d connection(s) (%.0f/s; tries %.0f/s = %dx the limit of %g/s, burst %g)",
		f.Written, f.FloodSeconds, len(f.Connections), f.WrittenPerS, f.FloodRate, floodFactor, f.RateDraw, f.Burst)
	p("flooder's ops seen by others", "%d (%.0f/s); admissible burst + rate x time: %.0f; excess %.0f; unattributed ops %d",
		f.Seen, f.SeenPerS, f.Admissible, f.Excess, f.Unattributed)
	for i, c := range f.Connections {
		p(fmt.Sprintf("flooder connection %d", i+1), "author %d, %.2f s, wrote %d, others saw %d (admissible %.0f), echoed %d, %d notices 429, close %s",
			c.Author, c.Seconds, c.Written, c.Seen, c.Admissible, c.Echoed, c.Notices429, c.Close)
	}
}
