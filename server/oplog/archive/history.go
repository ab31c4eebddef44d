package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// History in the archive: what Redis no longer keeps of a live board
// (spilled before Redis trims it) and all of an archived one. The reads
// answer as a Log's history reads do (oplog.ErrNoBoard, ErrAhead,
// ErrTrimmed), so the Redis log can ask here for what it lacks.

// Spill keeps history Redis is about to trim: b's ops, checkpoints and
// versions, under b.Epoch, replacing what is kept at the same seqs (Redis
// is the truth for what it holds: a version there may have been rebuilt);
// a row of another epoch is another history, replaced. A board without a row gets one in state
// live (Redis holds it).
func (s *Store) Spill(ctx context.Context, b *Board) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var epoch int64
		err := tx.QueryRow(ctx, `select epoch from boards where room = $1 for update`, b.Room).Scan(&epoch)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if _, err := tx.Exec(ctx, `insert into boards (room, epoch, seq, authors, snapseq, applied, state, gen)
				values ($1, $2, 0, 0, 0, $3, 'live', 0)`, b.Room, int64(b.Epoch), appendApplied(nil, nil)); err != nil {
				return err
			}
		case err != nil:
			return err
		case uint64(epoch) != b.Epoch:
			if err := deleteHistory(ctx, tx, b.Room); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `update boards set epoch = $2, seq = 0, authors = 0, snapseq = 0, snapshot = null,
				applied = $3, state = 'live', updated_at = now() where room = $1`, b.Room, int64(b.Epoch), appendApplied(nil, nil)); err != nil {
				return err
			}
		}
		return putHistory(ctx, tx, b, true)
	})
	if err != nil {
		return fmt.Errorf("keep history of board %s: %w", b.Room, err)
	}
	return nil
}

// Head returns room's head as the archive knows it: its epoch and the
// last op kept (0, 0: no such board, or never drawn on).
func (s *Store) Head(ctx context.Context, room string) (epoch, seq uint64, err error) {
	var e, sq int64
	err = s.pool.QueryRow(ctx, `select epoch, greatest(seq, coalesce((select max(seq) from ops where room = $1), 0)) from boards where room = $1`, room).Scan(&e, &sq)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read head of archived board %s: %w", room, err)
	}
	return uint64(e), uint64(sq), nil
}

// ReadAt returns what builds room's board after op seq: the nearest
// snapshot at or before it (the row's latest, or a checkpoint) and the
// ops after that. ErrNoBoard: no board here; ErrAhead: seq is past what
// the archive keeps; ErrTrimmed: a gap in what it keeps.
func (s *Store) ReadAt(ctx context.Context, room string, seq uint64) (*oplog.StoredRoom, error) {
	epoch, head, err := s.Head(ctx, room)
	switch {
	case err != nil:
		return nil, err
	case epoch == 0 && head == 0, head == 0:
		return nil, oplog.ErrNoBoard
	case seq > head:
		return nil, oplog.ErrAhead
	}
	var at int64
	var snap []byte
	err = s.pool.QueryRow(ctx, `select seq, snapshot from (
			select snapseq as seq, snapshot from boards where room = $1 and snapshot is not null and snapseq <= $2
			union all
			select seq, snapshot from checkpoints where room = $1 and seq <= $2
		) c order by seq desc limit 1`, room, int64(seq)).Scan(&at, &snap)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("read archived board %s at %d: %w", room, seq, err)
	}
	ops, err := readOps(ctx, s.pool, room, uint64(at)+1, seq)
	if err != nil {
		return nil, fmt.Errorf("read archived board %s at %d: %w", room, seq, err)
	}
	return oplog.BoardAt(epoch, snap, uint64(at), seq, ops)
}

// Versions returns room's head and up to limit of its versions before
// seq before (0: from the newest), newest first.
func (s *Store) Versions(ctx context.Context, room string, before uint64, limit int) (uint64, []oplog.Version, error) {
	_, head, err := s.Head(ctx, room)
	if err != nil {
		return 0, nil, err
	}
	if head == 0 {
		return 0, nil, oplog.ErrNoBoard
	}
	if before == 0 {
		before = 1 << 62
	}
	rows, err := s.pool.Query(ctx, `select record from versions where room = $1 and seq < $2 order by seq desc limit $3`, room, int64(before), limit)
	if err != nil {
		return 0, nil, fmt.Errorf("read archived versions of board %s: %w", room, err)
	}
	var vs []oplog.Version
	for rows.Next() {
		var rec []byte
		if err := rows.Scan(&rec); err != nil {
			return 0, nil, err
		}
		v, err := oplog.DecodeVersion(rec)
		if err != nil {
			return 0, nil, fmt.Errorf("read archived versions of board %s: %w", room, err)
		}
		vs = append(vs, v)
	}
	return head, vs, rows.Err()
}
