package server

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
