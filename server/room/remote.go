package room

import (
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// People on other replicas. In Redis mode the people of one board may be
// connected to several replicas; ops reach them all through the log, and
// everything else a room relays (who is here, cursors, laser trails,
// views, text claims) through the log's Relay: each room relays its own
// people's news to the room of the same board on the other replicas, and
// forwards theirs to its people, who see no difference.
//
// Nothing of it is stored, and pub/sub may drop a message, so the state
// is announced again: a room that opens the board (or subscribes again)
// asks, and every other replica with the board open answers with all of
// its people and claims (relayFull); while a room knows another replica
// it announces its own every announceEvery, and forgets a replica not
// heard from for expireAfter (three announcements missed, and half of
// one for the way), so the people of a replica that died without a word
// disappear within it. A replica that closes the board says so (relayBye).
// A room that knows no other replica relays no news (only its ask when it
// opens the board, and its people every lonelyAnnounceFactor
// announcements while it is awake anyway), so a board on one replica
// costs Redis next to nothing; as soon as another replica speaks (an ask,
// or any message from a replica not known), the room answers with
// everything and relays from then on.
//
// News go out at most once a cursor interval per room, in one message,
// and only when there are news: the cursors, trails and views the room
// batches for its own people anyway, and joins, renames, leaves and
// claims, which are rare.
//
// Remote people are keyed by author id (ids are board-wide, handed out by
// the log), and by replica: one author may be on two replicas at once (a
// reconnect that landed elsewhere before the old connection was noticed
// dead), and is on the board until both have left.

// background reports whether evs hold nothing but relay traffic (news
// from other replicas, the hub's ticker), which does not keep a room from
// parking (loop).
func background(evs []event) bool {
	for i := range evs {
		if k := evs[i].kind; k != evRelay && k != evAnnounce {
			return false
		}
	}
	return true
}

// relayTicker wakes the rooms that know another replica every every
// (announceEvery), until stop: a parked room has no timer of its own, and
// must still announce its people and forget replicas that went silent.
func (h *Hub) relayTicker(every time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	var rooms []*Room
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		rooms = rooms[:0]
		h.mu.Lock()
		for _, r := range h.rooms {
			if r.relaying.Load() {
				rooms = append(rooms, r)
			}
		}
		h.mu.Unlock()
		for _, r := range rooms {
			r.inbox.tryPut(event{kind: evAnnounce}) // full: it is awake anyway
		}
		clear(rooms)
	}
}

// announceTick is the hub's ticker reaching the room: announce now if
// the next announcement is less than half an interval away (the ticker
// and the room's own timer drift apart).
func (r *Room) announceTick(now time.Time) {
	if r.rem.announceDue.Sub(now) < r.announceEvery()/2 {
		r.rem.announceDue = now
	}
}

// announceEvery is how often a room that knows another replica announces
// its people to it: three sync intervals (3 s by default).
func (r *Room) announceEvery() time.Duration { return 3 * r.cfg.SyncInterval }

// expireAfter is how long a replica not heard from keeps its people here:
// three and a half announcements (10.5 s by default).
func (r *Room) expireAfter() time.Duration { return r.announceEvery() * 7 / 2 }

// lonelyAnnounceFactor × announceEvery is how often a room with people
// that knows no other replica announces them anyway (when its loop is
// awake): the rare message that mends two replicas that each forgot the
// other at the same moment (every announcement lost) without noticing.
const lonelyAnnounceFactor = 10

// remotes is what a room knows of the same board on other replicas.
// Owned by run.
type remotes struct {
	relay oplog.Relay         // nil: the log carries no news (one replica)
	by    map[uint64]*replica // by replica id
	out   []byte              // news to relay, behind a relayNews byte
	due   time.Time           // when out may next go
	// When the room next announces its people, and whether it must do so
	// at the next flush (a replica not known spoke, or asked).
	announceDue time.Time
	answer      bool
}

// replica is what a room knows of another replica's people on the board.
type replica struct {
	seen    time.Time // its last message
	people  map[uint32]canvas.Presence
	editors map[uint32]canvas.StrokeID
}

// Relayed takes another replica's news for this board (oplog.RelayListener).
func (r *Room) Relayed(from uint64, msg []byte) {
	// from travels in cur, as a text's name does for evEditing: an event
	// stays small.
	if !r.inbox.tryPut(event{kind: evRelay, data: msg, cur: canvas.Cursor{X: int32(from >> 32), Y: int32(uint32(from))}}) {
		r.hub.metrics.RelayDrops.Inc()
	}
}

var _ oplog.RelayListener = (*Room)(nil)

// remoteHas reports whether author is on a replica other than except.
func (r *Room) remoteHas(author uint32, except uint64) bool {
	for id, rp := range r.rem.by {
		if _, ok := rp.people[author]; ok && id != except {
			return true
		}
	}
	return false
}

// gone tells this room's people that author left, unless author is still
// here or on another replica.
func (r *Room) gone(author uint32) {
	if r.people[author] == nil && !r.remoteHas(author, 0) {
		r.out = canvas.AppendLeave(r.out, author)
	}
}

// unclaimed tells this room's people that author's text claim is over,
// unless author still claims a text here or on another replica.
func (r *Room) unclaimed(author uint32) {
	if _, ok := r.editors[author]; ok {
		return
	}
	for _, rp := range r.rem.by {
		if _, ok := rp.editors[author]; ok {
			return
		}
	}
	r.out = canvas.AppendEditors(r.out, []canvas.Editor{{Editor: author}})
	r.outUrgent = true
}

// relayedEvent handles news from the replica from (r's loop only).
func (r *Room) relayedEvent(from uint64, msg []byte) {
	if r.rem.relay == nil {
		return
	}
	m, err := decodeRelay(msg, r.cfg.MaxRoomClients)
	if err != nil {
		r.hub.metrics.RelayDrops.Inc()
		r.logger.Debug("bad relayed message dropped", "from", from, "err", err) // counted; a bug would repeat it
		return
	}
	if m.kind == relayBye {
		r.dropReplica(from)
		return
	}
	rp := r.rem.by[from]
	if rp == nil {
		rp = &replica{people: make(map[uint32]canvas.Presence), editors: make(map[uint32]canvas.StrokeID)}
		r.rem.by[from] = rp
		r.rem.answer = true // it may not know this replica's people either
	}
	rp.seen = time.Now()
	if m.kind == relayAsk {
		r.rem.answer = true
	}
	if m.kind == relayFull || m.kind == relayAsk {
		r.replaceReplica(rp, m)
		r.settleColors(m.people)
		return
	}
	for _, p := range m.people {
		r.remotePresence(rp, p)
	}
	r.settleColors(m.people)
	for _, a := range m.leaves {
		delete(rp.people, a)
		if _, had := rp.editors[a]; had {
			delete(rp.editors, a)
			r.unclaimed(a)
		}
		r.gone(a)
	}
	if len(m.cursors) > 0 {
		r.out = canvas.AppendCursors(r.out, m.cursors)
		r.outUrgent = true
	}
	if len(m.lasers) > 0 {
		r.out = canvas.AppendLasers(r.out, m.lasers)
		r.outUrgent = true
	}
	if len(m.views) > 0 {
		r.out = canvas.AppendViews(r.out, m.views)
		r.outUrgent = true
	}
	for _, e := range m.editors {
		if e.Text == (canvas.StrokeID{}) {
			if _, had := rp.editors[e.Editor]; had {
				delete(rp.editors, e.Editor)
				r.unclaimed(e.Editor)
			}
			continue
		}
		rp.editors[e.Editor] = e.Text
		r.out = canvas.AppendEditors(r.out, []canvas.Editor{e})
		r.outUrgent = true
	}
}

// remotePresence records p on rp and tells this room's people when it is
// news to them.
func (r *Room) remotePresence(rp *replica, p canvas.Presence) {
	if old, ok := rp.people[p.Author]; ok && old == p {
		return
	}
	rp.people[p.Author] = p
	r.out = canvas.AppendPresence(r.out, &p)
}

// replaceReplica makes rp hold exactly the people and claims of a Full.
func (r *Room) replaceReplica(rp *replica, m *relayMsg) {
	now := make(map[uint32]canvas.Presence, len(m.people))
	for _, p := range m.people {
		now[p.Author] = p
	}
	claims := make(map[uint32]canvas.StrokeID, len(m.editors))
	for _, e := range m.editors {
		if e.Text != (canvas.StrokeID{}) {
			claims[e.Editor] = e.Text
		}
	}
	for a := range rp.editors {
		if _, ok := claims[a]; !ok {
			delete(rp.editors, a)
			r.unclaimed(a)
		}
	}
	for a := range rp.people {
		if _, ok := now[a]; !ok {
			delete(rp.people, a)
			r.gone(a)
		}
	}
	for _, p := range now {
		r.remotePresence(rp, p)
	}
	for a, id := range claims {
		if old, ok := rp.editors[a]; !ok || old != id {
			rp.editors[a] = id
			r.out = canvas.AppendEditors(r.out, []canvas.Editor{{Editor: a, Text: id}})
			r.outUrgent = true
		}
	}
}

// dropReplica forgets replica id: its people left (as far as they are on
// no other replica).
func (r *Room) dropReplica(id uint64) {
	rp := r.rem.by[id]
	if rp == nil {
		return
	}
	delete(r.rem.by, id)
	for a := range rp.editors {
		r.unclaimed(a)
	}
	for a := range rp.people {
		r.gone(a)
	}
}

// expireReplicas forgets the replicas not heard from for expireAfter.
func (r *Room) expireReplicas(now time.Time) {
	for id, rp := range r.rem.by {
		if now.Sub(rp.seen) > r.expireAfter() {
			r.logger.Info("replica not heard from: its people left the board", "replica", id, "people", len(rp.people))
			r.dropReplica(id)
		}
	}
}

// relayNews relays what was appended to r.out from start on (this room's
// own news) to the other replicas, when the room knows any.
func (r *Room) relayNews(start int) {
	if r.rem.relay == nil || len(r.rem.by) == 0 {
		return
	}
	if len(r.rem.out) == 0 {
		r.rem.out = append(r.rem.out, byte(relayNews))
	}
	r.rem.out = append(r.rem.out, r.out[start:]...)
}

// relayLeave relays that author left this replica (its people may not be
// told: author may still be on another).
func (r *Room) relayLeave(author uint32) {
	if r.rem.relay == nil || len(r.rem.by) == 0 {
		return
	}
	if len(r.rem.out) == 0 {
		r.rem.out = append(r.rem.out, byte(relayNews))
	}
	r.rem.out = canvas.AppendLeave(r.rem.out, author)
}

// appendFull appends a relayFull (or relayAsk) message: everyone here and
// their claims.
func (r *Room) appendFull(b []byte, kind relayKind) []byte {
	b = append(b, byte(kind))
	for _, p := range r.people {
		b = canvas.AppendPresence(b, &p.Presence)
	}
	return r.appendClaims(b, false)
}

// relayFlush relays what is due (r's loop, from flush): an ask, an
// announcement, the news.
func (r *Room) relayFlush(now time.Time, force bool) {
	if r.rem.relay == nil || r.failed != nil {
		return
	}
	r.expireReplicas(now)
	announce := !now.Before(r.rem.announceDue)
	switch {
	case r.askDue.Swap(false):
		r.announce(now, relayAsk, r.announceEvery())
	case r.rem.answer || (len(r.rem.by) > 0 && announce):
		r.announce(now, relayFull, r.announceEvery())
	case len(r.rem.by) == 0 && len(r.people) > 0 && announce:
		// Not a timer of its own (relayDue): a board on one replica
		// still parks.
		r.announce(now, relayFull, lonelyAnnounceFactor*r.announceEvery())
	}
	if len(r.rem.out) > 0 && (force || !now.Before(r.rem.due)) {
		r.rem.relay.Relay(r.name, r.rem.out)
		r.rem.out = r.rem.out[:0]
		r.rem.due = now.Add(r.cfg.CursorInterval)
	}
	r.relaying.Store(len(r.rem.by) > 0)
}

// announce relays everyone here as a message of kind, and the next
// announcement is due after every.
func (r *Room) announce(now time.Time, kind relayKind, every time.Duration) {
	r.rem.relay.Relay(r.name, r.appendFull(nil, kind))
	r.rem.answer = false
	r.rem.announceDue = now.Add(every)
}

// relayDue is when the loop must wake for the relay (ok false: never).
func (r *Room) relayDue() (t time.Time, ok bool) {
	if r.rem.relay == nil {
		return t, false
	}
	if len(r.rem.out) > 0 {
		t = r.rem.due
	}
	if len(r.rem.by) > 0 {
		if t.IsZero() || r.rem.announceDue.Before(t) {
			t = r.rem.announceDue
		}
	}
	for _, rp := range r.rem.by {
		if x := rp.seen.Add(r.expireAfter()); t.IsZero() || x.Before(t) {
			t = x
		}
	}
	return t, !t.IsZero()
}

// relayBye tells the other replicas that this one closes the board.
func (r *Room) relayBye() {
	if r.rem.relay == nil || len(r.rem.by) == 0 {
		return
	}
	r.rem.relay.Relay(r.name, []byte{byte(relayBye)})
}

// appendRemotePeople appends a Presence for each person on another
// replica and not here, for a joiner.
func (r *Room) appendRemotePeople(b []byte) []byte {
	seen := make(map[uint32]bool)
	for _, rp := range r.rem.by {
		for a, p := range rp.people {
			if r.people[a] == nil && !seen[a] {
				seen[a] = true
				b = canvas.AppendPresence(b, &p)
			}
		}
	}
	return b
}
