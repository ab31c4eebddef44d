package redis

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// archiveLog is a Redis log over redisURL with the archive at pgURL,
// archiving boards unused for after. The sweeper does not run: tests
// archive by calling Archive, as a replica's sweeper would.
func archiveLog(t testing.TB, redisURL, pgURL string, after time.Duration) *Log {
	t.Helper()
	cfg := &config.Config{ReplayOps: 6, HistoryOps: 12, SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	l, err := Open(redisURL, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	store, err := archive.Open(context.Background(), pgURL)
	if err != nil {
		t.Fatal(err)
	}
	l.arch, l.archAfter = store, after
	t.Cleanup(func() { _ = l.Close() })
	return l
}

// archivingLog archives every board before it opens it, so that each
// reopen in the conformance table loads the board back from PostgreSQL.
type archivingLog struct{ *Log }

func (a archivingLog) Open(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	if _, err := a.Archive(ctx, room); err != nil {
		return nil, err
	}
	return a.Log.Open(ctx, room)
}

// The conformance table passes with the archive configured, and also
// when every reopen brings the board back from PostgreSQL.
func TestRedisLogConformsWithArchive(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	t.Run("archive configured", func(t *testing.T) {
		oplogtest.Run(t, func(t *testing.T) oplog.Log { return archiveLog(t, r.URL(), pg, time.Hour) })
	})
	t.Run("every reopen loads back", func(t *testing.T) {
		oplogtest.Run(t, func(t *testing.T) oplog.Log { return archivingLog{archiveLog(t, r.URL(), pg, time.Nanosecond)} })
	})
}

// boardState is what a user could notice of a board: its bytes as a
// room opens it, its versions, and the board read at every seq.
type boardState struct {
	epoch    uint64
	snapshot []byte
	versions []oplog.Version
	at       [][]byte
}

func readState(t *testing.T, l *Log, room string, open bool) boardState {
	t.Helper()
	ctx := context.Background()
	var s boardState
	head, vs, err := l.Versions(ctx, room, 0, 1000)
	if err != nil {
		t.Fatalf("versions: %v", err)
	}
	s.versions = vs
	for seq := range head + 1 {
		st, err := l.ReadAt(ctx, room, seq)
		if err != nil {
			t.Fatalf("read at %d of %d: %v", seq, head, err)
		}
		b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
		if err != nil {
			t.Fatal(err)
		}
		s.at = append(s.at, oplogtest.BoardBytes(t, b))
	}
	var st *oplog.StoredRoom
	if open {
		st, err = l.Open(ctx, room)
	} else {
		st, err = l.Read(ctx, room)
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.epoch, s.snapshot = st.Epoch, oplogtest.BoardBytes(t, b)
	return s
}

func (s boardState) diff(o boardState) string {
	switch {
	case s.epoch != o.epoch:
		return fmt.Sprintf("epoch %x, then %x", s.epoch, o.epoch)
	case !bytes.Equal(s.snapshot, o.snapshot):
		return "the board's bytes differ"
	case fmt.Sprint(s.versions) != fmt.Sprint(o.versions):
		return fmt.Sprintf("versions %v, then %v", s.versions, o.versions)
	case len(s.at) != len(o.at):
		return fmt.Sprintf("history of %d ops, then %d", len(s.at)-1, len(o.at)-1)
	}
	for i := range s.at {
		if !bytes.Equal(s.at[i], o.at[i]) {
			return fmt.Sprintf("the board at %d differs", i)
		}
	}
	return ""
}

// drawBoard draws n random ops on room as a room would, marking a
// version and compacting now and then, and returns the ops.
func drawBoard(t *testing.T, l *Log, room string, seed uint64, n int) []oplog.BatchOp {
	t.Helper()
	ctx := context.Background()
	st, err := l.Open(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 9))
	ops := oplogtest.RandomOps(r, 3, n)
	for i := 0; i < len(ops); {
		batch := ops[i:min(i+1+r.IntN(7), len(ops))]
		if res := oplogtest.Submit(l, room, st.Epoch, batch...); res.Err != nil {
			t.Fatal(res.Err)
		}
		i += len(batch)
		if seq := uint64(i); r.IntN(4) == 0 {
			if err := l.Mark(ctx, room, st.Epoch, seq, oplog.KindCheckpoint, time.Now(), map[uint32]string{1: "Ann", 2: "Bob"}); err != nil {
				t.Fatal(err)
			}
			if err := l.Compact(ctx, room, st.Epoch, seq, oplogtest.BoardBytes(t, oplogtest.Replay(t, st.Epoch, ops[:seq]))); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ops
}

func redisHolds(t *testing.T, l *Log, room string) bool {
	t.Helper()
	n, err := l.rdb.Exists(context.Background(), archiveKeys(room)[:6]...).Result()
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// A board archived and loaded back is the board it was: its bytes, its
// epoch, its versions and the board at every seq, read while archived
// (from PostgreSQL) and after it is back; Redis holds none of its keys
// meanwhile; and numbering goes on where it was, resends skipped.
func TestArchivedBoardComesBackIdentical(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	l := archiveLog(t, r.URL(), archivetest.Database(t), time.Millisecond)
	ctx := context.Background()
	for seed := range uint64(3) {
		room := fmt.Sprintf("cold%d", seed)
		ops := drawBoard(t, l, room, seed, 60+int(seed)*40)
		before := readState(t, l, room, true)
		if before.snapshot == nil || len(before.at) != len(ops)+1 {
			t.Fatalf("history of %d ops before archiving, want %d", len(before.at)-1, len(ops))
		}
		// History is exact: the board at every seq is ops 1..seq replayed
		// (and, below, the same read from PostgreSQL).
		for seq := range before.at {
			if !bytes.Equal(before.at[seq], oplogtest.BoardBytes(t, oplogtest.Replay(t, before.epoch, ops[:seq]))) {
				t.Fatalf("the board read at %d is not ops 1..%d replayed", seq, seq)
			}
		}
		for round := range 2 {
			time.Sleep(5 * time.Millisecond)
			if done, err := l.Archive(ctx, room); err != nil || !done {
				t.Fatalf("round %d: archive: %v, %v", round, done, err)
			}
			if redisHolds(t, l, room) {
				t.Fatalf("round %d: Redis still holds keys of the archived board", round)
			}
			if st, _, _ := l.arch.State(ctx, room); st != "archived" {
				t.Fatalf("round %d: the archive says %q", round, st)
			}
			if d := before.diff(readState(t, l, room, false)); d != "" {
				t.Fatalf("round %d: read while archived: %s", round, d)
			}
			if d := before.diff(readState(t, l, room, true)); d != "" {
				t.Fatalf("round %d: loaded back: %s", round, d)
			}
			if !redisHolds(t, l, room) {
				t.Fatalf("round %d: the board did not come back into Redis", round)
			}
		}
		// Numbering goes on: the last op again is a resend, the next is
		// numbered after the head.
		last := ops[len(ops)-1]
		next := oplog.BatchOp{Author: last.Author, Index: last.Index + 1, Op: oplogtest.EndOp()}
		if res := oplogtest.Submit(l, room, before.epoch, last, next); res.Err != nil || !oplogtest.EqualInts(res.Seqs, 0, int64(len(ops)+1)) {
			t.Fatalf("after loading back: %+v", res)
		}
	}
}

// A board used since the archive-after time, or opened during an
// archive, stays in Redis.
func TestABoardInUseIsNotArchived(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	l := archiveLog(t, r.URL(), archivetest.Database(t), time.Hour)
	ctx := context.Background()
	drawBoard(t, l, "busy", 1, 20)
	if done, err := l.Archive(ctx, "busy"); err != nil || done {
		t.Fatalf("archive of a board used now: %v, %v", done, err)
	}
	if !redisHolds(t, l, "busy") {
		t.Fatal("a board in use left Redis")
	}
	if st, _, _ := l.arch.State(ctx, "busy"); st != "" {
		t.Fatalf("the archive has a row for a board never archived: %q", st)
	}
}

// Boards Redis held before the archive was configured are archived too,
// once nobody has used them for the archive-after time, and come back.
func TestBoardsFromBeforeTheArchiveAreArchivedToo(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	cfg := &config.Config{SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	before, err := Open(r.URL(), cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	ops := drawBoard(t, before, "old", 7, 30)
	st, err := before.Open(context.Background(), "old")
	if err != nil {
		t.Fatal(err)
	}
	_ = before.Close()

	l, err := Open(r.URL(), cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	store, err := archive.Open(context.Background(), pg)
	if err != nil {
		t.Fatal(err)
	}
	l.UseArchive(store, 200*time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for redisHolds(t, l, "old") {
		if time.Now().After(deadline) {
			t.Fatal("a board from before the archive is still in Redis after 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	checkWhole(t, l, "old", st.Epoch, ops)
}
