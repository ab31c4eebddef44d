package main

import (
	"context"
	"sync"

	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
)

// memStore is a local.Store that keeps nothing durable: with it (the
// inproc-memory target and BenchmarkFanout's store=memory) the disk is out
// of the fan-out path, to see what the rest of the server does alone.
// History it has none: the embedded MemoryStore, never appended to,
// answers its reads (and keeps the few versions marked).
type memStore struct {
	*local.MemoryStore
	mu      sync.Mutex // guards authors
	authors map[string]uint32
}

func (m *memStore) Load(context.Context, string) (*oplog.StoredRoom, error) {
	return &oplog.StoredRoom{}, nil
}
func (m *memStore) Append(context.Context, string, uint64, []oplog.StoredOp) error { return nil }
func (m *memStore) Compact(context.Context, string, uint64, []byte) error          { return nil }
func (m *memStore) NewAuthors(_ context.Context, room string, n uint32) (uint32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.authors[room] += n
	return m.authors[room], nil
}
func (m *memStore) Close() error { return nil }

var _ local.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{MemoryStore: local.NewMemoryStore(), authors: map[string]uint32{}}
}
