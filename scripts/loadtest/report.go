package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// report is what a run prints: a table for people and one JSON line.
type report struct {
	Scenario string  `json:"scenario"`
	Mode     string  `json:"mode"`           // sketchpad or peer
	Peer     string  `json:"peer,omitempty"` // socketio or centrifuge
	Target   string  `json:"target"`
	Machine  machine `json:"machine"`

	Clients  int     `json:"clients"`
	Rooms    int     `json:"rooms"`
	RoomSize int     `json:"room_size"`
	Drawers  int     `json:"drawers_per_room"`
	Rate     float64 `json:"rate_points_per_s"`
	Batch    int     `json:"points_per_op"`
	Duration float64 `json:"duration_s"`

	DrawSeconds   float64 `json:"draw_s"`
	WindowSeconds float64 `json:"window_s"` // drawing and drain: what CPU is measured over
	Drained       bool    `json:"drained"`

	Latency latencyStats  `json:"latency"`        // op sent to a peer's receipt
	Echo    *latencyStats `json:"echo,omitempty"` // op sent to its return to the author (sketchpad's ack)
	// With more than one replica: Latency for peers on the drawer's
	// replica (near) and on another one (far: the op came by pub/sub).
	Near *latencyStats `json:"latency_drawers_replica,omitempty"`
	Far  *latencyStats `json:"latency_other_replica,omitempty"`
	// The server's sketchpad_fanout_seconds over the window: its rooms'
	// wait from an op's arrival to its frame being queued, per flush.
	ServerWait *serverWait `json:"server_fanout_wait,omitempty"`

	SentPoints          int64   `json:"sent_points"`
	SentOps             int64   `json:"sent_ops"`
	PeerDeliveries      int64   `json:"peer_point_deliveries"`
	EchoDeliveries      int64   `json:"echo_point_deliveries"`
	DeliveriesPerS      float64 `json:"point_deliveries_per_s"` // peers and echoes
	PeerDeliveriesPerS  float64 `json:"peer_point_deliveries_per_s"`
	OpsLost             int64   `json:"ops_lost"`
	OpsDuplicated       int64   `json:"ops_duplicated"`
	Diverged            int     `json:"receivers_diverged"` // receivers whose op stream differs from their room's
	BoardsAudited       int     `json:"boards_audited"`
	BoardsMismatched    int     `json:"boards_mismatched"`
	Closed              int     `json:"connections_closed_by_server"`
	FirstClose          string  `json:"first_close,omitempty"`
	BytesPerPointUp     float64 `json:"bytes_per_point_up"`
	BytesPerPointDown   float64 `json:"bytes_per_point_down"`
	FramesPerClientSec  float64 `json:"frames_down_per_client_s"`
	ServerCPUSeconds    float64 `json:"server_cpu_s"`
	RedisCPUSeconds     float64 `json:"redis_cpu_s"`
	DeliveriesPerCPUSec float64 `json:"peer_deliveries_per_cpu_s"` // server + redis CPU
	// DeliveriesPerAllCPUSec also counts the kernel's work outside any
	// watched process (softirq: loopback for both ends; other: interrupt
	// time charged to no process, such as the disk's for an fsync), so
	// what one side's kernel work costs the machine cannot hide. On a
	// shared machine other processes' CPU lands here too.
	DeliveriesPerAllCPUSec float64 `json:"peer_deliveries_per_all_cpu_s"`

	// The machine over the window: how busy all cores were, and the CPU
	// seconds that none of the watched processes used (other processes on
	// the machine, and kernel work such as loopback networking).
	MachineBusyPercent float64 `json:"machine_busy_percent"`
	OtherCPUSeconds    float64 `json:"other_cpu_s"`
	// SoftirqCPUSeconds is the machine's softirq time over the window
	// (/proc/stat): mostly the kernel's loopback work for both ends of
	// every connection, which a process's own CPU may or may not include
	// (the kernel charges softirq run on a process's syscall to it only
	// without IRQ time accounting), and others' traffic on a shared machine.
	SoftirqCPUSeconds float64       `json:"softirq_cpu_s"`
	LoadAvg           string        `json:"loadavg"`
	Procs             []procReport  `json:"processes"`
	Redis             *redisReport  `json:"redis,omitempty"`
	Idle              *idleReport   `json:"idle,omitempty"`
	Join              *joinReport   `json:"join,omitempty"`
	Flood             *floodReport  `json:"flood,omitempty"`
	Check             []targetCheck `json:"targets"`

	Errors     int64  `json:"errors"`
	FirstError string `json:"first_error,omitempty"`
}

type machine struct {
	CPUs  int    `json:"cpus"`
	Model string `json:"model"`
	Go    string `json:"go"`
}

type procReport struct {
	Name       string  `json:"name"`
	PID        int     `json:"pid"`
	CPUSeconds float64 `json:"cpu_s"`
	CPUPercent float64 `json:"cpu_percent"` // of one core, over the window
	RSSMiB     float64 `json:"rss_mib"`
	PeakRSSMiB float64 `json:"peak_rss_mib"`
	DiskMiB    float64 `json:"disk_write_mib"` // written to storage over the window
}

type redisReport struct {
	PubsubOmemPeak    int64   `json:"pubsub_omem_peak_bytes"`     // one pub/sub client's output buffer
	PubsubOmemSumPeak int64   `json:"pubsub_omem_sum_peak_bytes"` // all pub/sub clients' together
	Samples           int     `json:"samples"`
	CallsPerS         float64 `json:"calls_per_s"`
	ScriptCallsPerS   float64 `json:"script_calls_per_s"` // EVALSHA/EVAL: sketchpad's submits, one per room batch, pipelined across rooms
	PublishPerS       float64 `json:"publish_per_s"`
	Top               string  `json:"top_commands"` // the most called commands, calls/s
	ScriptCallsPerOp  float64 `json:"script_calls_per_op"`
	// Round trips per room per tick: pipelines of submits (sketchpad, from
	// the replicas' /metrics) or PUBLISH calls (the peer's adapter) per
	// room per drawer op interval.
	RoundTripsPerRoomTick float64 `json:"round_trips_per_room_tick"`
	// Sketchpad: script calls per room per tick, each a room's batch (a
	// round trip of its own if it were not pipelined with other rooms').
	ScriptCallsPerRoomTick float64 `json:"script_calls_per_room_tick,omitempty"`
}

type idleReport struct {
	Connections     int     `json:"connections"`
	RSSBeforeMiB    float64 `json:"rss_before_mib"`
	RSSAfterMiB     float64 `json:"rss_after_mib"`
	RSSPerConnKiB   float64 `json:"rss_per_conn_kib"`
	HeapStackPerKiB float64 `json:"go_heap_stack_per_conn_kib,omitempty"`
	// After the CPU window and two more forced GCs.
	RSSSettledMiB       float64 `json:"rss_settled_mib"`
	RSSSettledPerKiB    float64 `json:"rss_settled_per_conn_kib"`
	HeapStackSettledKiB float64 `json:"go_heap_stack_settled_per_conn_kib,omitempty"`
	CPUWindowS          float64 `json:"cpu_window_s"`
	CPUPerConnUs        float64 `json:"cpu_us_per_conn_per_s"`
	GCForced            bool    `json:"gc_forced"`
}

type joinReport struct {
	BoardPoints    int          `json:"board_points"`
	BoardStrokes   int          `json:"board_strokes"`
	Joiners        int          `json:"joiners"`
	SnapshotBytes  int          `json:"snapshot_bytes"`      // the Snapshot message
	WelcomeBytes   int          `json:"welcome_frame_bytes"` // the whole first frame on the wire
	Serve          latencyStats `json:"serve"`               // Hello sent to the whole Welcome frame received
	Connect        latencyStats `json:"connect"`             // dial and WebSocket handshake
	SnapshotPoints int          `json:"snapshot_points"`
}

type targetCheck struct {
	What string `json:"what"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Met  bool   `json:"met"`
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "?"
}

func newReport(cfg *config, tgt *target, rooms int) *report {
	mode := "sketchpad"
	if tgt.kind == "peer" {
		mode = "peer"
	}
	return &report{Scenario: cfg.Scenario, Mode: mode, Peer: tgt.peer, Target: tgt.desc,
		Machine: machine{CPUs: runtime.NumCPU(), Model: cpuModel(), Go: runtime.Version()},
		Clients: rooms * cfg.RoomSize, Rooms: rooms, RoomSize: cfg.RoomSize, Drawers: cfg.Drawers,
		Rate: cfg.Rate, Batch: cfg.Batch, Duration: cfg.Duration.Seconds()}
}

// fill computes the delivery figures from the load's counters and each
// client's, read after their connections closed.
func (r *report) fill(l *load, rooms []*room, kind string) {
	r.Latency = l.lat.stats()
	if far := l.latFar.stats(); far.N > 0 {
		near := l.latNear.stats()
		r.Near, r.Far = &near, &far
	}
	if kind == "sketchpad" {
		e := l.self.stats()
		r.Echo = &e
	}
	r.SentPoints, r.SentOps = l.sentPoints.Load(), l.sentOps.Load()
	r.PeerDeliveries, r.EchoDeliveries = l.peerPoints.Load(), l.selfPoints.Load()
	if r.DrawSeconds > 0 {
		r.DeliveriesPerS = float64(r.PeerDeliveries+r.EchoDeliveries) / r.DrawSeconds
		r.PeerDeliveriesPerS = float64(r.PeerDeliveries) / r.DrawSeconds
		r.FramesPerClientSec = float64(l.framesDown.Load()) / float64(max(1, r.Clients)) / r.WindowSeconds
	}
	if r.SentPoints > 0 {
		r.BytesPerPointUp = float64(l.bytesUp.Load()) / float64(r.SentPoints)
	}
	if d := r.PeerDeliveries + r.EchoDeliveries; d > 0 {
		r.BytesPerPointDown = float64(l.bytesDown.Load()) / float64(d)
	}
	for _, rm := range rooms {
		var total uint64
		for _, d := range rm.drawers {
			total += uint64(d.ops.Load())
		}
		hashes := map[uint64]int{}
		for _, c := range rm.clients {
			want := total
			if kind == "peer" && c.d != nil {
				want -= uint64(c.d.ops.Load())
			}
			if c.ops < want {
				r.OpsLost += int64(want - c.ops)
			}
			r.OpsDuplicated += int64(c.dups)
			if c.byServer.Load() {
				r.Closed++
				if r.FirstClose == "" && c.closeMsg.Load() != nil {
					r.FirstClose = *c.closeMsg.Load()
				}
			}
			if kind == "sketchpad" {
				hashes[c.hash]++
			}
		}
		if len(hashes) > 1 {
			best := 0
			for _, n := range hashes {
				best = max(best, n)
			}
			r.Diverged += len(rm.clients) - best
		}
	}
	r.Errors = l.errs.Load()
	if p := l.firstErr.Load(); p != nil {
		r.FirstError = *p
	}
}

func (r *report) procs(ws []*watched, window time.Duration) {
	for _, w := range ws {
		cpu := w.end.cpu - w.start.cpu
		r.Procs = append(r.Procs, procReport{Name: w.name, PID: w.pid, CPUSeconds: round(cpu, 2),
			CPUPercent: round(100*cpu/window.Seconds(), 1), RSSMiB: round(float64(w.end.rss)/(1<<20), 1),
			PeakRSSMiB: round(float64(w.end.hwm)/(1<<20), 1), DiskMiB: round(float64(w.end.wr-w.start.wr)/(1<<20), 1)})
		switch w.role {
		case "server":
			r.ServerCPUSeconds += cpu
		case "redis":
			r.RedisCPUSeconds += cpu
		}
	}
	busy, total := machineEnd[0]-machineStart[0], machineEnd[1]-machineStart[1]
	if total > 0 {
		r.MachineBusyPercent = round(100*busy/total, 1)
		var watchedCPU float64
		for _, p := range r.Procs {
			watchedCPU += p.CPUSeconds
		}
		r.OtherCPUSeconds = round(max(0, busy-watchedCPU), 2)
		r.SoftirqCPUSeconds = round(machineEnd[2]-machineStart[2], 2)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		r.LoadAvg = strings.Join(f[:min(3, len(f))], " ")
	}
	if c := r.ServerCPUSeconds + r.RedisCPUSeconds; c > 0 {
		r.DeliveriesPerCPUSec = float64(r.PeerDeliveries) / c
		r.DeliveriesPerAllCPUSec = float64(r.PeerDeliveries) / (c + r.SoftirqCPUSeconds + r.OtherCPUSeconds)
	}
}

func (r *report) redis(w *redisWatch, window time.Duration, rooms int, plan drawPlan, pipelines float64) {
	s := window.Seconds()
	script := w.calls("evalsha") + w.calls("eval")
	pub := w.calls("publish")
	rr := &redisReport{PubsubOmemPeak: w.omemPeak, PubsubOmemSumPeak: w.omemSum, Samples: w.samples,
		CallsPerS: round(float64(w.totalCalls())/s, 1), ScriptCallsPerS: round(float64(script)/s, 1),
		PublishPerS: round(float64(pub)/s, 1)}
	type kv struct {
		k string
		v int64
	}
	var all []kv
	for k := range w.endCmd {
		if n := w.calls(k); n > 0 {
			all = append(all, kv{k, n})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	var top []string
	for _, e := range all[:min(len(all), 6)] {
		top = append(top, fmt.Sprintf("%s %.0f", e.k, float64(e.v)/s))
	}
	rr.Top = strings.Join(top, ", ")
	if r.SentOps > 0 {
		rr.ScriptCallsPerOp = round(float64(script)/float64(r.SentOps), 3)
	}
	ticks := float64(rooms) * r.DrawSeconds * plan.rate / float64(plan.batch)
	if ticks > 0 {
		trips := pipelines
		switch {
		case r.Mode == "peer":
			trips = float64(pub)
		case pipelines == 0:
			// No pipeline count (a replica's /metrics out of reach):
			// count each script call as a round trip, the most there were.
			trips = float64(script)
		}
		if r.Mode != "peer" {
			rr.ScriptCallsPerRoomTick = round(float64(script)/ticks, 3)
		}
		rr.RoundTripsPerRoomTick = round(trips/ticks, 3)
	}
	r.Redis = rr
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// checkTargets compares the figures with issue 6's targets for the
// scenario. They are stated for the sizes; a smaller run is still
// checked, and the table says the sizes.
func (r *report) checkTargets() {
	add := func(what, want, got string, met bool) {
		r.Check = append(r.Check, targetCheck{What: what, Want: want, Got: got, Met: met})
	}
	lossless := r.OpsLost == 0 && r.OpsDuplicated == 0 && r.Diverged == 0 && r.BoardsMismatched == 0 && r.Drained
	lossGot := fmt.Sprintf("%d lost, %d duplicated, %d diverged", r.OpsLost, r.OpsDuplicated, r.Diverged)
	switch r.Scenario {
	case "fanout":
		add("point deliveries/s", ">= 1,000,000", fmt.Sprintf("%.0f", r.DeliveriesPerS), r.DeliveriesPerS >= 1e6)
		add("p99 pointer-to-peer", "<= 40 ms", fmt.Sprintf("%.1f ms", r.Latency.P99), r.Latency.P99 <= 40)
		add("ops lost", "0", lossGot, lossless)
	case "rooms":
		add("p99 pointer-to-peer", "<= 50 ms", fmt.Sprintf("%.1f ms", r.Latency.P99), r.Latency.P99 <= 50)
		add("ops lost", "0", lossGot, lossless)
	case "cluster":
		add("point deliveries/s", ">= 200,000", fmt.Sprintf("%.0f", r.DeliveriesPerS), r.DeliveriesPerS >= 2e5)
		add("p99 pointer-to-peer", "<= 25 ms", fmt.Sprintf("%.1f ms", r.Latency.P99), r.Latency.P99 <= 25)
		if r.Redis != nil {
			add("Redis round trips per room per tick", "<= 1", fmt.Sprintf("%.3f", r.Redis.RoundTripsPerRoomTick), r.Redis.RoundTripsPerRoomTick <= 1)
		}
		add("ops lost", "0", lossGot, lossless)
	case "wire":
		add("bytes per point up", "<= 3", fmt.Sprintf("%.2f", r.BytesPerPointUp), r.BytesPerPointUp <= 3)
		add("bytes per point down", "<= 6", fmt.Sprintf("%.2f", r.BytesPerPointDown), r.BytesPerPointDown <= 6)
		add("ops lost", "0", lossGot, lossless)
	case "idle":
		if r.Idle != nil {
			add("RSS per idle connection after GC", "<= 6 KiB", fmt.Sprintf("%.2f KiB", r.Idle.RSSPerConnKiB), r.Idle.RSSPerConnKiB <= 6)
			add("CPU per idle connection", "<= 1.5 us/s", fmt.Sprintf("%.2f us/s", r.Idle.CPUPerConnUs), r.Idle.CPUPerConnUs <= 1.5)
		}
	case "flood":
		r.floodTargets(add)
	case "join":
		if r.Join != nil {
			add("snapshot on the wire", "<= 500 KB", fmt.Sprintf("%.0f KB", float64(r.Join.WelcomeBytes)/1000), r.Join.WelcomeBytes <= 500_000)
			add("p99 time to serve a late joiner", "<= 25 ms", fmt.Sprintf("%.1f ms", r.Join.Serve.P99), r.Join.Serve.P99 <= 25)
		}
	}
	if r.Errors > 0 {
		add("load generator errors", "0", fmt.Sprintf("%d (%s)", r.Errors, r.FirstError), false)
	}
}

func (r *report) writeJSON(w io.Writer) {
	b, _ := json.Marshal(r)
	fmt.Fprintf(w, "%s\n", b)
}

func (r *report) writeTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	p := func(k, format string, args ...any) { fmt.Fprintf(tw, "  %s\t%s\n", k, fmt.Sprintf(format, args...)) }
	fmt.Fprintf(tw, "\n%s — %s\n", r.Scenario, r.Target)
	p("machine", "%d cores, %s, %s", r.Machine.CPUs, r.Machine.Model, r.Machine.Go)
	switch r.Scenario {
	case "idle":
		if i := r.Idle; i != nil {
			p("connections", "%d (rooms of %d)", i.Connections, r.RoomSize)
			p("server RSS", "%.1f MiB before, %.1f MiB after (GC forced: %v)", i.RSSBeforeMiB, i.RSSAfterMiB, i.GCForced)
			p("RSS per connection", "%.2f KiB", i.RSSPerConnKiB)
			if i.HeapStackPerKiB > 0 {
				p("Go heap+stacks per connection", "%.2f KiB", i.HeapStackPerKiB)
			}
			p("settled", "after the CPU window and two more GCs: RSS %.1f MiB, %.2f KiB per connection, Go heap+stacks %.2f KiB",
				i.RSSSettledMiB, i.RSSSettledPerKiB, i.HeapStackSettledKiB)
			p("CPU per connection", "%.2f us/s over %.0f s", i.CPUPerConnUs, i.CPUWindowS)
		}
	case "join":
		if j := r.Join; j != nil {
			p("board", "%d points in %d strokes", j.BoardPoints, j.BoardStrokes)
			p("late joiners", "%d at once", j.Joiners)
			p("first frame", "%d bytes on the wire (snapshot message %d bytes, decodes to %d points)", j.WelcomeBytes, j.SnapshotBytes, j.SnapshotPoints)
			p("time to serve", "p50 %.1f ms  p99 %.1f ms  max %.1f ms (Hello sent to the whole first frame received)", j.Serve.P50, j.Serve.P99, j.Serve.Max)
			p("connect", "p50 %.1f ms  p99 %.1f ms (dial and WebSocket handshake)", j.Connect.P50, j.Connect.P99)
		}
	default:
		p("load", "%d clients, %d room(s) of %d, %d drawer(s)/room at %g points/s, %d points/op, %.0f s",
			r.Clients, r.Rooms, r.RoomSize, r.Drawers, r.Rate, r.Batch, r.Duration)
		p("pointer-to-peer", "p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms  (%d samples)",
			r.Latency.P50, r.Latency.P99, r.Latency.P999, r.Latency.Max, r.Latency.N)
		if w := r.ServerWait; w != nil {
			p("server's room wait", "p50 %s, p99 %s, %.1f%% of %.0f flushes over 50 ms (sketchpad_fanout_seconds: op arrival to frame queued)",
				w.P50, w.P99, 100*w.Over50, w.Flushes)
		}
		if r.Near != nil {
			p("  on the drawer's replica", "p50 %.2f ms  p99 %.2f ms", r.Near.P50, r.Near.P99)
			p("  on another replica", "p50 %.2f ms  p99 %.2f ms", r.Far.P50, r.Far.P99)
		}
		if r.Echo != nil && r.Echo.N > 0 {
			p("echo to author (ack)", "p50 %.2f ms  p99 %.2f ms", r.Echo.P50, r.Echo.P99)
		}
		p("point deliveries/s", "%s (%s to peers, %s echoed to authors)", si(r.DeliveriesPerS), si(r.PeerDeliveriesPerS),
			si(r.DeliveriesPerS-r.PeerDeliveriesPerS))
		p("points sent", "%d in %d ops (%.0f points/s)", r.SentPoints, r.SentOps, float64(r.SentPoints)/math.Max(r.DrawSeconds, 1e-9))
		p("lost / duplicated", "%d / %d ops; %d receivers diverged; boards audited %d, mismatched %d; drained %v",
			r.OpsLost, r.OpsDuplicated, r.Diverged, r.BoardsAudited, r.BoardsMismatched, r.Drained)
		p("bytes per point", "%.2f up, %.2f down (WebSocket framing included)", r.BytesPerPointUp, r.BytesPerPointDown)
		p("frames down", "%.1f per client per second", r.FramesPerClientSec)
		if r.ServerCPUSeconds > 0 {
			p("peer deliveries per CPU-s", "%s (server%s CPU %.1f s over %.1f s)", si(r.DeliveriesPerCPUSec),
				map[bool]string{true: " + redis", false: ""}[r.RedisCPUSeconds > 0], r.ServerCPUSeconds+r.RedisCPUSeconds, r.WindowSeconds)
			p("  with the kernel's", "%s (adding softirq %.2f s and other %.2f s)", si(r.DeliveriesPerAllCPUSec), r.SoftirqCPUSeconds, r.OtherCPUSeconds)
		}
	}
	if r.Flood != nil {
		r.Flood.table(p)
	}
	for _, pr := range r.Procs {
		p("process "+pr.Name, "CPU %.2f s (%.0f%% of a core), RSS %.1f MiB (peak %.1f), disk writes %.1f MiB", pr.CPUSeconds, pr.CPUPercent, pr.RSSMiB, pr.PeakRSSMiB, pr.DiskMiB)
	}
	if r.MachineBusyPercent > 0 {
		p("machine", "%.0f%% busy over the window (all cores); %.1f CPU-s used by other processes and the kernel, %.2f of it or beside it softirq (loopback); load %s",
			r.MachineBusyPercent, r.OtherCPUSeconds, r.SoftirqCPUSeconds, r.LoadAvg)
	}
	if rr := r.Redis; rr != nil {
		p("redis", "%.0f commands/s incl. inside scripts (%.0f script calls/s, %.0f publish/s), %.3f round trips/room/tick", rr.CallsPerS, rr.ScriptCallsPerS, rr.PublishPerS, rr.RoundTripsPerRoomTick)
		if rr.ScriptCallsPerRoomTick > 0 {
			p("redis script calls", "%.3f per room per tick, in pipelines across rooms", rr.ScriptCallsPerRoomTick)
		}
		p("redis commands/s", "%s (script calls per op %.3f)", rr.Top, rr.ScriptCallsPerOp)
		p("redis pub/sub omem peak", "%d bytes one client, %d bytes all (%d samples)", rr.PubsubOmemPeak, rr.PubsubOmemSumPeak, rr.Samples)
	}
	if r.Closed > 0 {
		p("closed by server", "%d connections (first: %s)", r.Closed, r.FirstClose)
	}
	for _, c := range r.Check {
		mark := "met"
		if !c.Met {
			mark = "MISSED"
		}
		p("target: "+c.What, "%s (want %s) %s", c.Got, c.Want, mark)
	}
	if r.Errors > 0 {
		p("errors", "%d, first: %s", r.Errors, r.FirstError)
	}
	tw.Flush()
}

// allMet reports whether every target of the report was met.
func (r *report) allMet() bool {
	for _, c := range r.Check {
		if !c.Met {
			return false
		}
	}
	return true
}
