package redis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// Read-only access to a board's history in Redis, for pictures: unlike
// Open, nothing here creates a key, so asking about a board nobody drew
// leaves Redis as it was.

// readScript returns what a room would load, without creating the room.
// Atomic, so the snapshot and the ops after it come from one moment (a
// compaction between two plain reads could trim ops the older snapshot
// still needs). Only the ops after the snapshot are read: the ones kept
// before it are for replay, which a picture does not need.
// KEYS meta log snap. Returns {} for a board never stored, else
// {epoch, seq, snap|false, entries}.
var readScript = script("read.lua")

// ReadHead returns room's epoch and last sequence number (epoch 0: no
// such board) with one read of its meta hash.
func (l *Log) ReadHead(ctx context.Context, room string) (epoch, seq uint64, err error) {
	epoch, seq, err = l.readHead(ctx, room)
	if err == nil && epoch == 0 && l.arch != nil {
		return l.arch.Head(ctx, room)
	}
	return epoch, seq, err
}

func (l *Log) readHead(ctx context.Context, room string) (epoch, seq uint64, err error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, _, _, _, _ := roomKeys(room)
	v, err := l.rdb.HMGet(ctx, meta, "epoch", "seq").Result()
	if err != nil {
		return 0, 0, fmt.Errorf("read head of board %s: %w", room, err)
	}
	ep, _ := v[0].(string)
	if ep == "" {
		return 0, 0, nil
	}
	if len(ep) != 8 {
		return 0, 0, fmt.Errorf("read head of board %s: bad epoch in redis", room)
	}
	s, _ := v[1].(string)
	return binary.BigEndian.Uint64([]byte(ep)), uint64(asInt(s)), nil
}

// Read returns room's stored history as Open would, but creates nothing: a
// board never stored comes back with Epoch 0 and nothing else (as
// Store.Load answers). Its Ops start after the snapshot.
func (l *Log) Read(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	st, err := l.read(ctx, room)
	if err == nil && st.Epoch == 0 && l.arch != nil {
		return l.archivedRead(ctx, room)
	}
	return st, err
}

func (l *Log) read(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, lg, _, snap, _ := roomKeys(room)
	v, err := readScript.Run(ctx, l.rdb, []string{meta, lg, snap}).Slice()
	if err != nil {
		return nil, fmt.Errorf("read board %s: %w", room, err)
	}
	st := &oplog.StoredRoom{}
	if len(v) == 0 {
		return st, nil
	}
	if len(v) != 4 {
		return nil, fmt.Errorf("read board %s: unexpected reply %v", room, v)
	}
	ep, _ := v[0].(string)
	if len(ep) != 8 {
		return nil, errors.New("read board " + room + ": bad epoch in redis")
	}
	st.Epoch = binary.BigEndian.Uint64([]byte(ep))
	if s, ok := v[2].(string); ok {
		st.Snapshot = []byte(s)
	}
	entries, _ := v[3].([]any)
	if st.Ops, err = parseEntries(entries); err != nil {
		return nil, fmt.Errorf("read board %s: %w", room, err)
	}
	return st, nil
}
