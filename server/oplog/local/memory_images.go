package local

import (
	"context"
	"sync"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// memoryImages is MemoryStore's image store: bytes by room and hash.
type memoryImages struct {
	mu    sync.Mutex                   // guards rooms
	rooms map[string]map[string][]byte // room -> hash -> bytes
}

var _ oplog.Images = (*MemoryStore)(nil)

// PutImage stores a copy of data under hash for room (oplog.Images).
func (m *MemoryStore) PutImage(_ context.Context, room, hash string, data []byte, maxBoard int64) (bool, error) {
	im := &m.imgs
	im.mu.Lock()
	defer im.mu.Unlock()
	r := im.rooms[room]
	if _, ok := r[hash]; ok {
		return false, nil
	}
	var total int64
	for _, b := range r {
		total += int64(len(b))
	}
	if total+int64(len(data)) > maxBoard {
		return false, oplog.ErrImagesFull
	}
	if r == nil {
		if im.rooms == nil {
			im.rooms = make(map[string]map[string][]byte)
		}
		r = make(map[string][]byte)
		im.rooms[room] = r
	}
	r[hash] = append([]byte(nil), data...)
	return true, nil
}

// Image returns the bytes stored under hash for room (oplog.Images).
func (m *MemoryStore) Image(_ context.Context, room, hash string) ([]byte, error) {
	m.imgs.mu.Lock()
	defer m.imgs.mu.Unlock()
	b, ok := m.imgs.rooms[room][hash]
	if !ok {
		return nil, oplog.ErrNoImage
	}
	return b, nil
}

// HasImage reports whether room holds hash (oplog.Images).
func (m *MemoryStore) HasImage(_ context.Context, room, hash string) (bool, error) {
	m.imgs.mu.Lock()
	defer m.imgs.mu.Unlock()
	_, ok := m.imgs.rooms[room][hash]
	return ok, nil
}
