package redis

import (
	"context"
	"fmt"
	"sync"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// Ops lost by Redis, and how a board never stays diverged because of it.
//
// Redis replicates asynchronously: a master that dies a moment after
// numbering an op may be replaced by a replica that never got it (with
// --redis-wait-replicas 0; with 1 an op is acknowledged only once a
// replica has it, see pipe.go), and a Redis restarted from an append-only
// file written every second may come back a second behind. The board's
// epoch survives such a loss (it was written long before), so the epoch
// alone does not say the history is no longer the one the replicas hold:
// the sequencer would number new ops again from the lower head, and
// replicas that already hold other ops under those numbers would diverge.
//
// So each replica remembers, per watched board, the highest sequence
// number it has seen under its epoch (numbered for it, read from the log,
// or published by another replica). When the log is found behind that
// mark (submit.lua refuses to number below it; Since is asked for ops
// past the head; a published batch reuses numbers already seen), the
// board is given a new epoch (rebirth.lua, atomic, from that epoch only) and every replica's room reopens it: pages reload
// the board as it survived, under the new epoch, instead of carrying on
// from a history that no longer exists.

// seen is what a replica saw of a board.
type seen struct {
	epoch uint64
	seq   uint64  // highest seen from any source
	pub   numbers // the numbers seen published
	lost  bool    // published numbers were reused: nothing more is delivered under epoch
	// Batches numbered for this replica whose reply went to the room,
	// not yet seen published (bus.go drops them unread when they are):
	// at most maxOwn, oldest first.
	own [][2]uint64
}

// maxOwn bounds seen.own: a room has one batch in flight, so a few
// replies ahead of pub/sub; a batch whose message was lost leaves its
// range behind until a later one pushes it out.
const maxOwn = 8

// numbers is a set of sequence numbers seen published: all up to contig,
// and the ranges above it (sorted, disjoint). Batches are published in
// order on one connection with --redis-wait-replicas 0; with WAIT they are
// published after it, and batches of two replicas (or two pipelines) may
// come out of order, so a number below the highest is not by itself a
// number seen twice. A hole no batch fills (a message lost, which pub/sub
// allows) is given up after maxRanges ranges: published late enough to
// fall in it, a batch would be taken for a reused one (and the board
// reloaded), which is safe.
type numbers struct {
	contig uint64
	ranges [][2]uint64
	init   bool
}

const maxRanges = 64

// add records first..last and reports false if any of them was seen.
func (n *numbers) add(first, last uint64) bool {
	if !n.init {
		n.contig, n.init = first-1, true
	}
	if first <= n.contig {
		return false
	}
	i := 0
	for i < len(n.ranges) && n.ranges[i][1] < first {
		i++
	}
	if i < len(n.ranges) && n.ranges[i][0] <= last {
		return false
	}
	n.ranges = append(n.ranges, [2]uint64{})
	copy(n.ranges[i+1:], n.ranges[i:])
	n.ranges[i] = [2]uint64{first, last}
	for len(n.ranges) > 0 && (n.ranges[0][0] == n.contig+1 || len(n.ranges) > maxRanges) {
		n.contig = n.ranges[0][1]
		n.ranges = n.ranges[1:]
	}
	return true
}

type marks struct {
	mu    sync.Mutex       // guards rooms
	rooms map[string]*seen // watched boards only (Watch adds, Unwatch removes)
}

func (m *marks) watch(room string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.rooms == nil {
		m.rooms = make(map[string]*seen)
	}
	if m.rooms[room] == nil {
		m.rooms[room] = &seen{}
	}
}

func (m *marks) unwatch(room string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.rooms, room)
}

// note raises room's mark to seq under epoch (a newer epoch starts again).
func (m *marks) note(room string, epoch, seq uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.rooms[room]
	if s == nil {
		return
	}
	if s.epoch != epoch {
		*s = seen{epoch: epoch}
	}
	s.seq = max(s.seq, seq)
}

// replied notes a batch first..last numbered for this replica under
// epoch, whose reply is on its room's channel.
func (m *marks) replied(room string, epoch, first, last uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.rooms[room]
	if s == nil || s.epoch != epoch {
		return
	}
	if len(s.own) == maxOwn {
		s.own = append(s.own[:0], s.own[1:]...)
	}
	s.own = append(s.own, [2]uint64{first, last})
}

// own reports whether first..last under epoch is a batch replied to this
// replica (and forgets it, and any older one: pub/sub is in order).
func (m *marks) own(room string, epoch, first, last uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.rooms[room]
	if s == nil || s.epoch != epoch {
		return false
	}
	for i, r := range s.own {
		if r == [2]uint64{first, last} {
			s.own = append(s.own[:0], s.own[i+1:]...)
			return true
		}
	}
	return false
}

// get is room's mark under epoch (0: none).
func (m *marks) get(room string, epoch uint64) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.rooms[room]; s != nil && s.epoch == epoch {
		return s.seq
	}
	return 0
}

// published notes a batch first..last published under epoch and reports
// whether it reuses numbers already published: the log lost ops and
// numbered others in their place (then nothing more is delivered under
// epoch). news is true the first time only.
func (m *marks) published(room string, epoch, first, last uint64) (reused, news bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.rooms[room]
	if s == nil {
		return false, false
	}
	if s.epoch != epoch {
		if s.epoch != 0 && s.seq > 0 {
			return false, false // another history's batch: the room sorts it out by its epoch
		}
		*s = seen{epoch: epoch}
	}
	if s.lost {
		return true, false
	}
	if !s.pub.add(first, last) {
		s.lost = true
		return true, true
	}
	s.seq = max(s.seq, last)
	return false, false
}

// rebirthScript gives a board a new epoch (once: only from the epoch the
// replica saw). KEYS meta; ARGV epoch, newEpoch, authorGap. Returns 1
// when it did, 0 when the epoch had already moved on.
var rebirthScript = script("rebirth.lua")

// authorGap skips author ids on a rebirth: ids handed out in the lost part
// of the history are never handed out again to someone else.
const authorGap = 1 << 16

// rebirth starts room's new history: its log under epoch is behind seq,
// the highest seq this replica saw. Either way the caller's epoch is gone or about to be: it answers
// oplog.ErrEpoch, and the room reopens.
func (l *Log) rebirth(ctx context.Context, room string, epoch, seq uint64) error {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, _, _, _, _ := roomKeys(room)
	n, err := rebirthScript.Run(ctx, l.rdb, []string{meta}, epochBytes(epoch), epochBytes(oplog.NewEpoch()), authorGap).Int64()
	if err != nil {
		return fmt.Errorf("new epoch for board %s after lost ops: %w", room, err)
	}
	if n == 1 {
		l.metrics.StoreErrors.Inc()
		l.log.Warn("redis lost acknowledged ops of a board (a failover or a restart behind its writes); the board starts a new epoch and its pages reload it",
			"room", room, "seen_seq", seq)
	}
	return oplog.ErrEpoch
}
