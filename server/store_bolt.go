package server

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BoltStore is the embedded default Store: one bbolt file. Layout: bucket
// "rooms" holds a bucket per room with keys "epoch" (u64), "snap" (board
// encoding) and a bucket "ops" keyed by big-endian u64 sequence numbers
// holding uvarint author + op bytes. The room bucket's own sequence counter
// is the author counter.
//
// Appends are group-committed by one writer goroutine: while a commit (and
// its fsync) runs, every append that arrives waits, and the next commit
// takes all of them at once. So a thousand busy rooms cost one fsync per
// commit time, not one each (bolt's own Batch groups only what arrives
// within a short timer, and then its batches queue one by one behind the
// writer lock).
type BoltStore struct {
	db       *bolt.DB
	appends  chan appendReq
	written  chan struct{} // closed when the writer has stopped
	closing  sync.Once
	closeErr error
}

type appendReq struct {
	room  string
	epoch uint64
	ops   []StoredOp
	done  chan error
}

var _ Store = (*BoltStore)(nil)

var (
	bucketRooms = []byte("rooms")
	bucketOps   = []byte("ops")
	keyEpoch    = []byte("epoch")
	keySnap     = []byte("snap")
)

// OpenBoltStore opens (or creates) the store file at path.
func OpenBoltStore(path string) (*BoltStore, error) {
	// The freelist is not written at each commit (it is rebuilt by a scan
	// when the file is opened): with it, every commit rewrote the whole
	// freelist, most of the bytes a busy board wrote.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second,
		NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketRooms)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init store %s: %w", path, err)
	}
	s := &BoltStore{db: db, appends: make(chan appendReq, 1024), written: make(chan struct{})}
	go s.writer()
	return s, nil
}

// Close stops the writer (after the appends already queued) and closes the
// file. No Append may be called after Close.
func (s *BoltStore) Close() error {
	s.closing.Do(func() {
		close(s.appends)
		<-s.written
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// writer commits queued appends, as many as are waiting, in one
// transaction each time. If a group fails, each append is retried alone so
// only the one at fault sees the error.
func (s *BoltStore) writer() {
	defer close(s.written)
	var group []appendReq
	for req := range s.appends {
		group = append(group[:0], req)
	more:
		for len(group) < 4096 {
			select {
			case r, ok := <-s.appends:
				if !ok {
					break more
				}
				group = append(group, r)
			default:
				break more
			}
		}
		err := s.db.Update(func(tx *bolt.Tx) error {
			for _, r := range group {
				if err := appendTx(tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && len(group) > 1 {
			for _, r := range group {
				r.done <- s.db.Update(func(tx *bolt.Tx) error { return appendTx(tx, r) })
			}
			continue
		}
		for _, r := range group {
			r.done <- err
		}
	}
}

func appendTx(tx *bolt.Tx, r appendReq) error {
	rb, err := roomBucket(tx, r.room)
	if err != nil {
		return err
	}
	if rb.Get(keyEpoch) == nil {
		if err := rb.Put(keyEpoch, binary.BigEndian.AppendUint64(nil, r.epoch)); err != nil {
			return err
		}
	}
	ob, err := rb.CreateBucketIfNotExists(bucketOps)
	if err != nil {
		return err
	}
	for _, op := range r.ops {
		v := binary.AppendUvarint(make([]byte, 0, len(op.Op)+5), uint64(op.Author))
		if err := ob.Put(seqKey(op.Seq), append(v, op.Op...)); err != nil {
			return err
		}
	}
	return nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

func (s *BoltStore) Load(_ context.Context, room string) (*StoredRoom, error) {
	out := &StoredRoom{}
	err := s.db.View(func(tx *bolt.Tx) error {
		rb := tx.Bucket(bucketRooms).Bucket([]byte(room))
		if rb == nil {
			return nil
		}
		out.Authors = uint32(rb.Sequence())
		if v := rb.Get(keyEpoch); len(v) == 8 {
			out.Epoch = binary.BigEndian.Uint64(v)
		}
		if v := rb.Get(keySnap); v != nil {
			out.Snapshot = append([]byte(nil), v...)
		}
		ob := rb.Bucket(bucketOps)
		if ob == nil {
			return nil
		}
		return ob.ForEach(func(k, v []byte) error {
			author, n := binary.Uvarint(v)
			if len(k) != 8 || n <= 0 || author > 1<<32-1 {
				return fmt.Errorf("corrupt op record %x", k)
			}
			out.Ops = append(out.Ops, StoredOp{
				Seq:    binary.BigEndian.Uint64(k),
				Author: uint32(author),
				Op:     append([]byte(nil), v[n:]...),
			})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load room %s: %w", room, err)
	}
	return out, nil
}

func roomBucket(tx *bolt.Tx, room string) (*bolt.Bucket, error) {
	return tx.Bucket(bucketRooms).CreateBucketIfNotExists([]byte(room))
}

func (s *BoltStore) Append(_ context.Context, room string, epoch uint64, ops []StoredOp) error {
	done := make(chan error, 1)
	s.appends <- appendReq{room: room, epoch: epoch, ops: ops, done: done}
	if err := <-done; err != nil {
		return fmt.Errorf("append %d ops to room %s: %w", len(ops), room, err)
	}
	return nil
}

func (s *BoltStore) Compact(_ context.Context, room string, seq uint64, snapshot []byte) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		rb, err := roomBucket(tx, room)
		if err != nil {
			return err
		}
		if err := rb.Put(keySnap, snapshot); err != nil {
			return err
		}
		ob := rb.Bucket(bucketOps)
		if ob == nil {
			return nil
		}
		c := ob.Cursor()
		for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= seq; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("compact room %s at seq %d: %w", room, seq, err)
	}
	return nil
}

func (s *BoltStore) NewAuthors(_ context.Context, room string, n uint32) (uint32, error) {
	var id uint64
	err := s.db.Batch(func(tx *bolt.Tx) error {
		rb, err := roomBucket(tx, room)
		if err != nil {
			return err
		}
		id = rb.Sequence() + uint64(n)
		return rb.SetSequence(id)
	})
	if err == nil && id > 1<<32-1 {
		err = errors.New("author ids exhausted")
	}
	if err != nil {
		return 0, fmt.Errorf("new author in room %s: %w", room, err)
	}
	return uint32(id), nil
}
