package canvas

// Trace ops (protocol version 3): the points of a freehand stroke without
// pressure, in about one byte each (PROTOCOL.md "Trace block").
//
// A point is predicted from the stroke's last two points: it moves again as
// the last one moved. The op carries the residual, what the point differs
// from its prediction by. With the step to the last point d = last −
// secondLast ((0, 0) while the stroke holds one point), a point p is sent as
//
//	r = p − last − d
//
// and the applier appends clamp(last + d + r). Smooth freehand curves have
// residuals of a unit or two (1/4 CSS px), so most points fit in half a
// byte and two share one code byte; a few units take a byte, a sharp turn
// or a jump in speed two.
//
// A Go client that keeps its stroke's absolute points encodes a Trace op
// with AppendTrace(buf, stroke[:sent], stroke[sent:]); TraceResiduals gives
// the residuals as an Op's Points for AppendOp, and TracePoints undoes them
// as Board.Apply does.

// MaxTraceResidual bounds each coordinate of a residual: two consecutive
// steps within MaxPointDelta differ by at most this.
const MaxTraceResidual = 2 * MaxPointDelta

// Trace codes. A code byte c says one or two points:
//
//	0..80     two points, c = 9·s(r1) + s(r2), s(r) = 3·(rx+1) + (ry+1), coordinates in ±1
//	81..249   one point, c − 81 = 13·(rx+6) + (ry+6), coordinates in ±6
//	250..254  one point with the next byte b: v = 256·(c−250) + b = 35·(rx+17) + (ry+17),
//	          coordinates in ±17 (v >= 1225 is malformed)
//	255       one point: rx svarint, ry svarint, each within ±MaxTraceResidual
const (
	tracePairs   = 81
	traceSingles = 250
	traceEscape  = 0xff
	tracePairR   = 1  // a pair's coordinate range
	traceSingleR = 6  // a single's
	traceMediumR = 17 // a two-byte code's
	traceMediumN = (2*traceMediumR + 1) * (2*traceMediumR + 1)
)

// traceState is what predicts a stroke's next point: its last point and the
// step to it. The encoder and every applier advance it the same way.
type traceState struct {
	x, y   int32 // the last point
	dx, dy int32 // last − secondLast; |d| <= 2·CoordLimit
}

// traceStateOf is the state after a stroke's points so far (at least its
// last two; one point: no step yet; none: the origin).
func traceStateOf(tail []Point) traceState {
	var t traceState
	if n := len(tail); n > 0 {
		t.x, t.y = tail[n-1].X, tail[n-1].Y
		if n > 1 {
			t.dx, t.dy = t.x-tail[n-2].X, t.y-tail[n-2].Y
		}
	}
	return t
}

// next appends residual (rx, ry): the predicted point moved by it, each
// coordinate clamped to ±CoordLimit, becomes the last point.
func (t *traceState) next(rx, ry int64) Point {
	x := clamp64(int64(t.x) + int64(t.dx) + rx)
	y := clamp64(int64(t.y) + int64(t.dy) + ry)
	t.dx, t.dy = x-t.x, y-t.y
	t.x, t.y = x, y
	return Point{X: x, Y: y}
}

// residual returns what p differs from the prediction by.
func (t *traceState) residual(p Point) (int64, int64) {
	return int64(p.X) - int64(t.x) - int64(t.dx), int64(p.Y) - int64(t.y) - int64(t.dy)
}

func clamp64(v int64) int32 { return int32(max(-CoordLimit, min(CoordLimit, v))) }

// TraceResiduals appends to dst the residuals that append the absolute
// points pts to a stroke whose points so far end with tail (pass the whole
// stroke or at least its last two points). They are the Points of an Op of
// type OpTrace. Points within ±CoordLimit whose steps stay within
// MaxPointDelta give residuals within MaxTraceResidual, which Apply turns
// back into exactly pts.
func TraceResiduals(dst, tail, pts []Point) []Point {
	t := traceStateOf(tail)
	for _, p := range pts {
		rx, ry := t.residual(p)
		dst = append(dst, Point{X: int32(rx), Y: int32(ry)})
		t.next(rx, ry)
	}
	return dst
}

// TracePoints appends to dst the absolute points that residuals append to a
// stroke whose points so far end with tail, as Board.Apply computes them.
func TracePoints(dst, tail, residuals []Point) []Point {
	t := traceStateOf(tail)
	for _, r := range residuals {
		dst = append(dst, t.next(int64(r.X), int64(r.Y)))
	}
	return dst
}

// AppendTrace appends the Trace op (type byte and codes) that appends the
// absolute points pts to a stroke whose points so far end with tail: the
// same bytes as AppendOp of an OpTrace op with TraceResiduals(nil, tail, pts).
// pts holds 1..MaxPointsPerOp points; more must go in several ops, each one's
// tail ending with the points the one before sent.
func AppendTrace(b []byte, tail, pts []Point) []byte {
	b = append(b, byte(OpTrace))
	t := traceStateOf(tail)
	var w traceWriter
	for _, p := range pts {
		rx, ry := t.residual(p)
		b = w.add(b, rx, ry)
		t.next(rx, ry)
	}
	return w.flush(b)
}

// appendResiduals appends the codes of residuals rs (an OpTrace op's body).
func appendResiduals(b []byte, rs []Point) []byte {
	var w traceWriter
	for _, r := range rs {
		b = w.add(b, int64(r.X), int64(r.Y))
	}
	return w.flush(b)
}

// traceWriter codes residuals greedily, which gives the shortest codes: a
// point is held until the next one says whether the two share a pair code.
type traceWriter struct {
	x, y int64
	held bool
}

// within reports whether both coordinates are within ±r.
func within(x, y, r int64) bool { return x >= -r && x <= r && y >= -r && y <= r }

func small(x, y int64) bool { return within(x, y, tracePairR) }

// smallCode is a pair code's digit for a small residual: 0..8.
func smallCode(x, y int64) byte { return byte(3*(x+tracePairR) + y + tracePairR) }

func (w *traceWriter) add(b []byte, x, y int64) []byte {
	if w.held {
		if small(w.x, w.y) && small(x, y) {
			w.held = false
			return append(b, 9*smallCode(w.x, w.y)+smallCode(x, y))
		}
		b = appendOneResidual(b, w.x, w.y)
	}
	w.x, w.y, w.held = x, y, true
	return b
}

func (w *traceWriter) flush(b []byte) []byte {
	if w.held {
		w.held = false
		b = appendOneResidual(b, w.x, w.y)
	}
	return b
}

func appendOneResidual(b []byte, x, y int64) []byte {
	if within(x, y, traceSingleR) {
		return append(b, byte(tracePairs+(2*traceSingleR+1)*(x+traceSingleR)+y+traceSingleR))
	}
	if within(x, y, traceMediumR) {
		v := (2*traceMediumR+1)*(x+traceMediumR) + y + traceMediumR
		return append(b, byte(traceSingles+v>>8), byte(v))
	}
	b = append(b, traceEscape)
	b = appendSvarint(b, x)
	return appendSvarint(b, y)
}

// decodeResiduals reads trace codes up to the end of r (an OpTrace op's
// body) into dst. dst grows to at most two points per byte of the body.
func decodeResiduals(r *reader, dst []Point) []Point {
	if r.len() == 0 {
		r.fail(errf("empty point list"))
		return dst
	}
	if most := min(2*r.len(), MaxPointsPerOp); cap(dst) < most {
		dst = make([]Point, 0, most)
	}
	for r.len() > 0 && r.err == nil {
		c := r.u8()
		n := 1
		if c < tracePairs {
			n = 2
		}
		if len(dst)+n > MaxPointsPerOp {
			r.fail(errf("point count over limit %d", MaxPointsPerOp))
			break
		}
		switch {
		case c < tracePairs:
			a, b := int32(c/9), int32(c%9)
			dst = append(dst, Point{X: a/3 - tracePairR, Y: a%3 - tracePairR}, Point{X: b/3 - tracePairR, Y: b%3 - tracePairR})
		case c < traceSingles:
			v := int32(c - tracePairs)
			dst = append(dst, Point{X: v/(2*traceSingleR+1) - traceSingleR, Y: v%(2*traceSingleR+1) - traceSingleR})
		case c < traceEscape:
			v := int32(c-traceSingles)<<8 | int32(r.u8())
			if r.err != nil {
				break
			}
			if v >= traceMediumN {
				r.fail(errf("reserved trace code %#x %#x", c, byte(v)))
				break
			}
			dst = append(dst, Point{X: v/(2*traceMediumR+1) - traceMediumR, Y: v%(2*traceMediumR+1) - traceMediumR})
		default: // traceEscape
			x, y := r.svarint(), r.svarint()
			if r.err != nil {
				break
			}
			if x > MaxTraceResidual || x < -MaxTraceResidual || y > MaxTraceResidual || y < -MaxTraceResidual {
				r.fail(errf("trace residual beyond ±%d", MaxTraceResidual))
				break
			}
			dst = append(dst, Point{X: int32(x), Y: int32(y)})
		}
	}
	return dst
}
