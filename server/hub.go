package server

import (
	"log/slog"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
)

// Hub is this replica's set of open rooms. A room is opened by the first
// session that says Hello in it and closes itself when it has been empty
// for cfg.RoomIdle.
type Hub struct {
	cfg     *config.Config
	oplog   Log  // where the rooms' ops are numbered and kept
	solo    bool // this replica is the only writer of oplog (embedded mode)
	log     *slog.Logger
	metrics *metrics.Metrics
	noisy   *limitedLog
	ips     *ipLimits
	cost    frameCost // what a frame sent costs this replica (Room.sendInterval)

	// Every open connection, for the one pinger (a goroutine and a ticker
	// per connection cost more than the idle connection itself).
	connMu   sync.Mutex
	conns    map[*Session]struct{}
	pingOnce sync.Once
	stop     chan struct{} // closed by Close: the pinger ends

	mu    sync.Mutex       // guards rooms, refs, empty, closing, lastClosing, onBoards, closed
	rooms map[string]*Room // open rooms by name
	refs  map[*Room]int    // sessions attached (Hello sent, not yet left)
	// The open rooms nobody is attached to, and since when: at
	// cfg.MaxRooms the oldest of them closes to make room.
	empty map[*Room]time.Time
	// Rooms removed from rooms and still storing what they hold, and the
	// latest of them by name: a room opened again under that name loads
	// only after it (Room.prev).
	closing     map[*Room]struct{}
	lastClosing map[string]*Room
	// For each client address, the boards its sessions are on and how
	// many sessions on each (cfg.MaxRoomsPerIP).
	onBoards map[*ipEntry]map[string]int
	closed   bool
	wg       sync.WaitGroup // running room loops
}

// NewHub returns a hub whose rooms keep their ops in oplog. cfg must have
// its defaults filled in.
func NewHub(cfg *config.Config, oplog Log, log *slog.Logger, m *metrics.Metrics) *Hub {
	_, solo := oplog.(*localLog)
	return &Hub{
		cfg: cfg, oplog: oplog, solo: solo, log: log, metrics: m,
		noisy:       newLimitedLog(cfg.NoisyLogsPerMinute),
		ips:         newIPLimits(100_000),
		rooms:       make(map[string]*Room),
		refs:        make(map[*Room]int),
		empty:       make(map[*Room]time.Time),
		closing:     make(map[*Room]struct{}),
		lastClosing: make(map[string]*Room),
		onBoards:    make(map[*ipEntry]map[string]int),
		stop:        make(chan struct{}),
	}
}

// track adds a connection to the pinger's set (until it closes).
func (h *Hub) track(s *Session) {
	h.pingOnce.Do(func() { go h.pinger() })
	h.connMu.Lock()
	if h.conns == nil {
		h.conns = make(map[*Session]struct{})
	}
	h.conns[s] = struct{}{}
	h.connMu.Unlock()
}

func (h *Hub) untrack(s *Session) {
	h.connMu.Lock()
	delete(h.conns, s)
	h.connMu.Unlock()
}

// pinger pings every connection each half of the idle timeout, spread
// over the period so the writes do not all land at once. (A ping and its
// pong are most of what an idle connection costs; twice per timeout is
// enough for a pong to arrive in time on any link that still works.)
func (h *Hub) pinger() {
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
			if !s.isClosed() {
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
func (h *Hub) sleep(d time.Duration) bool {
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

// acquire returns the open room name, opening it if needed, and counts one
// more session attached to it. by is the client address the session comes
// from (nil for the server's own reads): an address may be on at most
// cfg.MaxRoomsPerIP boards at once, so that no one address holds more than
// its share of the replica. At cfg.MaxRooms the board nobody has been on
// for longest closes to make room; only when every open board has someone
// on it is a new one refused. A refusal returns nil and the reason, for
// the person refused.
func (h *Hub) acquire(name string, by *ipEntry) (*Room, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[name]
	if by != nil && !by.shared {
		if boards := h.onBoards[by]; boards[name] == 0 && len(boards) >= h.cfg.MaxRoomsPerIP {
			h.metrics.LimitHits.WithLabelValues("rooms_per_ip").Inc()
			return nil, "this address has the most boards open it may; leave one and try again"
		}
	}
	if r == nil && !h.closed && len(h.rooms) >= h.cfg.MaxRooms && !h.evictLocked() {
		h.metrics.LimitHits.WithLabelValues("rooms").Inc()
		return nil, "this server has the most boards open it allows; try again later"
	}
	if r == nil {
		r = newRoom(name, h)
		if h.closed {
			close(r.done) // posts to it return at once
			return r, ""
		}
		if prev := h.lastClosing[name]; prev != nil {
			r.prev = prev.done
		}
		h.rooms[name] = r
		h.metrics.Rooms.Inc()
		h.wg.Add(1) // done when the room stops (Room.stop)
		go r.run()
	}
	h.refs[r]++
	if r.idleTimer != nil {
		r.idleTimer.Stop()
		r.idleTimer = nil
	}
	delete(h.empty, r)
	if by != nil && !by.shared {
		boards := h.onBoards[by]
		if boards == nil {
			boards = make(map[string]int)
			h.onBoards[by] = boards
		}
		boards[name]++
	}
	return r, ""
}

// left is called when a session that acquired name (from address by)
// closes.
func (h *Hub) left(name string, by *ipEntry) {
	if by == nil || by.shared {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	boards := h.onBoards[by]
	if boards[name]--; boards[name] <= 0 {
		delete(boards, name)
	}
	if len(boards) == 0 {
		delete(h.onBoards, by)
	}
}

// release undoes one acquire. Called by the room's loop. When the last
// session has left, the room's close is due cfg.RoomIdle later, unless
// someone attaches meanwhile.
func (h *Hub) release(r *Room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.rooms[r.name] != r {
		return // closing: its count went with it
	}
	if h.refs[r]--; h.refs[r] > 0 {
		return
	}
	h.empty[r] = time.Now()
	r.idleGen++
	gen := r.idleGen
	r.idleTimer = time.AfterFunc(h.cfg.RoomIdle, func() { h.closeIdle(r, gen) })
}

// closeIdle closes r if it is still in the empty spell gen began.
func (h *Hub) closeIdle(r *Room, gen uint64) {
	h.mu.Lock()
	if h.rooms[r.name] != r || h.refs[r] > 0 || r.idleGen != gen {
		h.mu.Unlock()
		return
	}
	h.removeLocked(r)
	h.mu.Unlock()
	r.post(event{kind: evClose})
}

// evictLocked closes the open room nobody has been on for longest, if
// there is one. h.mu must be held.
func (h *Hub) evictLocked() bool {
	var victim *Room
	var since time.Time
	for r, t := range h.empty {
		if victim == nil || t.Before(since) {
			victim, since = r, t
		}
	}
	if victim == nil {
		return false
	}
	h.removeLocked(victim)
	h.metrics.RoomsEvicted.Inc()
	// Its inbox holds no joins (nobody is attached), so the close is
	// queued at once; posted on a goroutine all the same, as h.mu is held.
	go victim.post(event{kind: evClose})
	return true
}

// removeLocked takes r out of the open rooms into the closing ones.
// h.mu must be held.
func (h *Hub) removeLocked(r *Room) {
	delete(h.refs, r)
	delete(h.empty, r)
	if r.idleTimer != nil {
		r.idleTimer.Stop()
		r.idleTimer = nil
	}
	if h.rooms[r.name] == r {
		delete(h.rooms, r.name)
		h.metrics.Rooms.Dec()
	}
	h.closing[r] = struct{}{}
	h.lastClosing[r.name] = r
	h.metrics.RoomsClosing.Inc()
}

// stopped is called by a room whose loop has stored everything and ended
// for good.
func (h *Hub) stopped(r *Room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.closing[r]; ok {
		delete(h.closing, r)
		h.metrics.RoomsClosing.Dec()
	} else if h.rooms[r.name] == r { // stopped by Close
		delete(h.rooms, r.name)
		delete(h.refs, r)
		delete(h.empty, r)
		if r.idleTimer != nil {
			r.idleTimer.Stop()
		}
		h.metrics.Rooms.Dec()
	}
	if h.lastClosing[r.name] == r {
		delete(h.lastClosing, r.name)
	}
}

// Close stops every room: each flushes to the store, writes a snapshot and
// tells its sessions to reconnect. It returns when all have stopped.
func (h *Hub) Close() {
	h.mu.Lock()
	if !h.closed {
		close(h.stop)
	}
	h.closed = true
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.post(event{kind: evClose})
	}
	h.wg.Wait()
}
