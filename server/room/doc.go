// Package room is the live boards on this replica: a Room holds one board,
// the peers on it and the one goroutine that owns both, and the Hub opens
// and closes rooms (idle close, eviction at the most boards a replica
// holds, boards per address).
//
// A room needs two things of the world, both interfaces it is handed: a
// Peer for each connection (server's WebSocket session implements it) and
// an oplog.Log that numbers and keeps its ops. It imports neither gws,
// Echo, go-redis nor bbolt, so its unit tests run a room against a fake
// peer and a fake log.
//
// In Redis mode one board may be open on several replicas. Its ops meet in
// the log; everything else the room relays to its people (who is there,
// cursors, laser trails, views, text claims) goes to the other replicas
// through the log's optional oplog.Relay, and theirs comes back through
// the room's Relayed (remote.go): people on different replicas see each
// other as if they were on one.
package room
