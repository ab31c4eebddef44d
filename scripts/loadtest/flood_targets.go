package main

import (
	"fmt"

	"github.com/sketchpad/sketchpad/canvas"
)

// floodTargets are issue 7 test 4's criteria.
func (r *report) floodTargets(add func(what, want, got string, met bool)) {
	f := r.Flood
	if f == nil {
		return
	}
	got := fmt.Sprintf("%.2f (%.1f ms / %.1f ms; p50 %.1f / %.1f ms)", f.P99Ratio, f.With.Latency.P99, f.Without.Latency.P99,
		f.With.Latency.P50, f.Without.Latency.P50)
	if len(f.Rounds) > 1 {
		got = fmt.Sprintf("%.2f, the median of %d rounds (%s)", f.P99Ratio, len(f.Rounds), f.ratios())
	}
	add("p99 pointer-to-peer with the flooder / without", "<= 1.20", got, f.P99Ratio <= 1.2)
	add("flooder's ops reaching others beyond what its limiter admits", "0",
		fmt.Sprintf("%.0f (%d seen by others of %d written; %.0f admissible over %d connection(s), %.1f s; %d unattributed)",
			f.Excess, f.Seen, f.Written, f.Admissible, len(f.Connections), f.FloodSeconds, f.Unattributed),
		f.Excess == 0 && f.Unattributed == 0)
	// The server closes a flooder that stays over budget for 5 s in all
	// (waits summed; its burst lasts about 0.2 s): a flood of 7 s must
	// have been closed so at least once, and no connection may have been
	// closed by the server with another code. The last connection, still
	// open at the end, is closed by the flooder.
	slowed := f.Notices429 > 0 && (f.Closes4429 > 0 || f.FloodSeconds < 7)
	for _, c := range f.Connections {
		if !c.ClosedByUs && c.code != uint16(canvas.CloseRateLimited) {
			slowed = false
		}
	}
	add("flooder slowed, then closed", "Notice 429; close 4429 after 5 s over budget",
		fmt.Sprintf("%d notices; closes: %s", f.Notices429, f.closes()), slowed)
	lossless := func(x floodRun) bool {
		return x.OpsLost == 0 && x.OpsDuplicated == 0 && x.SeqGaps == 0 && x.Diverged == 0 && x.Drained &&
			x.BoardsMismatched == 0 && x.ClosedByServer == 0 && x.Errors == 0
	}
	run := func(x floodRun) string {
		return fmt.Sprintf("%d lost, %d duplicated, %d gaps, %d diverged, %d closed", x.OpsLost, x.OpsDuplicated, x.SeqGaps, x.Diverged, x.ClosedByServer)
	}
	ok, limited := true, 0.0
	for _, rd := range f.Rounds {
		ok = ok && lossless(rd.Without) && lossless(rd.With)
		limited += rd.Without.RateLimitedDraw
	}
	add("normal drawers' ops, every run", "0 lost, none closed",
		"last without: "+run(f.Without)+"; last with: "+run(f.With), ok)
	add("normal drawers rate limited (runs without the flooder)", "0",
		fmt.Sprintf("%.0f frames", limited), limited == 0)
}
