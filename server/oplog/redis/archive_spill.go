package redis

import (
	"context"
	"fmt"

	"github.com/sketchpad/sketchpad/server/oplog/archive"
)

// History older than Redis keeps goes to the archive before compaction
// trims it (with --archive-url): Compact asks spill how far it may trim.

var (
	spillScript   = script("spill.lua")
	spilledScript = script("spilled.lua")
)

// spill copies room's history before keep (what compaction would trim)
// to the archive and returns where compaction may trim from: keep, or,
// when the archive cannot take it now, the first op it does not keep yet
// (Redis keeps the rest until a later compaction spills it).
func (l *Log) spill(ctx context.Context, room string, epoch, keep uint64) uint64 {
	if keep <= 1 {
		return keep
	}
	to := keep - 1
	kept, err := l.spillTo(ctx, room, epoch, to)
	if err != nil {
		l.metrics.ArchiveErrors.Inc()
		l.log.Warn("keep history in the archive; Redis keeps it meanwhile", "room", room, "err", err)
	}
	return min(keep, kept+1)
}

// spillTo copies room's history up to seq to into the archive and
// returns how far the archive keeps it.
func (l *Log) spillTo(ctx context.Context, room string, epoch, to uint64) (uint64, error) {
	meta, lg, _, snap, _ := roomKeys(room)
	cks, versions := historyKeys(room)
	v, err := spillScript.Run(ctx, l.rdb, []string{meta, lg, snap, cks, versions}, epochBytes(epoch), to).Slice()
	if err != nil {
		return 0, err
	}
	if len(v) != 6 {
		return 0, fmt.Errorf("spill: unexpected reply of %d items", len(v))
	}
	kept := uint64(asInt(v[0]))
	if kept >= to {
		return kept, nil
	}
	b := &archive.Board{Room: room, Epoch: epoch}
	if s, ok := v[2].(string); ok {
		b.Checkpoints = append(b.Checkpoints, archive.Snapshot{Seq: uint64(asInt(v[1])), Board: []byte(s)})
	}
	cs, _ := v[3].([]any)
	for i := 0; i+1 < len(cs); i += 2 {
		s, _ := cs[i].(string)
		b.Checkpoints = append(b.Checkpoints, archive.Snapshot{Seq: uint64(asInt(cs[i+1])), Board: []byte(s)})
	}
	vs, _ := v[4].([]any)
	for i := 0; i+1 < len(vs); i += 2 {
		s, _ := vs[i].(string)
		b.Versions = append(b.Versions, archive.Record{Seq: uint64(asInt(vs[i+1])), Record: []byte(s)})
	}
	entries, _ := v[5].([]any)
	if b.Ops, err = parseEntries(entries); err != nil {
		return kept, err
	}
	if err := l.arch.Spill(ctx, b); err != nil {
		return kept, err
	}
	if err := spilledScript.Run(ctx, l.rdb, []string{meta}, epochBytes(epoch), to).Err(); err != nil {
		return kept, err
	}
	return to, nil
}
