package canvas

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The properties that make replicas agree, over random boards:
// determinism, snapshots, clones; and the snapshot decoder's refusals. The
// rules of PROTOCOL.md "Apply", one test each, are in board_test.go.

type authoredOp struct {
	Author uint32
	Op     Op
}

// randBoardOp returns an op by one of a few authors over a few stroke
// numbers, so Begins repeat, Points land on open strokes and erases hit.
func randBoardOp(r *rand.Rand) authoredOp {
	a := uint32(1 + r.IntN(4))
	id := func() StrokeID { return StrokeID{Author: uint32(1 + r.IntN(5)), N: uint32(1 + r.IntN(9))} }
	var o Op
	absolute := func() Point {
		return Point{X: int32(r.IntN(2*CoordLimit+1) - CoordLimit), Y: int32(r.IntN(2000) - 1000)}
	}
	switch k := r.IntN(165); {
	case k >= 150:
		// v4: Restyle, Order and Transform.
		o = randArrangeOp(r, k >= 158, id)
	case k >= 130:
		// v4: sweeps over a few sweep numbers, so unsweeps find them.
		sw := StrokeID{Author: uint32(1 + r.IntN(4)), N: uint32(1 + r.IntN(3))}
		switch k {
		case 130, 131, 132, 133:
			o = Op{Type: OpClear, Stroke: uint32(1 + r.IntN(3))}
		case 134, 135, 136:
			o = Op{Type: OpRemove, Stroke: uint32(1 + r.IntN(3)), Sweep: StrokeID{Author: uint32(1 + r.IntN(5))}, Since: uint64(r.IntN(40))}
		case 137, 138, 139, 140, 141, 142:
			o = Op{Type: OpUnsweep, Sweep: sw}
		default:
			o = randBoardOp(r).Op
			for !AddsToBoard(o.Type) || o.Purge {
				o = randBoardOp(r).Op
			}
			o.Purge = true
		}
	case k >= 115:
		// v3: Trace, mostly small residuals, sometimes the largest (so
		// strokes reach the coordinate limit and clamp).
		o = Op{Type: OpTrace, Points: make([]Point, 1+r.IntN(8))}
		for i := range o.Points {
			o.Points[i] = Point{X: randResidual(r), Y: randResidual(r)}
		}
	case k >= 100:
		// v2: shapes, text and moves, over the same stroke numbers as
		// Begins so that they meet strokes of the other kind.
		o = Op{Stroke: uint32(1 + r.IntN(8)), Color: uint32(r.Uint64()), Width: uint32(1 + r.IntN(MaxWidth))}
		switch k {
		case 100, 101, 102, 103, 104:
			o.Type, o.Tool = OpShape, ToolLine+uint8(r.IntN(4))
			if r.IntN(2) == 0 {
				o.Flags = FlagFilled
			}
			o.Points = []Point{absolute(), absolute()}
		case 105, 106, 107:
			o.Type, o.Tool = OpText, ToolText
			o.Points = []Point{absolute()}
			o.Text = []string{"", "hi", "two\nlines", "✏️ ünïcode"}[r.IntN(4)]
		default:
			o = Op{Type: OpMove, DX: int32(r.IntN(2*MaxMoveDelta+1) - MaxMoveDelta), DY: int32(r.IntN(201) - 100)}
			for range 1 + r.IntN(3) {
				o.Strokes = append(o.Strokes, id())
			}
		}
	case k < 20:
		o = Op{Type: OpBegin, Stroke: uint32(1 + r.IntN(8)), Tool: uint8(r.IntN(3)), Color: uint32(r.Uint64()), Width: uint32(1 + r.IntN(MaxWidth))}
		if r.IntN(2) == 0 {
			o.Flags = FlagPressure
		}
		o.Points = randBoardPoints(r, o.Flags != 0)
	case k < 55:
		o = Op{Type: OpPoints, Points: randBoardPoints(r, false)}
	case k < 65:
		o = Op{Type: OpPointsP, Points: randBoardPoints(r, true)}
	case k < 77:
		o = Op{Type: OpEnd}
	case k < 97:
		o = Op{Type: OpErase}
		if k >= 87 { // 10% erase, 10% restore
			o.Type = OpRestore
		}
		for range 1 + r.IntN(3) {
			o.Strokes = append(o.Strokes, id())
		}
	default:
		o = Op{Type: OpClear}
	}
	return authoredOp{Author: a, Op: o}
}

func randBoardPoints(r *rand.Rand, pressure bool) []Point {
	pts := make([]Point, 1+r.IntN(6))
	// Now and then a run of the largest steps one way, so strokes reach the
	// coordinate limit and clamp.
	run := r.IntN(12) == 0
	if run {
		pts = make([]Point, 1+r.IntN(24))
	}
	sx, sy := int32(1-2*r.IntN(2)), int32(1-2*r.IntN(2))
	for i := range pts {
		pts[i] = Point{X: randDelta(r), Y: randDelta(r)}
		if run {
			pts[i] = Point{X: sx * MaxPointDelta, Y: sy * int32(r.IntN(MaxPointDelta+1))}
		}
		if pressure {
			pts[i].P = uint8(r.UintN(256))
		}
	}
	return pts
}

func randBoardOps(r *rand.Rand, n int) []authoredOp {
	ops := make([]authoredOp, n)
	for i := range ops {
		ops[i] = randBoardOp(r)
	}
	return ops
}

func randBoard(r *rand.Rand, n int) *Board {
	b := NewBoard(randU64(r))
	for _, ao := range randBoardOps(r, n) {
		b.Apply(ao.Author, &ao.Op)
	}
	return b
}

func TestRandomBoardRoundTrip(t *testing.T) {
	r := newRand(t)
	for i := range 300 {
		b := randBoard(r, r.IntN(400))
		checkInvariants(t, b)
		enc := mustMarshal(t, b)
		var back Board
		if err := back.UnmarshalBinary(enc); err != nil {
			t.Fatalf("board %d: %v\n%x", i, err, enc)
		}
		checkInvariants(t, &back)
		if re := mustMarshal(t, &back); !bytes.Equal(re, enc) {
			t.Fatalf("board %d: re-encoded differs", i)
		}
		if back.Points() != b.Points() || back.MaxAuthor() != b.MaxAuthor() || back.Seq != b.Seq || back.Epoch != b.Epoch {
			t.Fatalf("board %d: decoded board differs in its summary", i)
		}
		if !reflect.DeepEqual(back.Strokes(), b.Strokes()) && len(b.Strokes()) > 0 {
			t.Fatalf("board %d: decoded strokes differ", i)
		}
		// AppendBinary appends.
		if got, _ := b.AppendBinary([]byte{1, 2, 3}); !bytes.Equal(got, append([]byte{1, 2, 3}, enc...)) {
			t.Fatalf("board %d: AppendBinary does not append", i)
		}
		// Decoding into a board that already holds something replaces it.
		other := randBoard(r, 30)
		if err := other.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(mustMarshal(t, other), enc) {
			t.Fatalf("board %d: UnmarshalBinary into a used board kept some of it", i)
		}
	}
}

func TestCloneIsEqualAndIndependent(t *testing.T) {
	r := newRand(t)
	for i := range 200 {
		orig := randBoard(r, r.IntN(300))
		enc := mustMarshal(t, orig)
		c := orig.Clone()
		if !bytes.Equal(mustMarshal(t, c), enc) {
			t.Fatalf("board %d: clone encodes differently", i)
		}
		checkInvariants(t, c)
		// Ops on the clone leave the original alone; the clone moves as a
		// board decoded from the same bytes would.
		ops := randBoardOps(r, 1+r.IntN(100))
		var ref Board
		if err := ref.UnmarshalBinary(enc); err != nil {
			t.Fatal(err)
		}
		for _, ao := range ops {
			c.Apply(ao.Author, &ao.Op)
			ref.Apply(ao.Author, &ao.Op)
		}
		if !bytes.Equal(mustMarshal(t, orig), enc) {
			t.Fatalf("board %d: applying ops to the clone changed the original", i)
		}
		cEnc := mustMarshal(t, c)
		if !bytes.Equal(cEnc, mustMarshal(t, &ref)) {
			t.Fatalf("board %d: the clone does not apply ops like the board it copies", i)
		}
		// And the other way round.
		for _, ao := range randBoardOps(r, 50) {
			orig.Apply(ao.Author, &ao.Op)
		}
		if !bytes.Equal(mustMarshal(t, c), cEnc) {
			t.Fatalf("board %d: applying ops to the original changed the clone", i)
		}
		checkInvariants(t, c)
		checkInvariants(t, orig)
	}
	// Points appended to a cloned open stroke never reach the original,
	// even when the original's slice has spare capacity.
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	b.Apply(1, pointsOp(xy(1, 1, 1, 1, 1, 1)...))
	c := b.Clone()
	c.Apply(1, pointsOp(xy(5, 5)...))
	b.Apply(1, pointsOp(xy(-5, -5)...))
	wantPoints(t, c, 1, 1, xy(0, 0, 1, 1, 2, 2, 3, 3, 8, 8))
	wantPoints(t, b, 1, 1, xy(0, 0, 1, 1, 2, 2, 3, 3, -2, -2))
}

// Two replicas fed the same ops hold byte-identical boards, whether the ops
// come as Go values or off the wire into one reused Op (Apply keeps nothing
// of its op).
func TestApplyIsDeterministic(t *testing.T) {
	r := newRand(t)
	for i := range 100 {
		ops := randBoardOps(r, 1+r.IntN(600))
		epoch := randU64(r)
		a, b := NewBoard(epoch), NewBoard(epoch)
		var wire Op
		for _, ao := range ops {
			a.Apply(ao.Author, &ao.Op)
			if err := DecodeOp(AppendOp(nil, &ao.Op), &wire); err != nil {
				t.Fatalf("sequence %d: op %+v does not decode: %v", i, ao.Op, err)
			}
			b.Apply(ao.Author, &wire)
		}
		if !bytes.Equal(mustMarshal(t, a), mustMarshal(t, b)) {
			t.Fatalf("sequence %d: replicas differ", i)
		}
		for range 3 { // map order must not leak into the encoding
			if !bytes.Equal(mustMarshal(t, a), mustMarshal(t, b.Clone())) {
				t.Fatalf("sequence %d: encoding is not stable", i)
			}
		}
	}
}

// The late-joiner property: a board taken from a snapshot at any point and
// fed the ops after it equals the board fed every op. It is checked the way
// a client meets it: a server frame with Welcome, Snapshot and Ops.
func TestLateJoinerGetsTheSameBoard(t *testing.T) {
	r := newRand(t)
	for i := range 60 {
		ops := randBoardOps(r, 1+r.IntN(400))
		epoch := randU64(r)
		full := NewBoard(epoch)
		for _, ao := range ops {
			full.Apply(ao.Author, &ao.Op)
		}
		want := mustMarshal(t, full)
		for _, k := range []int{0, 1, r.IntN(len(ops) + 1), len(ops) / 2, len(ops) - 1, len(ops)} {
			k = max(0, k)
			server := NewBoard(epoch)
			for _, ao := range ops[:k] {
				server.Apply(ao.Author, &ao.Op)
			}
			var replay []SeqOp
			for _, ao := range ops[k:] {
				replay = append(replay, SeqOp{Author: ao.Author, Op: AppendOp(nil, &ao.Op)})
			}
			frame := AppendWelcome(nil, &Welcome{Version: Version, Epoch: epoch, Author: 9, Head: uint64(len(ops))})
			frame = AppendSnapshot(frame, server)
			frame = AppendOps(frame, server.Seq+1, replay)

			var joiner *Board
			var op Op
			err := DecodeServerFrame(frame, func(m *ServerMsg) error {
				switch m.Type {
				case MsgSnapshot:
					joiner = m.Board
				case MsgOps:
					if m.FirstSeq != joiner.Seq+1 {
						t.Fatalf("replay starts at %d after a snapshot at %d", m.FirstSeq, joiner.Seq)
					}
					for _, so := range m.Ops {
						if err := DecodeOp(so.Op, &op); err != nil {
							return err
						}
						joiner.Apply(so.Author, &op)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatalf("sequence %d cut at %d: %v", i, k, err)
			}
			if got := mustMarshal(t, joiner); !bytes.Equal(got, want) {
				t.Fatalf("sequence %d: joiner from a snapshot at %d of %d differs from a board fed every op", i, k, len(ops))
			}
			checkInvariants(t, joiner)
		}
	}
}

// ---- Snapshot decoding ----

type rawStroke struct {
	author, n uint64
	tool      byte
	flags     byte
	width     uint64
	deltas    [][3]int64 // dx, dy, p
}

// rawBoard encodes a board field by field, without the package's encoder,
// so it can say things the encoder never would.
func rawBoard(seq uint64, authors [][3]uint64, strokes []rawStroke) []byte {
	b := appendU64(nil, 7)
	b = appendUvarint(b, seq)
	b = appendUvarint(b, uint64(len(authors)))
	for _, a := range authors {
		b = appendUvarint(b, a[0])
		b = appendUvarint(b, a[1])
		b = appendUvarint(b, a[2])
	}
	b = appendUvarint(b, uint64(len(strokes)))
	for _, s := range strokes {
		b = appendUvarint(b, s.author)
		b = appendUvarint(b, s.n)
		b = append(b, s.tool, s.flags)
		b = appendU32(b, 0x000000ff)
		b = appendUvarint(b, s.width)
		b = appendUvarint(b, uint64(len(s.deltas)))
		for _, d := range s.deltas {
			b = appendSvarint(b, d[0])
			b = appendSvarint(b, d[1])
			b = append(b, byte(d[2]))
		}
	}
	return b
}

func TestUnmarshalBinaryRejects(t *testing.T) {
	one := [][3]int64{{1, 2, 0}}
	stroke := func(a, n uint64) rawStroke { return rawStroke{author: a, n: n, width: 4, deltas: one} }
	many := make([][3]int64, MaxStrokePoints+1)
	tests := []struct {
		name string
		data []byte
		err  string // "" = valid
	}{
		{"valid", rawBoard(3, [][3]uint64{{1, 2, 1}, {2, 1, 0}}, []rawStroke{stroke(1, 1), stroke(2, 1)}), ""},
		{"open stroke that is hidden", rawBoard(1, [][3]uint64{{1, 1, 1}}, []rawStroke{{author: 1, n: 1, flags: 2, width: 1, deltas: one}}), ""},
		{"coordinates at the limit", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{CoordLimit, -CoordLimit, 1}, {-2 * CoordLimit, 2 * CoordLimit, 2}}}}), ""},
		{"stroke at MaxStrokePoints", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: many[:MaxStrokePoints]}}), ""},

		{"authors out of order", rawBoard(2, [][3]uint64{{2, 1, 0}, {1, 1, 0}}, nil), "authors not in ascending order"},
		{"author twice", rawBoard(2, [][3]uint64{{1, 1, 0}, {1, 1, 0}}, nil), "authors not in ascending order"},
		{"author id 2^32", rawBoard(1, [][3]uint64{{1 << 32, 1, 0}}, nil), "author out of range"},
		{"open stroke number 2^32", rawBoard(1, [][3]uint64{{1, 1, 1 << 32}}, nil), "stroke out of range"},
		{"duplicate stroke", rawBoard(2, nil, []rawStroke{stroke(1, 1), stroke(2, 1), stroke(1, 1)}), "duplicate stroke"},
		{"open stroke not on the board", rawBoard(1, [][3]uint64{{1, 1, 2}}, []rawStroke{stroke(1, 1)}), "open stroke 2 of author 1 not on the board"},
		{"open stroke of another author's number", rawBoard(1, [][3]uint64{{2, 1, 1}}, []rawStroke{stroke(1, 1)}), "open stroke 1 of author 2 not on the board"},
		{"width 0", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 0, deltas: one}}), "width 0 out of range"},
		{"width MaxWidth+1", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: MaxWidth + 1, deltas: one}}), "width 4097 out of range"},
		{"zero points", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1}}), "stroke without points"},
		{"MaxStrokePoints+1 points", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: many}}), "point count 50001 over limit 50000"},
		{"stroke number 0", rawBoard(1, nil, []rawStroke{stroke(1, 0)}), "stroke number 0"},
		{"unknown tool", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, tool: 9, width: 1, deltas: one}}), "unknown tool"},
		{"a wrap width on a pen stroke", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, flags: 128, width: 1, deltas: one}}), "wrap width on a tool 0 stroke"},
		{"removed but not swept", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, flags: 32, width: 1, deltas: one}}), "unknown stroke flags"},
		{"shape with one point", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, tool: ToolRect, width: 1, deltas: one}}), "stroke with 1 points"},
		{"x beyond the limit", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{CoordLimit + 1, 0, 0}}}}), "coordinate beyond"},
		{"y beyond the limit", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{0, -CoordLimit - 1, 0}}}}), "coordinate beyond"},
		{"beyond the limit by a sum of deltas", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{CoordLimit, 0, 0}, {0, 0, 0}, {1, 0, 0}}}}), "coordinate beyond"},
		{"beyond the limit by a huge delta", rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{CoordLimit, 0, 0}, {1<<63 - 1, 0, 0}}}}), "coordinate beyond"},
		{"trailing bytes", append(rawBoard(1, nil, []rawStroke{stroke(1, 1)}), 0), "trailing bytes"},
		{"stroke count beyond the data", append(rawBoard(1, nil, nil)[:10], 5, 0, 0), "truncated"},
		{"empty", nil, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBoard(1)
			b.Apply(1, beginOp(1, xy(0, 0)...))
			before := mustMarshal(t, b)
			err := b.UnmarshalBinary(tt.data)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("must decode: %v", err)
				}
				checkInvariants(t, b)
				if got := mustMarshal(t, b); !bytes.Equal(got, tt.data) {
					t.Fatalf("re-encoded %x, want %x", got, tt.data)
				}
				return
			}
			wantProtocolError(t, err, tt.err)
			// A board that fails to decode is left as it was.
			if !bytes.Equal(mustMarshal(t, b), before) {
				t.Fatal("a failed UnmarshalBinary changed the board")
			}
			// The same bytes inside a Snapshot message fail the frame.
			frame := append(appendUvarint([]byte{MsgSnapshot}, uint64(len(tt.data))), tt.data...)
			_, err = decodeServer(frame)
			wantProtocolError(t, err, tt.err)
		})
	}
}

func TestUnmarshalTruncatedAtEveryByte(t *testing.T) {
	r := newRand(t)
	for range 5 {
		enc := mustMarshal(t, randBoard(r, 40))
		for i := range len(enc) {
			var b Board
			wantProtocolError(t, b.UnmarshalBinary(enc[:i]), "")
		}
	}
}
