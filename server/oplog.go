package server

import (
	"context"
	"errors"
)

// The seam between a room and the log that numbers and keeps its ops. The
// consumer (the room) owns these interfaces, so a log knows nothing of
// rooms, sessions or their events: it sees plain records going in and
// calls a Listener coming out. (Before this seam the Redis log held the
// rooms themselves and built their private events, and the room's batches
// carried its sessions into the Redis pipeline: each side held the other's
// structs.)

// Listener is what a log may call on a room it watches for other
// replicas' batches. A log calls it from its own goroutine (the
// subscriber), so no method may block: a room that cannot take a batch
// now says so, and reads what it missed from the log instead.
type Listener interface {
	// Published offers a batch the log published (another replica's ops,
	// or this replica's own coming back), encoded as the log publishes
	// it; the listener must not keep msg past the call unless it owns it
	// (the log hands over a fresh slice). It returns false when the batch
	// was not taken: the listener has then marked itself behind and will
	// resync, and the log counts the drop.
	Published(msg []byte) bool
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
	// one submitResult on reply, which must have room for it. A room has
	// at most one batch in flight, so an author's ops arrive in order.
	Submit(room string, epoch uint64, batch []BatchOp, reply chan<- submitResult)
	// Since returns the ops numbered from from on (possibly only the first
	// of them: call again from the next) and the room's head. errEpoch:
	// the room's history is another one; errTrimmed: a snapshot covers
	// what was asked for. Either way, Open the room again.
	Since(ctx context.Context, room string, epoch, from uint64) (ops []StoredOp, head uint64, err error)
	// Head returns the room's last sequence number and the author ids
	// handed out.
	Head(ctx context.Context, room string, epoch uint64) (seq uint64, authors uint32, err error)
	// NewAuthors durably reserves the room's next n author ids and
	// returns the last of them.
	NewAuthors(ctx context.Context, room string, epoch uint64, n uint32) (uint32, error)
	// Compact stores snapshot, the board at seq, and drops what it covers
	// (a log shared by replicas may keep some ops before it for replay).
	Compact(ctx context.Context, room string, epoch, seq uint64, snapshot []byte) error
	// Watch hands ln the batches other replicas publish for room, until
	// Unwatch with the same ln; a log no other replica writes to never
	// calls it.
	Watch(room string, ln Listener)
	Unwatch(room string, ln Listener)
	// Ready reports whether the log answered its last health check.
	Ready() bool
}

// Errors a Log returns.
var (
	// errEpoch: the room's history in the log is not the one the caller
	// holds (it was lost, or replaced after a loss). Reopen the room.
	errEpoch = errors.New("room epoch changed")
	// errTrimmed: the log no longer holds the ops asked for; a snapshot
	// covers them. Reopen the room.
	errTrimmed = errors.New("ops already compacted into a snapshot")
)

// submitResult is a log's answer to one batch: the sequence number of each
// op (0: a resend, skipped; -1: an index gap, refused), or an error
// (errEpoch: the room's history in the log is another one).
type submitResult struct {
	epoch uint64 // the epoch the batch was submitted under
	first int64  // the first sequence number the log assigned
	res   []int64
	err   error
}
