package server

import (
	"log/slog"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/room"
)

// wsHandler is this replica's WebSocket side: it adapts gws events to
// sessions (session.go), holds the per-address limits every connection
// and HTTP request is checked against, and pings every open connection.
type wsHandler struct {
	rooms   *room.Hub
	cfg     *config.Config
	metrics *metrics.Metrics
	log     *slog.Logger
	noisy   *limitedLog
	ips     *ipLimits

	// Every open connection, for the one pinger (a goroutine and a ticker
	// per connection cost more than the idle connection itself).
	connMu   sync.Mutex
	conns    map[*Session]struct{}
	pingOnce sync.Once
	stopOnce sync.Once
	stop     chan struct{} // closed by close: the pinger ends
}

func newWSHandler(rooms *room.Hub, cfg *config.Config, m *metrics.Metrics, log *slog.Logger) *wsHandler {
	return &wsHandler{
		rooms: rooms, cfg: cfg, metrics: m, log: log,
		noisy: newLimitedLog(cfg.NoisyLogsPerMinute),
		ips:   newIPLimits(100_000),
		stop:  make(chan struct{}),
	}
}

// close stops the pinger.
func (h *wsHandler) close() { h.stopOnce.Do(func() { close(h.stop) }) }

// track adds a connection to the pinger's set (until it closes).
func (h *wsHandler) track(s *Session) {
	h.pingOnce.Do(func() { go h.pinger() })
	h.connMu.Lock()
	if h.conns == nil {
		h.conns = make(map[*Session]struct{})
	}
	h.conns[s] = struct{}{}
	h.connMu.Unlock()
}

func (h *wsHandler) untrack(s *Session) {
	h.connMu.Lock()
	delete(h.conns, s)
	h.connMu.Unlock()
}

// pinger pings every connection each half of the idle timeout, spread
// over the period so the writes do not all land at once. (A ping and its
// pong are most of what an idle connection costs; twice per timeout is
// enough for a pong to arrive in time on any link that still works.)
func (h *wsHandler) pinger() {
	period := h.cfg.IdleTimeout / 2
	for {
		h.connMu.Lock()
		all := make([]*Session, 0, len(h.conns))
		for s := range h.conns {
			all = append(all, s)
		}
		h.connMu.Unlock()
		// In steps of a quarter second: waking for every ping (each 3 ms
		// with 10,000 connections) cost more in scheduling than the pings.
		start := time.Now()
		for i, s := range all {
			if !s.Closed() {
				s.ping()
			}
			if due := start.Add(period * time.Duration(i+1) / time.Duration(len(all))); time.Until(due) > 250*time.Millisecond && !h.sleep(time.Until(due)) {
				return
			}
		}
		if !h.sleep(time.Until(start.Add(period))) {
			return
		}
	}
}

// sleep waits d; it returns false if the hub closed meanwhile.
func (h *wsHandler) sleep(d time.Duration) bool {
	if d <= 0 {
		d = time.Millisecond
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-h.stop:
		return false
	}
}
