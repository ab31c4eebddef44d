package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A room's images live in one hash beside its other keys, under the same
// hash tag (so a Redis Cluster keeps them on the room's shard):
//
//	sp:{R}:img   hash: image hash (64 hex digits) -> bytes, and "total",
//	             the bytes of all of them
//
// Archiving a board leaves this key in Redis (it is not in archiveKeys):
// an image's bytes are read by URL whether or not the board is open, and
// they are bounded per board by --board-image-bytes.

var putImageScript = script("putimage.lua")

var _ oplog.Images = (*Log)(nil)

func imageKey(room string) string { return "sp:{" + room + "}:img" }

// PutImage stores data under hash for room (oplog.Images).
func (l *Log) PutImage(ctx context.Context, room, hash string, data []byte, maxBoard int64) (bool, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	n, err := putImageScript.Run(ctx, l.rdb, []string{imageKey(room)}, hash, data, maxBoard).Int()
	switch {
	case err != nil:
		return false, err
	case n < 0:
		return false, oplog.ErrImagesFull
	}
	return n == 1, nil
}

// Image returns the bytes stored under hash for room (oplog.Images).
func (l *Log) Image(ctx context.Context, room, hash string) ([]byte, error) {
	if hash == "total" {
		return nil, oplog.ErrNoImage
	}
	ctx, cancel := l.bound(ctx)
	defer cancel()
	b, err := l.rdb.HGet(ctx, imageKey(room), hash).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, oplog.ErrNoImage
	}
	return b, err
}

// HasImage reports whether room holds hash (oplog.Images).
func (l *Log) HasImage(ctx context.Context, room, hash string) (bool, error) {
	if hash == "total" {
		return false, nil
	}
	ctx, cancel := l.bound(ctx)
	defer cancel()
	return l.rdb.HExists(ctx, imageKey(room), hash).Result()
}
