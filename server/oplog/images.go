package oplog

import (
	"context"
	"errors"
)

// Images keeps a board's images: their bytes, each stored once per board
// under its content hash (the SHA-256 an Image op names, 64 lowercase hex
// digits). It sits beside the Log rather than in it because image bytes
// are large and never sequenced: an op names an image, and a page fetches
// the bytes over HTTP, cached for good. Each store keeps them where it
// keeps the board: bbolt beside the board's ops (bolt.Store), Redis under
// the board's hash tag (redis.Log), process memory in tests
// (local.Memory). The caller (the HTTP upload) has validated the bytes and
// computed the hash; a store only keeps them within a board's budget.
type Images interface {
	// PutImage stores data under hash for room unless the room holds it
	// already (then it returns false and nil). ErrImagesFull: the room's
	// images would pass maxBoard bytes, counting each hash once.
	PutImage(ctx context.Context, room, hash string, data []byte, maxBoard int64) (added bool, err error)
	// Image returns the bytes stored under hash for room; ErrNoImage when
	// there are none.
	Image(ctx context.Context, room, hash string) ([]byte, error)
	// HasImage reports whether room holds an image under hash.
	HasImage(ctx context.Context, room, hash string) (bool, error)
}

// Errors of Images.
var (
	ErrNoImage    = errors.New("no such image on this board")
	ErrImagesFull = errors.New("the board's images would pass their byte limit")
)
