package canvas

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// Random round trips of many values and allocation checks of the codec
// (the hand-worked tables are in codec_test.go).

// allocBytes returns the bytes fn allocates per call, on average.
func allocBytes(fn func()) float64 {
	const runs = 50
	fn()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		fn()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / runs
}

// A count is checked against the bytes left before anything is allocated
// (STYLE.md "Decode defensively"): a few bytes that claim the most elements
// a limit allows cost almost nothing to refuse.
func TestHostileCountsAllocateNothing(t *testing.T) {
	claim := func(n uint64) []byte { return append(appendUvarint(nil, n), 0, 0, 0) } // a count and 3 bytes
	most := func(typ byte, n uint64) []byte { return append([]byte{typ}, claim(n)...) }
	server := func(typ byte, body []byte) []byte {
		return append(appendUvarint([]byte{typ}, uint64(len(body))), body...)
	}
	board := func(authors, strokes uint64) []byte {
		b := appendU64(nil, 1)
		b = appendUvarint(b, 1)
		b = appendUvarint(b, authors)
		if authors == 0 {
			b = appendUvarint(b, strokes)
		}
		return append(b, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1)
	}
	onePointBoard := func(np uint64) []byte { // a stroke claiming np points
		b := appendU64(nil, 1)
		b = append(b, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1)
		return append(appendUvarint(b, np), 0, 0, 0)
	}
	var o Op
	var f ClientFrame
	tests := []struct {
		name   string
		decode func() error
	}{
		{"points op claiming MaxPointsPerOp", func() error { return DecodeOp(most(byte(OpPoints), MaxPointsPerOp), &o) }},
		{"points-with-pressure frame claiming MaxPointsPerOp", func() error { return DecodeClientFrame(most(byte(OpPointsP), MaxPointsPerOp), &f) }},
		{"erase claiming MaxStrokesPerOp", func() error { return DecodeOp(most(byte(OpErase), MaxStrokesPerOp), &o) }},
		{"ops claiming MaxOpsPerMessage", func() error {
			return DecodeServerFrame(server(MsgOps, most(1, MaxOpsPerMessage)) /* firstSeq 1 */, func(*ServerMsg) error { return nil })
		}},
		{"op claiming a megabyte", func() error {
			return DecodeServerFrame(server(MsgOps, []byte{1, 1, 1, 0x80, 0x80, 0x40, 0x13}), func(*ServerMsg) error { return nil })
		}},
		{"cursors claiming MaxCursorsPerMessage", func() error {
			return DecodeServerFrame(server(MsgCursors, claim(MaxCursorsPerMessage)), func(*ServerMsg) error { return nil })
		}},
		{"snapshot claiming MaxSnapshotAuthors", func() error { var b Board; return b.UnmarshalBinary(board(MaxSnapshotAuthors, 0)) }},
		{"snapshot claiming MaxSnapshotStrokes", func() error { var b Board; return b.UnmarshalBinary(board(0, MaxSnapshotStrokes)) }},
		{"snapshot stroke claiming MaxStrokePoints", func() error { var b Board; return b.UnmarshalBinary(onePointBoard(MaxStrokePoints)) }},
	}
	for _, tt := range tests {
		wantProtocolError(t, tt.decode(), "truncated")
		if n := allocBytes(func() { _ = tt.decode() }); n > 512 {
			t.Errorf("%s: refusing it allocates %.0f bytes", tt.name, n)
		}
	}
}

// ---- Random values ----

// randPoint returns a delta in the op limits: mostly the few-pixel moves of
// freehand drawing, sometimes long jumps, sometimes the extremes.
func randDelta(r *rand.Rand) int32 {
	switch r.IntN(10) {
	case 0:
		return int32(r.IntN(2*MaxPointDelta+1) - MaxPointDelta)
	case 1:
		return []int32{MaxPointDelta, -MaxPointDelta, 63, 64, -64, -65, 0}[r.IntN(7)]
	case 2, 3:
		return int32(r.IntN(20001) - 10000)
	default:
		return int32(r.IntN(81) - 40)
	}
}

// randPointCount returns how many points an op has: mostly a few, as
// drawing sends them, sometimes up to MaxPointsPerOp.
func randPointCount(r *rand.Rand) int {
	n := 1 + r.IntN(8)
	switch r.IntN(40) {
	case 0:
		n = MaxPointsPerOp
	case 1:
		n = 1 + r.IntN(MaxPointsPerOp)
	}
	return n
}

func randPoints(r *rand.Rand, pressure bool) []Point {
	pts := make([]Point, randPointCount(r))
	for i := range pts {
		pts[i] = Point{X: randDelta(r), Y: randDelta(r)}
		if pressure {
			pts[i].P = uint8(r.UintN(256))
		}
	}
	return pts
}

func randU32(r *rand.Rand) uint32 {
	switch r.IntN(4) {
	case 0:
		return uint32(r.UintN(1 << 32))
	case 1:
		return []uint32{0, 1, 127, 128, 16383, 16384, math.MaxUint32}[r.IntN(7)]
	default:
		return uint32(r.IntN(300))
	}
}

func randU64(r *rand.Rand) uint64 {
	switch r.IntN(3) {
	case 0:
		return r.Uint64()
	case 1:
		return []uint64{0, 1, 1<<63 - 1, 1 << 63, math.MaxUint64}[r.IntN(5)]
	default:
		return uint64(r.IntN(100000))
	}
}

func randStrokes(r *rand.Rand) []StrokeID {
	n := 1 + r.IntN(5)
	if r.IntN(30) == 0 {
		n = MaxStrokesPerOp
	}
	ids := make([]StrokeID, n)
	for i := range ids {
		ids[i] = StrokeID{Author: randU32(r), N: randU32(r)}
	}
	return ids
}

// randOp returns an op the decoder accepts, with nil slices where its type
// has none (as the decoder leaves them in a fresh Op).
func randOp(r *rand.Rand) Op {
	t := OpType(byte(OpBegin) + byte(r.IntN(8)))
	if t == OpBegin+7 {
		t = OpTrace
	}
	switch t {
	case OpBegin:
		o := Op{Type: t, Stroke: max(1, randU32(r)), Tool: ToolPen, Color: uint32(r.Uint64()), Width: uint32(1 + r.IntN(MaxWidth))}
		if r.IntN(2) == 0 {
			o.Flags = FlagPressure
		}
		o.Points = randPoints(r, o.Flags&FlagPressure != 0)
		return o
	case OpPoints, OpPointsP:
		return Op{Type: t, Points: randPoints(r, t == OpPointsP)}
	case OpTrace:
		return Op{Type: t, Points: randResiduals(r)}
	case OpErase, OpRestore:
		return Op{Type: t, Strokes: randStrokes(r)}
	case OpClear:
		if r.IntN(2) == 0 {
			return Op{Type: OpUnsweep, Sweep: StrokeID{Author: randU32(r), N: max(1, randU32(r))}}
		}
		if r.IntN(2) == 0 {
			return Op{Type: OpRemove, Stroke: max(1, randU32(r)), Sweep: StrokeID{Author: randU32(r)}, Since: r.Uint64()}
		}
		return Op{Type: t, Stroke: max(1, randU32(r))}
	default:
		return Op{Type: t}
	}
}

var nameRunes = []rune("abcxyz ADA-_.éü✏️日本😀")

func randName(r *rand.Rand, maxBytes int) string {
	var sb strings.Builder
	n := r.IntN(maxBytes + 1)
	if r.IntN(4) == 0 {
		n = maxBytes
	}
	for {
		c := nameRunes[r.IntN(len(nameRunes))]
		if sb.Len()+len(string(c)) > n {
			break
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

func randCoord(r *rand.Rand) int32 {
	if r.IntN(4) == 0 {
		return []int32{CoordLimit, -CoordLimit, 0, -1}[r.IntN(4)]
	}
	return int32(r.IntN(2*CoordLimit+1) - CoordLimit)
}

func randClientFrame(r *rand.Rand) ClientFrame {
	switch r.IntN(6) {
	case 0:
		return ClientFrame{Type: MsgHello, Hello: Hello{Version: uint8(r.UintN(256)), Epoch: randU64(r), LastSeq: randU64(r),
			Author: randU32(r), Name: randName(r, MaxNameBytes), Color: uint32(r.Uint64())}}
	case 1:
		return ClientFrame{Type: MsgCursor, Cursor: Cursor{X: randCoord(r), Y: randCoord(r)}}
	case 2:
		return ClientFrame{Type: MsgName, Name: Name{Name: randName(r, MaxNameBytes), Color: uint32(r.Uint64())}}
	default:
		o := randOp(r)
		return ClientFrame{Type: byte(o.Type), Op: o}
	}
}

func randServerMsgs(t testing.TB, r *rand.Rand) []srvMsg {
	msgs := make([]srvMsg, 1+r.IntN(5))
	for i := range msgs {
		m := &msgs[i]
		m.Type = MsgWelcome + byte(r.IntN(9))
		switch m.Type {
		case MsgWelcome:
			m.Welcome = Welcome{Version: uint8(r.UintN(256)), Epoch: randU64(r), Author: randU32(r), Applied: randU64(r), Head: randU64(r)}
		case MsgOps:
			m.FirstSeq = randU64(r)
			for range r.IntN(6) {
				o := randOp(r)
				m.Ops = append(m.Ops, SeqOp{Author: randU32(r), Op: AppendOp(nil, &o)})
			}
		case MsgSnapshot:
			m.Board = mustMarshal(t, randBoard(r, r.IntN(40)))
		case MsgPresence:
			m.Presence = Presence{Author: randU32(r), Name: randName(r, MaxNameBytes), Color: uint32(r.Uint64())}
		case MsgLeave:
			m.Leave = randU32(r)
		case MsgCursors:
			for range r.IntN(6) {
				m.Cursors = append(m.Cursors, AuthorCursor{Author: randU32(r), X: randCoord(r), Y: randCoord(r)})
			}
		case MsgNotice:
			m.Notice = Notice{Code: NoticeCode(r.UintN(1 << 16)), Message: randName(r, maxNoticeBytes)}
		case MsgLasers:
			for range r.IntN(4) {
				l := AuthorLaser{Author: randU32(r)}
				for range 1 + r.IntN(MaxLaserPoints) {
					l.Points = append(l.Points, Cursor{X: randCoord(r), Y: randCoord(r)})
				}
				m.Lasers = append(m.Lasers, l)
			}
		case MsgViews:
			for range r.IntN(4) {
				m.Views = append(m.Views, AuthorView{Author: randU32(r), View: View{X: randCoord(r), Y: randCoord(r), W: 1 + uint32(r.IntN(MaxViewSpan)), H: 1 + uint32(r.IntN(MaxViewSpan))}})
			}
		}
	}
	return msgs
}

func TestRandomOpRoundTrip(t *testing.T) {
	r := newRand(t)
	var buf []byte
	var reused Op
	for i := range 5000 {
		o := randOp(r)
		buf = roundTripOp(t, i, &o, buf, &reused)
	}
}

// roundTripOp encodes op number i into buf[:0] and checks that the bytes
// decode to it, re-encode to themselves, and do so too when decoded into
// reused. It returns the encoding.
func roundTripOp(t *testing.T, i int, o *Op, buf []byte, reused *Op) []byte {
	t.Helper()
	buf = AppendOp(buf[:0], o)
	var got Op
	if err := DecodeOp(buf, &got); err != nil {
		t.Fatalf("op %d %+v: encoded %x: %v", i, *o, buf, err)
	}
	if !reflect.DeepEqual(got, *o) {
		t.Fatalf("op %d: decoded\n %+v\nwant\n %+v", i, got, *o)
	}
	if re := AppendOp(nil, &got); !bytes.Equal(re, buf) {
		t.Fatalf("op %d: re-encoded %x, want %x", i, re, buf)
	}
	// A reused Op decodes to the same value.
	if err := DecodeOp(buf, reused); err != nil {
		t.Fatalf("op %d into a reused Op: %v", i, err)
	}
	if re := AppendOp(nil, reused); !bytes.Equal(re, buf) {
		t.Fatalf("op %d into a reused Op: re-encoded %x, want %x", i, re, buf)
	}
	return buf
}

func TestRandomClientFrameRoundTrip(t *testing.T) {
	r := newRand(t)
	var reused ClientFrame
	for i := range 5000 {
		f := randClientFrame(r)
		enc := reencodeClient(&f)
		got, err := decodeClient(enc)
		if err != nil {
			t.Fatalf("frame %d %+v: encoded %x: %v", i, f, enc, err)
		}
		if !reflect.DeepEqual(got, f) {
			t.Fatalf("frame %d: decoded\n %+v\nwant\n %+v", i, got, f)
		}
		if re := reencodeClient(&got); !bytes.Equal(re, enc) {
			t.Fatalf("frame %d: re-encoded %x, want %x", i, re, enc)
		}
		if err := DecodeClientFrame(enc, &reused); err != nil {
			t.Fatal(err)
		}
		if re := reencodeClient(&reused); !bytes.Equal(re, enc) {
			t.Fatalf("frame %d into a reused frame: re-encoded %x, want %x", i, re, enc)
		}
	}
}

func TestRandomServerFrameRoundTrip(t *testing.T) {
	r := newRand(t)
	for i := range 2000 {
		msgs := randServerMsgs(t, r)
		enc := appendServer(nil, msgs)
		got, err := decodeServer(enc)
		if err != nil {
			t.Fatalf("frame %d: encoded %x: %v", i, enc, err)
		}
		if !reflect.DeepEqual(got, msgs) {
			t.Fatalf("frame %d: decoded\n %+v\nwant\n %+v", i, got, msgs)
		}
		if re := appendServer(nil, got); !bytes.Equal(re, enc) {
			t.Fatalf("frame %d: re-encoded %x, want %x", i, re, enc)
		}
		// The ops inside decode to valid ops.
		for _, m := range got {
			for _, so := range m.Ops {
				var o Op
				if err := DecodeOp(so.Op, &o); err != nil {
					t.Fatalf("frame %d: op %x: %v", i, so.Op, err)
				}
			}
		}
	}
}

// ---- Allocations ----

func TestAllocs(t *testing.T) {
	pts := &Op{Type: OpPoints, Points: []Point{{X: 4, Y: 2}, {X: 5, Y: 1}, {X: -63, Y: 64}, {X: 0, Y: 0}}}
	frame := AppendOp(nil, pts)
	erase := AppendOp(nil, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 3}}})

	buf := make([]byte, 0, 64)
	wantNoAllocs(t, "AppendOp into a buffer with room", func() { buf = AppendOp(buf[:0], pts) })
	cur := Cursor{X: 100, Y: -100}
	wantNoAllocs(t, "AppendCursor into a buffer with room", func() { buf = AppendCursor(buf[:0], cur) })

	wantReusedDecodeNoAllocs(t, "a Points op", frame)
	wantReusedDecodeNoAllocs(t, "an Erase op", erase)
}

// wantNoAllocs checks that fn allocates nothing.
func wantNoAllocs(t *testing.T, what string, fn func()) {
	t.Helper()
	if n := testing.AllocsPerRun(1000, fn); n != 0 {
		t.Errorf("%s: %v allocs, want 0", what, n)
	}
}

// wantReusedDecodeNoAllocs checks that decoding the op frame again, with
// DecodeOp into a reused Op and with DecodeClientFrame into a reused
// ClientFrame, allocates nothing.
func wantReusedDecodeNoAllocs(t *testing.T, what string, frame []byte) {
	t.Helper()
	var o Op
	var f ClientFrame
	if err := DecodeOp(frame, &o); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := DecodeClientFrame(frame, &f); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	wantNoAllocs(t, "DecodeOp of "+what+" into a reused Op", func() {
		if err := DecodeOp(frame, &o); err != nil {
			t.Fatal(err)
		}
	})
	wantNoAllocs(t, "DecodeClientFrame of "+what+" into a reused ClientFrame", func() {
		if err := DecodeClientFrame(frame, &f); err != nil {
			t.Fatal(err)
		}
	})
}
