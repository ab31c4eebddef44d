package room

import (
	"context"

	"log/slog"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/canvas"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// Hub is this replica's set of open rooms. A room is opened by the first
// session that says Hello in it and closes itself when it has been empty
// for cfg.RoomIdle.
type Hub struct {
	cfg     *config.Config
	log     oplog.Log // where the rooms' ops are numbered and kept
	logger  *slog.Logger
	metrics *metrics.Metrics
	cost    frameCost // what a frame sent costs this replica (Room.sendInterval)

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
	onBoards map[Address]map[string]int
	closed   bool
	wg       sync.WaitGroup // running room loops
	// The relay's ticker (remote.go): closed to stop it, and closed by
	// it when it stopped (nil without a relay, or once stopped).
	tickStop, tickDone chan struct{}
}

// NewHub returns a hub whose rooms keep their ops in oplog. cfg must have
// its defaults filled in.
func NewHub(cfg *config.Config, ops oplog.Log, logger *slog.Logger, m *metrics.Metrics) *Hub {
	h := &Hub{
		cfg: cfg, log: ops, logger: logger, metrics: m,
		rooms:       make(map[string]*Room),
		refs:        make(map[*Room]int),
		empty:       make(map[*Room]time.Time),
		closing:     make(map[*Room]struct{}),
		lastClosing: make(map[string]*Room),
		onBoards:    make(map[Address]map[string]int),
	}
	if _, ok := ops.(oplog.Relay); ok && ops.Shared() && cfg.SyncInterval > 0 {
		h.tickStop, h.tickDone = make(chan struct{}), make(chan struct{})
		go h.relayTicker(3*cfg.SyncInterval, h.tickStop, h.tickDone)
	}
	return h
}

// acquire returns the open room name, opening it if needed, and counts one
// more session attached to it. by is the client address the session comes
// from (nil for the server's own reads): an address may be on at most
// cfg.MaxRoomsPerIP boards at once, so that no one address holds more than
// its share of the replica. At cfg.MaxRooms the board nobody has been on
// for longest closes to make room; only when every open board has someone
// on it is a new one refused. A refusal returns nil and the reason, for
// the person refused.
func (h *Hub) Acquire(name string, by Address) (*Room, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[name]
	if why := h.admitLocked(name, by); why != "" {
		return nil, why
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
	h.countLocked(name, by)
	return r, ""
}

// Hold counts address by on board name as Acquire does, without opening
// the room: for the server writing a new board's log directly on a
// client's behalf (a restore writes the whole copy as one batch before
// any room holds it). It returns why not, or "" and the caller calls Left.
func (h *Hub) Hold(name string, by Address) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if why := h.admitLocked(name, by); why != "" {
		return why
	}
	h.countLocked(name, by)
	return ""
}

// admitLocked returns why address by may not be on one more board
// (cfg.MaxRoomsPerIP), or "".
func (h *Hub) admitLocked(name string, by Address) string {
	if by == nil || by.Shared() {
		return ""
	}
	if boards := h.onBoards[by]; boards[name] == 0 && len(boards) >= h.cfg.MaxRoomsPerIP {
		h.metrics.LimitHits.WithLabelValues("rooms_per_ip").Inc()
		return "this address has the most boards open it may; leave one and try again"
	}
	return ""
}

// countLocked counts address by on board name once more (Left undoes it).
func (h *Hub) countLocked(name string, by Address) {
	if by == nil || by.Shared() {
		return
	}
	boards := h.onBoards[by]
	if boards == nil {
		boards = make(map[string]int)
		h.onBoards[by] = boards
	}
	boards[name]++
}

// left is called when a session that acquired name (from address by)
// closes.
func (h *Hub) Left(name string, by Address) {
	if by == nil || by.Shared() {
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
	h.closed = true
	stop := h.tickStop
	h.tickStop = nil
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.post(event{kind: evClose})
	}
	h.wg.Wait()
	if stop != nil {
		close(stop)
		<-h.tickDone
	}
}

// openRoom returns the room name if it is open on this replica, or nil;
// unlike acquire it never opens one, and it does not count as someone on
// the board: a picture neither keeps an empty board open longer nor
// spares it from eviction.
func (h *Hub) OpenRoom(name string) *Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	return h.rooms[name]
}

// peek returns a copy of the board of r (from openRoom). ok is false when
// the room closed first: it stored everything as it closed, so the caller
// reads the stored board instead.
func (h *Hub) Peek(ctx context.Context, r *Room) (b *canvas.Board, ok bool, err error) {
	reply := make(chan peekReply, 1)
	if !r.inbox.put(event{kind: evPeek, peek: reply}, r.done, ctx.Done()) {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		return nil, false, nil
	}
	select {
	case p := <-reply:
		return p.board, true, p.err
	case <-r.done:
		// Closed with the peek still queued: it was never handled.
		return nil, false, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}
