package bolt

import (
	"context"
	"encoding/binary"
	"fmt"

	bbolt "go.etcd.io/bbolt"
)

// Head returns room's epoch and last sequence number (epoch 0: never
// stored) without reading its history: a few keys in one read transaction
// and the write-ahead log's in-memory index. Pictures use it to find a
// board's cached rendering. Like Load it reads memory first, then bolt, so
// ops a checkpoint moves in between are seen at least once.
func (s *Store) Head(_ context.Context, room string) (epoch, seq uint64, err error) {
	var memEpoch uint64
	s.mu.Lock()
	for _, m := range []map[string]*memRoom{s.frozen, s.mem} {
		if mr := m[room]; mr != nil {
			memEpoch = mr.epoch
			if n := len(mr.ops); n > 0 {
				seq = max(seq, mr.ops[n-1].Seq)
			}
		}
	}
	s.mu.Unlock()
	err = s.db.View(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketRooms).Bucket([]byte(room))
		if rb == nil {
			return nil
		}
		if v := rb.Get(keyEpoch); len(v) == 8 {
			epoch = binary.BigEndian.Uint64(v)
		}
		if _, at := latestCheckpoint(rb); at > 0 {
			seq = max(seq, at)
		}
		if ob := rb.Bucket(bucketOps); ob != nil {
			if k, _ := ob.Cursor().Last(); len(k) == 8 {
				seq = max(seq, binary.BigEndian.Uint64(k))
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("read head of room %s: %w", room, err)
	}
	if epoch == 0 {
		epoch = memEpoch
	}
	return epoch, seq, nil
}

// snapshotSeq reads the sequence number from a board snapshot's header
// (canvas.Board.AppendBinary: the epoch as 8 bytes, then the sequence
// number as a uvarint) without decoding the board; 0 if it is malformed
// (then the full read finds out).
func snapshotSeq(snap []byte) uint64 {
	if len(snap) < 9 {
		return 0
	}
	seq, n := binary.Uvarint(snap[8:])
	if n <= 0 {
		return 0
	}
	return seq
}
