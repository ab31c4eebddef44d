package redis

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

func testLog(t *testing.T, keep int) *Log {
	t.Helper()
	cfg := &config.Config{ReplayOps: 2 * keep, SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	l, err := Open(redistest.Shared(t), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func endOp() []byte { return oplogtest.EndOp() }

func TestRedisLogConforms(t *testing.T) {
	oplogtest.Run(t, func(t *testing.T) oplog.Log { return testLog(t, 3) })
}

// The sequencer: numbers in order, skips resends, refuses gaps and other
// epochs; Since reads back exactly what was numbered, and says so when a
// snapshot has trimmed what was asked for.
func TestRedisLogSequencesDedupsAndTrims(t *testing.T) {
	l := testLog(t, 3)
	room := "unit" + randomHex()
	st, err := l.Open(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch == 0 || len(st.Ops) != 0 || st.Snapshot != nil {
		t.Fatalf("new room: %+v", st)
	}
	again, err := l.Open(context.Background(), room)
	if err != nil || again.Epoch != st.Epoch {
		t.Fatalf("reopening changed the epoch: %v %v", again, err)
	}
	op := endOp()
	subs := []oplog.BatchOp{
		{Author: 1, Index: 0, Op: op},
		{Author: 2, Index: 0, Op: op},
		{Author: 1, Index: 1, Op: op},
		{Author: 1, Index: 1, Op: op}, // resend: skipped
		{Author: 2, Index: 5, Op: op}, // gap: refused
	}
	first, res, err := l.submitWait(room, st.Epoch, subs)
	if err != nil {
		t.Fatal(err)
	}
	if first != 1 || !slices.Equal(res, []int64{1, 2, 3, 0, -1}) {
		t.Fatalf("first %d, results %v", first, res)
	}
	if _, _, err := l.submitWait(room, st.Epoch+1, subs[:1]); !errors.Is(err, oplog.ErrEpoch) {
		t.Fatalf("submit under another epoch: %v", err)
	}
	ops, head, err := l.Since(context.Background(), room, st.Epoch, 2)
	if err != nil || head != 3 || len(ops) != 2 || ops[0].Seq != 2 || ops[0].Author != 2 || !bytes.Equal(ops[1].Op, op) {
		t.Fatalf("since 2: %+v head %d err %v", ops, head, err)
	}
	for i := range 10 {
		if _, _, err := l.submitWait(room, st.Epoch, []oplog.BatchOp{{Author: 1, Index: uint64(2 + i), Op: op}}); err != nil {
			t.Fatal(err)
		}
	}
	// Snapshot at 13, keeping 3 ops before it for replay: the live path
	// (Since, Open) starts at 11; the rest is history (ReadAt).
	if err := l.Compact(context.Background(), room, st.Epoch, 13, []byte("snap")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Since(context.Background(), room, st.Epoch, 5); !errors.Is(err, oplog.ErrTrimmed) {
		t.Fatalf("since 5 after trimming: %v", err)
	}
	ops, _, err = l.Since(context.Background(), room, st.Epoch, 11)
	if err != nil || len(ops) != 3 || ops[0].Seq != 11 {
		t.Fatalf("since 11: %+v %v", ops, err)
	}
	st2, err := l.Open(context.Background(), room)
	if err != nil || string(st2.Snapshot) != "snap" || len(st2.Ops) != 3 || st2.Ops[0].Seq != 11 {
		t.Fatalf("open after compaction: %+v %v", st2, err)
	}
	if at, err := l.ReadAt(context.Background(), room, 5); err != nil || len(at.Ops) != 5 {
		t.Fatalf("history at 5 after compaction: %+v %v", at, err)
	}
}

// FuzzDecodeBusMessage: whatever arrives on a room's channel, decoding
// never panics, and what decodes re-encodes to a message that decodes to
// the same (varints need not be in their shortest form).
func FuzzDecodeBusMessage(f *testing.F) {
	var ep [8]byte
	binary.BigEndian.PutUint64(ep[:], 42)
	ok := append(ep[:], canvas.AppendOps(nil, 7, []canvas.SeqOp{{Author: 3, Op: endOp()}, {Author: 1, Op: endOp()}})...)
	f.Add(ok)
	f.Add(ep[:])
	f.Add(append(ep[:], 0x81, 0x05, 0x01))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, p []byte) {
		epoch, first, ops, err := decodeBusMessage(p)
		if err != nil {
			return
		}
		var e [8]byte
		binary.BigEndian.PutUint64(e[:], epoch)
		again := append(e[:], canvas.AppendOps(nil, first, ops)...)
		epoch2, first2, ops2, err := decodeBusMessage(again)
		if err != nil || epoch2 != epoch || first2 != first || len(ops2) != len(ops) {
			t.Fatalf("message %x decodes, its re-encoding %x does not decode the same: %v", p, again, err)
		}
		for i := range ops {
			if ops[i].Author != ops2[i].Author || !bytes.Equal(ops[i].Op, ops2[i].Op) {
				t.Fatalf("op %d differs after re-encoding", i)
			}
		}
	})
}

// FuzzDecodeEntry: a log entry either is refused or decodes to an author
// and an op that encode to an entry decoding to the same.
func FuzzDecodeEntry(f *testing.F) {
	f.Add([]byte{0x03, 0x01, 0x13})
	f.Add([]byte{0x80})
	f.Add([]byte{0x01, 0x05, 0x13})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, op, err := decodeEntry(b)
		if err != nil {
			return
		}
		again := binary.AppendUvarint(nil, uint64(a))
		again = binary.AppendUvarint(again, uint64(len(op)))
		again = append(again, op...)
		a2, op2, err := decodeEntry(again)
		if err != nil || a2 != a || !bytes.Equal(op2, op) {
			t.Fatalf("entry %x decodes to (%d, %x), which does not round-trip: (%d, %x, %v)", b, a, op, a2, op2, err)
		}
	})
}

// With --history-ops, Redis keeps that much history before the snapshot
// and trims the rest with the checkpoints and versions that needed it: a
// read there says so (oplog.ErrTrimmed), a read within the bound is exact.
func TestRedisLogTrimsHistoryPastTheBound(t *testing.T) {
	cfg := &config.Config{ReplayOps: 2, HistoryOps: 5, SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	l, err := Open(redistest.Shared(t), cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	ctx := context.Background()
	room := "bound" + randomHex()
	st, err := l.Open(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	ops := oplogtest.RandomOps(rand.New(rand.NewPCG(3, 4)), 2, 30)
	for i, op := range ops {
		if res := oplogtest.Submit(l, room, st.Epoch, op); res.Err != nil {
			t.Fatal(res.Err)
		}
		if seq := uint64(i + 1); seq%10 == 0 {
			// As a room does: mark, then compact (which trims).
			if err := l.Mark(ctx, room, st.Epoch, seq, oplog.KindCheckpoint, time.Now(), nil); err != nil {
				t.Fatal(err)
			}
			snap := oplogtest.BoardBytes(t, oplogtest.Replay(t, st.Epoch, ops[:seq]))
			if err := l.Compact(ctx, room, st.Epoch, seq, snap); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Snapshot at 30, 5 ops of history before it: ops from 26 on, and no
	// checkpoint before 30 that they follow, so 30 is the oldest readable
	// (and 0, the empty board every board begins as).
	for seq := range uint64(31) {
		at, err := l.ReadAt(ctx, room, seq)
		if seq > 0 && seq < 30 {
			if !errors.Is(err, oplog.ErrTrimmed) {
				t.Fatalf("read at %d: %v, want oplog.ErrTrimmed", seq, err)
			}
			continue
		}
		b, err2 := oplog.StoredBoard(room, at, new(canvas.Op), nil)
		if err != nil || err2 != nil || !bytes.Equal(oplogtest.BoardBytes(t, b), oplogtest.BoardBytes(t, oplogtest.Replay(t, st.Epoch, ops[:seq]))) {
			t.Fatalf("read at %d: %v %v", seq, err, err2)
		}
	}
	if _, vs, err := l.Versions(ctx, room, 0, 10); err != nil || len(vs) != 1 || vs[0].Seq != 30 || vs[0].Ops != 10 {
		t.Fatalf("versions kept: %+v, %v", vs, err)
	}
}

// Replicas mark versions side by side, in any order: each version still
// counts the ops since the one before it, none twice.
func TestRedisLogVersionsMarkedAtOnceChainUp(t *testing.T) {
	l := testLog(t, 3)
	ctx := context.Background()
	room := "marks" + randomHex()
	st, err := l.Open(ctx, room)
	if err != nil {
		t.Fatal(err)
	}
	if res := oplogtest.Submit(l, room, st.Epoch, oplogtest.Ends(1, 0, 60)...); res.Err != nil {
		t.Fatal(res.Err)
	}
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seq := uint64(60 - 5*i)
			kind := oplog.KindCheckpoint
			if i%3 == 0 {
				kind = oplog.KindClear
			}
			if err := l.Mark(ctx, room, st.Epoch, seq, kind, time.Now(), nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	_, vs, err := l.Versions(ctx, room, 0, 100)
	if err != nil || len(vs) != 12 {
		t.Fatalf("%d versions, %v", len(vs), err)
	}
	for i, v := range vs {
		var before uint64
		if i+1 < len(vs) {
			before = vs[i+1].Seq
		}
		if v.Ops != v.Seq-before {
			t.Errorf("version %d counts %d ops, want %d (since %d)", v.Seq, v.Ops, v.Seq-before, before)
		}
	}
}

func TestRedisLogKeepsImages(t *testing.T) { oplogtest.RunImages(t, testLog(t, 3)) }
