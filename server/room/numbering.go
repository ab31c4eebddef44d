package room

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The one path of a room's ops: held, submitted to the log, numbered, and
// applied in sequence order, whoever numbered them. Everything here runs
// on the room's goroutine except Published and Resync (the room's
// Listener side), which a log's subscriber calls.

const (
	// gapWait is how long ops numbered past a gap wait for pub/sub to
	// bring the missing ones before the room reads them from the log. Only
	// the room's own ops (from the submit reply, which can overtake
	// pub/sub) wait; a gap within pub/sub itself is repaired at once.
	gapWait = 50 * time.Millisecond
	// maxHeld bounds the ops a room holds for its log. Past it the room
	// waits for the batch in flight (its senders wait for the room); when
	// none is in flight (the log is unreachable), senders are closed with
	// 1013 and resend after reconnecting.
	maxHeld = 20000
)

// orderState is where a room's ops are on their way to the board, owned
// by its goroutine.
type orderState struct {
	subs     []submission            // ops from local sessions, not yet submitted
	inflight []submission            // the batch the log holds (nil: none); read only until its reply
	released int                     // inflight's first ops already applied (from pub/sub, ahead of the reply): counted off held
	held     heldGrowth              // what subs and inflight will do to the board's size (overLimits)
	ahead    map[uint64]canvas.SeqOp // numbered ops past a gap
	gapDue   time.Time               // when to stop waiting for the gap to fill
	paused   bool                    // the last call to the log failed
	retryAt  time.Time               // paused: when to call again
	backoff  time.Duration
	// A submit of ours numbered this multiple of SnapshotEvery (0: none
	// since the last compaction): the room compacts once its board has
	// reached it.
	crossAt uint64
	marks   []pendingMark // versions to mark: the board before each clear or removal of ours
}

// submission is one op from a local session, waiting to be numbered: the
// plain record the log sees, and the session it came from, which only the
// room sees (to close it when the log refuses the op's index).
type submission struct {
	oplog.BatchOp
	s         Peer
	size      growth
	purgeBase growth // a Purge: what the board holds after it drops the swept strokes
}

// due reports when the room must act without an event.
func (c *orderState) due() (time.Time, bool) {
	var t time.Time
	if c.paused {
		t = c.retryAt
	}
	if !c.gapDue.IsZero() && (t.IsZero() || c.gapDue.Before(t)) {
		t = c.gapDue
	}
	return t, !t.IsZero()
}

var _ oplog.Listener = (*Room)(nil)

// Published hands a batch the log published to the room without ever
// blocking the subscriber: when the inbox is full the batch is dropped and
// the room, marked behind, reads what it missed from the log.
func (r *Room) Published(epoch, first uint64, ops []canvas.SeqOp) bool {
	if !r.inbox.tryPut(event{kind: evBus, batch: &published{epoch, first, ops}}) {
		r.behind.Store(true)
		return false
	}
	return true
}

// Resync marks the room behind and nudges its loop.
func (r *Room) Resync() {
	r.behind.Store(true)
	// News relayed before were not seen either (a new subscription):
	// ask the other replicas who is on the board.
	r.askDue.Store(true)
	r.inbox.tryPut(event{kind: evWake}) // full: it looks at the flag after this batch
}

// tend runs after every batch of events: resync when behind, repair a gap
// that did not fill in time, retry Redis while paused.
func (r *Room) tend() {
	if r.failed != nil || r.board == nil {
		return
	}
	now := time.Now()
	if r.behind.Swap(false) || (!r.order.gapDue.IsZero() && !now.Before(r.order.gapDue)) {
		r.resync()
	}
	if r.order.paused && !now.Before(r.order.retryAt) && len(r.order.subs) == 0 && r.order.inflight == nil {
		// Nothing to submit: probe with a resync, which also catches up.
		r.resync()
	}
}

// unavailableCode is the close code for a board whose log failed: a
// shared log's outage passes (try again), a local store's does not.
func (r *Room) unavailableCode() canvas.CloseCode {
	if r.shared {
		return canvas.CloseTryAgain
	}
	return canvas.CloseInternal
}

// queue holds an op of a local session until the next submit. size is
// what it adds to the board (counted by overLimits until it is applied);
// purgeBase, for an op numbered in a Purge, what the board holds once the
// purge dropped its swept strokes (heldGrowth).
func (r *Room) queue(s Peer, author uint32, idx uint64, data []byte, size growth, purgeBase *growth) {
	c := &r.order
	if idx < r.board.Author(author).Applied {
		return // numbered already: a resend
	}
	for len(c.subs)+len(c.inflight) >= maxHeld && c.inflight != nil {
		// The log is slower than the senders: wait for it.
		r.submitted(<-r.submitDone)
		r.submit()
	}
	if r.sessions[s] == nil {
		return // closed while the room waited (a reset closes everyone)
	}
	if len(c.subs)+len(c.inflight) >= maxHeld {
		s.Close(canvas.CloseTryAgain, "board storage unavailable; reconnect later")
		r.leave(s)
		return
	}
	sub := submission{BatchOp: oplog.BatchOp{Author: author, Index: idx, Op: data}, s: s, size: size}
	if purgeBase != nil {
		// Held ops never change (recount reads them again), so the
		// estimate goes with the op.
		sub.purgeBase = *purgeBase
	}
	c.subs = append(c.subs, sub)
	c.held.hold(&c.subs[len(c.subs)-1])
}

// heldGrowth is what the ops held for the log (not yet numbered and
// applied) will do to the board's size, kept as they come and go so that
// a limit check costs nothing however many ops are held.
//
// A board's size counts its swept strokes (canvas/sweep.go): a clear
// frees nothing by itself, a Purge does. So the board after the ops held
// is the board plus all they add, or, while a purge is held, what the
// board held without its swept strokes when the purge was held plus what
// the ops from the purge on add. To decide whether a purge would make
// room, the room also needs what the board will hold that is not swept:
// after a clear held, only what the ops after it add.
type heldGrowth struct {
	all        growth
	clears     int    // clears held
	afterClear growth // since the last clear held (clears > 0)
	unsweeps   int    // undos of sweeps held
	purges     int    // purges held
	afterPurge growth // the last purge's base and what the ops from it on add (purges > 0)
}

func isClear(op []byte) bool   { return canvas.OpType(op[0]) == canvas.OpClear }
func isPurge(op []byte) bool   { return canvas.OpType(op[0]) == canvas.OpPurge }
func isUnsweep(op []byte) bool { return canvas.OpType(op[0]) == canvas.OpUnsweep }

// hold counts sub in; ops are held in order.
func (h *heldGrowth) hold(sub *submission) {
	switch {
	case isClear(sub.Op):
		h.clears++
		h.afterClear = growth{}
	case isPurge(sub.Op):
		h.purges++
		h.afterPurge = sub.purgeBase
	case isUnsweep(sub.Op):
		h.unsweeps++
	}
	h.all.add(sub.size)
	h.afterClear.add(sub.size)
	h.afterPurge.add(sub.size)
}

func (g *growth) add(o growth) {
	g.points += o.points
	g.strokes += o.strokes
}

// release counts sub off, the oldest op held: it was applied or dropped.
// (The ops after the last clear or purge are newer than it while clears
// or purges > 0.) Ops are applied in the order they were held, whichever
// way their numbers come back, so they are counted off in that order too.
func (h *heldGrowth) release(sub *submission) {
	switch {
	case isClear(sub.Op):
		h.clears--
	case isPurge(sub.Op):
		h.purges--
	case isUnsweep(sub.Op):
		h.unsweeps--
	}
	h.all.points -= sub.size.points
	h.all.strokes -= sub.size.strokes
}

// recount counts the ops held again from scratch (after a batch was held
// again in front of the others).
func (h *heldGrowth) recount(c *orderState) {
	*h = heldGrowth{}
	for i := c.released; i < len(c.inflight); i++ {
		h.hold(&c.inflight[i])
	}
	for i := range c.subs {
		h.hold(&c.subs[i])
	}
}

// boardAfter returns the board's points (with bytes of text) and strokes
// once the ops held are applied.
func (h *heldGrowth) boardAfter(b *canvas.Board) (points, strokes int) {
	if h.purges > 0 {
		return h.afterPurge.points, h.afterPurge.strokes
	}
	return b.Points() + b.TextBytes() + h.all.points, len(b.Strokes()) + h.all.strokes
}

// liveAfter returns what the board will hold that is not swept once the
// ops held are applied, for a purge after them. It counts a moderator's
// removal held as sweeping nothing: the purge then frees at least that.
func (h *heldGrowth) liveAfter(b *canvas.Board) growth {
	if h.clears > 0 {
		return h.afterClear
	}
	return growth{
		points:  b.Points() + b.TextBytes() - b.SweptPoints() + h.all.points,
		strokes: len(b.Strokes()) - b.SweptStrokes() + h.all.strokes,
	}
}

// submit hands the held ops to the log, which numbers them and replies on
// r.submitDone (see submitted): the local log once its store has them,
// Redis's submitter in its next pipeline (one round trip shared with the
// other rooms that are ready). The room goes on meanwhile: what its
// sessions send is held for the next submit, which starts when the reply
// is in, so at most one batch is in flight and an author's ops reach the
// log in order. While the log fails the ops stay held (in order) and the
// room retries with backoff. It reports whether it started a submit.
func (r *Room) submit() bool {
	c := &r.order
	if c.inflight != nil || len(c.subs) == 0 || r.failed != nil || (c.paused && time.Now().Before(c.retryAt)) {
		return false
	}
	c.inflight, c.subs, c.released = c.subs, nil, 0
	r.commitArrived, r.arrived = r.arrived, time.Time{}
	batch := make([]oplog.BatchOp, len(c.inflight))
	for i := range c.inflight {
		batch[i] = c.inflight[i].BatchOp
	}
	r.log.Submit(r.name, r.board.Epoch, batch, r.submitDone)
	return true
}

// submitted applies what the log numbered of the batch in flight.
// On a failure the batch is held again, before whatever came meanwhile:
// the room pauses (the log unreachable) or reopens (another epoch) as it would for
// any other call.
func (r *Room) submitted(res oplog.SubmitResult) {
	c := &r.order
	subs, arrived := c.inflight, r.commitArrived
	for i := c.released; i < len(subs); i++ {
		c.held.release(&subs[i]) // applied, refused, dropped or held again (below)
	}
	c.inflight, c.released, r.commitArrived = nil, 0, time.Time{}
	if r.board == nil || res.Epoch != r.board.Epoch {
		// The room was reopened under a new epoch meanwhile and closed
		// every session: these ops belong to a history that is gone.
		return
	}
	if res.Err != nil {
		c.subs = append(subs, c.subs...)
		c.held.recount(c)
		if !arrived.IsZero() {
			r.arrived = arrived // held again, and older than what came meanwhile
		}
		if errors.Is(res.Err, oplog.ErrEpoch) {
			r.reopen()
			return
		}
		r.pause(res.Err)
		return
	}
	r.resume()
	if r.outArrived.IsZero() {
		r.outArrived = arrived
	}
	for i, seq := range res.Seqs {
		sub := &subs[i]
		switch {
		case seq > 0:
			if uint64(seq)%uint64(r.cfg.SnapshotEvery) == 0 {
				c.crossAt = max(c.crossAt, uint64(seq))
			}
			if kind, ok := sweepKind(sub.Op); ok && seq > 1 {
				// The board before a clear or a removal is a version (history.go).
				c.marks = append(c.marks, pendingMark{uint64(seq) - 1, kind})
			}
			r.sequenced(uint64(seq), canvas.SeqOp{Author: sub.Author, Op: sub.Op}, true)
		case seq < 0:
			if r.sessions[sub.s] != nil {
				sub.s.Close(canvas.CloseGap, "op index ahead of the room")
				r.leave(sub.s)
			}
		}
	}
}

// settle numbers every op the room holds: it waits for the batch in
// flight and submits the rest, until nothing is held or the log fails
// (then the ops stay held and the room is paused).
func (r *Room) settle() {
	for {
		if r.order.inflight != nil {
			r.submitted(<-r.submitDone)
			continue
		}
		if !r.submit() {
			return
		}
	}
}

// busMessage takes a batch another replica (or this one) published.
func (r *Room) busMessage(p *published) {
	if r.failed != nil || r.board == nil {
		return
	}
	first, ops := p.first, p.ops
	if p.epoch != r.board.Epoch {
		r.behind.Store(true) // resync finds the new epoch
		return
	}
	for i, op := range ops {
		r.sequenced(first+uint64(i), op, false)
	}
	r.releaseApplied()
	if len(r.order.ahead) > 0 && r.order.inflight != nil {
		// The missing ops may be this replica's own, which the log leaves
		// out of pub/sub once their reply is on r.submitDone
		// (oplog.Listener): take it now.
		select {
		case res := <-r.submitDone:
			r.submitted(res)
		default:
		}
	}
	if len(r.order.ahead) > 0 {
		// Pub/sub delivers a channel in order, so what is missing was lost.
		r.behind.Store(true)
	}
}

// releaseApplied counts off held the ops of the batch in flight that are
// on the board already: this replica's own ops can come back through
// pub/sub (or a resync) before the log's reply does, and counted both on
// the board and as held they would make a full board look fuller.
func (r *Room) releaseApplied() {
	c := &r.order
	for c.released < len(c.inflight) {
		e := &c.inflight[c.released]
		if e.Index >= r.board.Author(e.Author).Applied {
			return
		}
		c.held.release(e)
		c.released++
	}
}

// sequenced applies op numbered seq, in order: a number already applied is
// skipped, one past a gap waits in ahead until the gap is filled.
func (r *Room) sequenced(seq uint64, op canvas.SeqOp, own bool) {
	b := r.board
	switch {
	case seq <= b.Seq:
		return
	case seq > b.Seq+1:
		if r.order.ahead == nil {
			r.order.ahead = make(map[uint64]canvas.SeqOp)
		}
		r.order.ahead[seq] = op
		if own && r.order.gapDue.IsZero() {
			r.order.gapDue = time.Now().Add(gapWait)
		}
		return
	}
	r.applySeq(op)
	for len(r.order.ahead) > 0 {
		next, ok := r.order.ahead[b.Seq+1]
		if !ok {
			break
		}
		delete(r.order.ahead, b.Seq+1)
		r.applySeq(next)
	}
	if len(r.order.ahead) == 0 {
		r.order.gapDue = time.Time{}
	}
}

// applySeq applies the next op to the board and queues it for everyone.
func (r *Room) applySeq(op canvas.SeqOp) {
	if err := canvas.DecodeOp(op.Op, &r.op); err != nil {
		// Only validated ops reach the log; this is a bug, not input.
		r.logger.Error("decode logged op", "seq", r.board.Seq+1, "err", err)
	}
	r.board.Apply(op.Author, &r.op)
	if len(r.pending) == 0 {
		r.pendSeq = r.board.Seq
	}
	r.pending = append(r.pending, op)
}

// resync reads from the log whatever the room has not applied.
func (r *Room) resync() {
	r.hub.metrics.Resyncs.Inc()
	for {
		ops, head, err := r.log.Since(context.Background(), r.name, r.board.Epoch, r.board.Seq+1)
		switch {
		case errors.Is(err, oplog.ErrEpoch), errors.Is(err, oplog.ErrTrimmed):
			r.reopen()
			return
		case err != nil:
			r.pause(err)
			return
		}
		r.resume()
		for _, so := range ops {
			r.sequenced(so.Seq, canvas.SeqOp{Author: so.Author, Op: so.Op}, false)
		}
		if len(ops) == 0 || r.board.Seq >= head {
			break
		}
	}
	r.releaseApplied()
	for seq := range r.order.ahead {
		if seq <= r.board.Seq {
			delete(r.order.ahead, seq)
		}
	}
	if len(r.order.ahead) == 0 {
		r.order.gapDue = time.Time{}
	}
}

// reopen loads the room again: its log was compacted past this replica
// (everyone gets the new board as a snapshot), or its history was lost and
// restarted under a new epoch (everyone reconnects: their author ids and
// ops belong to a history that is gone).
func (r *Room) reopen() {
	ctx := context.Background()
	r.emitPending()
	old := r.board
	if err := r.load(ctx); err != nil {
		r.board = old
		r.pause(err)
		return
	}
	r.resume()
	r.order.ahead, r.order.gapDue = nil, time.Time{}
	if r.board.Epoch == old.Epoch {
		r.logger.Info("room behind the log's snapshot; sent the snapshot", "seq", r.board.Seq)
		r.out = canvas.AppendSnapshot(r.out, r.board)
		r.outSeq = r.board.Seq
		r.outHasOps, r.outUrgent = true, true
		r.releaseApplied() // the snapshot may hold ops of the batch in flight
		return
	}
	r.logger.Warn("room history lost in redis; restarted under a new epoch", "old_seq", old.Seq)
	r.order.subs, r.arrived = nil, time.Time{}
	r.order.held.recount(&r.order)
	for s := range r.sessions {
		s.Close(canvas.CloseReset, "board history was reset; reconnect")
		r.leave(s)
	}
}

func (r *Room) pause(err error) {
	c := &r.order
	r.hub.metrics.StoreErrors.Inc()
	if !c.paused {
		c.paused = true
		c.backoff = 50 * time.Millisecond
		r.logger.Warn("redis unavailable; drawing paused", "err", err)
		r.out = appendPaused(r.out)
	} else {
		c.backoff = min(2*c.backoff, 2*time.Second)
	}
	c.retryAt = time.Now().Add(c.backoff)
}

func (r *Room) resume() {
	if !r.order.paused {
		return
	}
	r.order.paused = false
	r.logger.Info("redis reachable; drawing resumed")
	r.out = canvas.AppendNotice(r.out, &canvas.Notice{Code: canvas.NoticeResumed, Message: "Drawing resumed."})
}

func appendPaused(b []byte) []byte {
	return canvas.AppendNotice(b, &canvas.Notice{Code: canvas.NoticePaused,
		Message: "Drawing paused: the board's storage is unreachable. What you draw is kept and sent when it is back."})
}

// refreshAuthors learns how many author ids the room has handed out.
func (r *Room) refreshAuthors() {
	_, n, err := r.log.Head(context.Background(), r.name, r.board.Epoch)
	if err == nil {
		r.handedOut = max(r.handedOut, n)
	}
}

// authorBlock is how many author ids a room reserves at once, unless
// more people are waiting to join; maxAuthorBlock bounds a reservation.
const (
	authorBlock    = 32
	maxAuthorBlock = 1024
)

// newAuthor hands out an author id from the room's reserved block,
// reserving the next block (one durable write) when it is used up. Ids of
// a block not used up before a restart are never handed out.
//
// A block covers everyone already waiting to join (the joins taken from
// the inbox and those queued behind them): 100 people opening a board at
// once would otherwise wait for four durable writes one after another (a
// bolt commit is two fsyncs).
func (r *Room) newAuthor(ctx context.Context) (uint32, error) {
	if r.authorNext != 0 && r.authorNext <= r.authorLast {
		id := r.authorNext
		r.authorNext++
		return id, nil
	}
	// This join, the rest of its batch, and those queued behind it.
	waiting := 1 + countKind(r.unhandled, evJoin) + r.inbox.queued(evJoin)
	n := uint32(min(max(authorBlock, (waiting+authorBlock-1)/authorBlock*authorBlock), maxAuthorBlock))
	last, err := r.reserveAuthors(ctx, n)
	if err != nil {
		return 0, err
	}
	r.authorNext, r.authorLast = last-n+2, last
	return last - n + 1, nil
}

func (r *Room) reserveAuthors(ctx context.Context, n uint32) (uint32, error) {
	last, err := r.log.NewAuthors(ctx, r.name, r.board.Epoch, n)
	if errors.Is(err, oplog.ErrEpoch) {
		r.reopen()
		if last, err = r.log.NewAuthors(ctx, r.name, r.board.Epoch, n); err != nil {
			return 0, fmt.Errorf("new authors after reopen: %w", err)
		}
	}
	if err != nil {
		r.pause(err)
	}
	return last, err
}

// snapshotDue: every SnapshotEvery ops, written by the replica whose submit
// crossed a multiple of SnapshotEvery, so the replicas sharing a room do
// not all write the same snapshot; and only once its board has applied
// that far: with a shared log the reply to its own ops can overtake the
// ops numbered before them, and compacting then would store an older
// board (or nothing) and miss the checkpoint and its version.
func (r *Room) snapshotDue() bool {
	return r.order.crossAt != 0 && r.board.Seq >= r.order.crossAt
}
