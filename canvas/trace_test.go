package canvas

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Trace ops (trace.go): the bytes worked out by hand from PROTOCOL.md
// "Trace block", the errors, the rules of applying them, random round
// trips from residuals and from absolute points, allocations. The fuzz
// target is FuzzTrace in fuzz_test.go.

func traceOp(rs ...Point) *Op { return &Op{Type: OpTrace, Points: rs} }

func TestTraceBytes(t *testing.T) {
	tests := []struct {
		name string
		rs   []Point
		hex  string
	}{
		{"two points on their prediction share a byte", xy(0, 0, 0, 0), "1a 28"},
		{"a pair: 9·(3·(1+1)+(-1+1)) + 3·(-1+1)+(1+1)", xy(1, -1, -1, 1), "1a 38"},
		{"the first and last pair codes", xy(-1, -1, -1, -1, 1, 1, 1, 1), "1a 00 50"},
		{"one point alone", xy(0, 0), "1a a5"},
		{"a single: 81 + 13·(2+6) + (-3+6)", xy(2, -3), "1a bc"},
		{"the first and last single codes", xy(-6, -6, 6, 6), "1a 51 f9"},
		{"two bytes: 7 is beyond the singles; 35·(7+17) + 17 = 3·256 + 0x59", xy(7, 0), "1a fd 59"},
		{"the first and last two-byte codes", xy(-17, -17, 17, 17), "1a fa00 fec8"},
		{"escape: 18 is beyond the two-byte codes", xy(18, 0), "1a ff 24 00"},
		{"escape at the residual limits", xy(MaxTraceResidual, -MaxTraceResidual), "1a ff 80808020 ffffff1f"},
		// (0,0) cannot pair with (3,0); (3,0) is a single; (0,1) and (1,0)
		// pair; the last (0,0) is alone.
		{"greedy pairing", xy(0, 0, 3, 0, 0, 1, 1, 0, 0, 0), "1a a5 cc 34 a5"},
		{"a small point after an escape pairs with the next", xy(-20, 9, 1, 0, 0, -1), "1a ff 27 12 42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, tt.hex)
			wantClientFrameBytes(t, ClientFrame{Type: byte(OpTrace), Op: *traceOp(tt.rs...)}, want)
			// The same residuals from absolute points: a stroke at (100, 50)
			// that last moved by (4, -2).
			tail := xy(96, 52, 100, 50)
			pts := TracePoints(nil, tail, tt.rs)
			if got := AppendTrace(nil, tail, pts); !bytes.Equal(got, want) {
				t.Fatalf("AppendTrace of %v after %v: %x", pts, tail, got)
			}
			if got := TraceResiduals(nil, tail, pts); !reflect.DeepEqual(got, tt.rs) {
				t.Fatalf("TraceResiduals: %v", got)
			}
		})
	}
}

// Codes that mean the same points: a single or an escape where a shorter
// code would do. They decode; the encoder writes the shortest.
func TestTraceLongerCodesDecode(t *testing.T) {
	for _, tt := range []struct{ hex, shortest string }{
		{"1a a5 a5", "1a 28"},                            // two singles for a pair
		{"1a ff 00 00", "1a a5"},                         // an escape for a single
		{"1a ff 8000 00", "1a a5"},                       // an escape with a long varint
		{"1a a5 28", "1a 28 a5"},                         // a single then a pair: as long, other bytes
		{"1a ff 02 02 ff 00 00", "1a 4c"},                // (1, 1), (0, 0) by escapes
		{"1a ff 0c 0c ff 0c 0c", "1a f9 f9"},             // (6, 6) twice
		{"1a ff 0e 0e ff 0e 0e", "1a fd60 fd60"},         // (7, 7) twice
		{"1a fb 8c", "1a 51"},                            // (-6, -6) in two bytes
		{"1a ff 24 24 ff 24 24", "1a ff 24 24 ff 24 24"}, // (18, 18) twice: nothing shorter
	} {
		var o Op
		if err := DecodeOp(unhex(t, tt.hex), &o); err != nil {
			t.Fatalf("%s: %v", tt.hex, err)
		}
		if got := AppendOp(nil, &o); !bytes.Equal(got, unhex(t, tt.shortest)) {
			t.Errorf("%s re-encodes as %x, want %s", tt.hex, got, tt.shortest)
		}
	}
}

func TestTraceErrors(t *testing.T) {
	pairs := func(n int) []byte { return append([]byte{byte(OpTrace)}, bytes.Repeat([]byte{0x28}, n)...) }
	tests := []frameCase{
		{name: "no points", hex: "1a", err: "empty point list"},
		{name: "two-byte code cut short", hex: "1a fa", err: "truncated"},
		{name: "two-byte code past the last", hex: "1a 28 fe c9", err: "reserved trace code 0xfe 0xc9"},
		{name: "two-byte code, the last", hex: "1a 28 fe c8"},
		{name: "two-byte code, 0xfeff", hex: "1a fe ff", err: "reserved trace code"},
		{name: "escape without residual", hex: "1a ff", err: "truncated"},
		{name: "escape without ry", hex: "1a ff 00", err: "truncated"},
		{name: "escape, truncated varint", hex: "1a ff 80", err: "truncated"},
		{name: "escape, varint of 11 bytes", hex: "1a ff ffffffffffffffffffff01 00", err: "malformed varint"},
		{name: "escape, rx = MaxTraceResidual", hex: "1a ff 80808020 00"},
		{name: "escape, rx = MaxTraceResidual+1", hex: "1a ff 82808020 00", err: "residual beyond"},
		{name: "escape, ry = -MaxTraceResidual-1", hex: "1a ff 00 81808020", err: "residual beyond"},
		{name: "escape, rx = min int64", hex: "1a ff ffffffffffffffffff01 00", err: "residual beyond"},
		{name: "MaxPointsPerOp points", frame: pairs(MaxPointsPerOp / 2)},
		{name: "MaxPointsPerOp points ending in two singles", frame: append(pairs(MaxPointsPerOp/2-1), 0xa5, 0xa5)},
		{name: "a pair past MaxPointsPerOp", frame: pairs(MaxPointsPerOp/2 + 1), err: "point count over limit 2048"},
		{name: "a single past MaxPointsPerOp", frame: append(pairs(MaxPointsPerOp/2), 0xa5), err: "point count over limit"},
		{name: "a pair straddling MaxPointsPerOp", frame: append(append(pairs(MaxPointsPerOp/2-1), 0xa5), 0x28), err: "point count over limit"},
	}
	runFrameCases(t, tests, func(t *testing.T, frame []byte, wantErr string) {
		var o Op
		err := DecodeOp(frame, &o)
		_, ferr := decodeClient(frame)
		if wantErr == "" {
			if err != nil || ferr != nil {
				t.Fatalf("must decode: %v, %v", err, ferr)
			}
			return
		}
		wantProtocolError(t, err, wantErr)
		wantProtocolError(t, ferr, wantErr)
	})
}

// The rules of PROTOCOL.md "Apply" for Trace.
func TestApplyTrace(t *testing.T) {
	b := NewBoard(1)
	// After a Begin of one point there is no step yet: the first residual
	// is the whole step.
	b.Apply(1, beginOp(1, xy(100, 100)...))
	b.Apply(1, traceOp(xy(8, 4)...))
	wantPoints(t, b, 1, 1, xy(100, 100, 108, 104))
	// Then each point repeats the last step plus its residual.
	b.Apply(1, traceOp(xy(0, 0, 1, -1)...))
	wantPoints(t, b, 1, 1, xy(100, 100, 108, 104, 116, 108, 125, 111))
	// After a Begin of two points the step is between them.
	b.Apply(2, beginOp(1, xy(100, 100, 10, 5)...))
	b.Apply(2, traceOp(xy(0, 0)...))
	wantPoints(t, b, 2, 1, xy(100, 100, 110, 105, 120, 110))
	// Points and Trace mix: the context is the stroke's last two points.
	b.Apply(2, pointsOp(xy(-3, 0)...))
	b.Apply(2, traceOp(xy(0, 1)...))
	wantPoints(t, b, 2, 1, xy(100, 100, 110, 105, 120, 110, 117, 110, 114, 111))
	// A Move translates the context: the next point moves with it.
	b.Apply(3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 2, N: 1}}, DX: 1000, DY: -1000})
	b.Apply(2, traceOp(xy(0, 0)...))
	if got := strokePoints(t, b, 2, 1)[5]; got != (Point{X: 1111, Y: -888}) {
		t.Fatalf("after a move: %v", got)
	}
	// Without an open stroke nothing happens, but the op counts.
	b.Apply(1, endOp)
	b.Apply(1, traceOp(xy(1, 1)...))
	b.Apply(4, traceOp(xy(1, 1)...))
	wantPoints(t, b, 1, 1, xy(100, 100, 108, 104, 116, 108, 125, 111))
	if b.Author(1).Applied != 5 || b.Author(4).Applied != 1 || b.Points() != 10 {
		t.Fatalf("applied %d, %d; %d points", b.Author(1).Applied, b.Author(4).Applied, b.Points())
	}
	// Trace points carry no pressure, even on a stroke begun with it.
	b.Apply(5, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Width: 1, Points: []Point{{X: 0, Y: 0, P: 200}}})
	b.Apply(5, traceOp(xy(2, 2)...))
	wantPoints(t, b, 5, 1, []Point{{0, 0, 200}, {2, 2, 0}})
	checkInvariants(t, b)
}

// Coordinates clamp point by point, and the step to a clamped point is the
// step the stroke holds, not the one predicted.
func TestApplyTraceClamps(t *testing.T) {
	const L = CoordLimit
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(L-10, 0, 0, 7)...)) // (L-10, 0), (L-10, 7)
	b.Apply(1, traceOp(xy(6, 0, 0, 0, 0, 0)...))
	// (L-4, 14): step (6, 7); (L+2 → L, 21): step (4, 7); (L+4 → L, 28): step (0, 7).
	want := xy(L-10, 0, L-10, 7, L-4, 14, L, 21, L, 28)
	wantPoints(t, b, 1, 1, want)
	// The largest residuals, the other way: from +L to -L and beyond.
	b.Apply(1, traceOp(xy(-MaxTraceResidual, -MaxTraceResidual)...))
	for range 20 {
		b.Apply(1, traceOp(xy(-MaxTraceResidual, 0)...))
	}
	pts := strokePoints(t, b, 1, 1)
	if last := pts[len(pts)-1]; last.X != -L {
		t.Fatalf("did not clamp at -L: %v", last)
	}
	b.Apply(1, traceOp(xy(MaxTraceResidual, MaxTraceResidual)...))
	checkInvariants(t, b)
	// TracePoints is what Apply does.
	c := NewBoard(1)
	c.Apply(1, beginOp(1, xy(L-10, 0, 0, 7)...))
	rs := xy(6, 0, 0, 0, 0, 0, -MaxTraceResidual, -MaxTraceResidual)
	c.Apply(1, traceOp(rs...))
	got := strokePoints(t, c, 1, 1)
	if tp := TracePoints(nil, xy(L-10, 0, L-10, 7), rs); !reflect.DeepEqual(tp, got[2:]) {
		t.Fatalf("TracePoints %v, Apply %v", tp, got[2:])
	}
}

func TestApplyTraceStrokePointCap(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0)...))
	step := xy(1, 0, 0, 0)
	b.Apply(1, traceOp(step[:1]...))
	zeros := repeatPoints(Point{}, MaxPointsPerOp)
	for n := 2; n+MaxPointsPerOp <= MaxStrokePoints; n += MaxPointsPerOp {
		b.Apply(1, traceOp(zeros...))
	}
	b.Apply(1, traceOp(zeros...)) // partly fits
	b.Apply(1, traceOp(xy(5, 5)...))
	pts := strokePoints(t, b, 1, 1)
	if len(pts) != MaxStrokePoints || b.Points() != MaxStrokePoints {
		t.Fatalf("stroke holds %d points, board %d", len(pts), b.Points())
	}
	if last := pts[len(pts)-1]; last != (Point{X: MaxStrokePoints - 1}) {
		t.Fatalf("last point %v", last)
	}
	checkInvariants(t, b)
}

// A Trace op runs to the end of its frame (a WebSocket message, or an op
// whose length the Ops message gives), so a prefix that ends between codes
// is a shorter valid op: it says the first points and nothing else. A
// prefix that ends inside an escape is an error.
func TestTraceTruncatedAtEveryByte(t *testing.T) {
	frame := validClientFrames()["trace"]
	var whole Op
	if err := DecodeOp(frame, &whole); err != nil {
		t.Fatal(err)
	}
	for i := range len(frame) {
		var o Op
		err := DecodeOp(frame[:i], &o)
		if err != nil {
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("cut to %d bytes: %v", i, err)
			}
			continue
		}
		if o.Type != OpTrace || len(o.Points) >= len(whole.Points) || !reflect.DeepEqual(o.Points, whole.Points[:len(o.Points)]) {
			t.Fatalf("cut to %d bytes (%x): %v, not a prefix of %v", i, frame[:i], o.Points, whole.Points)
		}
	}
}

// randResidual returns a trace residual: mostly what smooth drawing gives,
// sometimes a sharp turn, sometimes the extremes.
func randResidual(r *rand.Rand) int32 {
	switch r.IntN(12) {
	case 0:
		return int32(r.IntN(2*MaxTraceResidual+1) - MaxTraceResidual)
	case 1:
		return []int32{MaxTraceResidual, -MaxTraceResidual, 6, 7, -6, -7, 17, 18, -17, -18, 63, 64, -64, -65}[r.IntN(14)]
	case 2, 3:
		return int32(r.IntN(41) - 20)
	default:
		return int32(r.IntN(5) - 2)
	}
}

func randResiduals(r *rand.Rand) []Point {
	rs := make([]Point, randPointCount(r))
	for i := range rs {
		rs[i] = Point{X: randResidual(r), Y: randResidual(r)}
	}
	return rs
}

func TestRandomTraceRoundTrip(t *testing.T) {
	r := newRand(t)
	var buf []byte
	var reused Op
	for i := range 5000 {
		o := Op{Type: OpTrace, Points: randResiduals(r)}
		buf = roundTripOp(t, i, &o, buf, &reused)
		if !reflect.DeepEqual(reused.Points, o.Points) {
			t.Fatalf("op %d into a reused Op: points %v, want %v", i, reused.Points, o.Points)
		}
		// The greedy codes are the shortest: the same points coded one
		// by one (no pairs) are never shorter.
		n := 1
		var one []byte
		for _, p := range o.Points {
			n += len(appendOneResidual(one[:0], int64(p.X), int64(p.Y)))
		}
		if n < len(buf) {
			t.Fatalf("op %d: %d bytes, %d without pairs", i, len(buf), n)
		}
	}
}

// A stroke drawn as a browser or the load generator draws it: a Begin with
// its first point, then Trace ops of random sizes from its absolute points,
// each encoded with the stroke so far as its tail. Every replica holds
// exactly the points drawn.
func TestTraceFromAbsolutePoints(t *testing.T) {
	r := newRand(t)
	for i := range 300 {
		var pts []Point
		switch i % 3 {
		case 0:
			pts = freehandStroke(r, 2+r.IntN(600), 2, 5)
		case 1:
			pts = freehandStroke(r, 2+r.IntN(600), 10, 40)
		default: // anything within the limits, with the largest steps
			pts = []Point{{X: randCoord(r), Y: randCoord(r)}}
			for range r.IntN(300) {
				last := pts[len(pts)-1]
				d := func(v int32) int32 {
					if r.IntN(3) == 0 {
						return clamp64(int64(v) + int64([]int32{MaxPointDelta, -MaxPointDelta}[r.IntN(2)]))
					}
					return clamp64(int64(v) + int64(randDelta(r)))
				}
				pts = append(pts, Point{X: d(last.X), Y: d(last.Y)})
			}
		}
		b := NewBoard(1)
		b.Apply(7, &Op{Type: OpBegin, Stroke: 3, Width: 4, Points: pts[:1]})
		var wire Op
		var buf []byte
		for sent := 1; sent < len(pts); {
			k := min(len(pts)-sent, 1+r.IntN(12))
			if r.IntN(20) == 0 {
				k = min(len(pts)-sent, MaxPointsPerOp)
			}
			buf = AppendTrace(buf[:0], pts[:sent], pts[sent:sent+k])
			rs := TraceResiduals(nil, pts[max(0, sent-2):sent], pts[sent:sent+k])
			if op := AppendOp(nil, &Op{Type: OpTrace, Points: rs}); !bytes.Equal(op, buf) {
				t.Fatalf("stroke %d: AppendTrace %x, AppendOp of TraceResiduals %x", i, buf, op)
			}
			if err := DecodeOp(buf, &wire); err != nil {
				t.Fatalf("stroke %d: %x: %v", i, buf, err)
			}
			b.Apply(7, &wire)
			sent += k
		}
		if got := strokePoints(t, b, 7, 3); !reflect.DeepEqual(got, pts) {
			t.Fatalf("stroke %d: board holds\n %v\ndrawn\n %v", i, got, pts)
		}
		checkInvariants(t, b)
	}
}

func TestTraceAllocs(t *testing.T) {
	tail := xy(96, 52, 100, 50)
	pts := TracePoints(nil, tail, xy(0, 1, -1, 0, 3, 2, 20, -20))
	buf := make([]byte, 0, 64)
	wantNoAllocs(t, "AppendTrace into a buffer with room", func() { buf = AppendTrace(buf[:0], tail, pts) })
	frame := AppendTrace(nil, tail, pts)
	wantReusedDecodeNoAllocs(t, "a Trace op", frame)
	rs := TraceResiduals(nil, tail, pts)
	wantNoAllocs(t, "TraceResiduals into a slice with room", func() { rs = TraceResiduals(rs[:0], tail, pts) })
	// Decoding allocates at most two points per byte of the op, and a
	// hostile op of pair codes past the point limit costs no more.
	var fresh Op
	if err := DecodeOp(frame, &fresh); err != nil || cap(fresh.Points) > 2*(len(frame)-1) {
		t.Fatalf("%d-byte op decoded into cap %d (%v)", len(frame), cap(fresh.Points), err)
	}
	hostile := append([]byte{byte(OpTrace)}, bytes.Repeat([]byte{0x28}, 64<<10)...)
	if n := allocBytes(func() { var o Op; _ = DecodeOp(hostile, &o) }); n > 13*MaxPointsPerOp {
		t.Errorf("refusing a 64 KiB trace allocates %.0f bytes", n)
	}
}
