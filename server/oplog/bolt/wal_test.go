package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
)

// appendN appends n ops (seq from, 8-byte ops naming their seq) to room.
func appendN(t *testing.T, s *Store, room string, from uint64, n int) {
	t.Helper()
	ops := make([]oplog.StoredOp, n)
	for i := range ops {
		seq := from + uint64(i)
		ops[i] = oplog.StoredOp{Seq: seq, Author: uint32(seq%7 + 1), Op: fmt.Appendf(nil, "op%05d", seq)}
	}
	if err := s.Append(context.Background(), room, 42, ops); err != nil {
		t.Fatal(err)
	}
}

// wantOps checks that room holds exactly the ops 1..n, in order, with the
// content appendN gave them.
func wantOps(t *testing.T, s *Store, room string, n int) {
	t.Helper()
	st, err := s.Load(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch != 42 {
		t.Fatalf("%s: epoch %d, want 42", room, st.Epoch)
	}
	if len(st.Ops) != n {
		t.Fatalf("%s: %d ops, want %d", room, len(st.Ops), n)
	}
	for i, op := range st.Ops {
		seq := uint64(i + 1)
		if op.Seq != seq || op.Author != uint32(seq%7+1) || string(op.Op) != fmt.Sprintf("op%05d", seq) {
			t.Fatalf("%s: op %d is %d/%d/%q", room, i, op.Seq, op.Author, op.Op)
		}
	}
}

// copyDir copies the store's files as they are on disk now: what a crash
// at this moment would leave.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// A crash loses nothing that Append acknowledged: the files as they are
// after the appends (no Close, no checkpoint) reopen with every op.
func TestStoreLogSurvivesCrash(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 50 {
		appendN(t, s, "a", uint64(i*3+1), 3)
		appendN(t, s, "b", uint64(i+1), 1)
	}
	crashed := copyDir(t, dir)
	logs, _, _ := walFiles(filepath.Join(crashed, "boards.db"))
	if len(logs) == 0 {
		t.Fatal("no log file beside the database")
	}
	s2, err := Open(filepath.Join(crashed, "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	wantOps(t, s2, "a", 150)
	wantOps(t, s2, "b", 50)
	if logs, _, _ := walFiles(filepath.Join(crashed, "boards.db")); len(logs) != 1 {
		t.Fatalf("after recovery: %d log files, want only the new one", len(logs))
	}
}

// A write cut short by a crash (never acknowledged) is dropped; what came
// before it is kept.
func TestStoreLogTornTail(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, s, "a", 1, 10)
	crashed := copyDir(t, dir)
	s.Close()
	logs, _, _ := walFiles(filepath.Join(crashed, "boards.db"))
	if len(logs) != 1 {
		t.Fatalf("%d log files", len(logs))
	}
	torn := appendWALRecord(nil, "a", 42, []oplog.StoredOp{{Seq: 11, Author: 1, Op: []byte("op00011")}})
	f, err := os.OpenFile(logs[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(torn[:len(torn)-3])
	f.Close()
	s2, err := Open(filepath.Join(crashed, "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	wantOps(t, s2, "a", 10)
}

// Checkpoints (forced small here) move the log into bolt while appends and
// loads go on; no load ever misses or repeats an op, and a reopen after
// Close has every op and no log left behind but the new one.
func TestStoreCheckpointWhileAppending(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "boards.db")
	s, err := open(path, 2<<10)
	if err != nil {
		t.Fatal(err)
	}
	rooms := []string{"r0", "r1", "r2", "r3"}
	var wg sync.WaitGroup
	for _, room := range rooms {
		wg.Go(func() {
			for seq := uint64(1); seq <= 400; seq += 4 {
				appendN(t, s, room, seq, 4)
				if seq%40 == 1 {
					wantOps(t, s, room, int(seq+3))
				}
			}
		})
	}
	wg.Wait()
	for _, room := range rooms {
		wantOps(t, s, room, 400)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if logs, _, _ := walFiles(path); len(logs) != 0 {
		t.Fatalf("after Close: log files %v", logs)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, room := range rooms {
		wantOps(t, s2, room, 400)
	}
}

func TestWALRecordRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		room := fmt.Sprintf("room-%d", rng.IntN(1000))
		ops := make([]oplog.StoredOp, 1+rng.IntN(20))
		for i := range ops {
			op := make([]byte, 1+rng.IntN(40))
			for j := range op {
				op[j] = byte(rng.Uint32())
			}
			ops[i] = oplog.StoredOp{Seq: rng.Uint64() >> rng.IntN(64), Author: rng.Uint32(), Op: op}
		}
		epoch := rng.Uint64()
		b := appendWALRecord([]byte("x"), room, epoch, ops)[1:]
		rec, n, err := decodeWALRecord(append(b, 9, 9))
		if err != nil || n != len(b) {
			t.Fatalf("decode: %v, %d of %d bytes", err, n, len(b))
		}
		if rec.room != room || rec.epoch != epoch || len(rec.ops) != len(ops) {
			t.Fatalf("got %q %d %d ops", rec.room, rec.epoch, len(rec.ops))
		}
		for i := range ops {
			if rec.ops[i].Seq != ops[i].Seq || rec.ops[i].Author != ops[i].Author || !bytes.Equal(rec.ops[i].Op, ops[i].Op) {
				t.Fatalf("op %d differs", i)
			}
		}
		for cut := range len(b) {
			if _, _, err := decodeWALRecord(b[:cut]); !errors.Is(err, errWALShort) && !errors.Is(err, errWALCorrupt) {
				t.Fatalf("cut at %d: %v", cut, err)
			}
		}
	}
}

// FuzzWALRecord: whatever a log file holds, decoding never panics, never
// allocates beyond a bound of the input, and what decodes re-encodes to
// the same bytes.
func FuzzWALRecord(f *testing.F) {
	f.Add(appendWALRecord(nil, "a", 1, []oplog.StoredOp{{Seq: 1, Author: 2, Op: []byte{0x13}}}))
	f.Add(appendWALRecord(nil, "room", 1<<60, []oplog.StoredOp{{Seq: 9, Author: 1, Op: []byte("abc")}, {Seq: 10, Author: 1 << 31, Op: []byte("d")}}))
	f.Add([]byte{0, 0, 0, 4, 0, 0, 0, 0, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, in []byte) {
		// As it came, and with a valid header and checksum around it (so
		// the fuzzer reaches the payload's parser).
		framed := binary.BigEndian.AppendUint32(nil, uint32(len(in)))
		framed = binary.BigEndian.AppendUint32(framed, crc32.Checksum(in, crc32c))
		framed = append(framed, in...)
		checkWALDecode(t, in)
		checkWALDecode(t, framed)
	})
}

func checkWALDecode(t *testing.T, b []byte) {
	{
		rec, n, err := decodeWALRecord(b)
		if err != nil {
			return
		}
		if n > len(b) || len(rec.ops) > len(b) {
			t.Fatalf("%d ops, %d bytes from %d", len(rec.ops), n, len(b))
		}
		again := appendWALRecord(nil, rec.room, rec.epoch, rec.ops)
		// Varints need not be shortest in the input: compare by decoding.
		rec2, _, err := decodeWALRecord(again)
		if err != nil || rec2.room != rec.room || rec2.epoch != rec.epoch || len(rec2.ops) != len(rec.ops) {
			t.Fatalf("re-encoding does not decode the same: %v", err)
		}
	}
}

func TestLocalLogOverBoltConforms(t *testing.T) {
	oplogtest.Run(t, func(t *testing.T) oplog.Log {
		st, err := Open(filepath.Join(t.TempDir(), "boards.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		return local.New(st, slog.New(slog.DiscardHandler), metrics.New())
	})
}

func TestBoltStoreKeepsImages(t *testing.T) {
	st, err := Open(filepath.Join(t.TempDir(), "boards.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	oplogtest.RunImages(t, st)
}
