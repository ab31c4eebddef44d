package ws

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/room"
)

// Handler is this replica's WebSocket side: it upgrades requests to
// sessions (Accept), adapts gws events to them (session.go), holds the
// per-address limits every connection and HTTP request is checked
// against, and pings every open connection.
type Handler struct {
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
	stop     chan struct{} // closed by Close: the pinger ends
	upgrader *gws.Upgrader
	images   ImageChecker // where Image ops' hashes are checked (images.go)
}

// New returns the WebSocket side of a replica whose boards are rooms.
func New(rooms *room.Hub, cfg *config.Config, m *metrics.Metrics, log *slog.Logger) *Handler {
	h := &Handler{
		rooms: rooms, cfg: cfg, metrics: m, log: log,
		noisy: newLimitedLog(cfg.NoisyLogsPerMinute),
		ips:   newIPLimits(100_000),
		stop:  make(chan struct{}),
	}
	h.upgrader = gws.NewUpgrader(h, &gws.ServerOption{
		ReadMaxPayloadSize: cfg.MaxFrameBytes,
		ReadBufferSize:     128, // client frames are one op, mostly a few dozen bytes; an idle connection keeps this buffer (a bigger frame's payload is read past it)
		HandshakeTimeout:   cfg.HandshakeTimeout,
		Recovery:           gws.Recovery,
		Logger:             slogAdapter{log},
		// The web side checks the origin (and what the link allows)
		// before Accept.
		Authorize:  func(r *http.Request, _ gws.SessionStorage) bool { return true },
		NewSession: func() gws.SessionStorage { return &sessionSlot{} },
	})
	return h
}

// Grant is what a connection may do, as the web side resolved it from the
// link or token it came with.
type Grant struct {
	Board    string    // the board's name
	ReadOnly bool      // a view link or a view token: ops are refused
	Moderate bool      // a moderator link or token: may remove someone's work (room.Moderator)
	Name     string    // an embed token's display name, if any
	Expires  time.Time // an embed token's expiry: ops after it are refused
}

// ErrTooManyConnections: the client address has cfg.MaxConnsPerIP
// connections open already.
var ErrTooManyConnections = errors.New("too many connections from this address")

// Accept upgrades a request from client address ip to a session on
// g.Board. On an error other than ErrTooManyConnections gws has answered
// the client already.
func (h *Handler) Accept(w http.ResponseWriter, r *http.Request, ip string, g Grant) error {
	entry, ok := h.ips.connect(ip, h.cfg.MaxConnsPerIP)
	if !ok {
		h.metrics.LimitHits.WithLabelValues("conns_per_ip").Inc()
		return ErrTooManyConnections
	}
	conn, err := h.upgrader.Upgrade(w, r)
	if err != nil {
		entry.disconnect()
		return err
	}
	s := &Session{ws: h, roomName: g.Board, readOnly: g.ReadOnly, moderator: g.Moderate, forcedName: g.Name, expires: g.Expires, conn: conn}
	s.lim.ip = entry
	s.lim.opened(time.Now())
	conn.Session().Store(sessionKey, s)
	h.track(s)
	go conn.ReadLoop()
	return nil
}

// TakeHTTP takes a token from ip's budget of HTTP requests (cfg.RateHTTP):
// 0 when the request may go ahead, else how long until it may.
func (h *Handler) TakeHTTP(ip string, now time.Time) time.Duration {
	return h.ips.takeHTTP(ip, h.cfg.RateHTTP, now)
}

// Address is client address ip's entry in the per-address table, for a
// request that opens a board without a session (a restore draws its copy
// as a peer of the server's own): room.Hub counts it against
// cfg.MaxRoomsPerIP as it does a session's board.
func (h *Handler) Address(ip string) room.Address {
	return h.ips.entry(ip, time.Now())
}

// Close stops the pinger.
func (h *Handler) Close() { h.stopOnce.Do(func() { close(h.stop) }) }

// track adds a connection to the pinger's set (until it closes).
func (h *Handler) track(s *Session) {
	h.pingOnce.Do(func() { go h.pinger() })
	h.connMu.Lock()
	if h.conns == nil {
		h.conns = make(map[*Session]struct{})
	}
	h.conns[s] = struct{}{}
	h.connMu.Unlock()
}

func (h *Handler) untrack(s *Session) {
	h.connMu.Lock()
	delete(h.conns, s)
	h.connMu.Unlock()
}

// pinger pings every connection each half of the idle timeout, spread
// over the period so the writes do not all land at once. (A ping and its
// pong are most of what an idle connection costs; twice per timeout is
// enough for a pong to arrive in time on any link that still works.)
func (h *Handler) pinger() {
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
func (h *Handler) sleep(d time.Duration) bool {
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

// ping queues a ping to the client (browsers answer by themselves),
// behind the frames already queued.
func (s *Session) ping() {
	if !s.Closed() {
		s.enqueue(outFrame{op: gws.OpcodePing})
	}
}

type slogAdapter struct{ l *slog.Logger }

func (s slogAdapter) Error(v ...any) { s.l.Error(fmt.Sprint(v...)) }
