package canvas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Benchmarks of the hot paths: a client's typical frame (a 4-point Points
// op, a 4-point Trace op) in and out, a server's Ops fan-out frame decoded by a client, the
// board's Apply, and snapshots of a large board.
//
//	go test ./canvas -run XXX -bench . -benchmem

var pts4 = &Op{Type: OpPoints, Points: []Point{{X: 8, Y: 3}, {X: 9, Y: 2}, {X: 10, Y: 0}, {X: 9, Y: -2}}}

func BenchmarkEncodePoints4(b *testing.B) {
	buf := make([]byte, 0, 64)
	buf = AppendOp(buf, pts4)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendOp(buf[:0], pts4)
	}
}

func BenchmarkDecodePoints4(b *testing.B) {
	frame := AppendOp(nil, pts4)
	var f ClientFrame
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if err := DecodeClientFrame(frame, &f); err != nil {
			b.Fatal(err)
		}
	}
}

// trace4 is four points of a smooth stroke after its tail, as a Trace op.
var (
	trace4Tail = []Point{{X: 4000, Y: 3000}, {X: 4008, Y: 3003}}
	trace4Pts  = []Point{{X: 4017, Y: 3005}, {X: 4027, Y: 3005}, {X: 4036, Y: 3003}, {X: 4044, Y: 3000}}
	trace4     = &Op{Type: OpTrace, Points: TraceResiduals(nil, trace4Tail, trace4Pts)}
)

func BenchmarkEncodeTrace4(b *testing.B) {
	buf := make([]byte, 0, 64)
	buf = AppendTrace(buf, trace4Tail, trace4Pts)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendTrace(buf[:0], trace4Tail, trace4Pts)
	}
}

func BenchmarkDecodeTrace4(b *testing.B) {
	frame := AppendOp(nil, trace4)
	var f ClientFrame
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if err := DecodeClientFrame(frame, &f); err != nil {
			b.Fatal(err)
		}
	}
}

// opsFrame100 is an Ops message of 100 ops by 5 authors drawing at once:
// each Begins, sends 4-point batches, Ends.
func opsFrame100() []byte {
	var ops []SeqOp
	for i := range 100 {
		a := uint32(1 + i%5)
		var o *Op
		switch {
		case i < 5:
			o = &Op{Type: OpBegin, Stroke: 1, Color: 0x1e1e1eff, Width: 8, Points: []Point{{X: 4000, Y: 3000}}}
		case i >= 95:
			o = &Op{Type: OpEnd}
		default:
			o = pts4
		}
		ops = append(ops, SeqOp{Author: a, Op: AppendOp(nil, o)})
	}
	return AppendOps(nil, 1000, ops)
}

// The frame alone, then the frame and its ops as a client decodes them.
func BenchmarkDecodeServerOps100(b *testing.B) {
	frame := opsFrame100()
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	n := 0
	fn := func(m *ServerMsg) error { n += len(m.Ops); return nil }
	for b.Loop() {
		if err := DecodeServerFrame(frame, fn); err != nil {
			b.Fatal(err)
		}
	}
	if n == 0 {
		b.Fatal("no ops")
	}
}

// The frame's ops through the zero-allocation iterators, as the load
// generator reads them: to compare with BenchmarkDecodeServerOps100.
func BenchmarkFrameIterOps100(b *testing.B) {
	frame := opsFrame100()
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		it := NewFrameIter(frame)
		for it.Next() {
			ops := NewOpsIter(it.Body())
			for ops.Next() {
				n += len(ops.Op())
			}
			if ops.Err() != nil {
				b.Fatal(ops.Err())
			}
		}
		if it.Err() != nil {
			b.Fatal(it.Err())
		}
	}
	if n == 0 {
		b.Fatal("no ops")
	}
}

func BenchmarkDecodeServerOps100AndOps(b *testing.B) {
	frame := opsFrame100()
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	var o Op
	fn := func(m *ServerMsg) error {
		for _, so := range m.Ops {
			if err := DecodeOp(so.Op, &o); err != nil {
				return err
			}
		}
		return nil
	}
	for b.Loop() {
		if err := DecodeServerFrame(frame, fn); err != nil {
			b.Fatal(err)
		}
	}
}

// Apply of a 4-point Points op to an open stroke. The board is cleared and
// the stroke begun again every 10,000 ops, well before the stroke cap.
func BenchmarkBoardApplyPoints(b *testing.B) {
	board := NewBoard(1)
	start := &Op{Type: OpBegin, Stroke: 1, Color: 0xff, Width: 8, Points: []Point{{X: 4000, Y: 3000}}}
	wipe := &Op{Type: OpClear}
	board.Apply(1, start)
	b.SetBytes(int64(len(AppendOp(nil, pts4))))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		board.Apply(1, pts4)
		if i++; i%10000 == 0 {
			board.Apply(1, wipe)
			board.Apply(1, start)
		}
	}
}

// Apply of a 4-point Trace op to an open stroke, as BoardApplyPoints.
func BenchmarkBoardApplyTrace(b *testing.B) {
	board := NewBoard(1)
	start := &Op{Type: OpBegin, Stroke: 1, Color: 0xff, Width: 8, Points: []Point{{X: 4000, Y: 3000}}}
	wipe := &Op{Type: OpClear}
	board.Apply(1, start)
	b.SetBytes(int64(len(AppendOp(nil, trace4))))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		board.Apply(1, trace4)
		if i++; i%10000 == 0 {
			board.Apply(1, wipe)
			board.Apply(1, start)
		}
	}
}

// board100k is a board of 100,000 points: 50 freehand strokes of 2,000
// points by 5 authors, some erased.
func board100k(tb testing.TB) *Board {
	r := rand.New(rand.NewPCG(100, 100))
	board := NewBoard(42)
	for s := range 50 {
		a := uint32(1 + s%5)
		stroke := freehandStroke(r, 2000, 2, 5)
		board.Apply(a, &Op{Type: OpBegin, Stroke: uint32(1 + s/5), Flags: FlagPressure, Color: 0x1e1e1eff, Width: 8,
			Points: []Point{{X: stroke[0].X, Y: stroke[0].Y, P: 128}}})
		for i := 1; i < len(stroke); i += 4 {
			o := Op{Type: OpPointsP}
			for j := i; j < min(i+4, len(stroke)); j++ {
				o.Points = append(o.Points, Point{X: stroke[j].X - stroke[j-1].X, Y: stroke[j].Y - stroke[j-1].Y, P: uint8(100 + j%50)})
			}
			board.Apply(a, &o)
		}
		board.Apply(a, &Op{Type: OpEnd})
		if s%7 == 0 {
			board.Apply(a, &Op{Type: OpErase, Strokes: []StrokeID{{Author: a, N: uint32(1 + s/5)}}})
		}
	}
	if board.Points() != 100000 {
		tb.Fatalf("board holds %d points", board.Points())
	}
	return board
}

func BenchmarkBoardMarshal100k(b *testing.B) {
	board := board100k(b)
	enc, _ := board.MarshalBinary()
	buf := make([]byte, 0, len(enc))
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = board.AppendBinary(buf[:0])
	}
	b.ReportMetric(float64(len(enc))/float64(board.Points()), "snapshot-B/point")
}

func BenchmarkBoardUnmarshal100k(b *testing.B) {
	enc, _ := board100k(b).MarshalBinary()
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		var board Board
		if err := board.UnmarshalBinary(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBoardClone100k(b *testing.B) {
	board := board100k(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = board.Clone()
	}
}

// freehandStroke samples a smooth curve (a wandering loop of the kind a
// hand draws) every minStep..maxStep CSS pixels along its length and returns
// n absolute points in board units (1/4 px).
func freehandStroke(r *rand.Rand, n int, minStep, maxStep float64) []Point {
	// A sum of a few slow sines, with a random phase per stroke.
	ph := [4]float64{r.Float64() * 6, r.Float64() * 6, r.Float64() * 6, r.Float64() * 6}
	at := func(t float64) (float64, float64) {
		return 600 + 300*math.Cos(t+ph[0]) + 80*math.Cos(2.7*t+ph[1]) + 0.5*t*10,
			400 + 200*math.Sin(1.3*t+ph[2]) + 60*math.Sin(3.1*t+ph[3])
	}
	pts := make([]Point, 0, n)
	t := 0.0
	x, y := at(t)
	pts = append(pts, Point{X: int32(math.Round(x * 4)), Y: int32(math.Round(y * 4))})
	for len(pts) < n {
		step := minStep + r.Float64()*(maxStep-minStep)
		// Walk the curve in small increments until step pixels away.
		for {
			t += 0.0005
			nx, ny := at(t)
			if math.Hypot(nx-x, ny-y) >= step {
				x, y = nx, ny
				break
			}
		}
		pts = append(pts, Point{X: int32(math.Round(x * 4)), Y: int32(math.Round(y * 4))})
	}
	return pts
}

// Ways to send a freehand stroke's points after its first.
type wireKind int

const (
	wirePoints  wireKind = iota // Points: deltas
	wirePointsP                 // PointsP: deltas and pressure
	wireTrace                   // Trace: residuals (version 3)
)

func (k wireKind) String() string { return [...]string{"Points ", "PointsP", "Trace  "}[k] }

// strokeWireCost returns the bytes a stroke costs on the wire when its
// points after the first are sent as ops of kind k of batch points each:
// the bytes of those ops, and of the whole stroke with its Begin (carrying
// the first point) and End.
func strokeWireCost(pts []Point, batch int, k wireKind) (pointBytes, total int) {
	var flags uint8
	if k == wirePointsP {
		flags = FlagPressure
	}
	buf := make([]byte, 0, 64)
	begin := AppendOp(buf, &Op{Type: OpBegin, Stroke: 12, Flags: flags, Color: 0x1e1e1eff, Width: 8, Points: []Point{{X: pts[0].X, Y: pts[0].Y, P: 128}}})
	total = len(begin)
	deltas := make([]Point, 0, batch)
	for i := 1; i < len(pts); i += batch {
		j := min(i+batch, len(pts))
		if k == wireTrace {
			pointBytes += len(AppendTrace(buf[:0], pts[:i], pts[i:j]))
			continue
		}
		deltas = deltas[:0]
		for ; i < j; i++ {
			deltas = append(deltas, Point{X: pts[i].X - pts[i-1].X, Y: pts[i].Y - pts[i-1].Y, P: 128})
		}
		i -= len(deltas)
		typ := OpPoints
		if k == wirePointsP {
			typ = OpPointsP
		}
		pointBytes += len(AppendOp(buf[:0], &Op{Type: typ, Points: deltas}))
	}
	total += pointBytes + len(AppendOp(buf[:0], &Op{Type: OpEnd}))
	return pointBytes, total
}

// The wire cost of freehand drawing: what PROTOCOL.md promises ("a freehand
// sample that moved a few pixels costs 2 bytes" as Points, about one as
// Trace) seen from a browser that sends one op per animation frame.
func TestWireCostOfAFreehandStroke(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const strokes, perStroke = 40, 300
	var all [][]Point
	var maxDelta int32
	for range strokes {
		pts := freehandStroke(r, perStroke, 2, 5)
		for i := 1; i < len(pts); i++ {
			maxDelta = max(maxDelta, abs32(pts[i].X-pts[i-1].X), abs32(pts[i].Y-pts[i-1].Y))
		}
		all = append(all, pts)
	}
	t.Logf("%d strokes of %d samples at 2-5 px per sample; largest delta %d units (%.2f px)", strokes, perStroke, maxDelta, float64(maxDelta)/4)
	perPoint := map[wireKind]map[int]float64{}
	for _, k := range []wireKind{wirePoints, wirePointsP, wireTrace} {
		perPoint[k] = map[int]float64{}
		for _, batch := range []int{1, 2, 4, 8} {
			var pb, tot, n int
			for _, pts := range all {
				p, s := strokeWireCost(pts, batch, k)
				pb, tot, n = pb+p, tot+s, n+len(pts)
			}
			avg := float64(pb) / float64(n-strokes) // points after each stroke's first
			whole := float64(tot) / float64(n)
			perPoint[k][batch] = avg
			t.Logf("%s ops of %d points: %.3f bytes/point in the ops, %.3f bytes/point for whole strokes (Begin+ops+End)", k, batch, avg, whole)
		}
	}
	// Each client frame is one WebSocket message: a client-to-server frame
	// under 126 bytes adds a 2-byte header and a 4-byte mask (RFC 6455 5.2).
	const wsClientHeader = 6
	for _, k := range []wireKind{wirePoints, wireTrace} {
		for _, batch := range []int{2, 4, 8} {
			t.Logf("with WebSocket framing, %s ops of %d points: %.3f bytes/point", k, batch, perPoint[k][batch]+wsClientHeader/float64(batch))
		}
	}
	if got := perPoint[wirePoints][4]; got > 3.5 {
		t.Errorf("4-point Points ops cost %.3f bytes/point, want <= 3.5", got)
	}
	if got := perPoint[wirePoints][2]; got > 3.5 {
		t.Errorf("2-point Points ops cost %.3f bytes/point, want <= 3.5", got)
	}
	// Issue 6: <= 3 bytes/point up with framing at 4 points per frame
	// (on the load generator's smoother traces it is ~2.7 with Begin and
	// End; these strokes change speed at random from sample to sample).
	if got := perPoint[wireTrace][4] + wsClientHeader/4.0; got > 3 {
		t.Errorf("4-point Trace ops cost %.3f bytes/point with framing, want <= 3", got)
	}
	// Faster strokes (10-20 px per sample) cost more, still far below the
	// 8 bytes of two float32s.
	for _, k := range []wireKind{wirePoints, wireTrace} {
		r2 := rand.New(rand.NewPCG(8, 8))
		var pb, n int
		for range strokes {
			pts := freehandStroke(r2, perStroke, 10, 20)
			p, _ := strokeWireCost(pts, 4, k)
			pb, n = pb+p, n+len(pts)-1
		}
		t.Logf("fast strokes, 10-20 px per sample, %s ops of 4 points: %.3f bytes/point", k, float64(pb)/float64(n))
	}
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}

// A Snapshot message of a board at the server's default point limit
// (2,000,000 points in 2,000 strokes), encoded into a fresh buffer sized
// ahead, as a room encodes one for its joiners.
func BenchmarkAppendSnapshot2M(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	board := NewBoard(42)
	for s := range 2000 {
		stroke := freehandStroke(r, 1000, 2, 5)
		board.Apply(1, &Op{Type: OpBegin, Stroke: uint32(1 + s), Color: 0x1e1e1eff, Width: 8, Points: []Point{stroke[0]}})
		o := Op{Type: OpPoints}
		for j := 1; j < len(stroke); j++ {
			o.Points = append(o.Points, Point{X: stroke[j].X - stroke[j-1].X, Y: stroke[j].Y - stroke[j-1].Y})
		}
		board.Apply(1, &o)
		board.Apply(1, &Op{Type: OpEnd})
	}
	if board.Points() != 2_000_000 {
		b.Fatalf("board holds %d points", board.Points())
	}
	size := len(AppendSnapshot(nil, board))
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		_ = AppendSnapshot(make([]byte, 0, size+256), board)
	}
}
