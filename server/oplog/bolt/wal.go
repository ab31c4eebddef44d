package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// The embedded store's write-ahead log. Appends go to an append-only file
// (one write and one fsync for everything the writer gathered, whichever
// rooms it is for) and are copied into bolt later, many at a time, by a
// checkpoint. A bolt commit rewrites every page it touches: committing each
// group of appends straight into per-room buckets made a thousand busy
// rooms write megabytes per commit and wait about a second for it, where
// the log writes a few hundred bytes per group.
//
// Files: <db>.wal.<n>, n counting up. The writer appends to the newest;
// when it passes walCheckpointBytes it starts the next, and a checkpoint
// copies the older file's ops into bolt (one transaction, fsync) and
// removes it. Opening the store copies whatever log files are left (a
// crash) into bolt first.
//
// Record layout (all big-endian):
//
//	u32 length of payload
//	u32 CRC-32C of payload
//	payload:
//	  room   uvarint length + bytes
//	  epoch  u64
//	  count  uvarint
//	  count × (seq uvarint, author uvarint, op length uvarint, op bytes)
//
// A record that is cut short or fails its checksum ends the file: it can
// only be the tail of a write that was never acknowledged.

// walCheckpointBytes is the log size at which a checkpoint starts.
const walCheckpointBytes = 8 << 20

// maxWALRecord bounds one record (a group's append for one room is at most
// a room's uncommitted ops; far below this).
const maxWALRecord = 64 << 20

var (
	crc32c = crc32.MakeTable(crc32.Castagnoli)

	errWALShort   = errors.New("server: wal record cut short")
	errWALCorrupt = errors.New("server: wal record corrupt")
)

// walRecord is one room's ops in one group.
type walRecord struct {
	room  string
	epoch uint64
	ops   []oplog.StoredOp
}

// appendWALRecord appends r's record to dst.
func appendWALRecord(dst []byte, room string, epoch uint64, ops []oplog.StoredOp) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
	dst = binary.AppendUvarint(dst, uint64(len(room)))
	dst = append(dst, room...)
	dst = binary.BigEndian.AppendUint64(dst, epoch)
	dst = binary.AppendUvarint(dst, uint64(len(ops)))
	for _, op := range ops {
		dst = binary.AppendUvarint(dst, op.Seq)
		dst = binary.AppendUvarint(dst, uint64(op.Author))
		dst = binary.AppendUvarint(dst, uint64(len(op.Op)))
		dst = append(dst, op.Op...)
	}
	payload := dst[start+8:]
	binary.BigEndian.PutUint32(dst[start:], uint32(len(payload)))
	binary.BigEndian.PutUint32(dst[start+4:], crc32.Checksum(payload, crc32c))
	return dst
}

// decodeWALRecord decodes the record at the start of b and returns it and
// its size. errWALShort: b ends inside the record; errWALCorrupt: it is not
// a record. The ops' bytes alias b.
func decodeWALRecord(b []byte) (walRecord, int, error) {
	var rec walRecord
	if len(b) < 8 {
		return rec, 0, errWALShort
	}
	n := binary.BigEndian.Uint32(b)
	if n > maxWALRecord {
		return rec, 0, errWALCorrupt
	}
	if uint64(len(b)-8) < uint64(n) {
		return rec, 0, errWALShort
	}
	p := b[8 : 8+n]
	if crc32.Checksum(p, crc32c) != binary.BigEndian.Uint32(b[4:]) {
		return rec, 0, errWALCorrupt
	}
	uv := func() (uint64, bool) {
		v, k := binary.Uvarint(p)
		if k <= 0 {
			return 0, false
		}
		p = p[k:]
		return v, true
	}
	bytesOf := func() ([]byte, bool) {
		l, ok := uv()
		if !ok || l > uint64(len(p)) {
			return nil, false
		}
		v := p[:l]
		p = p[l:]
		return v, true
	}
	room, ok := bytesOf()
	if !ok || len(room) == 0 || len(p) < 8 {
		return rec, 0, errWALCorrupt
	}
	rec.room = string(room)
	rec.epoch = binary.BigEndian.Uint64(p)
	p = p[8:]
	count, ok := uv()
	// Every op takes at least 3 bytes: the count cannot exceed that.
	if !ok || count == 0 || count > uint64(len(p))/3 {
		return rec, 0, errWALCorrupt
	}
	rec.ops = make([]oplog.StoredOp, 0, count)
	for range count {
		seq, ok1 := uv()
		author, ok2 := uv()
		if !ok1 || !ok2 || author > 1<<32-1 {
			return rec, 0, errWALCorrupt
		}
		op, ok := bytesOf()
		if !ok || len(op) == 0 {
			return rec, 0, errWALCorrupt
		}
		rec.ops = append(rec.ops, oplog.StoredOp{Seq: seq, Author: uint32(author), Op: op})
	}
	if len(p) != 0 {
		return rec, 0, errWALCorrupt
	}
	return rec, 8 + int(n), nil
}

// readWAL returns the records of one log file, up to the first one that
// is cut short or corrupt.
func readWAL(path string) ([]walRecord, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var recs []walRecord
	for len(b) > 0 {
		rec, n, err := decodeWALRecord(b)
		if err != nil {
			break // the unacknowledged tail of a crash
		}
		recs = append(recs, rec)
		b = b[n:]
	}
	return recs, nil
}

// walFiles lists the log files beside db, oldest first, with their numbers.
func walFiles(db string) ([]string, uint64, error) {
	matches, err := filepath.Glob(db + ".wal.*")
	if err != nil {
		return nil, 0, err
	}
	type file struct {
		path string
		n    uint64
	}
	var fs []file
	for _, m := range matches {
		n, err := strconv.ParseUint(strings.TrimPrefix(m, db+".wal."), 10, 64)
		if err != nil {
			continue
		}
		fs = append(fs, file{m, n})
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].n < fs[j].n })
	var paths []string
	var last uint64
	for _, f := range fs {
		paths = append(paths, f.path)
		last = f.n
	}
	return paths, last, nil
}

func walPath(db string, n uint64) string { return db + ".wal." + strconv.FormatUint(n, 10) }

// memRoom is a room's ops in log files not yet checkpointed into bbolt.
type memRoom struct {
	epoch uint64
	ops   []oplog.StoredOp // appended in sequence order; never changed in place
}

// addRecords adds records to m (by room).
func addRecords(m map[string]*memRoom, room string, epoch uint64, ops []oplog.StoredOp) {
	mr := m[room]
	if mr == nil {
		mr = &memRoom{epoch: epoch}
		m[room] = mr
	}
	mr.ops = append(mr.ops, ops...)
}

// mergeOps returns the ops of all lists in sequence order, each sequence
// number once (a checkpoint may have put an op in bolt while a copy of it
// is still listed in memory).
func mergeOps(lists ...[]oplog.StoredOp) []oplog.StoredOp {
	var all []oplog.StoredOp
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Seq < all[j].Seq })
	out := all[:0]
	for i, op := range all {
		if i > 0 && op.Seq == all[i-1].Seq {
			continue
		}
		out = append(out, op)
	}
	return out
}
