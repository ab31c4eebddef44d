// Package oplogtest is the conformance table every oplog.Log passes:
// numbering, resends skipped, index gaps refused, reading back, compaction,
// other epochs refused, durable author reservation, ordering under
// concurrent submitters, and history (history.go): the board at any
// sequence number, versions, and reads of boards that do not exist. Each log's own tests run it (Run) against a fresh
// log of their kind, as fstest.TestFS runs against a file system; a new
// Log passes it or it does not ship.
package oplogtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// Run runs the table: each case against a fresh room of a log from open.
func Run(t *testing.T, open func(t *testing.T) oplog.Log) {
	for _, c := range []struct {
		name string
		f    func(t *testing.T, l oplog.Log, room string)
	}{
		{"numbers skips resends and refuses gaps", testLogNumbersSkipsResendsAndRefusesGaps},
		{"since reads back what was numbered", testLogSinceReadsBackWhatWasNumbered},
		{"compacts behind a snapshot", testLogCompactsBehindASnapshot},
		{"refuses another epoch", testLogRefusesAnotherEpoch},
		{"reserves authors durably", testLogReservesAuthorsDurably},
		{"orders concurrent submitters", testLogOrdersConcurrentSubmitters},
		{"reads the board at any seq", testLogReadsTheBoardAtAnySeq},
		{"marks and lists versions", testLogMarksAndListsVersions},
		{"history of no board", testLogHistoryOfNoBoard},
	} {
		t.Run(c.name, func(t *testing.T) { c.f(t, open(t), "conf"+randomHex()) })
	}
}

// Submit submits batch and waits for its reply.
func Submit(l oplog.Log, room string, epoch uint64, batch ...oplog.BatchOp) oplog.SubmitResult {
	reply := make(chan oplog.SubmitResult, 1)
	l.Submit(room, epoch, batch, reply)
	return <-reply
}

// Ends returns n End ops of author, indexed from from.
func Ends(author uint32, from uint64, n int) []oplog.BatchOp {
	b := make([]oplog.BatchOp, n)
	for i := range b {
		b[i] = oplog.BatchOp{Author: author, Index: from + uint64(i), Op: EndOp()}
	}
	return b
}

// EndOp is the smallest valid op.
func EndOp() []byte { return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}) }

func open(t *testing.T, l oplog.Log, room string) *oplog.StoredRoom {
	t.Helper()
	st, err := l.Open(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func testLogNumbersSkipsResendsAndRefusesGaps(t *testing.T, l oplog.Log, room string) {
	st := open(t, l, room)
	if st.Epoch == 0 || len(st.Ops) != 0 || st.Snapshot != nil {
		t.Fatalf("a new room: %+v", st)
	}
	res := Submit(l, room, st.Epoch, append(Ends(1, 0, 3), Ends(2, 0, 1)...)...)
	if res.Err != nil || res.First != 1 || !EqualInts(res.Seqs, 1, 2, 3, 4) {
		t.Fatalf("first batch: %+v", res)
	}
	// A resend of author 1's op 2, then its next op, then one past a gap.
	res = Submit(l, room, st.Epoch, oplog.BatchOp{Author: 1, Index: 2, Op: EndOp()},
		oplog.BatchOp{Author: 1, Index: 3, Op: EndOp()}, oplog.BatchOp{Author: 1, Index: 9, Op: EndOp()})
	if res.Err != nil || !EqualInts(res.Seqs, 0, 5, -1) {
		t.Fatalf("resend, next, gap: %+v", res)
	}
	again := open(t, l, room)
	if again.Epoch != st.Epoch || len(again.Ops) != 5 || again.Ops[4].Seq != 5 || again.Ops[3].Author != 2 {
		t.Fatalf("reopened: epoch %x (want %x), %d ops", again.Epoch, st.Epoch, len(again.Ops))
	}
	// The applied counts survive a reopen: the resend is still skipped.
	if res := Submit(l, room, st.Epoch, Ends(1, 3, 2)...); res.Err != nil || !EqualInts(res.Seqs, 0, 6) {
		t.Fatalf("after reopen: %+v", res)
	}
}

func testLogSinceReadsBackWhatWasNumbered(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	st := open(t, l, room)
	Submit(l, room, st.Epoch, Ends(1, 0, 4)...)
	ops, head, err := l.Since(ctx, room, st.Epoch, 2)
	if err != nil || head != 4 || len(ops) != 3 || ops[0].Seq != 2 || ops[2].Seq != 4 || ops[0].Author != 1 {
		t.Fatalf("since 2: %v ops, head %d, %v", len(ops), head, err)
	}
	if ops, head, err := l.Since(ctx, room, st.Epoch, 5); err != nil || head != 4 || len(ops) != 0 {
		t.Fatalf("since head+1: %d ops, head %d, %v", len(ops), head, err)
	}
	if seq, _, err := l.Head(ctx, room, st.Epoch); err != nil || seq != 4 {
		t.Fatalf("head %d, %v", seq, err)
	}
}

func testLogCompactsBehindASnapshot(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	st := open(t, l, room)
	Submit(l, room, st.Epoch, Ends(1, 0, 10)...)
	b := canvas.NewBoard(st.Epoch)
	var op canvas.Op
	for range 8 {
		if err := canvas.DecodeOp(EndOp(), &op); err != nil {
			t.Fatal(err)
		}
		b.Apply(1, &op)
	}
	snap, _ := b.MarshalBinary()
	if err := l.Compact(ctx, room, st.Epoch, 8, snap); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Since(ctx, room, st.Epoch, 1); !errors.Is(err, oplog.ErrTrimmed) {
		t.Fatalf("since 1 after compaction: %v, want oplog.ErrTrimmed", err)
	}
	again := open(t, l, room)
	var after []oplog.StoredOp
	for _, so := range again.Ops {
		if so.Seq > 8 {
			after = append(after, so)
		}
	}
	if string(again.Snapshot) != string(snap) || len(after) != 2 || after[0].Seq != 9 {
		t.Fatalf("reopened after compaction: snapshot %v, %d ops after it", again.Snapshot != nil, len(after))
	}
	// Numbering goes on from the head, applied counts from the snapshot.
	if res := Submit(l, room, st.Epoch, Ends(1, 9, 2)...); res.Err != nil || !EqualInts(res.Seqs, 0, 11) {
		t.Fatalf("after compaction: %+v", res)
	}
}

func testLogRefusesAnotherEpoch(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	st := open(t, l, room)
	Submit(l, room, st.Epoch, Ends(1, 0, 1)...)
	other := st.Epoch + 1
	if res := Submit(l, room, other, Ends(1, 1, 1)...); !errors.Is(res.Err, oplog.ErrEpoch) || res.Epoch != other {
		t.Errorf("submit: %+v, want oplog.ErrEpoch", res)
	}
	if _, _, err := l.Since(ctx, room, other, 1); !errors.Is(err, oplog.ErrEpoch) {
		t.Errorf("since: %v, want oplog.ErrEpoch", err)
	}
	if _, err := l.NewAuthors(ctx, room, other, 1); !errors.Is(err, oplog.ErrEpoch) {
		t.Errorf("new authors: %v, want oplog.ErrEpoch", err)
	}
	if err := l.Compact(ctx, room, other, 1, nil); !errors.Is(err, oplog.ErrEpoch) {
		t.Errorf("compact: %v, want oplog.ErrEpoch", err)
	}
}

func testLogReservesAuthorsDurably(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	st := open(t, l, room)
	if last, err := l.NewAuthors(ctx, room, st.Epoch, 5); err != nil || last != 5 {
		t.Fatalf("first block: %d, %v", last, err)
	}
	if last, err := l.NewAuthors(ctx, room, st.Epoch, 3); err != nil || last != 8 {
		t.Fatalf("second block: %d, %v", last, err)
	}
	if _, n, err := l.Head(ctx, room, st.Epoch); err != nil || n != 8 {
		t.Fatalf("head authors %d, %v", n, err)
	}
	if again := open(t, l, room); again.Authors != 8 {
		t.Fatalf("reopened: %d authors handed out, want 8", again.Authors)
	}
}

// Submitters racing on one room (replicas, in Redis mode) each get their
// ops numbered in their order, with every number used once.
func testLogOrdersConcurrentSubmitters(t *testing.T, l oplog.Log, room string) {
	const submitters, batches, per = 4, 10, 5
	st := open(t, l, room)
	var wg sync.WaitGroup
	errs := make(chan error, submitters)
	for a := uint32(1); a <= submitters; a++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range batches {
				if res := Submit(l, room, st.Epoch, Ends(a, uint64(k*per), per)...); res.Err != nil {
					errs <- res.Err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all := open(t, l, room).Ops
	if len(all) != submitters*batches*per {
		t.Fatalf("%d ops, want %d", len(all), submitters*batches*per)
	}
	next := map[uint32]int{}
	for i, so := range all {
		if so.Seq != uint64(i+1) {
			t.Fatalf("op %d has seq %d", i, so.Seq)
		}
		next[so.Author]++
	}
	for a := uint32(1); a <= submitters; a++ {
		if next[a] != batches*per {
			t.Fatalf("author %d: %d ops", a, next[a])
		}
	}
}

// EqualInts reports whether got is want.
func EqualInts(got []int64, want ...int64) bool { return slices.Equal(got, want) }
