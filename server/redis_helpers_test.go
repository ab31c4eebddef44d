package server_test

import (
	"testing"

	"github.com/sketchpad/sketchpad/server/client"
)

// The wiring most Redis tests start from: two replicas on one Redis, and a
// room with a client on either side of it.

// pairAcross connects A to the first replica and B to the second, both in
// room: whatever one draws reaches the other only through Redis.
func pairAcross(t *testing.T, rs []*testServer, room string) (a, b *client.Client) {
	t.Helper()
	return connect(t, rs[0], room, "A"), connect(t, rs[1], room, "B")
}

// redisPair starts two replicas on the Redis at redisURL and pairs two
// clients across them (pairAcross) in a room of the test's own.
func redisPair(t *testing.T, redisURL string) (rs []*testServer, room string, a, b *client.Client) {
	t.Helper()
	rs = replicas(t, redisURL, 2)
	room = roomName(t)
	a, b = pairAcross(t, rs, room)
	return rs, room, a, b
}
