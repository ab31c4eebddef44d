package canvas

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
)

// One native fuzz target per decoder. Each checks that the decoder never
// panics, that every error is a *ProtocolError, that what decodes is bounded
// by the input (a hostile count can not make it allocate more than the frame
// could hold), and that what decodes re-encodes to something that decodes to
// the same value. Re-encoding uses the shortest varints, so it is never
// longer than the input, and when it is as long it is the input.
//
// The seeds (every frame of testdata/vectors.json of the decoder's kind plus
// a few made here) run in plain go test. To fuzz:
//
//	go test ./canvas -run XXX -fuzz FuzzDecodeClientFrame -fuzztime 60s
//
// A crasher is written to testdata/fuzz/FuzzName/ and stays there as a
// regression seed.

// vectorsOfKind returns the decoded hex of every vector of the given kinds.
func vectorsOfKind(f testing.TB, kinds ...string) [][]byte {
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		f.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, v := range vf.Vectors {
		for _, k := range kinds {
			if v.Kind != k {
				continue
			}
			b, err := hex.DecodeString(stripSpaces(v.Hex))
			if err != nil {
				f.Fatalf("%s: %v", v.Name, err)
			}
			out = append(out, b)
			if v.Kind == "apply" {
				for _, o := range v.Ops {
					b, _ := hex.DecodeString(o.Hex)
					out = append(out, b)
				}
				b, _ := hex.DecodeString(v.Board)
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		f.Fatalf("no vectors of kind %v in %s", kinds, vectorsPath)
	}
	return out
}

func mustProtocolError(t *testing.T, err error, input []byte) {
	t.Helper()
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("input %x: error %v (%T) is not a *ProtocolError", input, err, err)
	}
}

// checkShortest checks a re-encoding against the input it was decoded from.
func checkShortest(t *testing.T, input, re []byte) {
	t.Helper()
	if len(re) > len(input) || (len(re) == len(input) && !bytes.Equal(re, input)) {
		t.Fatalf("input\n %x\nre-encoded as\n %x", input, re)
	}
}

// checkShortestOp is checkShortest for an op. A Trace op may be as long as
// its re-encoding and still differ: a single code then a pair and a pair
// then a single say the same three points in as many bytes (the caller
// checks that both decode to the same op).
func checkShortestOp(t *testing.T, input, re []byte) {
	t.Helper()
	if len(input) > 0 && input[0] == byte(OpTrace) && len(re) == len(input) {
		return
	}
	checkShortest(t, input, re)
}

// maxPointsOf is the most points an op of n bytes may decode to: a Trace
// op's code byte can hold two, other ops spend at least two bytes on one.
func maxPointsOf(data []byte) int {
	if len(data) > 0 && data[0] == byte(OpTrace) {
		return 2 * (len(data) - 1)
	}
	return len(data) / 2
}

func FuzzDecodeClientFrame(f *testing.F) {
	for _, b := range vectorsOfKind(f, "client", "bad-client") {
		f.Add(b)
	}
	for _, b := range validClientFrames() {
		f.Add(b)
	}
	f.Add([]byte("\x11\x81\x00\x08\x00"))                             // a long varint
	f.Add([]byte("\x11\x80\x10" + string(make([]byte, 2*2048))))      // MaxPointsPerOp points
	f.Add([]byte("\x12\x02\x00\x00\x00\x81\x80\x80\x10\x00\x00"))     // delta beyond the limit
	f.Add([]byte("\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")) // hello cut short
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := decodeClient(data)
		if err != nil {
			mustProtocolError(t, err, data)
			// A reused frame fails the same way and does not panic.
			var reused ClientFrame
			reused.Op.Points = make([]Point, 3, 10)
			if err2 := DecodeClientFrame(data, &reused); err2 == nil {
				t.Fatalf("input %x: a fresh frame fails (%v), a reused one does not", data, err)
			}
			return
		}
		o := &fr.Op
		if len(o.Points) > maxPointsOf(data) || cap(o.Points) > max(len(data), maxPointsOf(data)) ||
			2*len(o.Strokes) > len(data) || cap(o.Strokes) > len(data) || len(fr.Hello.Name) > MaxNameBytes || len(fr.Name.Name) > MaxNameBytes {
			t.Fatalf("input of %d bytes decoded to %d points (cap %d), %d strokes (cap %d)",
				len(data), len(o.Points), cap(o.Points), len(o.Strokes), cap(o.Strokes))
		}
		re := reencodeClient(&fr)
		checkShortestOp(t, data, re)
		fr2, err := decodeClient(re)
		if err != nil {
			t.Fatalf("input %x decoded, its re-encoding %x does not: %v", data, re, err)
		}
		if !reflect.DeepEqual(fr2, fr) {
			t.Fatalf("input %x: decoded\n %+v\nre-encoded and decoded\n %+v", data, fr, fr2)
		}
		// A frame reused from a bigger message decodes to the same.
		var reused ClientFrame
		reused.Op = Op{Stroke: 9, Points: make([]Point, 40), Strokes: make([]StrokeID, 40)}
		if err := DecodeClientFrame(data, &reused); err != nil {
			t.Fatalf("input %x: reused frame: %v", data, err)
		}
		if got := reencodeClient(&reused); !bytes.Equal(got, re) {
			t.Fatalf("input %x: reused frame re-encodes as %x, fresh as %x", data, got, re)
		}
	})
}

func FuzzDecodeOp(f *testing.F) {
	for _, b := range vectorsOfKind(f, "client", "bad-client", "apply") {
		f.Add(b)
	}
	for _, b := range validClientFrames() {
		f.Add(b)
	}
	f.Add([]byte("\x14\x02\x81\x00\x01\x01\x01"))
	f.Add([]byte("\x10\x01\x00\x01\x00\x00\x00\xff\x80\x20\x01\x00\x00\x05"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o Op
		err := DecodeOp(data, &o)
		if err != nil {
			mustProtocolError(t, err, data)
			return
		}
		if !IsOp(byte(o.Type)) || len(o.Points) > maxPointsOf(data) || cap(o.Points) > max(len(data), maxPointsOf(data)) ||
			2*len(o.Strokes) > len(data) || cap(o.Strokes) > len(data) {
			t.Fatalf("input of %d bytes decoded to type %#x, %d points (cap %d), %d strokes (cap %d)",
				len(data), o.Type, len(o.Points), cap(o.Points), len(o.Strokes), cap(o.Strokes))
		}
		re := AppendOp(nil, &o)
		checkShortestOp(t, data, re)
		var o2 Op
		if err := DecodeOp(re, &o2); err != nil {
			t.Fatalf("input %x decoded, its re-encoding %x does not: %v", data, re, err)
		}
		if !reflect.DeepEqual(o2, o) {
			t.Fatalf("input %x: decoded\n %+v\nre-encoded and decoded\n %+v", data, o, o2)
		}
		// Every decoded op can be applied: to an empty board and to one
		// where the author has a stroke open (of one point, of two at the
		// coordinate limit).
		b := NewBoard(1)
		b.Apply(1, &o)
		b.Apply(2, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: 1, Y: 1}}})
		b.Apply(2, &o)
		b.Apply(3, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: CoordLimit, Y: -CoordLimit}, {X: -MaxPointDelta, Y: 1}}})
		b.Apply(3, &o)
		checkInvariants(t, b)
	})
}

// FuzzFrameIter checks the zero-allocation iterators against
// DecodeServerFrame (sameAsDecodeServerFrame): the same messages and ops
// where it decodes; a refusal where it decodes, never.
func FuzzFrameIter(f *testing.F) {
	for _, b := range vectorsOfKind(f, "server") {
		f.Add(b)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 8 {
		f.Add(appendServer(nil, randServerMsgs(f, r)))
	}
	f.Add([]byte("\x99\x03\xde\xad\xbe\x84\x01\x04"))         // unknown type, then Leave
	f.Add([]byte("\x81\x06\x01\x01\x05\x01\x13\x00"))         // a byte after the last op
	f.Add([]byte("\x81\x08\x01\x02\x05\x00\x05\x02\x13\x13")) // an empty op, then an op
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsDecodeServerFrame(t, data)
	})
}

func FuzzDecodeServerFrame(f *testing.F) {
	for _, b := range vectorsOfKind(f, "server") {
		f.Add(b)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		f.Add(appendServer(nil, randServerMsgs(f, r)))
	}
	f.Add([]byte("\x99\x03\xde\xad\xbe\x84\x01\x04"))                     // unknown type, then Leave
	f.Add([]byte("\x84\x02\x04"))                                         // length beyond the frame
	f.Add([]byte("\x81\x05\x01\x01\x05\x01\x13"))                         // one op
	f.Add([]byte("\x85\x07\x02\x01\x14\x13\x02\x00\x80\x01"))             // cursors, count says more than there is
	f.Add([]byte("\x87\x06\x01\x02\x02\x04\x03\x05"))                     // lasers, points say more than there are
	f.Add([]byte("\x82\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")) // empty board
	f.Fuzz(func(t *testing.T, data []byte) {
		err := DecodeServerFrame(data, func(m *ServerMsg) error {
			if 3*len(m.Ops) > len(data) || 3*len(m.Cursors) > len(data) || 3*len(m.Lasers) > len(data) {
				t.Fatalf("input of %d bytes decoded to %d ops, %d cursors", len(data), len(m.Ops), len(m.Cursors))
			}
			for _, so := range m.Ops {
				var o Op
				_ = DecodeOp(so.Op, &o) // must not panic on what a server frame carries
			}
			if m.Board != nil {
				checkInvariants(t, m.Board)
				if 3*m.Board.Points() > len(data) || 10*len(m.Board.Strokes()) > len(data) {
					t.Fatalf("input of %d bytes decoded to a board of %d strokes, %d points", len(data), len(m.Board.Strokes()), m.Board.Points())
				}
			}
			return nil
		})
		if err != nil {
			mustProtocolError(t, err, data)
			return
		}
		msgs, err := decodeServer(data)
		if err != nil {
			t.Fatalf("input %x decodes once and not twice: %v", data, err)
		}
		re := appendServer(nil, msgs)
		checkShortest(t, data, re)
		msgs2, err := decodeServer(re)
		if err != nil {
			t.Fatalf("input %x decoded, its re-encoding %x does not: %v", data, re, err)
		}
		if !reflect.DeepEqual(msgs2, msgs) {
			t.Fatalf("input %x: decoded\n %+v\nre-encoded and decoded\n %+v", data, msgs, msgs2)
		}
	})
}

func FuzzBoardUnmarshal(f *testing.F) {
	for _, b := range vectorsOfKind(f, "apply") {
		f.Add(b)
	}
	for _, frame := range vectorsOfKind(f, "server") {
		msgs, err := decodeServer(frame)
		if err != nil {
			f.Fatal(err)
		}
		for _, m := range msgs {
			if m.Board != nil {
				f.Add(m.Board)
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 8 {
		b := randBoard(r, 5+r.IntN(60))
		enc, _ := b.MarshalBinary()
		f.Add(enc)
	}
	one := [][3]int64{{1, 2, 0}}
	f.Add(rawBoard(3, [][3]uint64{{1, 2, 1}, {2, 1, 0}}, []rawStroke{{author: 1, n: 1, width: 4, deltas: one}, {author: 2, n: 1, width: 4, deltas: one}}))
	f.Add(rawBoard(1, [][3]uint64{{1, 1, 2}}, []rawStroke{{author: 1, n: 1, width: 4, deltas: one}}))
	f.Add(rawBoard(1, nil, []rawStroke{{author: 1, n: 1, width: 1, deltas: [][3]int64{{CoordLimit, -CoordLimit, 1}, {-1, 1, 2}}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		epoch, seq, applied, headErr := SnapshotHead(data)
		var b Board
		if err := b.UnmarshalBinary(data); err != nil {
			mustProtocolError(t, err, data)
			return
		}
		// What a log reads of a snapshot's head is what the board says.
		if headErr != nil || epoch != b.Epoch || seq != b.Seq {
			t.Fatalf("head: epoch %x seq %d (%v), board: epoch %x seq %d", epoch, seq, headErr, b.Epoch, b.Seq)
		}
		for a := uint32(1); a <= b.MaxAuthor(); a++ {
			if applied[a] != b.Author(a).Applied {
				t.Fatalf("head: author %d applied %d, board %d", a, applied[a], b.Author(a).Applied)
			}
		}
		checkInvariants(t, &b)
		if 3*b.Points() > len(data) || 10*len(b.Strokes()) > len(data) || 3*len(b.authors) > len(data) {
			t.Fatalf("input of %d bytes decoded to %d authors, %d strokes, %d points", len(data), len(b.authors), len(b.Strokes()), b.Points())
		}
		enc, _ := b.MarshalBinary()
		checkShortest(t, data, enc)
		var b2 Board
		if err := b2.UnmarshalBinary(enc); err != nil {
			t.Fatalf("input %x decoded, its re-encoding %x does not: %v", data, enc, err)
		}
		if enc2, _ := b2.MarshalBinary(); !bytes.Equal(enc2, enc) {
			t.Fatalf("input %x: marshal, unmarshal, marshal gives\n %x\nnot\n %x", data, enc2, enc)
		}
		if c, _ := b.Clone().MarshalBinary(); !bytes.Equal(c, enc) {
			t.Fatalf("input %x: clone encodes as %x", data, c)
		}
		// Ops applied to any board a snapshot can hold keep it a board a
		// snapshot can hold: every author draws on, a newcomer draws, the
		// first stroke is erased, its author's stroke is begun again.
		var authors []uint32
		for a := range b.authors {
			authors = append(authors, a)
		}
		for _, a := range authors {
			b.Apply(a, &Op{Type: OpPoints, Points: []Point{{X: MaxPointDelta, Y: -3}, {X: 1, Y: 1}}})
			b.Apply(a, &Op{Type: OpTrace, Points: []Point{{X: -MaxTraceResidual, Y: MaxTraceResidual}, {X: 1, Y: -1}}})
		}
		b.Apply(b.MaxAuthor()+1, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Width: MaxWidth, Points: []Point{{X: -5, Y: 5, P: 1}}})
		if s := b.Strokes(); len(s) > 0 {
			b.Apply(s[0].ID.Author, &Op{Type: OpErase, Strokes: []StrokeID{s[0].ID}})
			b.Apply(s[0].ID.Author, &Op{Type: OpBegin, Stroke: s[0].ID.N, Width: 1, Points: []Point{{}}})
			b.Apply(s[0].ID.Author, &Op{Type: OpPointsP, Points: []Point{{P: 1}}})
			// Sweeps over whatever sweeps the snapshot held: a removal,
			// an undo of the first stroke's sweep, a clear, a purge.
			mod := b.MaxAuthor() + 1
			b.Apply(mod, &Op{Type: OpRemove, Stroke: 1, Sweep: StrokeID{Author: s[0].ID.Author}, Since: b.Seq / 2})
			b.Apply(mod, &Op{Type: OpUnsweep, Sweep: s[0].Swept})
			b.Apply(mod, &Op{Type: OpClear, Stroke: 2})
			checkInvariants(t, &b)
			b.Apply(mod, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: mod, N: 1}})
			b.Apply(mod, &Op{Type: OpShape, Stroke: 3, Tool: ToolRect, Width: 1, Points: []Point{{}, {X: 1, Y: 1}}, Purge: true})
			if b.SweptPoints() != 0 {
				t.Fatalf("input %x: a purge left %d swept points", data, b.SweptPoints())
			}
		}
		checkInvariants(t, &b)
		enc, _ = b.MarshalBinary()
		if err := b2.UnmarshalBinary(enc); err != nil {
			t.Fatalf("input %x: after applying ops the board no longer decodes: %v", data, err)
		}
	})
}

// FuzzTrace checks Trace ops from both ends. The body decodes (or fails
// cleanly), re-encodes no longer, and applies to a stroke whose last two
// points come from the fuzzer exactly as TracePoints says. And absolute
// points walked from the body's bytes (steps within MaxPointDelta, clamped
// to the board) encode with AppendTrace to an op that decodes and, applied,
// gives back exactly those points; TraceResiduals with AppendOp gives the
// same bytes.
func FuzzTrace(f *testing.F) {
	for _, b := range vectorsOfKind(f, "client", "bad-client") {
		if len(b) > 0 && b[0] == byte(OpTrace) {
			f.Add(b[1:], int32(400), int32(300), int32(8), int32(-4))
		}
	}
	f.Add([]byte{0x28, 0x50, 0xa5, 0xff, 0x0e, 0x00}, int32(CoordLimit), int32(-CoordLimit), int32(MaxPointDelta), int32(0))
	f.Add([]byte{0xff, 0x80, 0x80, 0x80, 0x20, 0xff, 0xff, 0xff, 0x1f}, int32(0), int32(0), int32(-MaxPointDelta), int32(MaxPointDelta))
	f.Add([]byte{0x7f, 0x80, 0x01, 0xfe}, int32(-5), int32(5), int32(0), int32(0))
	f.Fuzz(func(t *testing.T, body []byte, x, y, dx, dy int32) {
		// The stroke so far: ..., (x-dx, y-dy), (x, y), within the limits.
		x, y = clamp64(int64(x)), clamp64(int64(y))
		dx, dy = dx%(MaxPointDelta+1), dy%(MaxPointDelta+1)
		tail := []Point{{X: clamp64(int64(x) - int64(dx)), Y: clamp64(int64(y) - int64(dy))}, {X: x, Y: y}}
		board := func() *Board {
			b := NewBoard(1)
			b.Apply(1, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: tail[:1]})
			b.Apply(1, &Op{Type: OpPoints, Points: []Point{{X: tail[1].X - tail[0].X, Y: tail[1].Y - tail[0].Y}}})
			return b
		}

		data := append([]byte{byte(OpTrace)}, body...)
		var o Op
		if err := DecodeOp(data, &o); err != nil {
			mustProtocolError(t, err, data)
		} else {
			if o.Type != OpTrace || len(o.Points) == 0 || len(o.Points) > min(MaxPointsPerOp, 2*len(body)) || cap(o.Points) > 2*len(body) {
				t.Fatalf("body of %d bytes decoded to %d points (cap %d)", len(body), len(o.Points), cap(o.Points))
			}
			re := AppendOp(nil, &o)
			checkShortestOp(t, data, re)
			var o2 Op
			if err := DecodeOp(re, &o2); err != nil || !reflect.DeepEqual(o2, o) {
				t.Fatalf("input %x decoded to %v, its re-encoding %x to %v (%v)", data, o.Points, re, o2.Points, err)
			}
			b := board()
			b.Apply(1, &o)
			checkInvariants(t, b)
			want := TracePoints(append([]Point(nil), tail...), tail, o.Points)
			if got := b.Stroke(StrokeID{Author: 1, N: 1}).Points; !reflect.DeepEqual(got, want) {
				t.Fatalf("input %x after %v: Apply gives %v, TracePoints %v", data, tail, got, want)
			}
		}

		// Absolute points: each body byte pair is a step, scaled by the
		// first byte so steps reach MaxPointDelta.
		scale := int64(1)
		if len(body) > 0 {
			scale = []int64{1, 1, 3, 100, 1 << 10, 1 << 17}[int(body[0])%6]
		}
		pts := []Point{}
		last := tail[1]
		for i := 1; i+1 < len(body) && len(pts) < MaxPointsPerOp; i += 2 {
			last = Point{X: clamp64(int64(last.X) + scale*int64(int8(body[i]))), Y: clamp64(int64(last.Y) + scale*int64(int8(body[i+1])))}
			pts = append(pts, last)
		}
		if len(pts) == 0 {
			return
		}
		enc := AppendTrace(nil, tail, pts)
		if via := AppendOp(nil, &Op{Type: OpTrace, Points: TraceResiduals(nil, tail, pts)}); !bytes.Equal(via, enc) {
			t.Fatalf("AppendTrace %x, AppendOp of TraceResiduals %x", enc, via)
		}
		if err := DecodeOp(enc, &o); err != nil {
			t.Fatalf("points %v after %v encode to %x, which does not decode: %v", pts, tail, enc, err)
		}
		b := board()
		b.Apply(1, &o)
		if got := b.Stroke(StrokeID{Author: 1, N: 1}).Points[2:]; !reflect.DeepEqual(got, pts) {
			t.Fatalf("points %v after %v encode to %x, which applies as %v", pts, tail, enc, got)
		}
	})
}
