package local

import (
	"context"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// Store keeps rooms' history so that a restart loses nothing. A room's
// history is an epoch, its ops (every one of them: a board's history is
// its log), its checkpoints (snapshots, canonical canvas.Board encodings,
// each at some sequence number), its versions and the author counter.
//
// The in-process default is bolt.Store (a bbolt file on local disk with a
// write-ahead log of recent ops beside it). Ops are appended before anyone
// sees them: Append returning nil means the ops are durable, and only then
// are they fanned out and so acknowledged.
type Store interface {
	// Load returns what a room opens from: the epoch, the latest
	// checkpoint, the ops after it and the author counter. A room never
	// stored has Epoch 0 and nothing else.
	Load(ctx context.Context, room string) (*oplog.StoredRoom, error)
	// Head returns room's epoch and last sequence number (epoch 0: never
	// stored) without reading its ops.
	Head(ctx context.Context, room string) (epoch, seq uint64, err error)
	// Append stores ops (consecutive sequence numbers) for room, creating
	// the room with epoch if it is new.
	Append(ctx context.Context, room string, epoch uint64, ops []oplog.StoredOp) error
	// Compact stores snapshot (the board at seq) as a checkpoint, the
	// latest one Load starts from. The ops it covers are kept: they are
	// the board's history.
	Compact(ctx context.Context, room string, seq uint64, snapshot []byte) error
	// Checkpoint returns the latest checkpoint at or before seq and its
	// sequence number (nil and 0: none).
	Checkpoint(ctx context.Context, room string, seq uint64) ([]byte, uint64, error)
	// Range returns the ops numbered from through to, in order.
	Range(ctx context.Context, room string, from, to uint64) ([]oplog.StoredOp, error)
	// PutVersion stores v, replacing a version at the same seq.
	PutVersion(ctx context.Context, room string, v *oplog.Version) error
	// Versions returns up to limit versions before seq before (0: all),
	// newest first.
	Versions(ctx context.Context, room string, before uint64, limit int) ([]oplog.Version, error)
	// NewAuthors durably reserves the room's next n author ids (1, 2,
	// ...) and returns the last of them; rooms reserve a block at a time so
	// a crowd joining costs one write per block, not one per person.
	NewAuthors(ctx context.Context, room string, n uint32) (uint32, error)
	// Close releases the store.
	Close() error
}
