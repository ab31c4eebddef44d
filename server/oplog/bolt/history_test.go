package bolt

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	bbolt "go.etcd.io/bbolt"
)

// A file written before checkpoints were kept holds one snapshot under
// "snap" and no ops before it. It opens as before; its history starts at
// that snapshot (older seqs: oplog.ErrTrimmed), and the history the new
// code keeps follows it.
func TestAFileFromBeforeHistoryOpensAndItsHistoryStartsAtItsSnapshot(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "boards.db")
	ops := oplogtest.RandomOps(rand.New(rand.NewPCG(5, 5)), 2, 40)
	const epoch = 42
	// The old layout, written by hand: the board at 20, ops 21..30.
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	snap := oplogtest.BoardBytes(t, oplogtest.Replay(t, epoch, ops[:20]))
	err = db.Update(func(tx *bbolt.Tx) error {
		rb, err := tx.CreateBucketIfNotExists(bucketRooms)
		if err != nil {
			return err
		}
		if rb, err = rb.CreateBucket([]byte("old")); err != nil {
			return err
		}
		_ = rb.SetSequence(2)
		_ = rb.Put(keyEpoch, seqKey(epoch))
		_ = rb.Put(keySnap, snap)
		var stored []oplog.StoredOp
		for i := 20; i < 30; i++ {
			stored = append(stored, oplog.StoredOp{Seq: uint64(i + 1), Author: ops[i].Author, Op: ops[i].Op})
		}
		return appendTx(tx, appendReq{room: "old", epoch: epoch, ops: stored})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l := local.New(s, slog.New(slog.DiscardHandler), metrics.New())
	st, err := l.Open(ctx, "old")
	if err != nil || st.Epoch != epoch || !bytes.Equal(st.Snapshot, snap) || len(st.Ops) != 10 {
		t.Fatalf("opened: %v, epoch %d, %d ops", err, st.Epoch, len(st.Ops))
	}
	// The rest, with a compaction at 35 as the new code keeps it.
	if res := oplogtest.Submit(l, "old", epoch, ops[30:]...); res.Err != nil || res.First != 31 {
		t.Fatalf("submit: %+v", res)
	}
	if err := l.Compact(ctx, "old", epoch, 35, oplogtest.BoardBytes(t, oplogtest.Replay(t, epoch, ops[:35]))); err != nil {
		t.Fatal(err)
	}
	for seq := range uint64(41) {
		at, err := l.ReadAt(ctx, "old", seq)
		if seq > 0 && seq < 20 {
			if !errors.Is(err, oplog.ErrTrimmed) {
				t.Fatalf("read at %d: %v, want oplog.ErrTrimmed", seq, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("read at %d: %v", seq, err)
		}
		b, err := oplog.StoredBoard("old", at, new(canvas.Op), nil)
		if err != nil || !bytes.Equal(oplogtest.BoardBytes(t, b), oplogtest.BoardBytes(t, oplogtest.Replay(t, epoch, ops[:seq]))) {
			t.Fatalf("the board at %d is not ops 1..%d replayed: %v", seq, seq, err)
		}
	}
}

// BenchmarkReadAt reads a 100,000-op board (checkpoints every 2,000 ops,
// as a room takes them) at random sequence numbers and builds it: what
// /b/{room}.svg?at= costs before rendering.
func BenchmarkReadAt(b *testing.B) {
	const n, every = 100_000, 2000
	ctx := context.Background()
	s, err := Open(filepath.Join(b.TempDir(), "boards.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	l := local.New(s, slog.New(slog.DiscardHandler), metrics.New())
	st, err := l.Open(ctx, "big")
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	ops := oplogtest.RandomOps(r, 8, n)
	board := canvas.NewBoard(st.Epoch)
	var op canvas.Op
	for i := 0; i < n; i += every {
		if res := oplogtest.Submit(l, "big", st.Epoch, ops[i:i+every]...); res.Err != nil {
			b.Fatal(res.Err)
		}
		for _, o := range ops[i : i+every] {
			_ = canvas.DecodeOp(o.Op, &op)
			board.Apply(o.Author, &op)
		}
		if err := l.Compact(ctx, "big", st.Epoch, board.Seq, oplogtest.BoardBytes(b, board)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		at, err := l.ReadAt(ctx, "big", 1+r.Uint64N(n))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := oplog.StoredBoard("big", at, &op, nil); err != nil {
			b.Fatal(err)
		}
	}
}
