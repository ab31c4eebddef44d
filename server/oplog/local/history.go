package local

import (
	"context"
	"time"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// The local log's history reads: the store keeps every op and every
// checkpoint, so these are reads of the store; a board's head comes from
// its numbering state while it is open (taken under the room's lock, so
// what it says is stored: a batch is numbered and appended under it),
// else from the store.

// Mark records a version, completing it from the store's ops since the
// previous version.
func (l *Log) Mark(ctx context.Context, room string, epoch, seq uint64, kind oplog.VersionKind, at time.Time, names map[uint32]string) error {
	if _, err := l.opened(room, epoch); err != nil {
		return err
	}
	near, err := l.store.Versions(ctx, room, seq+1, 2)
	if err != nil {
		return err
	}
	var prev, same *oplog.Version
	for i := range near {
		switch {
		case near[i].Seq == seq && near[i].Kind.Named() && kind == oplog.KindCheckpoint:
			return nil // the board before a clear or a removal is already a version
		case near[i].Seq == seq:
			same = &near[i]
		case prev == nil:
			prev = &near[i]
		}
	}
	var from uint64 = 1
	if prev != nil {
		from = prev.Seq + 1
	}
	ops, err := l.store.Range(ctx, room, from, seq)
	if err != nil {
		return err
	}
	v := oplog.NewVersion(prev, same, seq, kind, at, ops, names)
	if err := l.store.PutVersion(ctx, room, &v); err != nil {
		return err
	}
	// A later version marked first counts from this one now. (A room
	// marks in order; the contract allows any order, as replicas of a
	// shared log mark.)
	next, err := l.nextVersion(ctx, room, seq)
	if err != nil || next == nil {
		return err
	}
	after, err := l.store.Range(ctx, room, seq+1, next.Seq)
	if err != nil {
		return err
	}
	again := oplog.NewVersion(&v, next, next.Seq, next.Kind, next.Time, after, nil)
	return l.store.PutVersion(ctx, room, &again)
}

// nextVersion returns the first version after seq (nil: none), paging
// back from the newest: versions after the one being marked are rare and
// few.
func (l *Log) nextVersion(ctx context.Context, room string, seq uint64) (*oplog.Version, error) {
	var next *oplog.Version
	for before := uint64(0); ; {
		vs, err := l.store.Versions(ctx, room, before, 16)
		if err != nil {
			return nil, err
		}
		for i := range vs {
			if vs[i].Seq <= seq {
				return next, nil
			}
			next = &vs[i]
		}
		if len(vs) < 16 {
			return next, nil
		}
		before = vs[len(vs)-1].Seq
	}
}

// head returns room's epoch and head: from its numbering state when open.
func (l *Log) head(ctx context.Context, room string) (epoch, seq uint64, err error) {
	l.mu.Lock()
	lr := l.rooms[room]
	l.mu.Unlock()
	if lr != nil {
		// Open, the board exists (as it does in a shared log from its
		// first Open), written yet or not.
		lr.mu.Lock()
		defer lr.mu.Unlock()
		return lr.epoch, lr.seq, nil
	}
	return l.store.Head(ctx, room)
}

// Versions lists the room's versions from the store.
func (l *Log) Versions(ctx context.Context, room string, before uint64, limit int) (uint64, []oplog.Version, error) {
	epoch, head, err := l.head(ctx, room)
	if err != nil {
		return 0, nil, err
	}
	if epoch == 0 || head == 0 {
		return 0, nil, oplog.ErrNoBoard // never drawn on, even if opened
	}
	vs, err := l.store.Versions(ctx, room, before, limit)
	return head, vs, err
}

// ReadAt reads the nearest checkpoint and the ops after it.
func (l *Log) ReadAt(ctx context.Context, room string, seq uint64) (*oplog.StoredRoom, error) {
	epoch, head, err := l.head(ctx, room)
	switch {
	case err != nil:
		return nil, err
	case epoch == 0 || head == 0:
		return nil, oplog.ErrNoBoard // never drawn on, even if opened
	case seq > head:
		return nil, oplog.ErrAhead
	}
	snap, snapSeq, err := l.store.Checkpoint(ctx, room, seq)
	if err != nil {
		return nil, err
	}
	ops, err := l.store.Range(ctx, room, snapSeq+1, seq)
	if err != nil {
		return nil, err
	}
	return oplog.BoardAt(epoch, snap, snapSeq, seq, ops)
}
