// Package metrics holds the Prometheus series a replica exports on
// /metrics. Every part of the server counts into the one Metrics it is
// given (the room, the logs, the sessions, the web side), so the series
// are declared, named and documented in one place.
package metrics

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the Prometheus series the server exports on /metrics.
type Metrics struct {
	Registry    *prometheus.Registry
	Connections prometheus.Gauge
	Rooms       prometheus.Gauge
	RoomsParked prometheus.Gauge
	// Rooms removed from the open ones, still storing what they hold.
	RoomsClosing prometheus.Gauge
	RoomsEvicted prometheus.Counter
	RoomBytes    *prometheus.GaugeVec // by part: board, replay, snapshot
	OpsIn        prometheus.Counter
	FramesOut    prometheus.Counter
	BytesIn      prometheus.Counter
	BytesOut     prometheus.Counter
	SlowDrops    prometheus.Counter
	Rejected     prometheus.Counter
	StoreErrors  prometheus.Counter
	BusDrops     prometheus.Counter
	RelayDrops   prometheus.Counter
	Reconnects   prometheus.Counter
	LimitHits    *prometheus.CounterVec // by limit
	RateLimited  *prometheus.CounterVec // by class
	Fanout       prometheus.Histogram
	Resyncs      prometheus.Counter
	// Redis mode: rooms whose submits shared one pipelined round trip.
	PipelineRooms prometheus.Histogram
	PipelineTime  prometheus.Histogram // Redis mode: a pipeline's round trip
	// With an archive (--archive-url): boards moved out of Redis, loaded
	// back, and archive operations that failed (retried later).
	Archived      prometheus.Counter
	Restored      prometheus.Counter
	ArchiveErrors prometheus.Counter
}

// New registers the server's metrics on a registry of their own.
func New() *Metrics {
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
		Connections:  g("connections", "Open WebSocket connections."),
		Rooms:        g("rooms", "Rooms open on this replica."),
		RoomsParked:  g("rooms_parked", "Open rooms whose people are all quiet: no goroutine until their next event."),
		RoomsClosing: g("rooms_closing", "Rooms closed (empty past --room-idle, or evicted), still storing what they hold."),
		RoomsEvicted: f("rooms_evicted_total", "Empty rooms closed before --room-idle to make room for a new one at --max-rooms."),
		RoomBytes: func() *prometheus.GaugeVec {
			v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "sketchpad", Name: "room_bytes",
				Help: "Estimated memory the open rooms hold, by part: board (strokes and points), replay (recent ops kept for reconnects), snapshot (the encoded board cached for joiners)."}, []string{"part"})
			reg.MustRegister(v)
			return v
		}(),
		OpsIn:       f("ops_total", "Ops sequenced (applied and stored)."),
		FramesOut:   f("frames_out_total", "Frames queued to clients."),
		BytesIn:     f("bytes_in_total", "WebSocket payload bytes received."),
		BytesOut:    f("bytes_out_total", "WebSocket payload bytes written."),
		SlowDrops:   f("slow_consumer_drops_total", "Connections dropped because their send queue was full."),
		Rejected:    f("rejected_connections_total", "Connections closed for breaking the protocol."),
		StoreErrors: f("store_errors_total", "Failed store operations (retried)."),
		LimitHits:   vec("limit_hits_total", "Requests refused by a limit (conns_per_ip, http, room_clients, rooms, rooms_per_ip, board_points, board_strokes).", "limit"),
		RateLimited: vec("rate_limited_total", "Client frames slowed down (or cursors dropped) by rate limits, by class.", "class"),
		Fanout: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "fanout_seconds",
				Help:    "Time from an op's arrival at its room to its frame being queued to every session.",
				Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
			reg.MustRegister(h)
			return h
		}(),
		Reconnects:    f("redis_reconnects_total", "Redis mode: times the pub/sub connection was lost and re-established."),
		BusDrops:      f("bus_drops_total", "Redis mode: published batches dropped because a room's inbox was full (repaired from the log)."),
		RelayDrops:    f("relay_drops_total", "Redis mode: news of other replicas' people (who is on a board, cursors, claims) dropped: malformed, a room's inbox full, or the relay queue full."),
		Resyncs:       f("resyncs_total", "Redis mode: reads of a room's log to catch up (gaps, resubscriptions, drops)."),
		Archived:      f("boards_archived_total", "With --archive-url: boards nobody used written to PostgreSQL and removed from Redis."),
		Restored:      f("boards_restored_total", "With --archive-url: archived boards loaded back into Redis when opened."),
		ArchiveErrors: f("archive_errors_total", "With --archive-url: archives, loads back or history moves to PostgreSQL that failed (retried later)."),
		PipelineRooms: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "redis_pipeline_rooms",
				Help:    "Redis mode: rooms whose batches of ops went to the sequencer in one pipelined round trip (the count is the round trips).",
				Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512}})
			reg.MustRegister(h)
			return h
		}(),
		PipelineTime: func() prometheus.Histogram {
			h := prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "sketchpad", Name: "redis_pipeline_seconds",
				Help:    "Redis mode: time from a pipeline of submits leaving to its replies being handed to the rooms.",
				Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}})
			reg.MustRegister(h)
			return h
		}(),
	}
}
