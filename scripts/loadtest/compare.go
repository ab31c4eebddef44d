package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// comparison is Sketchpad's figures over a peer relay's for the same
// scenario. Over the Socket.IO relay: >= 10x the point deliveries per
// CPU-second at an equal or better p99, and >= 10x fewer bytes per
// point. Over the Centrifuge relay, a far leaner peer: the deliveries per
// CPU-second of cfTargets at an equal or better p99.
type comparison struct {
	Scenario         string  `json:"scenario"`
	Compare          string  `json:"compare"` // "sketchpad/socketio" or "sketchpad/centrifuge"
	WantPerCPU       float64 `json:"want_deliveries_per_cpu_s_ratio"`
	DeliveriesPerCPU float64 `json:"peer_deliveries_per_cpu_s_ratio"`
	// DeliveriesPerAllCPU counts each run's softirq and other CPU too
	// (report.DeliveriesPerAllCPUSec).
	DeliveriesPerAllCPU float64 `json:"peer_deliveries_per_all_cpu_s_ratio"`
	P99Sketchpad        float64 `json:"p99_ms_sketchpad"`
	P99Peer             float64 `json:"p99_ms_peer"`
	BytesPerPointUp     float64 `json:"bytes_per_point_up_ratio"`   // peer / sketchpad: how many times fewer
	BytesPerPointDown   float64 `json:"bytes_per_point_down_ratio"` // peer / sketchpad
	DeliveriesPerS      float64 `json:"peer_deliveries_per_s_ratio"`
	TargetsMet          bool    `json:"targets_met"`
	PeerLost            int64   `json:"peer_ops_lost"`
}

func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return round(a/b, 2)
}

func compareReports(sp, peer *report) *comparison {
	c := &comparison{Scenario: sp.Scenario, Compare: "sketchpad/" + peer.Peer, WantPerCPU: 10,
		DeliveriesPerCPU:    ratio(sp.DeliveriesPerCPUSec, peer.DeliveriesPerCPUSec),
		DeliveriesPerAllCPU: ratio(sp.DeliveriesPerAllCPUSec, peer.DeliveriesPerAllCPUSec),
		P99Sketchpad:        sp.Latency.P99,
		P99Peer:             peer.Latency.P99,
		BytesPerPointUp:     ratio(peer.BytesPerPointUp, sp.BytesPerPointUp),
		BytesPerPointDown:   ratio(peer.BytesPerPointDown, sp.BytesPerPointDown),
		DeliveriesPerS:      ratio(sp.PeerDeliveriesPerS, peer.PeerDeliveriesPerS),
		PeerLost:            peer.OpsLost}
	if peer.Peer == "centrifuge" {
		key := sp.Scenario
		if key == "fanout" && sp.RoomSize < 500 {
			key = "small" // a board of a few hundred: -clients 200 -drawers 5
		}
		c.WantPerCPU = 1
		if w, ok := cfTargets[key]; ok {
			c.WantPerCPU = w
		}
		c.TargetsMet = c.DeliveriesPerCPU >= c.WantPerCPU && c.P99Sketchpad <= c.P99Peer
		return c
	}
	c.TargetsMet = c.DeliveriesPerCPU >= 10 && c.P99Sketchpad <= c.P99Peer && c.BytesPerPointUp >= 10 && c.BytesPerPointDown >= 10
	return c
}

// cfTargets is the ratio of deliveries per CPU-second Sketchpad wants over
// the Centrifuge relay, by scenario (1: at least as many).
var cfTargets = map[string]float64{"small": 1.5, "fanout": 2, "cluster": 1.2}

func init() {
	for _, s := range scenarioNames {
		if _, ok := cfTargets[s]; !ok {
			cfTargets[s] = 1
		}
	}
}

// peerTitle names a peer relay in a table.
var peerTitle = map[string]string{"socketio": "the Socket.IO relay", "centrifuge": "the Centrifuge relay"}

func (c *comparison) writeTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	peer := strings.TrimPrefix(c.Compare, "sketchpad/")
	fmt.Fprintf(tw, "\n%s — Sketchpad vs %s (ratios Sketchpad over peer; bytes: peer over Sketchpad)\n", c.Scenario, peerTitle[peer])
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Fprintf(tw, "  peer deliveries per CPU-second\t%.2fx (want >= %gx) %s\n", c.DeliveriesPerCPU, c.WantPerCPU, met(c.DeliveriesPerCPU >= c.WantPerCPU))
	fmt.Fprintf(tw, "  the same, with the kernel's softirq and other CPU\t%.2fx\n", c.DeliveriesPerAllCPU)
	fmt.Fprintf(tw, "  p99 pointer-to-peer\t%.2f ms vs %.2f ms (want equal or better) %s\n", c.P99Sketchpad, c.P99Peer, met(c.P99Sketchpad <= c.P99Peer))
	if peer == "socketio" {
		fmt.Fprintf(tw, "  bytes per point up\t%.2fx fewer (want >= 10x) %s\n", c.BytesPerPointUp, met(c.BytesPerPointUp >= 10))
		fmt.Fprintf(tw, "  bytes per point down\t%.2fx fewer (want >= 10x) %s\n", c.BytesPerPointDown, met(c.BytesPerPointDown >= 10))
	} else {
		fmt.Fprintf(tw, "  bytes per point up\t%.2fx fewer\n", c.BytesPerPointUp)
		fmt.Fprintf(tw, "  bytes per point down\t%.2fx fewer\n", c.BytesPerPointDown)
	}
	fmt.Fprintf(tw, "  peer deliveries/s\t%.2fx\n", c.DeliveriesPerS)
	if c.PeerLost > 0 {
		fmt.Fprintf(tw, "  peer ops lost\t%d\n", c.PeerLost)
	}
	tw.Flush()
}
