// Package server is a Sketchpad replica: the rooms that hold boards on this
// replica and the hub that opens and closes them (room.go, hub.go), the
// logs and stores behind them (embedded: store_bolt.go; Redis: redis*.go),
// the WebSocket sessions (session.go) and their limits (limits.go), the
// HTTP side (app.go: pages, pictures, embeds, tokens, and the per-address
// budget of http_limits.go), and the configuration (config.go).
package server
