package redis

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// Opening a board: its history as Redis holds it (brought back from the
// archive first when it was archived), or a new one.

// openScript returns the room's history, creating the room under the
// given new epoch when it has none (new, or lost). Atomic, so replicas
// opening a lost room at the same moment agree on its new epoch.
// KEYS meta log applied snap checkpoints versions; ARGV newEpoch, keep.
// Returns {epoch, seq, authors, snapseq, snap|false, entries}.
var openScript = script("open.lua")

// Open loads room, creating it (or recreating it under a new epoch when
// its history is gone).
func (l *Log) Open(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	fresh := false
	if l.arch != nil {
		var err error
		if fresh, err = l.bringBack(ctx, room); err != nil {
			return nil, err
		}
	}
	ctx, cancel := l.bound(ctx)
	defer cancel()
	if fresh {
		defer func() { _ = l.touch(ctx, room) }()
	}
	meta, lg, applied, snap, _ := roomKeys(room)
	cks, versions := historyKeys(room)
	v, err := openScript.Run(ctx, l.rdb, []string{meta, lg, applied, snap, cks, versions}, epochBytes(oplog.NewEpoch()), l.keepOps).Slice()
	if err != nil {
		return nil, err
	}
	if len(v) != 6 {
		return nil, fmt.Errorf("open: unexpected reply %v", v)
	}
	ep, _ := v[0].(string)
	if len(ep) != 8 {
		return nil, fmt.Errorf("open: bad epoch in redis for room %s", room)
	}
	st := &oplog.StoredRoom{Epoch: binary.BigEndian.Uint64([]byte(ep))}
	st.Authors = uint32(asInt(v[2]))
	if s, ok := v[4].(string); ok {
		st.Snapshot = []byte(s)
	}
	entries, _ := v[5].([]any)
	st.Ops, err = parseEntries(entries)
	return st, err
}
