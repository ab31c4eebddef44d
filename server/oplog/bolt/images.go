package bolt

import (
	"context"
	"encoding/binary"

	"github.com/sketchpad/sketchpad/server/oplog"
	"go.etcd.io/bbolt"
)

// Images live in the board's file, beside its ops but outside the rooms
// bucket (so a board that has only images is not taken for a stored
// board): bucket "images" holds a bucket per room, with each image's bytes
// under its hash and the room's total under "total" (u64), which no hash
// can be named. An upload is rare and large, so it is a transaction of its
// own, durable when PutImage returns, not a write-ahead log record.

var (
	bucketImages = []byte("images")
	keyTotal     = []byte("total")
)

var _ oplog.Images = (*Store)(nil)

// PutImage stores data under hash for room (oplog.Images).
func (s *Store) PutImage(_ context.Context, room, hash string, data []byte, maxBoard int64) (added bool, err error) {
	err = s.db.Update(func(tx *bbolt.Tx) error {
		ib, err := tx.CreateBucketIfNotExists(bucketImages)
		if err != nil {
			return err
		}
		rb, err := ib.CreateBucketIfNotExists([]byte(room))
		if err != nil {
			return err
		}
		if rb.Get([]byte(hash)) != nil {
			return nil
		}
		var total uint64
		if v := rb.Get(keyTotal); len(v) == 8 {
			total = binary.BigEndian.Uint64(v)
		}
		if int64(total)+int64(len(data)) > maxBoard {
			return oplog.ErrImagesFull
		}
		if err := rb.Put([]byte(hash), data); err != nil {
			return err
		}
		added = true
		return rb.Put(keyTotal, binary.BigEndian.AppendUint64(nil, total+uint64(len(data))))
	})
	return added, err
}

// Image returns the bytes stored under hash for room (oplog.Images).
func (s *Store) Image(_ context.Context, room, hash string) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bbolt.Tx) error {
		if v := imageBucket(tx, room).Get([]byte(hash)); v != nil && len(hash) != len(keyTotal) {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	if err == nil && out == nil {
		err = oplog.ErrNoImage
	}
	return out, err
}

// HasImage reports whether room holds hash (oplog.Images).
func (s *Store) HasImage(_ context.Context, room, hash string) (bool, error) {
	var ok bool
	err := s.db.View(func(tx *bbolt.Tx) error {
		ok = len(hash) != len(keyTotal) && imageBucket(tx, room).Get([]byte(hash)) != nil
		return nil
	})
	return ok, err
}

// imageBucket returns room's image bucket, or an empty read-only stand-in.
func imageBucket(tx *bbolt.Tx, room string) interface{ Get([]byte) []byte } {
	if ib := tx.Bucket(bucketImages); ib != nil {
		if rb := ib.Bucket([]byte(room)); rb != nil {
			return rb
		}
	}
	return noBucket{}
}

type noBucket struct{}

func (noBucket) Get([]byte) []byte { return nil }
