package oplog

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// A board's history is its log: every op is kept (in Redis mode, the
// latest --history-ops of them), and so are the snapshots compaction
// takes (checkpoints). Versions are named points in that log: each
// checkpoint, and the board just before every clear. The board at any
// sequence number is the nearest checkpoint at or before it plus the ops
// after it, so reading one costs at most SnapshotEvery ops of replay.
//
// Versions are recorded by the room (Log.Mark) with what only the room
// knows (when, what kind, the names its people show) and completed by the
// log with what only the log knows for sure (the ops since the previous
// version and their authors), so every replica of a board records the
// same version the same way.

// VersionKind says why a version was taken.
type VersionKind uint8

const (
	// KindCheckpoint: the board at a snapshot compaction took.
	KindCheckpoint VersionKind = 1
	// KindClear: the board just before a clear (a clear at seq C gives a
	// version at C-1). When a checkpoint falls on the same seq it is the
	// same board, and the version is a clear: that is what a person
	// looking for lost work needs to find.
	KindClear VersionKind = 2
	// KindRemoval: the board just before a moderator's removal of one
	// person's work (canvas.OpRemove at seq R gives a version at R-1),
	// kept over a checkpoint at the same seq as a clear is.
	KindRemoval VersionKind = 3
)

// Named reports whether k is a version a person's action made (a clear
// or a removal), which a checkpoint at the same seq never replaces.
func (k VersionKind) Named() bool { return k == KindClear || k == KindRemoval }

// String is the kind as the history API spells it.
func (k VersionKind) String() string {
	switch k {
	case KindCheckpoint:
		return "checkpoint"
	case KindClear:
		return "clear"
	case KindRemoval:
		return "removal"
	}
	return "unknown"
}

// Version is one point of a board's history.
type Version struct {
	Seq     uint64
	Time    time.Time // when the version was recorded (millisecond precision)
	Kind    VersionKind
	Ops     uint64 // ops since the previous version (or since the board began)
	Authors []VersionAuthor
}

// VersionAuthor is an author of the ops a version covers, with the name
// that author showed when the version was recorded ("" when no replica
// recording a version knew it).
type VersionAuthor struct {
	Author uint32
	Name   string
}

// Errors of the history reads.
var (
	// ErrNoBoard: nothing was ever drawn on the board (or its history was
	// lost): it has no history.
	ErrNoBoard = errors.New("no such board")
	// ErrAhead: the sequence number asked for is past the board's head.
	ErrAhead = errors.New("sequence number past the board's head")
)

// NewVersion completes a version the room marked at seq: the ops since
// prev (nil: since the board began), which are ops (prev.Seq+1 through
// seq, in order), and their authors, named from names, else by the name
// they had in same (the version it replaces at seq, if any) or prev. It
// is how every log builds its versions, so they all agree.
func NewVersion(prev, same *Version, seq uint64, kind VersionKind, at time.Time, ops []StoredOp, names map[uint32]string) Version {
	v := Version{Seq: seq, Time: at.UTC().Truncate(time.Millisecond), Kind: kind}
	if prev != nil {
		v.Ops = seq - prev.Seq
	} else {
		v.Ops = seq
	}
	known := make(map[uint32]string)
	for _, v := range []*Version{prev, same} {
		if v == nil {
			continue
		}
		for _, a := range v.Authors {
			if a.Name != "" {
				known[a.Author] = a.Name
			}
		}
	}
	seen := make(map[uint32]bool)
	for _, so := range ops {
		if seen[so.Author] {
			continue
		}
		seen[so.Author] = true
		name, ok := names[so.Author]
		if !ok || name == "" {
			name = known[so.Author]
		}
		v.Authors = append(v.Authors, VersionAuthor{Author: so.Author, Name: name})
	}
	slices.SortFunc(v.Authors, func(a, b VersionAuthor) int { return cmp.Compare(a.Author, b.Author) })
	return v
}

// Limits of a version record: far above what a room produces (a name is
// at most canvas's name limit, a version covers at most the authors a
// snapshot holds), so a record past them is corrupt, not big.
const (
	maxVersionAuthors = 1 << 16
	maxVersionName    = 1 << 10
)

// AppendVersion appends v's record, the form every log stores a version
// in:
//
//	kind     u8 (first, so a Lua script can read it: a clear or a
//	         removal is never replaced by a checkpoint at the same seq)
//	seq      uvarint
//	time     uvarint, milliseconds since the Unix epoch
//	ops      uvarint
//	count    uvarint
//	count × (author uvarint, name length uvarint, name bytes)
func AppendVersion(b []byte, v *Version) []byte {
	b = append(b, byte(v.Kind))
	b = binary.AppendUvarint(b, v.Seq)
	b = binary.AppendUvarint(b, uint64(max(v.Time.UnixMilli(), 0)))
	b = binary.AppendUvarint(b, v.Ops)
	b = binary.AppendUvarint(b, uint64(len(v.Authors)))
	for _, a := range v.Authors {
		b = binary.AppendUvarint(b, uint64(a.Author))
		b = binary.AppendUvarint(b, uint64(len(a.Name)))
		b = append(b, a.Name...)
	}
	return b
}

var errVersion = errors.New("malformed version record")

// DecodeVersion decodes a record AppendVersion wrote. It reads stored
// bytes (a bolt file, Redis), so it is bounded and checks everything.
func DecodeVersion(b []byte) (Version, error) {
	var v Version
	if len(b) < 1 {
		return v, errVersion
	}
	v.Kind = VersionKind(b[0])
	if v.Kind != KindCheckpoint && !v.Kind.Named() {
		return v, fmt.Errorf("%w: kind %d", errVersion, b[0])
	}
	b = b[1:]
	next := func() (uint64, bool) {
		x, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return x, true
	}
	seq, ok1 := next()
	ms, ok2 := next()
	ops, ok3 := next()
	count, ok4 := next()
	if !ok1 || !ok2 || !ok3 || !ok4 || ms > 1<<53 || count > maxVersionAuthors || count > uint64(len(b)) {
		return v, errVersion
	}
	v.Seq, v.Ops, v.Time = seq, ops, time.UnixMilli(int64(ms)).UTC()
	v.Authors = make([]VersionAuthor, 0, count)
	for range count {
		a, ok := next()
		l, ok2 := next()
		if !ok || !ok2 || a > 1<<32-1 || l > maxVersionName || l > uint64(len(b)) {
			return v, errVersion
		}
		name := string(b[:l])
		if !utf8.ValidString(name) {
			return v, fmt.Errorf("%w: name not UTF-8", errVersion)
		}
		b = b[l:]
		v.Authors = append(v.Authors, VersionAuthor{Author: uint32(a), Name: name})
	}
	if len(b) != 0 {
		return v, fmt.Errorf("%w: %d trailing bytes", errVersion, len(b))
	}
	return v, nil
}

// BoardAt is what a log returns for a read at seq: the nearest checkpoint
// at or before it and the ops after that, up to seq (StoredBoard builds
// the board from it).
func BoardAt(epoch uint64, snapshot []byte, snapSeq, seq uint64, ops []StoredOp) (*StoredRoom, error) {
	want := snapSeq + 1
	for _, so := range ops {
		if so.Seq != want {
			return nil, ErrTrimmed
		}
		want++
	}
	if want != seq+1 {
		return nil, ErrTrimmed
	}
	return &StoredRoom{Epoch: epoch, Snapshot: snapshot, Ops: ops}, nil
}
