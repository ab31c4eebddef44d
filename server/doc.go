// Package server is a Sketchpad replica: the rooms that hold boards on this
// replica and the hub that opens and closes them (room*.go, hub.go), the
// one Log a room talks to (oplog.go) and its implementations (a replica on
// its own: oplog_local.go over a Store, store_bolt.go or store_memory.go;
// a cluster: redis*.go), the WebSocket sessions (session.go) and their
// limits (limits.go), the HTTP side (app.go: pages, pictures, embeds,
// tokens, and the per-address budget of http_limits.go), and the
// configuration (config.go).
//
// The room owns the interfaces of its seam (Log, Listener, BatchOp), so
// the logs know nothing of rooms or sessions; every Log passes the table
// in oplog_test.go.
package server
