package local

import (
	"context"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// Store keeps rooms' history so that a restart loses nothing. A room's
// history is an epoch, an optional snapshot (a canonical canvas.Board
// encoding at some sequence S), the ops after S, and the author counter.
//
// The in-process default is BoltStore (a bbolt file on local disk with a
// write-ahead log of recent ops beside it, store_wal.go). Ops are
// appended before anyone sees them: Append returning nil means the ops are
// durable, and only then are they fanned out and so acknowledged.
type Store interface {
	// Load returns what is stored of room; a room never stored has
	// Epoch 0 and nothing else.
	Load(ctx context.Context, room string) (*oplog.StoredRoom, error)
	// Append stores ops (consecutive sequence numbers) for room, creating
	// the room with epoch if it is new.
	Append(ctx context.Context, room string, epoch uint64, ops []oplog.StoredOp) error
	// Compact stores snapshot (the board at seq) and drops the ops it covers.
	Compact(ctx context.Context, room string, seq uint64, snapshot []byte) error
	// NewAuthors durably reserves the room's next n author ids (1, 2,
	// ...) and returns the last of them; rooms reserve a block at a time so
	// a crowd joining costs one write per block, not one per person.
	NewAuthors(ctx context.Context, room string, n uint32) (uint32, error)
	// Close releases the store.
	Close() error
}
