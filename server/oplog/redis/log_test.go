package redis

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"slices"
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
	// Snapshot at 13, keeping 3 ops before it: the log starts at 11.
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
