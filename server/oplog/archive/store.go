package archive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// Store is the archive in PostgreSQL, shared by every replica.
type Store struct {
	pool *pgxpool.Pool
}

// Board is a board as the archive keeps it: its head and the history
// that goes with it (all of it for Put, what a restore needs for Claim).
type Board struct {
	Room        string
	Epoch       uint64
	Seq         uint64 // the last op numbered
	Authors     uint32 // the last author id handed out
	SnapSeq     uint64 // the latest snapshot's seq (0: none)
	Snapshot    []byte
	Applied     map[uint32]uint64 // author -> ops of that author numbered
	Ops         []oplog.StoredOp
	Checkpoints []Snapshot
	Versions    []Record
}

// Snapshot is a board's bytes at a sequence number.
type Snapshot struct {
	Seq   uint64
	Board []byte
}

// Record is a version record (oplog.AppendVersion) at a sequence number.
type Record struct {
	Seq    uint64
	Record []byte
}

// Errors of the store.
var (
	// ErrStale: a move of a later generation already wrote the board.
	ErrStale = errors.New("a later archive generation wrote this board")
)

// Open connects to the PostgreSQL at rawURL (postgres:// or
// postgresql://) and brings its schema to this build's version. A URL
// that is not one, or a database it cannot reach or migrate, is an
// error that says which.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, fmt.Errorf("archive URL %q: want postgres://user@host:5432/database", redact(rawURL))
	}
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("archive URL %s: %w", redact(rawURL), err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// Every use checks its connection first (a round trip on loopback):
	// the archive is used at a board's moves, not per op, and a
	// connection PostgreSQL closed when it restarted then costs a new
	// one instead of a failed archive or a failed join.
	cfg.ShouldPing = func(context.Context, pgxpool.ShouldPingParams) bool { return true }
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("archive URL %s: %w", redact(rawURL), err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach the archive's PostgreSQL at %s: %w", redact(rawURL), err)
	}
	err = migrate(ctx, conn.Conn())
	conn.Release()
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("archive schema at %s: %w", redact(rawURL), err)
	}
	return &Store{pool: pool}, nil
}

// redact hides a URL's password in messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Ping checks PostgreSQL now.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Close closes the connections.
func (s *Store) Close() { s.pool.Close() }

// Put writes b (its head and every op, checkpoint and version it holds,
// which replace any kept at the same seqs) with state archiving under
// generation gen, in one transaction. A row of another epoch is another
// history: its ops, checkpoints and versions are removed first. ErrStale:
// the row has a generation at or past gen; current is it.
func (s *Store) Put(ctx context.Context, b *Board, gen uint64) (current uint64, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var epoch, g int64
		err := tx.QueryRow(ctx, `select epoch, gen from boards where room = $1 for update`, b.Room).Scan(&epoch, &g)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case uint64(g) >= gen:
			current = uint64(g)
			return ErrStale
		case uint64(epoch) != b.Epoch:
			if err := deleteHistory(ctx, tx, b.Room); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `insert into boards (room, epoch, seq, authors, snapseq, snapshot, applied, state, gen)
			values ($1, $2, $3, $4, $5, $6, $7, 'archiving', $8)
			on conflict (room) do update set epoch = $2, seq = $3, authors = $4, snapseq = $5, snapshot = $6,
				applied = $7, state = 'archiving', gen = $8, lease_until = null, updated_at = now()`,
			b.Room, int64(b.Epoch), int64(b.Seq), int64(b.Authors), int64(b.SnapSeq), b.Snapshot, appendApplied(nil, b.Applied), int64(gen)); err != nil {
			return err
		}
		return putHistory(ctx, tx, b, true)
	})
	if err != nil && !errors.Is(err, ErrStale) {
		err = fmt.Errorf("archive board %s: %w", b.Room, err)
	}
	return current, err
}

func deleteHistory(ctx context.Context, tx pgx.Tx, room string) error {
	for _, q := range []string{`delete from ops where room = $1`, `delete from checkpoints where room = $1`, `delete from versions where room = $1`} {
		if _, err := tx.Exec(ctx, q, room); err != nil {
			return err
		}
	}
	return nil
}

// putHistory writes b's ops, checkpoints and versions, each one statement
// over arrays (one round trip however many). replace: what is already
// kept at the same seqs is overwritten (an archive writes what Redis
// holds, which is the truth); else kept (a spill of history).
func putHistory(ctx context.Context, tx pgx.Tx, b *Board, replace bool) error {
	onOps, onCk, onVer := ` do nothing`, ` do nothing`, ` do nothing`
	if replace {
		onOps = ` do update set author = excluded.author, op = excluded.op`
		onCk = ` do update set snapshot = excluded.snapshot`
		onVer = ` do update set record = excluded.record`
	}
	if len(b.Ops) > 0 {
		seqs, authors, ops := make([]int64, len(b.Ops)), make([]int64, len(b.Ops)), make([][]byte, len(b.Ops))
		for i, so := range b.Ops {
			seqs[i], authors[i], ops[i] = int64(so.Seq), int64(so.Author), so.Op
		}
		if _, err := tx.Exec(ctx, `insert into ops (room, seq, author, op)
			select $1, * from unnest($2::bigint[], $3::bigint[], $4::bytea[]) on conflict (room, seq)`+onOps,
			b.Room, seqs, authors, ops); err != nil {
			return err
		}
	}
	if len(b.Checkpoints) > 0 {
		seqs, snaps := make([]int64, len(b.Checkpoints)), make([][]byte, len(b.Checkpoints))
		for i, c := range b.Checkpoints {
			seqs[i], snaps[i] = int64(c.Seq), c.Board
		}
		if _, err := tx.Exec(ctx, `insert into checkpoints (room, seq, snapshot)
			select $1, * from unnest($2::bigint[], $3::bytea[]) on conflict (room, seq)`+onCk, b.Room, seqs, snaps); err != nil {
			return err
		}
	}
	if len(b.Versions) > 0 {
		seqs, recs := make([]int64, len(b.Versions)), make([][]byte, len(b.Versions))
		for i, v := range b.Versions {
			seqs[i], recs[i] = int64(v.Seq), v.Record
		}
		if _, err := tx.Exec(ctx, `insert into versions (room, seq, record)
			select $1, * from unnest($2::bigint[], $3::bytea[]) on conflict (room, seq)`+onVer, b.Room, seqs, recs); err != nil {
			return err
		}
	}
	return nil
}

// Finish ends the archive of generation gen: archived when Redis removed
// the board's keys, else live again (a join won the race; Redis holds
// the board). A row another generation took since is left alone.
func (s *Store) Finish(ctx context.Context, room string, gen uint64, archived bool) error {
	state := "live"
	if archived {
		state = "archived"
	}
	_, err := s.pool.Exec(ctx, `update boards set state = $3, updated_at = now() where room = $1 and gen = $2 and state = 'archiving'`,
		room, int64(gen), state)
	if err != nil {
		return fmt.Errorf("finish archive of board %s: %w", room, err)
	}
	return nil
}

// Claim says how a board Redis does not hold comes back.
type Claim int

const (
	// ClaimNone: the archive has no such board: it is new.
	ClaimNone Claim = iota
	// ClaimSame: the row is the board; restore it under its epoch.
	ClaimSame
	// ClaimNew: the row may be older than what Redis held before it lost
	// it; restore it under a new epoch.
	ClaimNew
	// ClaimBusy: another replica is restoring it; wait for Redis.
	ClaimBusy
)

// Claim takes the right to load room back into Redis: tomb is the
// generation Redis's tombstone for the board names (0: none), lease how
// long other replicas wait for this one. It returns the board (for
// ClaimSame and ClaimNew), with the ops from min(its snapshot, its latest
// version) on (and at least keep ops before its snapshot) and its latest
// version, and the generation the restore runs under.
func (s *Store) Claim(ctx context.Context, room string, tomb uint64, lease time.Duration, keep int) (c Claim, b *Board, gen uint64, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var state string
		var g int64
		var leased bool
		err := tx.QueryRow(ctx, `select state, gen, coalesce(lease_until > now(), false) from boards where room = $1 for update`, room).Scan(&state, &g, &leased)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			c = ClaimNone
			return nil
		case err != nil:
			return err
		case state == "restoring" && leased:
			c = ClaimBusy
			return nil
		case state == "archived" || state == "archiving" && tomb != 0 && uint64(g) == tomb:
			c = ClaimSame
		default:
			c = ClaimNew
		}
		gen = uint64(g) + 1
		if _, err := tx.Exec(ctx, `update boards set state = 'restoring', gen = $2, lease_until = now() + $3::interval, updated_at = now() where room = $1`,
			room, int64(gen), fmt.Sprintf("%d milliseconds", lease.Milliseconds())); err != nil {
			return err
		}
		if c == ClaimSame {
			b, err = loadSame(ctx, tx, room, keep)
		} else {
			b, err = loadLatest(ctx, tx, room)
		}
		return err
	})
	if err != nil {
		return 0, nil, 0, fmt.Errorf("claim archived board %s: %w", room, err)
	}
	return c, b, gen, nil
}

// loadSame reads the row and what a restore under its epoch needs.
func loadSame(ctx context.Context, tx pgx.Tx, room string, keep int) (*Board, error) {
	b := &Board{Room: room}
	var epoch, seq, authors, snapseq int64
	var applied []byte
	if err := tx.QueryRow(ctx, `select epoch, seq, authors, snapseq, snapshot, applied from boards where room = $1`, room).
		Scan(&epoch, &seq, &authors, &snapseq, &b.Snapshot, &applied); err != nil {
		return nil, err
	}
	b.Epoch, b.Seq, b.Authors, b.SnapSeq = uint64(epoch), uint64(seq), uint32(authors), uint64(snapseq)
	var err error
	if b.Applied, err = decodeApplied(applied); err != nil {
		return nil, err
	}
	from := max(int64(1), snapseq+1-int64(keep))
	var vseq int64
	var rec []byte
	err = tx.QueryRow(ctx, `select seq, record from versions where room = $1 and seq <= $2 order by seq desc limit 1`, room, seq).Scan(&vseq, &rec)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		b.Versions = append(b.Versions, Record{Seq: uint64(vseq), Record: rec})
		from = min(from, vseq+1)
	}
	b.Ops, err = readOps(ctx, tx, room, uint64(from), b.Seq)
	return b, err
}

// loadLatest reads the newest board the archive can build: the latest
// snapshot or checkpoint and the ops that follow it without a gap.
func loadLatest(ctx context.Context, tx pgx.Tx, room string) (*Board, error) {
	b := &Board{Room: room}
	var epoch, seq, authors, snapseq, maxOp int64
	var applied []byte
	if err := tx.QueryRow(ctx, `select epoch, seq, authors, snapseq, snapshot, applied,
			coalesce((select max(seq) from ops where room = $1), 0) from boards where room = $1`, room).
		Scan(&epoch, &seq, &authors, &snapseq, &b.Snapshot, &applied, &maxOp); err != nil {
		return nil, err
	}
	b.Epoch, b.Authors, b.SnapSeq = uint64(epoch), uint32(authors), uint64(snapseq)
	var ck int64
	var ckSnap []byte
	err := tx.QueryRow(ctx, `select seq, snapshot from checkpoints where room = $1 order by seq desc limit 1`, room).Scan(&ck, &ckSnap)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return nil, err
	case ck > snapseq || b.Snapshot == nil:
		b.SnapSeq, b.Snapshot = uint64(ck), ckSnap
	}
	ops, err := readOps(ctx, tx, room, b.SnapSeq+1, uint64(max(seq, maxOp)))
	if err != nil {
		return nil, err
	}
	b.Seq = b.SnapSeq
	for _, so := range ops {
		if so.Seq != b.Seq+1 {
			break
		}
		b.Ops, b.Seq = append(b.Ops, so), so.Seq
	}
	return b, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func readOps(ctx context.Context, q querier, room string, from, to uint64) ([]oplog.StoredOp, error) {
	rows, err := q.Query(ctx, `select seq, author, op from ops where room = $1 and seq >= $2 and seq <= $3 order by seq`, room, int64(from), int64(to))
	if err != nil {
		return nil, err
	}
	var ops []oplog.StoredOp
	for rows.Next() {
		var seq, author int64
		var op []byte
		if err := rows.Scan(&seq, &author, &op); err != nil {
			return nil, err
		}
		ops = append(ops, oplog.StoredOp{Seq: uint64(seq), Author: uint32(author), Op: op})
	}
	return ops, rows.Err()
}

// Restored ends a restore of generation gen: Redis holds the board again,
// under epoch (a new one after ClaimNew: the history kept here goes on
// under it).
func (s *Store) Restored(ctx context.Context, room string, gen, epoch uint64) error {
	_, err := s.pool.Exec(ctx, `update boards set state = 'live', epoch = $3, lease_until = null, updated_at = now() where room = $1 and gen = $2 and state = 'restoring'`, room, int64(gen), int64(epoch))
	if err != nil {
		return fmt.Errorf("restored board %s: %w", room, err)
	}
	return nil
}

// State returns room's row state and generation ("" when there is none).
func (s *Store) State(ctx context.Context, room string) (state string, gen uint64, err error) {
	var g int64
	err = s.pool.QueryRow(ctx, `select state, gen from boards where room = $1`, room).Scan(&state, &g)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, nil
	}
	return state, uint64(g), err
}
