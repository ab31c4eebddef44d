package server

import (
	"fmt"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// The ops a restore draws a copy with (restoreOps) are valid ops, and the
// copy shows what the board showed, stroke for stroke, whatever the board
// (freehand with and without pressure, pressure given to a stroke begun
// without it, shapes, texts, erasers, erased and moved strokes, strokes
// moved far away, clears).

// shownStrokes is what a board shows: its visible strokes, names aside.
func shownStrokes(b *canvas.Board) []canvas.Stroke {
	var out []canvas.Stroke
	for _, s := range b.Strokes() {
		if s.Visible() {
			c := *s
			c.ID, c.Seq = canvas.StrokeID{}, 0
			out = append(out, c)
		}
	}
	return out
}

// boardOf applies the ops in data, each as author byte, length byte and
// that many bytes of op (the ones that do not decode are skipped).
func boardOf(data []byte) *canvas.Board {
	b := canvas.NewBoard(1)
	var op canvas.Op
	for len(data) >= 2 {
		author, n := uint32(data[0]%4)+1, int(data[1])
		data = data[2:]
		if n > len(data) {
			break
		}
		if canvas.DecodeOp(data[:n], &op) == nil {
			b.Apply(author, &op)
		}
		data = data[n:]
	}
	return b
}

// farApart reports whether a freehand stroke has points further apart than
// one op's delta can say (only Trace residuals get there): restoreOps
// shortens those jumps.
func farApart(b *canvas.Board) bool {
	for _, s := range b.Strokes() {
		for i := 1; i < len(s.Points); i++ {
			if abs32(s.Points[i].X-s.Points[i-1].X) > canvas.MaxPointDelta || abs32(s.Points[i].Y-s.Points[i-1].Y) > canvas.MaxPointDelta {
				return true
			}
		}
	}
	return false
}

func checkRestore(t *testing.T, b *canvas.Board) {
	const author = 7
	copyB := canvas.NewBoard(2)
	var op canvas.Op
	for i, raw := range restoreOps(b, author) {
		if err := canvas.DecodeOp(raw, &op); err != nil {
			t.Fatalf("restore op %d does not decode: %v (%x)", i, err, raw)
		}
		copyB.Apply(author, &op)
	}
	if farApart(b) {
		return
	}
	got, want := shownStrokes(copyB), shownStrokes(b)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the copy shows\n%v\nthe board\n%v", got, want)
	}
}

// rec encodes ops as boardOf reads them.
func rec(author byte, ops ...canvas.Op) []byte {
	var out []byte
	for i := range ops {
		o := canvas.AppendOp(nil, &ops[i])
		out = append(out, author, byte(len(o)))
		out = append(out, o...)
	}
	return out
}

func FuzzRestoreOps(f *testing.F) {
	pts := func(xy ...int32) []canvas.Point {
		var p []canvas.Point
		for i := 0; i+1 < len(xy); i += 2 {
			p = append(p, canvas.Point{X: xy[i], Y: xy[i+1], P: byte(i * 10)})
		}
		return p
	}
	far := int32(canvas.MaxPointDelta)
	seeds := [][]byte{
		nil,
		rec(1, canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0x112233ff, Width: 8, Points: pts(10, 10, 5, 5)},
			canvas.Op{Type: canvas.OpPoints, Points: pts(1, 2, 3, 4)}, canvas.Op{Type: canvas.OpEnd}),
		rec(2, canvas.Op{Type: canvas.OpBegin, Stroke: 1, Flags: canvas.FlagPressure, Color: 0xff0000ff, Width: 3, Points: pts(-100, 40, 2, 2)},
			canvas.Op{Type: canvas.OpPointsP, Points: pts(1, 1, 1, 1, 1, 1)}),
		// Pressure sent to a stroke begun without it, then an eraser and a highlighter.
		append(append(rec(1, canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0xff, Width: 4, Points: pts(0, 0)},
			canvas.Op{Type: canvas.OpPointsP, Points: pts(3, 3, 4, 4)}, canvas.Op{Type: canvas.OpEnd}),
			rec(1, canvas.Op{Type: canvas.OpBegin, Stroke: 2, Tool: canvas.ToolEraser, Width: 20, Points: pts(0, 0, 10, 0)}, canvas.Op{Type: canvas.OpEnd})...),
			rec(3, canvas.Op{Type: canvas.OpBegin, Stroke: 1, Tool: canvas.ToolHighlighter, Color: 0xffff0080, Width: 30, Points: pts(5, 5, 50, 5)}, canvas.Op{Type: canvas.OpEnd})...),
		// Shapes and a text, one erased, one moved far away, then a clear and more.
		append(rec(1, canvas.Op{Type: canvas.OpShape, Stroke: 1, Tool: canvas.ToolRect, Flags: canvas.FlagFilled, Color: 0x00ff00ff, Width: 2, Points: pts(0, 0, 100, 50)},
			canvas.Op{Type: canvas.OpShape, Stroke: 2, Tool: canvas.ToolArrow, Color: 0xff, Width: 2, Points: pts(0, 0, -100, 50)},
			canvas.Op{Type: canvas.OpText, Stroke: 3, Color: 0xff, Width: 24, Points: pts(7, 7), Text: "hi\nthere"},
			canvas.Op{Type: canvas.OpErase, Strokes: []canvas.StrokeID{{Author: 2, N: 2}}},
			canvas.Op{Type: canvas.OpBegin, Stroke: 4, Color: 0xff, Width: 4, Points: pts(1, 1, 2, 2)}, canvas.Op{Type: canvas.OpEnd},
			canvas.Op{Type: canvas.OpMove, Strokes: []canvas.StrokeID{{Author: 2, N: 4}}, DX: 4 * far, DY: -3 * far}),
			rec(2, canvas.Op{Type: canvas.OpClear}, canvas.Op{Type: canvas.OpBegin, Stroke: 9, Color: 0xff, Width: 4, Points: pts(far, far)})...),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// A stroke of more points than one op carries.
	long := rec(1, canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0xff, Width: 4, Points: pts(0, 0)})
	for i := 0; i < 2*canvas.MaxPointsPerOp/40+2; i++ {
		var many []int32
		for range 40 {
			many = append(many, 1, int32(i%3)-1)
		}
		long = append(long, rec(1, canvas.Op{Type: canvas.OpPoints, Points: pts(many...)})...)
	}
	f.Add(long)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRestore(t, boardOf(data))
	})
}

// The seeds above, and one board of more points than an op carries,
// checked by name (the fuzz target's seeds run in go test too).
func TestRestoreOpsDrawTheSameBoard(t *testing.T) {
	b := canvas.NewBoard(1)
	big := canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0xff, Width: 4, Flags: canvas.FlagPressure}
	for i := range canvas.MaxPointsPerOp {
		big.Points = append(big.Points, canvas.Point{X: 1, Y: int32(i % 5), P: byte(i)})
	}
	b.Apply(1, &big)
	more := canvas.Op{Type: canvas.OpPointsP, Points: big.Points[:100]}
	b.Apply(1, &more)
	if len(b.Strokes()[0].Points) <= canvas.MaxPointsPerOp {
		t.Fatal("the test stroke is not longer than one op")
	}
	checkRestore(t, b)
}
