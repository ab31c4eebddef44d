package oplogtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The history cases: every op kept behind compaction, the board at any
// sequence number, versions marked and listed, and reads that create
// nothing.

// RandomOps returns n valid ops by authors 1..authors, drawn from r:
// strokes begun, extended and ended, erased, moved and restored, and now
// and then a clear, so that replaying them exercises most of the board.
func RandomOps(r *rand.Rand, authors uint32, n int) []oplog.BatchOp {
	type author struct {
		index   uint64
		strokes uint32
		open    bool
	}
	as := make([]author, authors+1)
	var drawn []canvas.StrokeID
	out := make([]oplog.BatchOp, 0, n)
	pts := func() []canvas.Point {
		p := make([]canvas.Point, 1+r.IntN(4))
		for i := range p {
			p[i] = canvas.Point{X: r.Int32N(2000) - 1000, Y: r.Int32N(2000) - 1000}
		}
		return p
	}
	for len(out) < n {
		id := 1 + r.Uint32N(authors)
		a := &as[id]
		var op canvas.Op
		switch k := r.IntN(20); {
		case k == 0:
			op = canvas.Op{Type: canvas.OpClear, Stroke: 1}
		case k <= 2 && len(drawn) > 0:
			op = canvas.Op{Type: canvas.OpErase, Strokes: []canvas.StrokeID{drawn[r.IntN(len(drawn))]}}
		case k == 3 && len(drawn) > 0:
			op = canvas.Op{Type: canvas.OpRestore, Strokes: []canvas.StrokeID{drawn[r.IntN(len(drawn))]}}
		case k == 4 && len(drawn) > 0:
			op = canvas.Op{Type: canvas.OpMove, Strokes: []canvas.StrokeID{drawn[r.IntN(len(drawn))]}, DX: r.Int32N(50), DY: -r.Int32N(50)}
		case !a.open:
			a.strokes++
			a.open = true
			op = canvas.Op{Type: canvas.OpBegin, Stroke: a.strokes, Color: r.Uint32(), Width: 1 + r.Uint32N(20), Points: pts()}
			drawn = append(drawn, canvas.StrokeID{Author: id, N: a.strokes})
		case k < 15:
			op = canvas.Op{Type: canvas.OpPoints, Points: pts()}
		default:
			a.open = false
			op = canvas.Op{Type: canvas.OpEnd}
		}
		out = append(out, oplog.BatchOp{Author: id, Index: a.index, Op: canvas.AppendOp(nil, &op)})
		a.index++
	}
	return out
}

// Replay returns the board after ops (numbered from 1) from empty.
func Replay(t testing.TB, epoch uint64, ops []oplog.BatchOp) *canvas.Board {
	t.Helper()
	b := canvas.NewBoard(epoch)
	var op canvas.Op
	for _, o := range ops {
		if err := canvas.DecodeOp(o.Op, &op); err != nil {
			t.Fatal(err)
		}
		b.Apply(o.Author, &op)
	}
	return b
}

// BoardBytes returns b's canonical encoding.
func BoardBytes(t testing.TB, b *canvas.Board) []byte {
	t.Helper()
	p, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Compaction keeps a checkpoint and every op it covers: for random boards
// compacted at random points, the board read at each sequence number,
// before, between and after the checkpoints, is the board replayed from
// empty.
func testLogReadsTheBoardAtAnySeq(t *testing.T, l oplog.Log, room string) {
	for seed := range uint64(4) {
		readsTheBoardAtAnySeq(t, l, fmt.Sprintf("%s-%d", room, seed), seed)
	}
}

func readsTheBoardAtAnySeq(t *testing.T, l oplog.Log, room string, seed uint64) {
	ctx := context.Background()
	st := open(t, l, room)
	r := rand.New(rand.NewPCG(seed, 2))
	ops := RandomOps(r, 3, 40+r.IntN(60))
	var compacted []uint64
	for i := 0; i < len(ops); {
		batch := ops[i:min(i+1+r.IntN(9), len(ops))]
		if res := Submit(l, room, st.Epoch, batch...); res.Err != nil {
			t.Fatal(res.Err)
		}
		i += len(batch)
		if seq := uint64(i); r.IntN(3) == 0 {
			if err := l.Compact(ctx, room, st.Epoch, seq, BoardBytes(t, Replay(t, st.Epoch, ops[:seq]))); err != nil {
				t.Fatal(err)
			}
			compacted = append(compacted, seq)
		}
	}
	for seq := range uint64(len(ops)) + 1 {
		at, err := l.ReadAt(ctx, room, seq)
		if err != nil {
			t.Fatalf("seed %d, compacted at %v: read at %d: %v", seed, compacted, seq, err)
		}
		b, err := oplog.StoredBoard(room, at, new(canvas.Op), nil)
		if err != nil {
			t.Fatalf("seed %d: board at %d: %v", seed, seq, err)
		}
		if want := BoardBytes(t, Replay(t, st.Epoch, ops[:seq])); !bytes.Equal(BoardBytes(t, b), want) {
			t.Fatalf("seed %d, compacted at %v: the board read at %d is not ops 1..%d replayed", seed, compacted, seq, seq)
		}
	}
	if _, err := l.ReadAt(ctx, room, uint64(len(ops))+1); !errors.Is(err, oplog.ErrAhead) {
		t.Fatalf("read past the head: %v, want oplog.ErrAhead", err)
	}
	// The room itself opens from the latest checkpoint, as before.
	again := open(t, l, room)
	b, err := oplog.StoredBoard(room, again, new(canvas.Op), nil)
	if err != nil || b.Seq != uint64(len(ops)) {
		t.Fatalf("reopened at %d, %v", b.Seq, err)
	}
	// Since, the live path, still starts at the checkpoint (a shared log
	// keeps a few ops before it for replay: 3 in its tests).
	if len(compacted) > 0 && compacted[len(compacted)-1] >= 10 {
		if _, _, err := l.Since(ctx, room, st.Epoch, 1); !errors.Is(err, oplog.ErrTrimmed) {
			t.Fatalf("since 1 after compaction: %v, want oplog.ErrTrimmed", err)
		}
	}
}

func testLogMarksAndListsVersions(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	st := open(t, l, room)
	at := time.Date(2026, 12, 3, 12, 0, 0, 123456789, time.UTC)
	Submit(l, room, st.Epoch, append(Ends(1, 0, 2), Ends(2, 0, 2)...)...) // 1..4
	Submit(l, room, st.Epoch, append(Ends(2, 2, 2), Ends(3, 0, 2)...)...) // 5..8
	Submit(l, room, st.Epoch, Ends(3, 2, 2)...)                           // 9..10
	mark := func(seq uint64, kind oplog.VersionKind, names map[uint32]string) {
		t.Helper()
		if err := l.Mark(ctx, room, st.Epoch, seq, kind, at, names); err != nil {
			t.Fatalf("mark %d: %v", seq, err)
		}
	}
	mark(4, oplog.KindCheckpoint, map[uint32]string{1: "Ann", 2: "Bob"})
	mark(4, oplog.KindClear, map[uint32]string{1: "Ann"}) // a clear at 5
	mark(4, oplog.KindCheckpoint, nil)                    // never replaces the clear
	mark(8, oplog.KindCheckpoint, map[uint32]string{3: "Cy"})
	mark(10, oplog.KindCheckpoint, nil)
	mark(10, oplog.KindCheckpoint, nil) // again: harmless
	head, vs, err := l.Versions(ctx, room, 0, 10)
	if err != nil || head != 10 || len(vs) != 3 {
		t.Fatalf("versions: head %d, %+v, %v", head, vs, err)
	}
	want := []struct {
		seq, ops uint64
		kind     oplog.VersionKind
		authors  []oplog.VersionAuthor
	}{
		{10, 2, oplog.KindCheckpoint, []oplog.VersionAuthor{{Author: 3, Name: "Cy"}}}, // named as in the version before
		{8, 4, oplog.KindCheckpoint, []oplog.VersionAuthor{{Author: 2, Name: "Bob"}, {Author: 3, Name: "Cy"}}},
		{4, 4, oplog.KindClear, []oplog.VersionAuthor{{Author: 1, Name: "Ann"}, {Author: 2, Name: "Bob"}}},
	}
	for i, w := range want {
		v := vs[i]
		if v.Seq != w.seq || v.Ops != w.ops || v.Kind != w.kind || !v.Time.Equal(at.Truncate(time.Millisecond)) || !equalAuthors(v.Authors, w.authors) {
			t.Errorf("version %d: %+v, want %+v", i, v, w)
		}
	}
	// Pages: newest first, before a seq.
	if _, vs, err := l.Versions(ctx, room, 0, 2); err != nil || len(vs) != 2 || vs[0].Seq != 10 || vs[1].Seq != 8 {
		t.Errorf("first page of 2: %+v, %v", vs, err)
	}
	if _, vs, err := l.Versions(ctx, room, 8, 5); err != nil || len(vs) != 1 || vs[0].Seq != 4 {
		t.Errorf("before 8: %+v, %v", vs, err)
	}
	if _, vs, err := l.Versions(ctx, room, 4, 5); err != nil || len(vs) != 0 {
		t.Errorf("before 4: %+v, %v", vs, err)
	}
	// Marked out of order (replicas do): the later version counts from
	// the one marked after it.
	mark(9, oplog.KindClear, nil)
	if _, vs, err := l.Versions(ctx, room, 0, 2); err != nil || len(vs) != 2 || vs[0].Seq != 10 || vs[0].Ops != 1 || vs[1].Seq != 9 || vs[1].Ops != 1 ||
		!equalAuthors(vs[0].Authors, []oplog.VersionAuthor{{Author: 3, Name: "Cy"}}) {
		t.Errorf("after marking 9 late: %+v, %v", vs, err)
	}
	// The board before a moderator's removal: kept over a checkpoint at
	// its seq, as a clear is.
	mark(6, oplog.KindRemoval, nil)
	mark(6, oplog.KindCheckpoint, nil)
	if _, vs, err := l.Versions(ctx, room, 8, 1); err != nil || len(vs) != 1 || vs[0].Seq != 6 || vs[0].Kind != oplog.KindRemoval || vs[0].Ops != 2 {
		t.Errorf("the removal at 6: %+v, %v", vs, err)
	}
	if err := l.Mark(ctx, room, st.Epoch+1, 10, oplog.KindCheckpoint, at, nil); !errors.Is(err, oplog.ErrEpoch) {
		t.Errorf("mark under another epoch: %v, want oplog.ErrEpoch", err)
	}
}

func equalAuthors(a, b []oplog.VersionAuthor) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Asking about the history of a board nobody drew says so and creates
// nothing; a board opened but not drawn on is no board either, in every
// log alike (a shared log keeps the opened board's epoch, a local one
// stores nothing until the first ops).
func testLogHistoryOfNoBoard(t *testing.T, l oplog.Log, room string) {
	ctx := context.Background()
	noBoard := func(when string) {
		t.Helper()
		if _, _, err := l.Versions(ctx, room, 0, 10); !errors.Is(err, oplog.ErrNoBoard) {
			t.Fatalf("versions %s: %v, want oplog.ErrNoBoard", when, err)
		}
		if _, err := l.ReadAt(ctx, room, 0); !errors.Is(err, oplog.ErrNoBoard) {
			t.Fatalf("read at 0 %s: %v, want oplog.ErrNoBoard", when, err)
		}
	}
	noBoard("of a board never seen")
	noBoard("after the reads")
	open(t, l, room)
	noBoard("of a board opened and not drawn on")
}
