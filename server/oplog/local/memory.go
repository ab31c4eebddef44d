package local

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// MemoryStore is a Store that keeps rooms in memory: for tests and load
// runs that must not measure a disk. It keeps what it is given as a
// durable store would (a restart of the process loses it, nothing else
// does), so the local log behaves over it as over bbolt.
type MemoryStore struct {
	mu    sync.Mutex // guards rooms
	rooms map[string]*memoryRoom
	imgs  memoryImages // memory_images.go
}

type memoryRoom struct {
	epoch    uint64
	ops      []oplog.StoredOp // every op, in sequence order
	ckpts    []checkpoint     // in sequence order
	versions []oplog.Version  // in sequence order
	authors  uint32
}

type checkpoint struct {
	seq  uint64
	snap []byte
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{rooms: make(map[string]*memoryRoom)} }

func (m *MemoryStore) room(name string) *memoryRoom {
	r := m.rooms[name]
	if r == nil {
		r = &memoryRoom{}
		m.rooms[name] = r
	}
	return r
}

// after returns the index of the first op after seq.
func (r *memoryRoom) after(seq uint64) int {
	i, _ := slices.BinarySearchFunc(r.ops, seq+1, func(so oplog.StoredOp, s uint64) int { return cmp.Compare(so.Seq, s) })
	return i
}

// Load returns a copy of the room's latest checkpoint and the ops after it.
func (m *MemoryStore) Load(_ context.Context, room string) (*oplog.StoredRoom, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil {
		return &oplog.StoredRoom{}, nil
	}
	st := &oplog.StoredRoom{Epoch: r.epoch, Authors: r.authors}
	var from uint64
	if n := len(r.ckpts); n > 0 {
		st.Snapshot, from = slices.Clone(r.ckpts[n-1].snap), r.ckpts[n-1].seq
	}
	st.Ops = slices.Clone(r.ops[r.after(from):])
	return st, nil
}

// Head returns the room's epoch and last sequence number.
func (m *MemoryStore) Head(_ context.Context, room string) (uint64, uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil {
		return 0, 0, nil
	}
	var seq uint64
	if n := len(r.ops); n > 0 {
		seq = r.ops[n-1].Seq
	}
	if n := len(r.ckpts); n > 0 {
		seq = max(seq, r.ckpts[n-1].seq)
	}
	return r.epoch, seq, nil
}

// Append keeps ops, taking ownership of them.
func (m *MemoryStore) Append(_ context.Context, room string, epoch uint64, ops []oplog.StoredOp) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.room(room)
	if r.epoch == 0 {
		r.epoch = epoch
	}
	r.ops = append(r.ops, ops...)
	return nil
}

// Compact keeps snapshot as a checkpoint; the ops stay.
func (m *MemoryStore) Compact(_ context.Context, room string, seq uint64, snapshot []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.room(room)
	c := checkpoint{seq: seq, snap: slices.Clone(snapshot)}
	i, found := slices.BinarySearchFunc(r.ckpts, seq, func(c checkpoint, s uint64) int { return cmp.Compare(c.seq, s) })
	if found {
		r.ckpts[i] = c
	} else {
		r.ckpts = slices.Insert(r.ckpts, i, c)
	}
	return nil
}

// Checkpoint returns the latest checkpoint at or before seq.
func (m *MemoryStore) Checkpoint(_ context.Context, room string, seq uint64) ([]byte, uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil {
		return nil, 0, nil
	}
	i, found := slices.BinarySearchFunc(r.ckpts, seq, func(c checkpoint, s uint64) int { return cmp.Compare(c.seq, s) })
	if found {
		i++
	}
	if i == 0 {
		return nil, 0, nil
	}
	return slices.Clone(r.ckpts[i-1].snap), r.ckpts[i-1].seq, nil
}

// Range returns copies of the ops from through to.
func (m *MemoryStore) Range(_ context.Context, room string, from, to uint64) ([]oplog.StoredOp, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil || from > to || from == 0 {
		return nil, nil
	}
	return slices.Clone(r.ops[r.after(from-1):r.after(to)]), nil
}

// PutVersion keeps v, replacing a version at the same seq.
func (m *MemoryStore) PutVersion(_ context.Context, room string, v *oplog.Version) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.room(room)
	i, found := slices.BinarySearchFunc(r.versions, v.Seq, func(x oplog.Version, s uint64) int { return cmp.Compare(x.Seq, s) })
	if found {
		r.versions[i] = *v
	} else {
		r.versions = slices.Insert(r.versions, i, *v)
	}
	return nil
}

// Versions returns up to limit versions before seq before, newest first.
func (m *MemoryStore) Versions(_ context.Context, room string, before uint64, limit int) ([]oplog.Version, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil {
		return nil, nil
	}
	end := len(r.versions)
	if before > 0 {
		end, _ = slices.BinarySearchFunc(r.versions, before, func(x oplog.Version, s uint64) int { return cmp.Compare(x.Seq, s) })
	}
	var out []oplog.Version
	for i := end - 1; i >= 0 && len(out) < limit; i-- {
		v := r.versions[i]
		v.Authors = slices.Clone(v.Authors)
		out = append(out, v)
	}
	return out, nil
}

// NewAuthors reserves the room's next n author ids.
func (m *MemoryStore) NewAuthors(_ context.Context, room string, n uint32) (uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.room(room)
	r.authors += n
	return r.authors, nil
}

// Close does nothing.
func (m *MemoryStore) Close() error { return nil }
