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
// With an archive, archiving a board copies its images to PostgreSQL (the
// images table) before its keys leave Redis, this one with them
// (archdel.lua); they are not loaded back with the board but read from
// PostgreSQL when Redis lacks them, and a board's budget counts them
// (its "total" starts from the archive's sum when Redis has none).

var putImageScript = script("putimage.lua")

var _ oplog.Images = (*Log)(nil)

func imageKey(room string) string { return "sp:{" + room + "}:img" }

// PutImage stores data under hash for room (oplog.Images).
func (l *Log) PutImage(ctx context.Context, room, hash string, data []byte, maxBoard int64) (bool, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	var base int64
	if l.arch != nil {
		if ok, err := l.HasImage(ctx, room, hash); err != nil || ok {
			return false, err
		}
		var err error
		if base, err = l.arch.ImageBytes(ctx, room); err != nil {
			return false, err
		}
	}
	n, err := putImageScript.Run(ctx, l.rdb, []string{imageKey(room)}, hash, data, maxBoard, base).Int()
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
		if l.arch != nil {
			return l.arch.Image(ctx, room, hash)
		}
		return nil, oplog.ErrNoImage
	}
	return b, err
}

// archiveImages copies room's images to the archive (before its keys
// leave Redis).
func (l *Log) archiveImages(ctx context.Context, room string) error {
	all, err := l.rdb.HGetAll(ctx, imageKey(room)).Result()
	if err != nil {
		return err
	}
	delete(all, "total")
	imgs := make(map[string][]byte, len(all))
	for h, v := range all {
		imgs[h] = []byte(v)
	}
	return l.arch.PutImages(ctx, room, imgs)
}

// HasImage reports whether room holds hash (oplog.Images).
func (l *Log) HasImage(ctx context.Context, room, hash string) (bool, error) {
	if hash == "total" {
		return false, nil
	}
	ctx, cancel := l.bound(ctx)
	defer cancel()
	ok, err := l.rdb.HExists(ctx, imageKey(room), hash).Result()
	if err != nil || ok || l.arch == nil {
		return ok, err
	}
	if _, err := l.arch.Image(ctx, room, hash); errors.Is(err, oplog.ErrNoImage) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}
