package bolt

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/sketchpad/sketchpad/server/oplog"
	bbolt "go.etcd.io/bbolt"
)

// A board's history in bolt: every op stays in its "ops" bucket, every
// checkpoint in "ckpts", every version in "versions", all keyed by
// sequence number, so the reads below are cursor seeks.

// latestCheckpoint returns the room's newest checkpoint and its seq.
func latestCheckpoint(rb *bbolt.Bucket) ([]byte, uint64) {
	return checkpointAt(rb, ^uint64(0))
}

// checkpointAt returns the room's newest checkpoint at or before seq
// (nil, 0: none), the old single snapshot included.
func checkpointAt(rb *bbolt.Bucket, seq uint64) (snap []byte, at uint64) {
	if v := rb.Get(keySnap); v != nil {
		if s := snapshotSeq(v); s <= seq {
			snap, at = v, s
		}
	}
	cb := rb.Bucket(bucketCheckpoints)
	if cb == nil {
		return snap, at
	}
	c := cb.Cursor()
	k, v := c.Seek(seqKey(seq))
	switch {
	case k == nil:
		k, v = c.Last()
	case seqOf(k) > seq:
		k, v = c.Prev()
	}
	if k != nil && seqOf(k) >= at && seqOf(k) <= seq {
		snap, at = v, seqOf(k)
	}
	return snap, at
}

func seqOf(k []byte) uint64 { return binary.BigEndian.Uint64(k) } // keys are 8 bytes (seqKey)

// Checkpoint returns the room's newest checkpoint at or before seq.
func (s *Store) Checkpoint(_ context.Context, room string, seq uint64) ([]byte, uint64, error) {
	var snap []byte
	var at uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		if rb := tx.Bucket(bucketRooms).Bucket([]byte(room)); rb != nil {
			v, a := checkpointAt(rb, seq)
			snap, at = append([]byte(nil), v...), a
			if v == nil {
				snap = nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read checkpoint of room %s: %w", room, err)
	}
	return snap, at, nil
}

// Range returns the ops from through to: memory first, then bolt, as
// Load reads them.
func (s *Store) Range(_ context.Context, room string, from, to uint64) ([]oplog.StoredOp, error) {
	if from == 0 || from > to {
		return nil, nil
	}
	_, mem := s.memOps(room)
	for i, l := range mem {
		mem[i] = between(l, from, to)
	}
	var ops []oplog.StoredOp
	err := s.db.View(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketRooms).Bucket([]byte(room))
		if rb == nil {
			return nil
		}
		var err error
		ops, err = readOps(rb, from, to)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read ops %d-%d of room %s: %w", from, to, room, err)
	}
	if len(mem) == 0 {
		return ops, nil
	}
	return mergeOps(append(mem, ops)...), nil
}

// between returns the ops of l (in sequence order, as the write-ahead
// log's memory lists them) numbered from through to: a read of a range
// sorts that range, not everything the log holds of the room.
func between(l []oplog.StoredOp, from, to uint64) []oplog.StoredOp {
	i, _ := slices.BinarySearchFunc(l, from, func(so oplog.StoredOp, s uint64) int { return cmp.Compare(so.Seq, s) })
	j, _ := slices.BinarySearchFunc(l, to+1, func(so oplog.StoredOp, s uint64) int { return cmp.Compare(so.Seq, s) })
	if to == math.MaxUint64 {
		j = len(l)
	}
	return l[i:max(i, j)]
}

// PutVersion stores v's record under its seq.
func (s *Store) PutVersion(_ context.Context, room string, v *oplog.Version) error {
	err := s.db.Batch(func(tx *bbolt.Tx) error {
		rb, err := roomBucket(tx, room)
		if err != nil {
			return err
		}
		vb, err := rb.CreateBucketIfNotExists(bucketVersions)
		if err != nil {
			return err
		}
		return vb.Put(seqKey(v.Seq), oplog.AppendVersion(nil, v))
	})
	if err != nil {
		return fmt.Errorf("store version %d of room %s: %w", v.Seq, room, err)
	}
	return nil
}

// Versions returns up to limit versions before seq before, newest first.
func (s *Store) Versions(_ context.Context, room string, before uint64, limit int) ([]oplog.Version, error) {
	var out []oplog.Version
	err := s.db.View(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketRooms).Bucket([]byte(room))
		if rb == nil {
			return nil
		}
		vb := rb.Bucket(bucketVersions)
		if vb == nil {
			return nil
		}
		c := vb.Cursor()
		// The newest version before before: the one in front of the first
		// at or after it, or the last of all.
		var k, v []byte
		if at, _ := c.Seek(seqKey(before)); before != 0 && at != nil {
			k, v = c.Prev()
		} else {
			k, v = c.Last()
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			if before != 0 && seqOf(k) >= before {
				continue
			}
			ver, err := oplog.DecodeVersion(v)
			if err != nil {
				return fmt.Errorf("version %x: %w", k, err)
			}
			out = append(out, ver)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read versions of room %s: %w", room, err)
	}
	return out, nil
}
