package canvas

import "math"

// Rotate: turning what is drawn (PROTOCOL.md "Rotate"). Every stroke has a
// rotation of its own (Stroke.Rot, in 1/100 degree): it is drawn turned by
// that angle about the center of the box of its points, which stay as they
// were drawn. A shape is two corners and a text one point, so a turned
// rectangle could not be written as points at all; freehand strokes get
// the same treatment so that every stroke turns the same way and a turn
// can be undone exactly.
//
// A Rotate turns each named stroke by its angle and carries the stroke's
// center around the pivot by the same angle: the points move by one
// integer translation and Rot grows. About a stroke's own center nothing
// moves, so undoing a turn of one stroke (the Rotate by −angle about its
// center as it is then) restores it exactly, with whatever Moves others
// made in between. The sine and cosine are computed in integers (CORDIC)
// and every intermediate value stays below 2^53, so a browser's doubles
// compute the same points as this package.

// FullTurn is a rotation of 360°: angles are in 1/100 degree.
const FullTurn = 36000

// rotOne is the fixed-point one of rotation's sine and cosine (2^20).
const rotOne = 1 << 20

// cordicAtan[i] is atan(2^-i) in 1/100 degree × 2^16, rounded.
var cordicAtan = [...]int64{294912000, 174096719, 91987925, 46694507, 23437865, 11730358, 5866610, 2933484,
	1466764, 733385, 366693, 183346, 91673, 45837, 22918, 11459, 5730, 2865, 1432, 716, 358, 179, 90, 45}

// cordicGain is the product of 1/√(1 + 2^-2i) over cordicAtan, times 2^30.
const cordicGain = 652032874

// NormAngle returns a in 0..FullTurn−1 (a mod 360°).
func NormAngle(a int64) uint32 {
	a %= FullTurn
	if a < 0 {
		a += FullTurn
	}
	return uint32(a)
}

// RotCosSin returns the cosine and sine of a (1/100 degree) in 1/2^20
// units, exactly as PROTOCOL.md "Rotate" computes them: quarter turns are
// exact; the rest is 24 steps of CORDIC on the angle within ±45°.
func RotCosSin(a int64) (c, s int64) {
	n := int64(NormAngle(a))
	q := (n + 4500) / 9000 // the nearest quarter turn, 0..4
	r := n - 9000*q        // −4500..4499
	c, s = rotOne, 0
	if r != 0 {
		x, y, z := int64(cordicGain), int64(0), r<<16
		for i, t := range cordicAtan {
			if z >= 0 {
				x, y, z = x-(y>>i), y+(x>>i), z-t
			} else {
				x, y, z = x+(y>>i), y-(x>>i), z+t
			}
		}
		c, s = (x+1<<9)>>10, (y+1<<9)>>10
	}
	for ; q%4 != 0; q-- { // a quarter turn: (c, s) → (−s, c)
		c, s = -s, c
	}
	return c, s
}

// MaxRotate bounds a Rotate's angle: ±360°, not 0.
const MaxRotate = FullTurn

func decodeRotate(r *reader, o *Op) {
	o.Strokes = decodeStrokeIDs(r, o.Strokes)
	a := r.svarint()
	if r.err == nil && (a == 0 || a > MaxRotate || a < -MaxRotate) {
		r.fail(errf("angle %d out of range ±1..%d", a, MaxRotate))
		return
	}
	o.Angle = int32(a)
	o.Pivot = r.point()
}

func appendRotate(b []byte, o *Op) []byte {
	b = appendStrokeIDs(b, o.Strokes)
	b = appendSvarint(b, int64(o.Angle))
	b = appendSvarint(b, int64(o.Pivot.X))
	return appendSvarint(b, int64(o.Pivot.Y))
}

// decodeStrokeIDs reads a nonempty list of stroke ids.
func decodeStrokeIDs(r *reader, dst []StrokeID) []StrokeID {
	n := r.count("stroke", MaxStrokesPerOp, minStrokeIDBytes)
	if r.err == nil && n == 0 {
		r.fail(errf("empty stroke list"))
	}
	for i := 0; i < n && r.err == nil; i++ {
		dst = append(dst, StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")})
	}
	return dst
}

// rotate applies a Rotate: see the file comment and PROTOCOL.md.
func (b *Board) rotate(o *Op) {
	c, s := RotCosSin(int64(o.Angle))
	seen := make(map[*Stroke]bool, len(o.Strokes))
	for _, id := range o.Strokes {
		st := b.Stroke(id)
		if st == nil || seen[st] {
			continue
		}
		seen[st] = true
		cx, cy := center(st.Points)
		tx, ty := RotateShift(cx-int64(o.Pivot.X), cy-int64(o.Pivot.Y), c, s)
		for i, p := range st.Points {
			st.Points[i] = Point{X: clampCoord(p.X, int32(tx)), Y: clampCoord(p.Y, int32(ty)), P: p.P}
		}
		st.Rot = NormAngle(int64(st.Rot) + int64(o.Angle))
	}
}

// center returns the center of the box of pts rounded down: the point a
// stroke turns about. Rounded, so that a Rotate about it moves nothing.
func center(pts []Point) (x, y int64) {
	minX, minY, maxX, maxY := int64(CoordLimit), int64(CoordLimit), int64(-CoordLimit), int64(-CoordLimit)
	for _, p := range pts {
		minX, maxX = min(minX, int64(p.X)), max(maxX, int64(p.X))
		minY, maxY = min(minY, int64(p.Y)), max(maxY, int64(p.Y))
	}
	return floorDiv(minX+maxX, 2), floorDiv(minY+maxY, 2)
}

// RotateShift returns how far a stroke moves when its center, at (ux, uy)
// from the pivot, turns about the pivot by the angle whose cosine and sine
// (in 1/2^20) are c and s: the turned offset minus the offset, rounded
// half up: floor((ux·c − uy·s − ux·2^20 + 2^19) / 2^20), and for y
// floor((ux·s + uy·c − uy·2^20 + 2^19) / 2^20).
// |ux|, |uy| <= 2^29, so every term stays below 2^50.
func RotateShift(ux, uy, c, s int64) (tx, ty int64) {
	tx = floorDiv(ux*c-uy*s-ux*rotOne+rotOne/2, rotOne)
	ty = floorDiv(ux*s+uy*c-uy*rotOne+rotOne/2, rotOne)
	return tx, ty
}

// Center returns the point a stroke turns about (its Rot): the center of
// the box of its points, rounded down.
func (s *Stroke) Center() (x, y int64) { return center(s.Points) }

// Turned returns (x, y) turned by the stroke's rotation about its center:
// where a point of the stroke is drawn.
func (s *Stroke) Turned(x, y float64) (float64, float64) {
	if s.Rot == 0 {
		return x, y
	}
	cx, cy := s.Center()
	sin, cos := math.Sincos(float64(s.Rot) * math.Pi / (FullTurn / 2))
	dx, dy := x-float64(cx), y-float64(cy)
	return float64(cx) + dx*cos - dy*sin, float64(cy) + dx*sin + dy*cos
}
