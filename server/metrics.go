package server

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the Prometheus series the server exports on /metrics.
type Metrics struct {
	Registry    *prometheus.Registry
	connections prometheus.Gauge
	rooms       prometheus.Gauge
	roomsParked prometheus.Gauge
	// Rooms removed from the open ones, still storing what they hold.
	roomsClosing prometheus.Gauge
	roomsEvicted prometheus.Counter
	roomBytes    *prometheus.GaugeVec // by part: board, replay, snapshot
	opsIn        prometheus.Counter
	framesOut    prometheus.Counter
	bytesIn      prometheus.Counter
	bytesOut     prometheus.Counter
	slowDrops    prometheus.Counter
	rejected     prometheus.Counter
	storeErrors  prometheus.Counter
	busDrops     prometheus.Counter
	reconnects   prometheus.Counter
	limitHits    *prometheus.CounterVec // by limit
	rateLimited  *prometheus.CounterVec // by class
	fanout       prometheus.Histogram
	resyncs      prometheus.Counter
	// Redis mode: rooms whose submits shared one pipelined round trip.
	pipelineRooms prometheus.Histogram
	pipelineTime  prometheus.Histogram // Redis mode: a pipeline's round trip
}

// NewMetrics registers the server's metrics on a registry of their own.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	f := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "sketchpad", Name: name, Help: help})
		reg.MustRegister(c)
		return c
	}
	g := func(name, help string) prometheus.Gauge {
		c := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "sketchpad", Name: name, Help: help})
		reg.MustRegister(c)
		return c
	}
	vec := func(name, help, label string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "sketchpad", Name: name, Help: help}, []string{label})
		reg.MustRegister(c)
		return c
	}
	return &Metrics{
		Registry:     reg,
		connections:  g("connections", "Open WebSocket connections."),
		rooms:        g("rooms", "Rooms open on this replica."),
		roomsParked:  g("rooms_parked", "Open rooms whose people are all quiet: no goroutine until their next event."),
		roomsClosing: g("rooms_closing", "Rooms closed (empty past --room-idle, or evicted), still storing what they hold."),
		roomsEvicted: f("rooms_evicted_total", "Empty rooms closed before --room-idle to make room for a new one at --max-rooms."),
		roomBytes: func() *prometheus.GaugeVec {
			v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "sketchpad", Name: "room_bytes",
				Help: "Estimated memory the open rooms hold, by part: board (strokes and points), replay (recent ops kept for reconnects), snapshot (the encoded board cached for joiners)."}, []string{"part"})
			reg.MustRegister(v)
			return v
		}(),
		opsIn:       f("ops_total", "Ops sequenced (applied and stored)."),
		framesOut:   f("frames_out_total", "Frames queued to clients."),
		bytesIn:     f("bytes_in_total", "WebSocket payload bytes received."),
		bytesOut:    f("bytes_out_total", "WebSocket payload bytes written."),
		slowDrops:   f("slow_consumer_drops_total", "Connections dropped because their send queue was full."),
		rejected:    f("rejected_connections_total", "Connections closed for breaking the protocol."),
		storeErrors: f("store_errors_total", "Failed store operations (retried)."),
		limitHits:   vec("limit_hits_total", "Requests refused by a limit (conns_per_ip, http, room_clients, rooms, rooms_per_ip, board_points, board_strokes).", "limit"),
		rateLimited: vec("rate_limited_total", "Client frames slowed down (or cursors dropped) by rate limits, by class.", "class"),
		fanout: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "fanout_seconds",
				Help:    "Time from an op's arrival at its room to its frame being queued to every session.",
				Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
			reg.MustRegister(h)
			return h
		}(),
		reconnects: f("redis_reconnects_total", "Redis mode: times the pub/sub connection was lost and re-established."),
		busDrops:   f("bus_drops_total", "Redis mode: published batches dropped because a room's inbox was full (repaired from the log)."),
		resyncs:    f("resyncs_total", "Redis mode: reads of a room's log to catch up (gaps, resubscriptions, drops)."),
		pipelineRooms: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "redis_pipeline_rooms",
				Help:    "Redis mode: rooms whose batches of ops went to the sequencer in one pipelined round trip (the count is the round trips).",
				Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}})
			reg.MustRegister(h)
			return h
		}(),
		pipelineTime: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "redis_pipeline_seconds",
				Help:    "Redis mode: time from a pipeline of submits leaving to its replies being handed to the rooms.",
				Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
			reg.MustRegister(h)
			return h
		}(),
	}
}
