// Package bolt keeps a replica's boards on local disk: a local.Store over a
// bbolt file with a write-ahead log of recent ops in front of it (wal.go),
// so an append is one fsync of the log, and the bbolt file is written in
// batches behind it. It also reads a board's head without loading it
// (Head), for pictures of closed boards, and keeps every op, checkpoint
// and version of a board: its history (history.go).
package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	bbolt "go.etcd.io/bbolt"
)

// Store is the embedded default local.Store: a bbolt file and, in front of
// it, a write-ahead log of ops (wal.go). Bolt layout: bucket "rooms"
// holds a bucket per room with key "epoch" (u64) and buckets keyed by
// big-endian u64 sequence numbers: "ops" (uvarint author + op bytes:
// every op of the board, its history), "ckpts" (checkpoints: board
// encodings) and "versions" (oplog.AppendVersion records). Files written
// before checkpoints were kept have one snapshot under the key "snap" and
// no ops before it. The room bucket's own sequence counter is the author
// counter.
//
// Appends are group-committed by one writer goroutine: while a write and
// its fsync run, every append that arrives waits, and the next write takes
// all of them at once. So a thousand busy rooms cost one fsync per commit
// time, not one each. The write goes to the log, not to bolt: a checkpoint
// moves the log into bolt every walCheckpointBytes, in one transaction.
// Until then Load finds the ops in memory (mem and frozen below).
type Store struct {
	db       *bbolt.DB
	path     string
	ckBytes  int64 // log size at which a checkpoint starts
	appends  chan appendReq
	written  chan struct{} // closed when the writer has stopped
	closing  sync.Once
	closeErr error

	// Writer goroutine only:
	wal     *os.File
	walN    uint64 // number of the log file being written
	walSize int64
	walErr  error // the log could not be repaired after a failed write: every append fails
	ckDone  chan error

	mu     sync.Mutex          // guards mem, frozen
	mem    map[string]*memRoom // ops in the log file being written
	frozen map[string]*memRoom // ops in the log file being checkpointed (nil: none)
}

type appendReq struct {
	room  string
	epoch uint64
	ops   []oplog.StoredOp
	done  chan error
}

var _ local.Store = (*Store)(nil)

var (
	bucketRooms = []byte("rooms")
	bucketOps   = []byte("ops")
	keyEpoch    = []byte("epoch")
	keySnap     = []byte("snap") // the one snapshot of files written before checkpoints were kept
	// Checkpoints (seq -> snapshot) and versions (seq -> record), per room.
	bucketCheckpoints = []byte("ckpts")
	bucketVersions    = []byte("versions")
)

// Open opens (or creates) the store file at path, first copying
// into it whatever a crash left in the write-ahead log.
func Open(path string) (*Store, error) {
	return open(path, walCheckpointBytes)
}

// open opens the store with its log checkpointed every ckBytes.
func open(path string, ckBytes int64) (*Store, error) {
	// The freelist is not written at each commit (it is rebuilt by a scan
	// when the file is opened): with it, every commit rewrote the whole
	// freelist.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second,
		NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketRooms)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init store %s: %w", path, err)
	}
	s := &Store{db: db, path: path, ckBytes: ckBytes, appends: make(chan appendReq, 1024), written: make(chan struct{}),
		mem: make(map[string]*memRoom)}
	if err := s.recover(); err != nil {
		db.Close()
		return nil, err
	}
	if s.wal, err = os.OpenFile(walPath(path, s.walN), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store log: %w", err)
	}
	go s.writer()
	return s, nil
}

// recover copies the ops of every log file left beside the database into
// it and removes the files.
func (s *Store) recover() error {
	paths, last, err := walFiles(s.path)
	if err != nil {
		return fmt.Errorf("list store logs: %w", err)
	}
	s.walN = last + 1
	if len(paths) == 0 {
		return nil
	}
	m := make(map[string]*memRoom)
	for _, p := range paths {
		recs, err := readWAL(p)
		if err != nil {
			return err
		}
		for _, r := range recs {
			addRecords(m, r.room, r.epoch, r.ops)
		}
	}
	if err := s.checkpoint(m); err != nil {
		return fmt.Errorf("recover store log: %w", err)
	}
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("recover store log: %w", err)
		}
	}
	return nil
}

// checkpoint puts the ops of m into bolt in one transaction.
func (s *Store) checkpoint(m map[string]*memRoom) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		for room, mr := range m {
			if err := appendTx(tx, appendReq{room: room, epoch: mr.epoch, ops: mr.ops}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close stops the writer (after the appends already queued), checkpoints
// the log and closes the file. No Append may be called after Close.
func (s *Store) Close() error {
	s.closing.Do(func() {
		close(s.appends)
		<-s.written
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// writer writes queued appends to the log, as many as are waiting, with
// one write and one fsync each time, and rotates the log into bolt when it
// has grown. On Close it checkpoints what is left.
func (s *Store) writer() {
	defer close(s.written)
	var group []appendReq
	var buf []byte
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
		buf = buf[:0]
		for _, r := range group {
			buf = appendWALRecord(buf, r.room, r.epoch, r.ops)
		}
		err := s.writeLog(buf)
		if err == nil {
			s.mu.Lock()
			for _, r := range group {
				addRecords(s.mem, r.room, r.epoch, r.ops)
			}
			s.mu.Unlock()
		}
		for _, r := range group {
			r.done <- err
		}
		if len(buf) > 64<<10 {
			buf = nil // do not keep a burst's buffer
		}
		if err == nil && s.walSize >= s.ckBytes {
			s.rotate()
		}
	}
	s.finish()
}

// writeLog appends b to the log and syncs it. A failed write is cut off
// again, so that the records after it stay readable.
func (s *Store) writeLog(b []byte) error {
	if s.walErr != nil {
		return s.walErr
	}
	_, err := s.wal.Write(b)
	if err == nil {
		err = s.wal.Sync()
	}
	if err == nil {
		s.walSize += int64(len(b))
		return nil
	}
	if terr := s.wal.Truncate(s.walSize); terr != nil {
		s.walErr = fmt.Errorf("store log unusable after %v: %w", err, terr)
	} else if _, serr := s.wal.Seek(s.walSize, 0); serr != nil {
		s.walErr = fmt.Errorf("store log unusable after %v: %w", err, serr)
	}
	return fmt.Errorf("write store log: %w", err)
}

// rotate starts the next log file and checkpoints the full one on a
// goroutine of its own, unless the last checkpoint is still running (then
// the current file grows until it is done).
func (s *Store) rotate() {
	if s.ckDone != nil {
		select {
		case err := <-s.ckDone:
			s.ckDone = nil
			if err != nil {
				return // frozen is still there; the next rotate retries
			}
		default:
			return
		}
	}
	s.mu.Lock()
	retry := s.frozen != nil
	s.mu.Unlock()
	if !retry {
		next, err := os.OpenFile(walPath(s.path, s.walN+1), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return // keep writing the current one
		}
		s.wal.Close()
		s.wal, s.walN, s.walSize = next, s.walN+1, 0
		s.mu.Lock()
		s.frozen, s.mem = s.mem, make(map[string]*memRoom)
		s.mu.Unlock()
	}
	s.mu.Lock()
	frozen := s.frozen
	s.mu.Unlock()
	old := walPath(s.path, s.walN-1)
	done := make(chan error, 1)
	s.ckDone = done
	go func() {
		err := s.checkpoint(frozen)
		if err == nil {
			err = os.Remove(old)
		}
		if err == nil {
			s.mu.Lock()
			s.frozen = nil
			s.mu.Unlock()
		}
		done <- err
	}()
}

// finish, at Close: waits for a running checkpoint, then checkpoints the
// rest and removes the log files (what fails stays for the next open).
func (s *Store) finish() {
	if s.ckDone != nil {
		<-s.ckDone
	}
	s.wal.Close()
	s.mu.Lock()
	all := s.mem
	if s.frozen != nil {
		for room, mr := range s.frozen {
			addRecords(all, room, mr.epoch, nil)
			all[room].ops = mergeOps(mr.ops, all[room].ops)
		}
	}
	s.mu.Unlock()
	if s.checkpoint(all) != nil {
		return
	}
	if paths, _, err := walFiles(s.path); err == nil {
		for _, p := range paths {
			_ = os.Remove(p)
		}
	}
}

func appendTx(tx *bbolt.Tx, r appendReq) error {
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

// Load returns the room's latest checkpoint and the ops after it.
func (s *Store) Load(_ context.Context, room string) (*oplog.StoredRoom, error) {
	// Memory first, then bolt: a checkpoint moving ops from one to the
	// other in between makes them appear twice (merged), never zero times.
	memEpoch, memOps := s.memOps(room)
	out := &oplog.StoredRoom{}
	var snapSeq uint64
	err := s.db.View(func(tx *bbolt.Tx) error {
		rb := tx.Bucket(bucketRooms).Bucket([]byte(room))
		if rb == nil {
			return nil
		}
		out.Authors = uint32(rb.Sequence())
		if v := rb.Get(keyEpoch); len(v) == 8 {
			out.Epoch = binary.BigEndian.Uint64(v)
		}
		var snap []byte
		snap, snapSeq = latestCheckpoint(rb)
		if snap != nil {
			out.Snapshot = append([]byte(nil), snap...)
		}
		var err error
		out.Ops, err = readOps(rb, snapSeq+1, math.MaxUint64)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("load room %s: %w", room, err)
	}
	if out.Epoch == 0 {
		out.Epoch = memEpoch
	}
	if len(memOps) > 0 {
		for i, l := range memOps {
			memOps[i] = between(l, snapSeq+1, math.MaxUint64)
		}
		out.Ops = mergeOps(append(memOps, out.Ops)...)
	}
	return out, nil
}

// memOps returns the room's epoch and ops in the write-ahead log's memory.
func (s *Store) memOps(room string) (epoch uint64, lists [][]oplog.StoredOp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range []map[string]*memRoom{s.frozen, s.mem} {
		if mr := m[room]; mr != nil {
			epoch = mr.epoch
			lists = append(lists, mr.ops)
		}
	}
	return epoch, lists
}

// readOps reads the ops from through to from a room's bucket.
func readOps(rb *bbolt.Bucket, from, to uint64) ([]oplog.StoredOp, error) {
	ob := rb.Bucket(bucketOps)
	if ob == nil {
		return nil, nil
	}
	var ops []oplog.StoredOp
	c := ob.Cursor()
	for k, v := c.Seek(seqKey(from)); k != nil; k, v = c.Next() {
		author, n := binary.Uvarint(v)
		if len(k) != 8 || n <= 0 || author > 1<<32-1 {
			return nil, fmt.Errorf("corrupt op record %x", k)
		}
		seq := binary.BigEndian.Uint64(k)
		if seq > to {
			break
		}
		ops = append(ops, oplog.StoredOp{Seq: seq, Author: uint32(author), Op: append([]byte(nil), v[n:]...)})
	}
	return ops, nil
}

func roomBucket(tx *bbolt.Tx, room string) (*bbolt.Bucket, error) {
	return tx.Bucket(bucketRooms).CreateBucketIfNotExists([]byte(room))
}

func (s *Store) Append(_ context.Context, room string, epoch uint64, ops []oplog.StoredOp) error {
	done := make(chan error, 1)
	s.appends <- appendReq{room: room, epoch: epoch, ops: ops, done: done}
	if err := <-done; err != nil {
		return fmt.Errorf("append %d ops to room %s: %w", len(ops), room, err)
	}
	return nil
}

// Compact stores snapshot as a checkpoint. The ops it covers stay: they
// are the board's history.
func (s *Store) Compact(_ context.Context, room string, seq uint64, snapshot []byte) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		rb, err := roomBucket(tx, room)
		if err != nil {
			return err
		}
		cb, err := rb.CreateBucketIfNotExists(bucketCheckpoints)
		if err != nil {
			return err
		}
		return cb.Put(seqKey(seq), snapshot)
	})
	if err != nil {
		return fmt.Errorf("compact room %s at seq %d: %w", room, seq, err)
	}
	return nil
}

func (s *Store) NewAuthors(_ context.Context, room string, n uint32) (uint32, error) {
	var id uint64
	err := s.db.Batch(func(tx *bbolt.Tx) error {
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
