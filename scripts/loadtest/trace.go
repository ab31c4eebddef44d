package main

import (
	"math"
	"math/rand/v2"

	"github.com/sketchpad/sketchpad/canvas"
)

// pen draws smooth freehand traces the way a hand moves a pointer: the
// position advances by a speed of 2-5 CSS px per sample in a direction that
// turns smoothly (a sum of slow sines), and steers back towards the middle
// of its area when it wanders off. Samples are in board units (1/4 CSS px),
// absolute. A stroke lasts 40-240 samples, then the pen lifts and starts a
// new stroke close by, as handwriting and sketching do.
type pen struct {
	rng          *rand.Rand
	x, y         float64 // CSS px
	heading      float64 // radians
	t            float64 // samples since the start
	f1, f2, a1   float64 // turning frequencies and amplitude
	cx, cy, span float64 // the area's centre and half-size, CSS px
}

func newPen(seed uint64) *pen {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	p := &pen{rng: rng, cx: 400 + rng.Float64()*800, cy: 300 + rng.Float64()*600, span: 300}
	p.x, p.y = p.cx, p.cy
	p.heading = rng.Float64() * 2 * math.Pi
	p.f1 = 0.02 + rng.Float64()*0.05
	p.f2 = 0.07 + rng.Float64()*0.08
	p.a1 = 0.05 + rng.Float64()*0.08
	return p
}

// strokeLen returns how many samples the next stroke has.
func (p *pen) strokeLen() int { return 40 + p.rng.IntN(200) }

// next returns the next sample of the trace, in board units.
func (p *pen) next() canvas.Point {
	p.t++
	turn := p.a1*math.Sin(p.t*p.f1) + 0.6*p.a1*math.Sin(p.t*p.f2+1.3)
	// Steer towards the middle when far from it.
	dx, dy := p.cx-p.x, p.cy-p.y
	if d := math.Hypot(dx, dy); d > p.span {
		want := math.Atan2(dy, dx)
		diff := math.Remainder(want-p.heading, 2*math.Pi)
		turn += 0.08 * diff
	}
	p.heading += turn
	speed := 3.5 + 1.5*math.Sin(p.t*0.031) // 2-5 CSS px per sample
	p.x += speed * math.Cos(p.heading)
	p.y += speed * math.Sin(p.heading)
	return canvas.Point{X: int32(math.Round(p.x * 4)), Y: int32(math.Round(p.y * 4))}
}

// lift moves the pen a little without drawing, between strokes.
func (p *pen) lift() {
	p.x += (p.rng.Float64() - 0.5) * 60
	p.y += (p.rng.Float64() - 0.5) * 60
	p.heading += (p.rng.Float64() - 0.5) * 2
}
