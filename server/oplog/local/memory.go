package local

import (
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
}

type memoryRoom struct {
	epoch   uint64
	snap    []byte
	ops     []oplog.StoredOp
	authors uint32
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

// Load returns a copy of what is stored of room.
func (m *MemoryStore) Load(_ context.Context, room string) (*oplog.StoredRoom, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.rooms[room]
	if r == nil {
		return &oplog.StoredRoom{}, nil
	}
	return &oplog.StoredRoom{Epoch: r.epoch, Snapshot: slices.Clone(r.snap), Ops: slices.Clone(r.ops), Authors: r.authors}, nil
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

// Compact keeps snapshot and drops the ops up to seq.
func (m *MemoryStore) Compact(_ context.Context, room string, seq uint64, snapshot []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.room(room)
	r.snap = slices.Clone(snapshot)
	i := 0
	for i < len(r.ops) && r.ops[i].Seq <= seq {
		i++
	}
	r.ops = slices.Clone(r.ops[i:])
	return nil
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
