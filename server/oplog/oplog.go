// Package oplog is the contract between a room and the log that numbers
// and keeps its ops: the Log a room talks to, the Listener a log calls
// back, the optional Relay a shared log offers for news that is not
// ops (relay.go), and the plain records that cross between them (BatchOp,
// SubmitResult, StoredRoom, StoredOp). The logs live beside it: local (a
// replica on its own, numbering over a Store, in memory or in bbolt) and
// redis (a Lua sequencer every replica shares); every one of them passes
// the same conformance table (oplogtest).
//
// The contract is a package of its own rather than part of the room that
// consumes it, so that a log imports only these types, never the room, its
// sessions or its events: it sees plain records going in and calls a
// Listener coming out. (Before this seam the Redis log held the rooms
// themselves and built their private events, and a room's batches carried
// its sessions into the Redis pipeline.) The room is not the contract's
// only reader either: a closed board's picture reads a log, and so does a
// board's history (history.go: versions, and the board at any sequence
// number), a property of every log, not of one mode.
package oplog

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// Listener is what a log may call on a room it watches for other
// replicas' batches. A log calls it from its own goroutine (the
// subscriber), so no method may block: a room that cannot take a batch
// now says so, and reads what it missed from the log instead.
type Listener interface {
	// Published offers a batch the log published (another replica's ops,
	// or this replica's own coming back): ops numbered from first under
	// epoch, decoded by the log, which hands them over. It returns false
	// when the batch was not taken: the listener has then marked itself
	// behind and will resync, and the log counts the drop. (A batch the
	// log cannot decode is a Resync.) A log may leave out a batch of this
	// replica's own ops whose submit reply it has already put on the
	// room's reply channel: a listener that finds a gap while a batch of
	// its own is in flight takes that reply before calling the gap lost.
	Published(epoch, first uint64, ops []canvas.SeqOp) bool
	// Resync tells the listener it may have missed batches (a
	// resubscription, or the log's store lost its data): it reads the log
	// from its head on.
	Resync()
}

// BatchOp is one op of a batch submitted to a log: a plain record (the
// author, the author's op index, the op's bytes), never a session. The log
// numbers it unless the author's index is below the author's applied count
// (a resend, skipped) or above it (a gap, refused).
type BatchOp struct {
	Author uint32
	Index  uint64
	Op     []byte
}

// Log is where a room's ops are numbered and kept: the one thing a room
// needs to know about them. Two implementations: RedisLog (redis.go, the
// Lua sequencer shared by every replica) and localLog (oplog_local.go,
// numbering over a Store for a replica on its own). Every Log passes the
// same conformance table (oplog_test.go).
//
// Every call takes a context and honours it; an implementation may bound a
// call further by its own deadline (RedisLog does, so an outage is noticed
// quickly), but never hides one from the caller.
type Log interface {
	// Open returns room's history: its epoch (a new one for a room never
	// seen, or one whose history was lost), its snapshot, the ops the log
	// holds (after the snapshot, and possibly some before it, kept for
	// replay) and the author ids handed out.
	Open(ctx context.Context, room string) (*StoredRoom, error)
	// Submit queues a batch of a room's ops to be numbered under epoch
	// and returns at once; the log numbers them in order (skipping
	// resends, refusing index gaps), makes them durable, and then sends
	// one SubmitResult on reply, which must have room for it. A room has
	// at most one batch in flight, so an author's ops arrive in order.
	Submit(room string, epoch uint64, batch []BatchOp, reply chan<- SubmitResult)
	// Since returns the ops numbered from from on (possibly only the first
	// of them: call again from the next) and the room's head. ErrEpoch:
	// the room's history is another one; ErrTrimmed: a snapshot covers
	// what was asked for. Either way, Open the room again.
	Since(ctx context.Context, room string, epoch, from uint64) (ops []StoredOp, head uint64, err error)
	// Head returns the room's last sequence number and the author ids
	// handed out.
	Head(ctx context.Context, room string, epoch uint64) (seq uint64, authors uint32, err error)
	// NewAuthors durably reserves the room's next n author ids and
	// returns the last of them.
	NewAuthors(ctx context.Context, room string, epoch uint64, n uint32) (uint32, error)
	// Compact stores snapshot, the board at seq, as the board's latest
	// snapshot and as a checkpoint of its history. Open and Since then
	// start from it; the ops it covers stay in the history (ReadAt).
	Compact(ctx context.Context, room string, epoch, seq uint64, snapshot []byte) error
	// Watch hands ln the batches other replicas publish for room, until
	// Unwatch with the same ln; a log no other replica writes to never
	// calls it.
	Watch(room string, ln Listener)
	Unwatch(room string, ln Listener)
	// Ready reports whether the log answered its last health check.
	Ready() bool
	// Shared reports whether other replicas write to this log too (a
	// log of its own lets the room number ahead of it).
	Shared() bool

	// History (history.go). Compact keeps the ops a snapshot covers and
	// the snapshot itself as a checkpoint (a shared log keeps the latest
	// --history-ops of them); these read and mark it.

	// Mark records a version of room: the board at seq, of kind, at time
	// at. names are the names the room's people show (author -> name);
	// the log adds the ops since the previous version and their authors
	// (NewVersion). A clear or a removal is never replaced by a checkpoint at the same
	// seq; marking a version again is harmless.
	Mark(ctx context.Context, room string, epoch, seq uint64, kind VersionKind, at time.Time, names map[uint32]string) error
	// Versions returns the board's head and up to limit of its versions
	// before seq before (0: from the newest), newest first. It reads
	// only: a board never drawn is ErrNoBoard, and is not created.
	Versions(ctx context.Context, room string, before uint64, limit int) (head uint64, vs []Version, err error)
	// ReadAt returns what builds the board as it was after op seq (with
	// StoredBoard): the nearest checkpoint at or before seq and the ops
	// after it up to seq. ErrNoBoard: never drawn; ErrAhead: seq is past
	// the head; ErrTrimmed: the log no longer keeps that part of history.
	ReadAt(ctx context.Context, room string, seq uint64) (*StoredRoom, error)
}

// Errors a Log returns.
var (
	// ErrEpoch: the room's history in the log is not the one the caller
	// holds (it was lost, or replaced after a loss). Reopen the room.
	ErrEpoch = errors.New("room epoch changed")
	// ErrTrimmed: the log no longer holds the ops asked for; a snapshot
	// covers them. Reopen the room.
	ErrTrimmed = errors.New("ops already compacted into a snapshot")
)

// SubmitResult is a log's answer to one batch: the sequence number of each
// op (0: a resend, skipped; -1: an index gap, refused), or an error
// (ErrEpoch: the room's history in the log is another one).
type SubmitResult struct {
	Epoch uint64  // the epoch the batch was submitted under
	First int64   // the first sequence number the log assigned
	Seqs  []int64 // each op's number (0: a resend, skipped; -1: an index gap, refused)
	Err   error
}

// StoredRoom is a room's stored history.
type StoredRoom struct {
	Epoch    uint64
	Snapshot []byte     // nil when none
	Ops      []StoredOp // after the snapshot, in sequence order
	Authors  uint32     // the last author id handed out
}

// StoredOp is one sequenced op.
type StoredOp struct {
	Seq    uint64
	Author uint32
	Op     []byte
}

// StoredBoard builds the board st holds: its snapshot, then the ops after
// it in sequence order, decoded into op (scratch). each, when not nil, sees
// every op st holds in order, those the snapshot already covers included.
// A room opening and a picture of a closed board read a board the same way.
func StoredBoard(room string, st *StoredRoom, op *canvas.Op, each func(StoredOp)) (*canvas.Board, error) {
	b := canvas.NewBoard(st.Epoch)
	if st.Snapshot != nil {
		if err := b.UnmarshalBinary(st.Snapshot); err != nil {
			return nil, fmt.Errorf("board %s snapshot: %w", room, err)
		}
	}
	for _, so := range st.Ops {
		if so.Seq > b.Seq {
			if so.Seq != b.Seq+1 {
				return nil, fmt.Errorf("board %s log has a gap at seq %d", room, b.Seq+1)
			}
			if err := canvas.DecodeOp(so.Op, op); err != nil {
				return nil, fmt.Errorf("board %s op %d: %w", room, so.Seq, err)
			}
			b.Apply(so.Author, op)
		}
		if each != nil {
			each(so)
		}
	}
	return b, nil
}

// NewEpoch returns a random epoch: the name of a history, never 0, so
// that a history lost and begun again is never taken for the old one.
func NewEpoch() uint64 {
	var b [8]byte
	for {
		_, _ = rand.Read(b[:])
		if e := binary.BigEndian.Uint64(b[:]); e != 0 {
			return e
		}
	}
}
