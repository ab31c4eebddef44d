package room

import (
	"context"
	"fmt"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// A join, and what a joiner is sent: a replay of the ops it missed, or
// the board's snapshot and the ops after it.

func (r *Room) join(ctx context.Context, s Peer, h *canvas.Hello) {
	if s.Closed() {
		// Gone before its Hello was handled; its leave found no member.
		r.hub.release(r)
		return
	}
	r.retryLoad(ctx)
	if r.failed != nil {
		s.Close(r.unavailableCode(), "board storage unavailable; try again")
		r.hub.release(r)
		return
	}
	// A Hello that resumes an author whose old connection is still here
	// replaces it (below): it takes no more room, so a person coming back
	// after a network blip is not turned away by their own dead connection.
	replacing := h.Author != 0 && h.Epoch == r.board.Epoch && r.authors[h.Author] != nil && r.authors[h.Author] != s
	if len(r.sessions) >= r.cfg.MaxRoomClients && !replacing {
		r.hub.metrics.LimitHits.WithLabelValues("room_clients").Inc()
		s.Close(canvas.CloseTryAgain, "this board has the most people it allows; try again later")
		r.hub.release(r)
		return
	}
	// Whatever was applied before this join must reach the store and the
	// sessions already here before the newcomer's view is cut. (Presence
	// waiting in r.out can wait: the newcomer getting it twice is
	// harmless, and a join storm then costs one broadcast per batch, not
	// one per join.)
	r.flushOps(ctx)

	if r.shared && h.Epoch == r.board.Epoch && (h.LastSeq > r.board.Seq || h.Author != 0) {
		// The client may have seen more on another replica: catch up with
		// the log first. Its Welcome.applied must count every op of its
		// own it saw acknowledged there, or its first resent op would be
		// numbered as an older one and skipped as a duplicate; and it gets
		// a replay rather than an older snapshot.
		r.resync()
		r.flushOps(ctx)
	}
	b := r.board
	author := h.Author
	if r.shared && author > r.handedOut && h.Epoch == b.Epoch {
		// Handed out by another replica?
		r.refreshAuthors()
	}
	resume := author != 0 && h.Epoch == b.Epoch && author <= r.handedOut
	if resume {
		if old := r.authors[author]; old != nil && old != s {
			// The same author reconnected before its old connection was
			// noticed dead: the newest connection wins.
			old.Close(canvas.CloseReplaced, "replaced by a newer connection")
			r.leave(old)
		}
	} else {
		if r.handedOut >= canvas.MaxSnapshotAuthors {
			// A snapshot holds at most this many authors.
			r.hub.metrics.LimitHits.WithLabelValues("board_authors").Inc()
			s.Close(canvas.CloseTryAgain, "this board has had the most people it can; open a new board")
			r.hub.release(r)
			return
		}
		id, err := r.newAuthor(ctx)
		if err != nil {
			r.logger.Error("new author", "err", err)
			s.Close(r.unavailableCode(), "could not join the room; try again")
			r.hub.release(r)
			return
		}
		author = id
		r.handedOut = max(r.handedOut, id)
	}
	m := &member{author: author, nextIndex: b.Author(author).Applied}
	r.sessions[s] = m
	r.authors[author] = s

	// The joiner's frame: its Welcome and a replay, or its Welcome, the
	// board's shared snapshot (and the ops after it, see snapshotView)
	// and whoever is here. The snapshot is sent as it is (sendv), not
	// copied into a frame of its own.
	var snap, after []byte
	replay := h.Epoch == b.Epoch && h.LastSeq <= b.Seq && r.recent.covers(h.LastSeq+1, b.Seq)
	if !replay {
		snap, after = r.snapshotView()
	}
	head := canvas.AppendWelcome(nil, &canvas.Welcome{
		Version: canvas.Version, Epoch: b.Epoch, Author: author, Applied: m.nextIndex, Head: b.Seq,
	})
	if replay && h.LastSeq < b.Seq {
		head = canvas.AppendOps(head, h.LastSeq+1, r.recent.since(h.LastSeq+1))
	}
	tail := append(make([]byte, 0, len(after)+32*(len(r.people)+2)), after...)
	for _, p := range r.people {
		tail = canvas.AppendPresence(tail, &p.Presence)
	}
	p := r.people[author]
	if p == nil {
		p = &person{Presence: canvas.Presence{Author: author}}
		r.people[author] = p
	}
	p.sessions++
	p.Name, p.Color = h.Name, h.Color
	r.names[author] = h.Name
	tail = canvas.AppendPresence(tail, &p.Presence)
	tail = r.appendRemotePeople(tail)
	tail = r.appendEditors(tail)
	if r.order.paused {
		tail = appendPaused(tail)
	}
	start := len(r.out)
	r.out = canvas.AppendPresence(r.out, &p.Presence)
	r.relayNews(start)
	if n := len(head) + len(snap) + len(tail); len(snap) >= loadingNoticeFrom {
		// Ahead of the frame, so a page on a slow link knows to wait.
		s.Send(canvas.AppendNotice(nil, &canvas.Notice{Code: canvas.NoticeLoading,
			Message: fmt.Sprintf("Loading the board (%.1f MB)…", float64(n)/1e6)}))
	}
	s.SendParts(head, snap, tail)
}

// leave detaches s; its person leaves once their last session here has.
func (r *Room) leave(s Peer) {
	m := r.sessions[s]
	if m == nil {
		return
	}
	delete(r.sessions, s)
	r.hub.release(r)
	if r.authors[m.author] == s {
		delete(r.authors, m.author)
	}
	if p := r.people[m.author]; p != nil {
		p.sessions--
		if p.sessions <= 0 {
			delete(r.people, m.author)
			delete(r.cursors, m.author)
			delete(r.lasers, m.author)
			delete(r.views, m.author)
			delete(r.editors, m.author) // the others drop it on Leave
			r.relayLeave(m.author)
			r.gone(m.author) // unless still on another replica
		}
	}
}

// loadingNoticeFrom is the snapshot size from which a joiner is told that
// its board is on its way (canvas.NoticeLoading): about two seconds of a
// slow mobile link.
const loadingNoticeFrom = 256 << 10

// snapshotView returns a joiner's view of the board: the shared Snapshot
// message and, when it is older than the board, an Ops message bringing
// it to head. Re-encoding a big board costs the room's goroutine tens of
// milliseconds (time its drawers wait), and every encoding a slow joiner
// still writes pins a buffer of its own; so while people draw, joiners
// share the last encoding plus the ops since, from the replay window,
// as long as those are small next to the snapshot (a joiner then applies
// at most an eighth more than it would have read anyway). r.recent must
// end at the board's head (flushOps ran).
func (r *Room) snapshotView() (snap, after []byte) {
	b := r.board
	if r.snapMsg != nil && r.snapSeq < b.Seq && r.recent.covers(r.snapSeq+1, b.Seq) &&
		r.recent.bytesSince(r.snapSeq+1, len(r.snapMsg)/8) <= len(r.snapMsg)/8 {
		return r.snapMsg, canvas.AppendOps(nil, r.snapSeq+1, r.recent.since(r.snapSeq+1))
	}
	return r.snapshotMsg(), nil
}

// snapshotMsg returns the board's Snapshot message, encoding it only when
// the board changed since the last one (every op moves Seq; a reload
// forgets the cache). A crowd joining a big board costs one encoding.
func (r *Room) snapshotMsg() []byte {
	if r.snapMsg == nil || r.snapSeq != r.board.Seq {
		// Sized from the last encoding (a board grows a little between
		// joins) or from its points: grown by appending instead, a
		// 200,000-point snapshot took ten times as long to encode (every
		// doubling copied and faulted in fresh memory), all of it time
		// the room's drawers waited.
		size := max(len(r.snapMsg)+len(r.snapMsg)/8, 4*r.board.Points()) + 256
		r.snapMsg = canvas.AppendSnapshot(make([]byte, 0, size), r.board)
		r.snapSeq = r.board.Seq
	}
	return r.snapMsg
}

// recentOps is a bounded window of the latest sequenced ops: at most max
// ops and maxBytes bytes of them (big ops must not make a room's memory
// grow with the op count).
type recentOps struct {
	max      int
	maxBytes int
	base     uint64 // sequence number of ops[0]
	ops      []canvas.SeqOp
	bytes    int
}

// newRecentOps returns the empty replay window cfg allows: cfg.ReplayOps
// ops and half a send queue of bytes. A replay is a reconnecting client's
// own memory, counted against its send queue (Session.sendv): a window
// bigger than the queue would have that client dropped as too slow at
// every reconnect, forever. The other half leaves room for the ops'
// framing, the presence list, and live frames queued behind.
func newRecentOps(cfg *config.Config) recentOps {
	return recentOps{max: cfg.ReplayOps, maxBytes: int(cfg.SendQueueBytes / 2)}
}

func (w *recentOps) add(seq uint64, op canvas.SeqOp) {
	if len(w.ops) == 0 {
		w.base = seq
	}
	w.ops = append(w.ops, op)
	w.bytes += len(op.Op)
	if len(w.ops) > w.max || w.bytes > w.maxBytes {
		drop := 0
		for len(w.ops)-drop > w.max/2 || w.bytes > w.maxBytes/2 {
			w.bytes -= len(w.ops[drop].Op)
			drop++
		}
		w.ops = append(w.ops[:0:0], w.ops[drop:]...)
		w.base += uint64(drop)
	}
}

// covers reports whether the window holds every op from next to head (the
// window always ends at head, the room's last sequence number).
func (w *recentOps) covers(next, head uint64) bool {
	if next == head+1 {
		return true
	}
	return len(w.ops) > 0 && next >= w.base && next <= head
}

func (w *recentOps) since(seq uint64) []canvas.SeqOp {
	return w.ops[seq-w.base:]
}

// bytesSince returns the bytes of the ops from seq on, counting no
// further than limit (it returns limit+1 past it).
func (w *recentOps) bytesSince(seq uint64, limit int) int {
	n := 0
	for _, op := range w.ops[seq-w.base:] {
		if n += len(op.Op); n > limit {
			return limit + 1
		}
	}
	return n
}
