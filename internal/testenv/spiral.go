package testenv

import (
	"math"

	"github.com/sketchpad/sketchpad/canvas"
)

// Spiral returns n absolute points along a smooth curve starting at angle
// phase: a stroke as a person draws it, for tests and load tools.
func Spiral(n int, phase float64) []canvas.Point {
	pts := make([]canvas.Point, n)
	for i := range pts {
		a := phase + float64(i)*0.05
		r := 200 + float64(i)*0.8
		pts[i] = canvas.Point{X: int32(2000 + r*math.Cos(a)), Y: int32(2000 + r*math.Sin(a))}
	}
	return pts
}
