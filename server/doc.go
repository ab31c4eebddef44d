// Package server is a Sketchpad replica's web side and its wiring: the
// routes (pages, board pictures, embeds, token minting, health and
// metrics; app.go, embed.go, picture.go), the per-address HTTP budget
// (http_limits.go), and New, which puts a replica together from the
// packages below it:
//
//   - config: the settings, with their flags, environment variables and
//     checks.
//   - room: the live boards on this replica (Room, and the Hub that opens
//     and closes them). A room talks to one oplog.Log and to a room.Peer
//     per connection, and imports neither gws, Echo, go-redis nor bbolt.
//   - oplog: the contract between a room and its log; oplog/local (a
//     replica on its own: numbering over a Store, in memory or in
//     oplog/bolt on disk) and oplog/redis (a sequencer every replica
//     shares) implement it, and oplog/oplogtest is the table every log
//     passes.
//   - ws: the WebSocket sessions (gws), their frame checks and rate
//     limits, and the pinger.
//   - access: view links and embed tokens.
//   - metrics: the Prometheus series.
//
// The package is named for what cmd/sketchpad runs rather than "web": the
// integration tests here drive a whole replica, over real sockets.
package server
