package local

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// Log is the Log of a replica on its own: it numbers a room's ops
// itself, as the Redis sequencer does for a cluster (the next sequence
// number, resends below an author's applied count skipped, gaps above it
// refused), appends them to a Store (durable when Append returns) and only
// then replies, so nothing is acknowledged before it is stored.
//
// Its numbering state (head, applied count per author) lives in memory
// from Open to Unwatch: one replica owns the store, so nobody else moves
// it. A room's batches are numbered and appended one at a time under the
// room's own lock, so concurrent submitters to one room (a room has one
// batch in flight; the conformance table tries more) reach the store in
// sequence order. While the store fails, a batch is retried with backoff
// and the room's drawing waits: nothing that was not stored is ever
// numbered back to a room.
type Log struct {
	store   Store
	log     *slog.Logger
	metrics *metrics.Metrics

	mu    sync.Mutex // guards rooms
	rooms map[string]*localRoom
}

// localRoom is a room's numbering state.
type localRoom struct {
	mu      sync.Mutex // guards the fields below, held across a batch's append
	epoch   uint64
	seq     uint64            // the last sequence number assigned
	snapSeq uint64            // the sequence number of the latest snapshot
	applied map[uint32]uint64 // ops numbered per author
	authors uint32            // the last author id handed out
}

var _ oplog.Log = (*Log)(nil)

func New(store Store, log *slog.Logger, m *metrics.Metrics) *Log {
	return &Log{store: store, log: log, metrics: m, rooms: make(map[string]*localRoom)}
}

// Open loads room and (re)builds its numbering state from what is stored:
// the snapshot's head and applied counts, and the ops after it. A room
// never stored gets a new epoch, stored with its first ops.
func (l *Log) Open(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	st, err := l.store.Load(ctx, room)
	if err != nil {
		return nil, err
	}
	if st.Epoch == 0 {
		st.Epoch = oplog.NewEpoch()
	}
	lr := &localRoom{epoch: st.Epoch, applied: make(map[uint32]uint64), authors: st.Authors}
	if st.Snapshot != nil {
		// Only the head: the room decodes the whole board (once) itself.
		_, seq, applied, err := canvas.SnapshotHead(st.Snapshot)
		if err != nil {
			return nil, fmt.Errorf("room %s snapshot: %w", room, err)
		}
		lr.seq, lr.snapSeq, lr.applied = seq, seq, applied
	}
	for _, so := range st.Ops {
		if so.Seq <= lr.seq {
			continue
		}
		lr.seq = so.Seq
		lr.applied[so.Author]++
	}
	l.mu.Lock()
	l.rooms[room] = lr
	l.mu.Unlock()
	return st, nil
}

// opened returns room's state if it is open under epoch.
func (l *Log) opened(room string, epoch uint64) (*localRoom, error) {
	l.mu.Lock()
	lr := l.rooms[room]
	l.mu.Unlock()
	if lr == nil || lr.epoch != epoch {
		return nil, oplog.ErrEpoch
	}
	return lr, nil
}

// Submit numbers and stores batch on a goroutine of its own and replies.
func (l *Log) Submit(room string, epoch uint64, batch []oplog.BatchOp, reply chan<- oplog.SubmitResult) {
	go func() { reply <- l.submit(room, epoch, batch) }()
}

func (l *Log) submit(room string, epoch uint64, batch []oplog.BatchOp) oplog.SubmitResult {
	lr, err := l.opened(room, epoch)
	if err != nil {
		return oplog.SubmitResult{Epoch: epoch, Err: err}
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	if lr.epoch != epoch {
		return oplog.SubmitResult{Epoch: epoch, Err: oplog.ErrEpoch}
	}
	res := make([]int64, len(batch))
	ops := make([]oplog.StoredOp, 0, len(batch))
	first := lr.seq + 1
	for i, op := range batch {
		applied := lr.applied[op.Author]
		switch {
		case op.Index == applied:
			lr.seq++
			lr.applied[op.Author]++
			ops = append(ops, oplog.StoredOp{Seq: lr.seq, Author: op.Author, Op: op.Op})
			res[i] = int64(lr.seq)
		case op.Index < applied:
			res[i] = 0
		default:
			res[i] = -1
		}
	}
	if len(ops) > 0 {
		l.append(room, epoch, ops)
	}
	return oplog.SubmitResult{Epoch: epoch, First: int64(first), Seqs: res}
}

// append stores ops, retrying until the store takes them: the numbers are
// assigned, and a later batch must not be stored before them.
func (l *Log) append(room string, epoch uint64, ops []oplog.StoredOp) {
	backoff := 50 * time.Millisecond
	for {
		err := l.store.Append(context.Background(), room, epoch, ops)
		if err == nil {
			return
		}
		l.metrics.StoreErrors.Inc()
		l.log.Error("store ops; retrying", "room", room, "err", err, "retry_in", backoff)
		time.Sleep(backoff)
		backoff = min(2*backoff, 5*time.Second)
	}
}

// Since reads the store: a replica on its own never misses a batch, so
// this is for callers outside the room's data path (and the conformance
// table), not a hot path.
func (l *Log) Since(ctx context.Context, room string, epoch, from uint64) ([]oplog.StoredOp, uint64, error) {
	lr, err := l.opened(room, epoch)
	if err != nil {
		return nil, 0, err
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	st, err := l.store.Load(ctx, room)
	if err != nil {
		return nil, 0, err
	}
	var ops []oplog.StoredOp
	for _, so := range st.Ops {
		// A store may still hold ops a snapshot covers (bolt's
		// write-ahead log keeps them until its next checkpoint).
		if so.Seq >= from && so.Seq > lr.snapSeq {
			ops = append(ops, so)
		}
	}
	if from <= lr.seq && (len(ops) == 0 || ops[0].Seq != from) {
		return nil, lr.seq, oplog.ErrTrimmed
	}
	return ops, lr.seq, nil
}

// Head returns the room's head from its numbering state.
func (l *Log) Head(_ context.Context, room string, epoch uint64) (uint64, uint32, error) {
	lr, err := l.opened(room, epoch)
	if err != nil {
		return 0, 0, err
	}
	lr.mu.Lock()
	defer lr.mu.Unlock()
	return lr.seq, lr.authors, nil
}

// NewAuthors reserves author ids in the store.
func (l *Log) NewAuthors(ctx context.Context, room string, epoch uint64, n uint32) (uint32, error) {
	lr, err := l.opened(room, epoch)
	if err != nil {
		return 0, err
	}
	last, err := l.store.NewAuthors(ctx, room, n)
	if err != nil {
		return 0, err
	}
	lr.mu.Lock()
	lr.authors = max(lr.authors, last)
	lr.mu.Unlock()
	return last, nil
}

// Compact stores the snapshot as a checkpoint; the store keeps the ops
// it covers (history), and Since no longer returns them.
func (l *Log) Compact(ctx context.Context, room string, epoch, seq uint64, snapshot []byte) error {
	lr, err := l.opened(room, epoch)
	if err != nil {
		return err
	}
	if err := l.store.Compact(ctx, room, seq, snapshot); err != nil {
		return err
	}
	lr.mu.Lock()
	lr.snapSeq = max(lr.snapSeq, seq)
	lr.mu.Unlock()
	return nil
}

// Watch does nothing: no other replica writes to a local log.
func (l *Log) Watch(string, oplog.Listener) {}

// Unwatch closes the room: its numbering state is dropped (Open builds it
// again). Only the room's last user calls it, after its last batch.
func (l *Log) Unwatch(room string, _ oplog.Listener) {
	l.mu.Lock()
	delete(l.rooms, room)
	l.mu.Unlock()
}

// Ready: a local store has no outage to report.
func (l *Log) Ready() bool { return true }

// Shared is false: this replica is the log's only writer.
func (l *Log) Shared() bool { return false }
