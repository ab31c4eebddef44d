package redis

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// A board's history in Redis: the log stream keeps the latest
// --history-ops ops before the snapshot (compact.lua trims the rest), the
// snapshots a compaction replaces stay as checkpoints (sp:{R}:ckpts) and
// versions are records in sp:{R}:versions, both sorted sets scored by
// sequence number, so every read below is one script, one round trip.
// The reads create nothing: asking about a board nobody drew leaves Redis
// as it was.

func historyKeys(room string) (checkpoints, versions string) {
	p := "sp:{" + room + "}"
	return p + ":ckpts", p + ":versions"
}

var (
	// readAtScript: see lua/readat.lua.
	readAtScript = script("readat.lua")
	// versionsScript: see lua/versions.lua.
	versionsScript = script("versions.lua")
	// markReadScript and putVersionScript: see lua/markread.lua and
	// lua/putversion.lua. A version is built in Go between them
	// (oplog.NewVersion) so that every log builds it the same way; the
	// store is conditional on the versions around it being the ones it
	// was built from, so replicas marking side by side retry rather than
	// count the same ops twice.
	markReadScript   = script("markread.lua")
	putVersionScript = script("putversion.lua")
)

// Mark records a version: it reads the versions around seq and the ops
// since the previous one, completes the version (and the one after it,
// when a replica marked that one first) and stores it, unless another
// replica marked next to it in between: then it reads again.
func (l *Log) Mark(ctx context.Context, room string, epoch, seq uint64, kind oplog.VersionKind, at time.Time, names map[uint32]string) error {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	for range markAttempts {
		done, err := l.markOnce(ctx, room, epoch, seq, kind, at, names)
		if done || err != nil {
			if err != nil {
				err = fmt.Errorf("mark version %d of board %s: %w", seq, room, err)
			}
			return err
		}
	}
	return fmt.Errorf("mark version %d of board %s: versions around it kept changing", seq, room)
}

// markAttempts bounds Mark's reads again: each one means another replica
// stored a version next to this one meanwhile, which is rare.
const markAttempts = 8

// markOnce is one read, build and conditional store; done is false when
// the versions around seq changed in between.
func (l *Log) markOnce(ctx context.Context, room string, epoch, seq uint64, kind oplog.VersionKind, at time.Time, names map[uint32]string) (bool, error) {
	meta, lg, _, _, _ := roomKeys(room)
	_, versions := historyKeys(room)
	v, err := markReadScript.Run(ctx, l.rdb, []string{meta, lg, versions}, epochBytes(epoch), seq).Slice()
	if err != nil {
		return false, err
	}
	if len(v) != 3 {
		return false, oplog.ErrEpoch
	}
	near, _ := v[0].([]any)
	var prev, same *oplog.Version
	for i := 0; i+1 < len(near); i += 2 {
		rec, _ := near[i].(string)
		ver, err := oplog.DecodeVersion([]byte(rec))
		if err != nil {
			return false, err
		}
		switch {
		case ver.Seq == seq && ver.Kind.Named() && kind == oplog.KindCheckpoint:
			return true, nil // the board before a clear or a removal is already a version
		case ver.Seq == seq:
			same = &ver
		case prev == nil:
			prev = &ver
		}
	}
	entries, _ := v[1].([]any)
	ops, err := parseEntries(entries)
	if err != nil {
		return false, err
	}
	split := len(ops)
	for i, so := range ops {
		if so.Seq > seq {
			split = i
			break
		}
	}
	ver := oplog.NewVersion(prev, same, seq, kind, at, ops[:split], names)
	prevSeq, nextSeq := int64(-1), int64(-1)
	if prev != nil {
		prevSeq = int64(prev.Seq)
	}
	var nextOld, nextNew string
	// Another replica marked a later version first (a checkpoint here, a
	// clear there): it counted from the version before this one, and now
	// counts from this one.
	if nxt, _ := v[2].([]any); len(nxt) == 2 {
		nextOld, _ = nxt[0].(string)
		next, err := oplog.DecodeVersion([]byte(nextOld))
		if err != nil {
			return false, err
		}
		again := oplog.NewVersion(&ver, &next, next.Seq, next.Kind, next.Time, ops[split:], nil)
		nextSeq, nextNew = int64(next.Seq), string(oplog.AppendVersion(nil, &again))
	}
	n, err := putVersionScript.Run(ctx, l.rdb, []string{meta, versions}, epochBytes(epoch), seq,
		string(oplog.AppendVersion(nil, &ver)), prevSeq, nextSeq, nextOld, nextNew).Int64()
	switch {
	case err != nil:
		return false, err
	case n < 0:
		return false, oplog.ErrEpoch
	}
	return n != 2, nil
}

// Versions lists up to limit versions before seq before, newest first.
func (l *Log) Versions(ctx context.Context, room string, before uint64, limit int) (uint64, []oplog.Version, error) {
	head, vs, err := l.versions(ctx, room, before, limit)
	if l.arch == nil {
		return head, vs, err
	}
	return l.archivedVersions(ctx, room, before, limit, head, vs, err)
}

func (l *Log) versions(ctx context.Context, room string, before uint64, limit int) (uint64, []oplog.Version, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, _, _, _, _ := roomKeys(room)
	_, versions := historyKeys(room)
	v, err := versionsScript.Run(ctx, l.rdb, []string{meta, versions}, before, limit).Slice()
	if err != nil {
		return 0, nil, fmt.Errorf("read versions of board %s: %w", room, err)
	}
	if len(v) != 2 {
		return 0, nil, oplog.ErrNoBoard
	}
	head := uint64(asInt(v[0]))
	recs, _ := v[1].([]any)
	vs := make([]oplog.Version, 0, len(recs))
	for _, r := range recs {
		s, _ := r.(string)
		ver, err := oplog.DecodeVersion([]byte(s))
		if err != nil {
			return 0, nil, fmt.Errorf("read versions of board %s: %w", room, err)
		}
		vs = append(vs, ver)
	}
	return head, vs, nil
}

// ReadAt reads the board after op seq: the nearest checkpoint and the ops
// after it, in one script.
func (l *Log) ReadAt(ctx context.Context, room string, seq uint64) (*oplog.StoredRoom, error) {
	st, err := l.readAt(ctx, room, seq)
	if l.arch == nil {
		return st, err
	}
	return l.archivedReadAt(ctx, room, seq, st, err)
}

func (l *Log) readAt(ctx context.Context, room string, seq uint64) (*oplog.StoredRoom, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, lg, _, snap, _ := roomKeys(room)
	cks, _ := historyKeys(room)
	v, err := readAtScript.Run(ctx, l.rdb, []string{meta, lg, snap, cks}, seq).Slice()
	if err != nil {
		return nil, fmt.Errorf("read board %s at %d: %w", room, seq, err)
	}
	switch len(v) {
	case 0:
		return nil, oplog.ErrNoBoard
	case 2:
		return nil, oplog.ErrAhead
	case 5:
	default:
		return nil, fmt.Errorf("read board %s at %d: unexpected reply %v", room, seq, v)
	}
	ep, _ := v[0].(string)
	if len(ep) != 8 {
		return nil, fmt.Errorf("read board %s at %d: bad epoch in redis", room, seq)
	}
	var snapshot []byte
	if s, ok := v[3].(string); ok {
		snapshot = []byte(s)
	}
	entries, _ := v[4].([]any)
	ops, err := parseEntries(entries)
	if err != nil {
		return nil, fmt.Errorf("read board %s at %d: %w", room, seq, err)
	}
	return oplog.BoardAt(binary.BigEndian.Uint64([]byte(ep)), snapshot, uint64(asInt(v[2])), seq, ops)
}
