package redis

import (
	"context"
	"errors"
	"fmt"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// History and pictures with an archive: what Redis does not hold (an
// archived board, or history older than Redis keeps) is read from
// PostgreSQL, so a board's history and picture read the same whether it
// is hot or cold.

// archivedReadAt completes a ReadAt Redis answered with st, err.
func (l *Log) archivedReadAt(ctx context.Context, room string, seq uint64, st *oplog.StoredRoom, err error) (*oplog.StoredRoom, error) {
	trimmed := errors.Is(err, oplog.ErrTrimmed)
	if !trimmed && !errors.Is(err, oplog.ErrNoBoard) {
		return st, err
	}
	ctx, cancel := l.bound(ctx)
	defer cancel()
	if !trimmed {
		return l.arch.ReadAt(ctx, room, seq)
	}
	// Redis holds the head and the latest history; the archive holds
	// what is older, up to where compaction trimmed: the board at seq
	// may need both (the archive's checkpoint, its ops, then Redis's).
	_, kept, err := l.arch.Head(ctx, room)
	if err != nil {
		return nil, err
	}
	if kept == 0 {
		return nil, oplog.ErrTrimmed
	}
	upto := min(seq, kept)
	at, err := l.arch.ReadAt(ctx, room, upto)
	if err != nil {
		return nil, err
	}
	if seq == upto {
		return at, nil
	}
	xs, err := l.rdb.XRange(ctx, logKey(room), fmt.Sprintf("%d-0", upto+1), fmt.Sprintf("%d-1", seq)).Result()
	if err != nil {
		return nil, err
	}
	ops := at.Ops
	for _, x := range xs {
		e, _ := x.Values["e"].(string)
		so, err := parseEntries([]any{[]any{x.ID, []any{"e", e}}})
		if err != nil {
			return nil, err
		}
		ops = append(ops, so...)
	}
	return oplog.BoardAt(at.Epoch, at.Snapshot, upto-uint64(len(at.Ops)), seq, ops)
}

// archivedVersions completes a Versions Redis answered: a board Redis
// does not hold is listed from the archive, and a page Redis could not
// fill goes on with the versions the archive keeps before Redis's oldest.
func (l *Log) archivedVersions(ctx context.Context, room string, before uint64, limit int, head uint64, vs []oplog.Version, err error) (uint64, []oplog.Version, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	if errors.Is(err, oplog.ErrNoBoard) {
		return l.arch.Versions(ctx, room, before, limit)
	}
	if err != nil || len(vs) >= limit {
		return head, vs, err
	}
	from := before
	if len(vs) > 0 {
		from = vs[len(vs)-1].Seq
	}
	if from == 1 {
		return head, vs, nil
	}
	_, older, aerr := l.arch.Versions(ctx, room, from, limit-len(vs))
	if errors.Is(aerr, oplog.ErrNoBoard) {
		return head, vs, nil
	}
	if aerr != nil {
		return 0, nil, aerr
	}
	return head, append(vs, older...), nil
}

// archivedRead reads an archived board for its picture: its newest state.
func (l *Log) archivedRead(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	_, head, err := l.arch.Head(ctx, room)
	if err != nil || head == 0 {
		return &oplog.StoredRoom{}, err
	}
	return l.arch.ReadAt(ctx, room, head)
}

func logKey(room string) string {
	_, lg, _, _, _ := roomKeys(room)
	return lg
}
