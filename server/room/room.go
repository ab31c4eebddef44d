package room

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A Room is one board on this replica: its sessions, the board state, and
// the single goroutine (run) that owns both. Everything that touches the
// board or the session set arrives as an event on inbox and is handled in
// order, so there are no locks around the board and a late joiner's
// snapshot is always taken between two ops: never a gap, never a duplicate.
//
// The loop batches: after an event it drains whatever else is waiting, then
// flushes once: the new ops go to the store in one append (durable), and
// one frame (encoded once) goes to every session. Ops are acknowledged to
// their author by that frame, so nothing acknowledged is ever lost.
//
// The room knows one oplog.Log, which numbers its ops and keeps them, and
// every op takes one path, whichever log it is: the ops its peers send are
// held, then submitted to the log in one batch (submit); the log numbers
// them (skipping resends), makes them durable and replies; the room
// applies numbered ops strictly in sequence order and sends them in one
// frame, encoded once (see numbering.go). Ops numbered by other replicas
// (a log Shared by several) arrive through the same log, from its
// subscriber (Published) or read back after a gap (resync), and take the
// same last step. Submits are pipelined: the room goes on holding what
// arrives while the log stores a batch, one batch in flight, so an
// author's ops reach the log in order and a slow fsync or round trip
// delays the frames but never the room's loop. Whatever needs the board's
// durable state (a joiner's view, a shutdown) settles first: it waits for
// the batch in flight and submits the rest.
type Room struct {
	name   string
	hub    *Hub
	log    oplog.Log // where the room's ops are numbered and kept
	shared bool      // other replicas write to log too: its outages pass, and it is not compacted on close
	cfg    *config.Config
	logger *slog.Logger
	inbox  *roomInbox
	done   chan struct{} // closed when run returns
	behind atomic.Bool   // Redis mode: a bus message was dropped or a resync is due
	askDue atomic.Bool   // Redis mode: ask the other replicas who is on the board (remote.go)
	// Redis mode: the room knows another replica with the board open, so
	// the hub's ticker wakes it to announce its people (remote.go).
	relaying atomic.Bool

	// Owned by run:
	board    *canvas.Board
	recent   recentOps // the latest ops, for replay to reconnecting clients
	sessions map[Peer]*member
	authors  map[uint32]Peer    // the session currently speaking for each author
	people   map[uint32]*person // presence by author
	// The name each author showed last while on this room (kept after
	// they leave): what the versions it marks call them (history.go).
	names   map[uint32]string
	pending []canvas.SeqOp // numbered and applied, not yet in the frame for everyone
	pendSeq uint64         // sequence number of pending[0]
	// Where the log replies to the batch in flight (buffered, one in
	// flight; see submit).
	submitDone chan oplog.SubmitResult
	out        []byte // frame being built for everyone
	cursors    map[uint32]canvas.Cursor
	// Laser trail points each author sent since the last Lasers (at most
	// canvas.MaxLaserPoints each): relayed with the cursors, never stored.
	lasers map[uint32][]canvas.Cursor
	// The latest view of each author who moved it since the last Views
	// (follow the leader): relayed with the cursors, never stored.
	views   map[uint32]canvas.View
	editors map[uint32]canvas.StrokeID // the text each person edits (editing.go)
	rem     remotes                    // the people on other replicas (remote.go)
	curDue  time.Time                  // when cursors, lasers and views may next be sent
	sentAt  time.Time                  // when the last frame went out
	// paidUntil is how far ahead the room's frames have spent its share
	// of a core (sendDue): each frame sent moves it a sendInterval on from
	// now or from where it was, whichever is later.
	paidUntil time.Time
	outUrgent bool // r.out holds ops, a snapshot or cursors (not only presence and notices)
	sinceSnap int  // ops since the last stored snapshot
	// outSeq is the last op in a frame for everyone (0: none yet): what
	// every session has been sent, so the next ops may go in the
	// follow-on form (canvas.AppendOpsNext).
	outSeq    uint64
	op        canvas.Op // scratch for decoding
	failed    error     // set when the room could not load
	handedOut uint32    // highest author id handed out: a client may resume up to it
	arrived   time.Time // when the oldest op not yet submitted arrived (fan-out latency)
	// When the oldest op of the batch in flight, and of the ops waiting
	// in out, arrived.
	commitArrived, outArrived time.Time
	outHasOps                 bool // r.out holds ops (or a snapshot): send before a join's view is cut
	// The encoded Snapshot message of the board at snapSeq, shared by the
	// joiners that arrive while the board does not change.
	snapMsg []byte
	snapSeq uint64
	// The reserved block of author ids: next to hand out, and the last.
	authorNext, authorLast uint32
	// The events taken from the inbox and not yet handled (those after
	// the one being handled): newAuthor counts the joins among them.
	unhandled []event
	order     orderState // ops on their way to the board (numbering.go)
	// The hub's close of the room once it has been empty for
	// cfg.RoomIdle (nil while someone is attached), and which empty spell
	// it belongs to; both guarded by hub.mu.
	idleTimer *time.Timer
	idleGen   uint64
	// What the room's memory was last counted as in the hub's gauges
	// (account).
	held heldBytes
	// Closed when the previous room of the same name, closing, has
	// stored everything: this one loads only then (nil: none).
	prev <-chan struct{}
}

// member is a session's place in the room. Owned by run.
type member struct {
	author    uint32
	nextIndex uint64 // index the session's next op has
}

type person struct {
	canvas.Presence
	sessions int
	asked    bool // Color was handed out by the room, not picked (colors.go)
}

type eventKind uint8

const (
	evJoin eventKind = iota
	evLeave
	evOp
	evCursor
	evLaser
	evView
	evName
	evEditing // cur holds the text's author and number (editing.go)
	evClose
	evPeek     // a copy of the board, for /b/{room}.svg
	evBus      // Redis mode: a published batch (data)
	evWake     // Redis mode: look at the behind flag
	evRelay    // Redis mode: another replica's news (data; cur holds the replica, remote.go)
	evAnnounce // Redis mode: the hub's ticker: announce this room's people if due (remote.go)
)

type event struct {
	kind  eventKind
	s     Peer
	hello *canvas.Hello // rare payloads are pointers: an event stays small (inboxes hold many)
	data  []byte        // op bytes (owned by the event)
	cur   canvas.Cursor
	name  *canvas.Name
	laser *canvas.Laser
	view  canvas.View
	peek  chan<- peekReply
	batch *published // evBus
}

// published is a batch another replica (or this one) published through
// the log, as the log decoded it.
type published struct {
	epoch, first uint64
	ops          []canvas.SeqOp
}

type peekReply struct {
	board *canvas.Board
	err   error
}

func newRoom(name string, hub *Hub) *Room {
	r := &Room{
		name:     name,
		hub:      hub,
		log:      hub.log,
		shared:   hub.log.Shared(),
		cfg:      hub.cfg,
		logger:   hub.logger.With("room", name),
		done:     make(chan struct{}),
		sessions: make(map[Peer]*member),
		authors:  make(map[uint32]Peer),
		people:   make(map[uint32]*person),
		names:    make(map[uint32]string),
		cursors:  make(map[uint32]canvas.Cursor),
		lasers:   make(map[uint32][]canvas.Cursor),
		views:    make(map[uint32]canvas.View),
		editors:  make(map[uint32]canvas.StrokeID),
		recent:   newRecentOps(hub.cfg),

		submitDone: make(chan oplog.SubmitResult, 1),
	}
	r.rem.by = make(map[uint64]*replica)
	if rl, ok := hub.log.(oplog.Relay); ok && r.shared {
		r.rem.relay = rl
	}
	r.inbox = newRoomInbox(hub.cfg.RoomInbox, r.unpark, hub.metrics.RoomsParked)
	return r
}

// post hands an event to the room. It blocks while the inbox is full, which
// pushes back on the sender's connection, not on the room.
func (r *Room) post(ev event) {
	r.inbox.put(ev, r.done, nil)
}

func (r *Room) load(ctx context.Context) error {
	st, err := r.log.Open(ctx, r.name)
	if err != nil {
		return err
	}
	r.recent = newRecentOps(r.cfg)
	r.authorNext, r.authorLast = 0, 0
	r.snapMsg = nil
	// Every op the log kept goes to the replay window, those before the
	// snapshot included (Redis mode keeps them for replay), as long as
	// they follow each other.
	b, err := oplog.StoredBoard(r.name, st, &r.op, func(so oplog.StoredOp) {
		if len(r.recent.ops) == 0 || so.Seq == r.recent.base+uint64(len(r.recent.ops)) {
			r.recent.add(so.Seq, canvas.SeqOp{Author: so.Author, Op: so.Op})
		}
	})
	if err != nil {
		return err
	}
	if b.Epoch == 0 {
		b.Epoch = oplog.NewEpoch()
	}
	if len(r.recent.ops) > 0 && r.recent.base+uint64(len(r.recent.ops)) != b.Seq+1 {
		r.recent = newRecentOps(r.cfg)
	}
	r.sinceSnap = len(st.Ops)
	r.handedOut = max(st.Authors, b.MaxAuthor())
	r.board = b
	return nil
}

// run opens the room and runs its loop. The room's goroutine ends when
// the hub closes it, or for a while when the room parks (see loop).
func (r *Room) run() {
	if r.prev != nil {
		<-r.prev
		r.prev = nil
	}
	// Watch before reading the log: ops published in between come twice
	// (skipped by sequence number), never zero times.
	r.log.Watch(r.name, r)
	if err := r.load(context.Background()); err != nil {
		r.logger.Error("load room", "err", err)
		r.failed = err
	}
	r.loop(false)
}

// loop handles the room's events. A room whose loop has nothing to wait
// for but events for cfg.RoomPark parks: loop returns and the goroutine
// ends, and the next event queued starts loop again on a new one. An idle
// board then costs no goroutine stack (about 6 KiB a room, which in rooms
// of ten was a tenth of an idle connection), and neither does an empty one
// waiting for its close. Closing is not the loop's to time: the hub closes
// a room cfg.RoomIdle after its last person left (Hub.release) by posting
// evClose, which wakes a parked room to store what it holds and stop.
//
// News of other replicas' people (evRelay, evAnnounce: remote.go) is not
// activity: a room woken from its park by nothing else (woken) relays
// what is due and parks again at once, so a quiet board open on several
// replicas still gives up its goroutine between announcements.
func (r *Room) loop(woken bool) {
	ctx := context.Background()
	due := time.NewTimer(time.Hour)
	defer due.Stop()
	park := time.NewTimer(r.cfg.RoomPark)
	defer park.Stop()
	var evs []event
	batches, batchesAtPark := 0, 0
	for {
		var dueC <-chan time.Time
		if d, ok := r.nextDue(true); ok {
			due.Reset(time.Until(d))
			dueC = due.C
		} else {
			due.Stop()
		}
		select {
		case <-r.inbox.notify:
			evs = r.inbox.take(evs)
			if !background(evs) {
				batches++
			}
			for i, ev := range evs {
				r.unhandled = evs[i+1:]
				if !r.handle(ctx, ev) {
					r.stop(ctx)
					return
				}
			}
			r.unhandled = nil
		case res := <-r.submitDone:
			r.submitted(res)
		case <-dueC:
		case <-park.C:
			// Quiet since the last tick (no batch taken): park if there is
			// nothing to wait for but events.
			if batches == batchesAtPark && r.parkable() && r.inbox.park() {
				return // the next event runs loop on another goroutine: touch nothing
			}
			batchesAtPark = batches
			park.Reset(r.cfg.RoomPark)
		}
		r.tend()
		r.flush(ctx, false)
		r.account()
		if woken && batches == 0 && r.parkable() && r.inbox.park() {
			return
		}
	}
}

// unpark starts the loop of a parked room again: the inbox calls it when
// an event arrives for a parked room.
func (r *Room) unpark() {
	go r.loop(true)
}

// parkable reports whether the loop has nothing to wait for but events:
// no batch is in flight, nothing is held to send, store or
// submit, no timer is due.
func (r *Room) parkable() bool {
	if len(r.pending) > 0 || len(r.out) > 0 || r.behind.Load() {
		return false
	}
	if r.order.inflight != nil || len(r.order.subs) > 0 {
		return false
	}
	if len(r.rem.out) > 0 || r.rem.answer || r.askDue.Load() {
		return false // news for the other replicas waits to go (remote.go)
	}
	_, due := r.nextDue(false)
	return !due
}

// stop ends the room for good: a last flush and snapshot, sessions told to
// reconnect (shutdown), and the room's place in the hub given up.
func (r *Room) stop(ctx context.Context) {
	r.shutdown(ctx)
	r.relayBye()
	r.log.Unwatch(r.name, r)
	r.forget()
	r.hub.stopped(r)
	close(r.done)
	r.hub.wg.Done()
}

// handle processes one event; it returns false when the room must stop.
func (r *Room) handle(ctx context.Context, ev event) bool {
	switch ev.kind {
	case evClose:
		return false
	case evJoin:
		r.join(ctx, ev.s, ev.hello)
	case evLeave:
		r.leave(ev.s)
	case evOp:
		if r.arrived.IsZero() {
			r.arrived = time.Now()
		}
		r.applyOp(ev.s, ev.data)
	case evCursor:
		if m := r.sessions[ev.s]; m != nil {
			r.cursors[m.author] = ev.cur
		}
	case evLaser:
		if m := r.sessions[ev.s]; m != nil {
			pts := r.lasers[m.author]
			room := canvas.MaxLaserPoints - len(pts)
			r.lasers[m.author] = append(pts, ev.laser.Points[:min(room, len(ev.laser.Points))]...)
		}
	case evView:
		if m := r.sessions[ev.s]; m != nil {
			r.views[m.author] = ev.view
		}
	case evEditing:
		r.editing(ev.s, canvas.StrokeID{Author: uint32(ev.cur.X), N: uint32(ev.cur.Y)})
	case evName:
		if m := r.sessions[ev.s]; m != nil {
			p := r.people[m.author]
			p.Name = ev.name.Name
			r.setColor(ev.s, p, ev.name.Color)
			r.names[m.author] = p.Name
			start := len(r.out)
			r.out = canvas.AppendPresence(r.out, &p.Presence)
			r.relayNews(start)
		}
	case evPeek: // not attached (Hub.openRoom): nothing to release
		r.retryLoad(ctx)
		r.settle()
		if r.failed != nil {
			ev.peek <- peekReply{err: r.failed}
		} else {
			ev.peek <- peekReply{board: r.board.Clone()}
		}
	case evBus:
		n := len(r.pending)
		r.busMessage(ev.batch)
		if len(r.pending) > n && r.outArrived.IsZero() {
			// Numbered already: they wait only for the frame. (A batch
			// of this replica's own ops, back from pub/sub after its
			// reply, adds nothing and waits for nothing.)
			r.outArrived = time.Now()
		}
	case evWake:
	case evRelay:
		r.relayedEvent(uint64(uint32(ev.cur.X))<<32|uint64(uint32(ev.cur.Y)), ev.data)
	case evAnnounce:
		r.announceTick(time.Now())
	}
	return true
}

// retryLoad loads a room that failed to load from a shared log (Redis was
// down when the room opened); a local store's failure is for good.
func (r *Room) retryLoad(ctx context.Context) {
	if r.failed != nil && r.shared {
		if err := r.load(ctx); err == nil {
			r.failed = nil
		}
	}
}

// nextDue is when the loop must wake without an event: cursors to send, a
// retry of the shared log, a sequence gap to repair, and with relay the
// relay's timers (a parked room leaves them to the hub's ticker).
func (r *Room) nextDue(relay bool) (time.Time, bool) {
	var t time.Time
	if len(r.cursors) > 0 || len(r.lasers) > 0 || len(r.views) > 0 {
		t = r.curDue
	}
	if len(r.out) > 0 {
		if d := r.sendDue(); t.IsZero() || d.Before(t) {
			t = d
		}
	}
	if c, ok := r.order.due(); ok && (t.IsZero() || c.Before(t)) {
		t = c
	}
	if c, ok := r.relayDue(); relay && ok && (t.IsZero() || c.Before(t)) {
		t = c
	}
	return t, !t.IsZero()
}

// applyOp takes one op from s and holds it for the log to number. Its
// index is the author's count of ops sent: the log skips an index it has
// numbered already (a resend from an older connection) and refuses one
// past it (a gap: the sender is out of step, and is closed).
func (r *Room) applyOp(s Peer, data []byte) {
	m := r.sessions[s]
	if m == nil {
		return
	}
	idx := m.nextIndex
	m.nextIndex++
	var size growth
	var purgeBase *growth
	switch t := canvas.OpType(data[0]); {
	case canvas.AddsToBoard(t):
		if err := canvas.DecodeOp(data, &r.op); err != nil {
			// The session validated it already; this is a bug, not input.
			r.logger.Error("decode validated op", "err", err)
			return
		}
		size = r.sizeOf(m.author)
		if r.overLimits(size) {
			if base, ok := r.purgeRoom(size); ok {
				// The swept strokes make the room: this op drops them.
				data, purgeBase = append([]byte{byte(canvas.OpPurge)}, data...), &base
				break
			}
			r.boardFull(s, size)
			data, size = refusedOp, growth{}
		}
	case t == canvas.OpRemove || t == canvas.OpUnsweep:
		if why := r.forbidden(s, data); why != "" {
			s.Send(canvas.AppendNotice(nil, &canvas.Notice{Code: canvas.NoticeForbidden, Message: why}))
			data = refusedOp
		}
	}
	r.queue(s, m.author, idx, data, size, purgeBase)
}

// refusedOp is what the room numbers instead of an op it refuses (the
// board is full, see overLimits; the sender may not send it, see
// forbidden): an End, which only closes the author's open stroke. The
// author's op indices stay in step, and every replica of the board
// applies the same.
var refusedOp = canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd})

// forbidden says why s may not send op data (a Remove or an Unsweep), or
// "" when it may: removing someone's work, and undoing a removal, are for
// moderators; undoing a clear is for anyone who can draw.
func (r *Room) forbidden(s Peer, data []byte) string {
	if moderates(s) {
		return ""
	}
	if err := canvas.DecodeOp(data, &r.op); err != nil {
		r.logger.Error("decode validated op", "err", err)
		return "malformed op"
	}
	if r.op.Type == canvas.OpRemove {
		return "Only a moderator can remove someone's work."
	}
	if _, removed := r.board.SweepOf(r.op.Sweep); removed {
		return "Only a moderator can undo a removal."
	}
	return ""
}

// shutdown flushes, stores a snapshot and tells every session to reconnect.
func (r *Room) shutdown(ctx context.Context) {
	if r.failed != nil {
		return
	}
	r.settle()
	r.flush(ctx, true)
	if !r.shared && r.sinceSnap > 0 {
		r.compact(ctx)
	}
	for s := range r.sessions {
		s.Close(canvas.CloseGoingAway, "server going away, reconnect")
	}
}
