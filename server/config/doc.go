// Package config is a replica's configuration: one table of settings
// (Settings) from which the defaults, the command-line flags, the
// environment variables and the README's table check are all derived, and
// the checks that refuse combinations that make no sense (Validate).
//
// It imports nothing of the server's own, so every other package (the
// room, the logs, the WebSocket sessions, the web side) can take a
// *Config without importing each other.
package config
