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
func vectorsOfKind(f *testing.F, kinds ...string) [][]byte {
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
		if 2*len(o.Points) > len(data) || cap(o.Points) > len(data) ||
			2*len(o.Strokes) > len(data) || cap(o.Strokes) > len(data) || len(fr.Hello.Name) > MaxNameBytes || len(fr.Name.Name) > MaxNameBytes {
			t.Fatalf("input of %d bytes decoded to %d points (cap %d), %d strokes (cap %d)",
				len(data), len(o.Points), cap(o.Points), len(o.Strokes), cap(o.Strokes))
		}
		re := reencodeClient(&fr)
		checkShortest(t, data, re)
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
		if !IsOp(byte(o.Type)) || 2*len(o.Points) > len(data) || cap(o.Points) > len(data) ||
			2*len(o.Strokes) > len(data) || cap(o.Strokes) > len(data) {
			t.Fatalf("input of %d bytes decoded to type %#x, %d points (cap %d), %d strokes (cap %d)",
				len(data), o.Type, len(o.Points), cap(o.Points), len(o.Strokes), cap(o.Strokes))
		}
		re := AppendOp(nil, &o)
		checkShortest(t, data, re)
		var o2 Op
		if err := DecodeOp(re, &o2); err != nil {
			t.Fatalf("input %x decoded, its re-encoding %x does not: %v", data, re, err)
		}
		if !reflect.DeepEqual(o2, o) {
			t.Fatalf("input %x: decoded\n %+v\nre-encoded and decoded\n %+v", data, o, o2)
		}
		// Every decoded op can be applied: to an empty board and to one
		// where the author has a stroke open.
		b := NewBoard(1)
		b.Apply(1, &o)
		b.Apply(2, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: 1, Y: 1}}})
		b.Apply(2, &o)
		checkInvariants(t, b)
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
	f.Add([]byte("\x82\x0b\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")) // empty board
	f.Fuzz(func(t *testing.T, data []byte) {
		err := DecodeServerFrame(data, func(m *ServerMsg) error {
			if 3*len(m.Ops) > len(data) || 3*len(m.Cursors) > len(data) {
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
		var b Board
		if err := b.UnmarshalBinary(data); err != nil {
			mustProtocolError(t, err, data)
			return
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
		}
		b.Apply(b.MaxAuthor()+1, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Width: MaxWidth, Points: []Point{{X: -5, Y: 5, P: 1}}})
		if s := b.Strokes(); len(s) > 0 {
			b.Apply(s[0].ID.Author, &Op{Type: OpErase, Strokes: []StrokeID{s[0].ID}})
			b.Apply(s[0].ID.Author, &Op{Type: OpBegin, Stroke: s[0].ID.N, Width: 1, Points: []Point{{}}})
			b.Apply(s[0].ID.Author, &Op{Type: OpPointsP, Points: []Point{{P: 1}}})
		}
		checkInvariants(t, &b)
		enc, _ = b.MarshalBinary()
		if err := b2.UnmarshalBinary(enc); err != nil {
			t.Fatalf("input %x: after applying ops the board no longer decodes: %v", data, err)
		}
	})
}
