// Package ws is a replica's WebSocket side, on gws: it upgrades a request
// the web side has allowed (Accept, with the Grant it resolved), and each
// connection becomes a Session, the room.Peer its board's room sends to.
//
// A session's read side validates every frame with the canvas codec and
// applies the rate limits (limits.go: per connection and per client
// address, waited out on the connection's own read goroutine, so only the
// sender slows down) before its room sees anything. One pinger serves
// every connection.
//
// # The write side
//
// A frame for a connection with nothing queued is written at once, on
// the sender's goroutine (the room's), by one writev that never waits: the
// frame's header built here and its payload written where it lies, never
// copied per connection. Most frames go so, with no goroutine woken for
// them; a board's room spends its frames' system calls on its own
// goroutine, which the pacing budget (room's --frame-cpu) counts, since it
// measures the process's CPU per frame sent. What the socket does not take at once (its buffer is full: the
// client reads slowly) goes to the session's queue, bounded in bytes
// (--send-queue: a client that falls that far behind is dropped, never
// buffered without bound), and while the queue is not empty a writer
// goroutine of its own (writer.go) writes it: everything queued at once
// in one writev, the room's frames (ops, cursors, presence), pings, pongs
// and a joiner's board alike. After the queue empties the writer lingers a
// second for more, then exits: a connection that keeps its client busy
// keeps one writer and starts no goroutine per frame, while an idle
// connection has no writer, no stack and no queue (BENCHMARKS.md, idle).
//
// Every write has a deadline (--write-timeout; a joiner's board longer,
// --join-min-rate), so a client that stops reading blocks only its own
// writer, never the room nor any other connection, and is cut when the
// deadline passes, counted as a slow consumer like one dropped at its
// queue bound.
//
// The writer writes to the socket itself, beside gws, which still writes
// its own control frames (its answer to a client's close, a protocol
// error's close). Frames stay whole: the writer's writev on a
// *net.TCPConn is one call of internal/poll's FD.Writev, which holds the
// socket's write lock for all its vectors and all its retries until every
// byte is written or the deadline passes; the write that never waits
// holds the same lock (syscall.RawConn.Write) for its one writev, and
// its remainder, if any, is the first thing the writer writes; gws's
// writes (net.Conn.Write, FD.Write) take the same lock. (gws could write
// between a remainder's two parts only while answering a client's close,
// which ends the connection anyway.) Pings and pongs go through the writer, behind the frames
// queued before them, so only the writer sets write deadlines (and
// clears them when it exits: the write that never waits would trip on a
// deadline left behind). Close
// queues the close frame behind what is queued (except for a client
// dropped for being slow, whose queue is thrown away), shortens the write
// deadline to a second, and the writer writes the close frame and then
// half-closes the socket; a write that fails partway leaves half a frame
// on the wire, after which no close frame can follow, so the socket is
// closed without one.
//
// Why this shape. gws's WriteAsync, which this replaced, queues each
// frame to a per-connection worker that starts a goroutine whenever it
// goes from idle to busy and copies every payload into a frame buffer of
// its own: on a busy board, a goroutine start, exit and reschedule plus a
// copy per frame per connection, and one write per frame however many are
// waiting. A writer per connection alone (lingering, without the write
// that never waits) starts no goroutine per frame but still wakes one;
// writing on the sender's goroutine wakes none, and leaves the writer only
// the clients that read slowly (BENCHMARKS.md, write path: the three
// measured alternating). A small pool of writers serving
// many connections' queues would keep even fewer stacks, but a write to a
// client that stopped reading blocks its writer until the deadline, and
// with it every connection that writer serves: exactly what a slow client
// must never do, so it was not built. (Go offers no write that returns
// instead of blocking, short of a deadline that could cut a frame in
// half.)
package ws
