// Package ws is a replica's WebSocket side, on gws: it upgrades a request
// the web side has allowed (Accept, with the Grant it resolved), and each
// connection becomes a Session, the room.Peer its board's room sends to.
//
// A session's read side validates every frame with the canvas codec and
// applies the rate limits (limits.go: per connection and per client
// address, waited out on the connection's own read goroutine, so only the
// sender slows down) before its room sees anything. Its write side is
// gws's write queue, bounded in bytes: a client that stops reading is
// dropped, never buffered without bound, and a room never waits on it.
// One pinger serves every connection.
package ws
