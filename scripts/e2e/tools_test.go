package e2e

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// Every tool, used on page A with real mouse and key events, is seen the
// same on page B: the same board, byte for byte (boardHex), and the same
// pixels where it was drawn (both pages at the same, fresh view: a board
// point (x, y) is at CSS pixel (x/4, y/4)).
//
// The drawing stays inside x 100..800, y 110..500 of the 1000×557 canvas:
// the toolbar is above, the status pill bottom left, the minimap and zoom
// bottom right.

// waveIn is a mouse path of n+1 points from x0 to x1 around height y.
func waveIn(x0, x1, y, amp float64, n int) [][2]float64 {
	pts := make([][2]float64, n+1)
	for i := range pts {
		f := float64(i) / float64(n)
		pts[i] = [2]float64{x0 + (x1-x0)*f, y + amp*math.Sin(f*2*math.Pi)}
	}
	return pts
}

// shots saves both pages' screenshots when SKETCHPAD_E2E_SHOTS names a
// directory.
func shots(t *testing.T, pages ...*person) {
	dir := os.Getenv("SKETCHPAD_E2E_SHOTS")
	if dir == "" {
		return
	}
	for i, p := range pages {
		p.screenshot(filepath.Join(dir, fmt.Sprintf("%s-%c.png", t.Name(), 'a'+i)))
	}
}

// twoPages opens a board on a fresh server in two browsers.
func twoPages(t *testing.T, room string) (a, b *person, base string) {
	t.Helper()
	base = startServer(t)
	a, b = newPerson(t, "A"), newPerson(t, "B")
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	return a, b, base
}

// drew checks what a did: a's work acknowledged, b caught up, both boards
// identical, both pages showing the same pixels in r (with ink, unless
// wantInk is false: then none). It returns the board and the strokes new
// since before.
func drew(t *testing.T, what string, a, b *person, before *canvas.Board, r region, wantInk bool) (*canvas.Board, []*canvas.Stroke) {
	t.Helper()
	settledAfter(t, int(before.Seq), a, b)
	after := identical(t, what, a, b)
	if ink := samePixels(t, what, r, a, b); wantInk && ink < 100 {
		t.Fatalf("%s: only %d ink pixels in %v on both pages", what, ink, r)
	} else if !wantInk && ink != 0 {
		t.Fatalf("%s: %d ink pixels left in %v on both pages; want none", what, ink, r)
	}
	return after, newStrokes(before, after)
}

// oneNew fails unless exactly one stroke is new and it has tool and is
// shown; it returns it.
func oneNew(t *testing.T, what string, strokes []*canvas.Stroke, tool uint8) *canvas.Stroke {
	t.Helper()
	if len(strokes) != 1 {
		t.Fatalf("%s: %d new strokes on the board, want 1", what, len(strokes))
	}
	s := strokes[0]
	if s.Tool != tool || s.Hidden {
		t.Fatalf("%s: the new stroke has tool %d (hidden %v), want tool %d, shown", what, s.Tool, s.Hidden, tool)
	}
	return s
}

func TestFreehandToolsLookTheSameOnBothPages(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-freehand")
	board := canvas.NewBoard(0)

	// Pen: the default tool.
	pen := waveIn(140, 440, 200, 40, 60)
	r1 := around(pen, 24)
	a.tool("pen")
	a.drag(pen)
	board, added := drew(t, "pen", a, b, board, r1, true)
	s := oneNew(t, "pen", added, canvas.ToolPen)
	if len(s.Points) < 30 {
		t.Fatalf("pen: the stroke has %d points for a drag of %d", len(s.Points), len(pen))
	}
	if p := s.Points[0]; p.X != 140*4 || p.Y != 200*4 {
		t.Errorf("pen: the stroke starts at board (%d, %d), want (560, 800) under CSS pixel (140, 200)", p.X, p.Y)
	}

	// Highlighter across the pen stroke: translucent, under the ink.
	a.tool("highlighter")
	a.drag(line(150, 200, 430, 200, 40))
	board, added = drew(t, "highlighter", a, b, board, r1, true)
	s = oneNew(t, "highlighter", added, canvas.ToolHighlighter)
	if alpha := s.Color & 0xff; alpha == 255 {
		t.Errorf("highlighter: color %08x is opaque", s.Color)
	}

	// Partial eraser down through both: a gap in each.
	a.tool("partial-eraser")
	a.drag(line(290, 130, 290, 270, 30))
	board, added = drew(t, "partial eraser", a, b, board, r1, true)
	oneNew(t, "partial eraser", added, canvas.ToolEraser)
	for _, p := range []*person{a, b} {
		for _, y := range []float64{180, 200, 220} {
			if p.inkAt(290, y) {
				t.Errorf("partial eraser: ink left at (290, %v) under the eraser's path", y)
			}
		}
	}
	if !a.inkAt(200, 200) {
		t.Error("partial eraser: the highlighter is gone away from the eraser's path too")
	}

	// Stroke eraser: a second pen stroke, then the eraser across it takes
	// all of it away.
	pen2 := waveIn(480, 760, 200, 40, 60)
	r2 := around(pen2, 24)
	a.tool("pen")
	a.drag(pen2)
	board, added = drew(t, "second pen stroke", a, b, board, r2, true)
	victim := oneNew(t, "second pen stroke", added, canvas.ToolPen).ID
	a.tool("eraser")
	a.drag(line(620, 120, 620, 280, 30))
	board, added = drew(t, "stroke eraser", a, b, board, r2, false)
	if len(added) != 0 {
		t.Fatalf("stroke eraser: it added %d strokes", len(added))
	}
	if s := board.Stroke(victim); s == nil || !s.Hidden {
		t.Fatal("stroke eraser: the stroke it crossed is not erased")
	}
	if s := board.Strokes()[0]; s.Hidden {
		t.Fatal("stroke eraser: the first pen stroke, far from it, was erased too")
	}

	// The whole canvas, once more.
	samePixels(t, "whole canvas", region{0, 0, 1000, 557}, a, b)
	shots(t, a, b)
}

func TestShapesAndTextLookTheSameOnBothPages(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-shapes")
	board := canvas.NewBoard(0)
	corner := func(s *canvas.Stroke, i int, x, y int32) {
		t.Helper()
		if p := s.Points[i]; p.X != x*4 || p.Y != y*4 {
			t.Errorf("tool %d: point %d at board (%d, %d), want (%d, %d)", s.Tool, i, p.X, p.Y, x*4, y*4)
		}
	}
	shape := func(name string, tool uint8, x0, y0, x1, y1 int32, filled bool) {
		t.Helper()
		a.tool(name)
		path := line(float64(x0), float64(y0), float64(x1), float64(y1), 20)
		a.drag(path)
		var added []*canvas.Stroke
		board, added = drew(t, name, a, b, board, around(path, 30), true)
		s := oneNew(t, name, added, tool)
		if len(s.Points) != 2 {
			t.Fatalf("%s: %d points, want 2", name, len(s.Points))
		}
		corner(s, 0, x0, y0)
		corner(s, 1, x1, y1)
		if s.Filled != filled {
			t.Errorf("%s: filled = %v, want %v", name, s.Filled, filled)
		}
	}
	fill := func(on bool) {
		t.Helper()
		a.click("fill")
		want := "false"
		if on {
			want = "true"
		}
		a.waitFor("fill "+want, `document.querySelector('[data-testid="fill"]').getAttribute('aria-pressed') === '`+want+`'`)
	}

	shape("line", canvas.ToolLine, 140, 150, 300, 260, false)
	shape("arrow", canvas.ToolArrow, 380, 260, 540, 150, false)
	shape("rect", canvas.ToolRect, 620, 150, 770, 260, false)
	a.tool("rect")
	fill(true)
	shape("rect", canvas.ToolRect, 140, 340, 300, 450, true)
	a.tool("ellipse")
	fill(false)
	shape("ellipse", canvas.ToolEllipse, 380, 340, 540, 450, false)

	// Text: click, type, Enter.
	a.tool("text")
	a.clickAt(620, 390)
	a.waitFor("the text field focused", `document.activeElement === document.querySelector('[data-testid="text-editor"]')`)
	a.keys("Hello, B")
	a.keys(kb.Enter)
	a.waitFor("the text field closed", `document.querySelector('[data-testid="text-editor"]').hidden`)
	var added []*canvas.Stroke
	board, added = drew(t, "text", a, b, board, region{600, 340, 800, 440}, true)
	s := oneNew(t, "text", added, canvas.ToolText)
	if s.Text != "Hello, B" {
		t.Errorf("text: %q on the board, want %q", s.Text, "Hello, B")
	}
	if p := s.Points[0]; p.X != 620*4 {
		t.Errorf("text: starts at board x %d, want %d (where it was clicked)", p.X, 620*4)
	}

	if n := len(visible(board)); n != 6 {
		t.Errorf("%d strokes shown, want 6", n)
	}
	samePixels(t, "whole canvas", region{0, 0, 1000, 557}, a, b)
	shots(t, a, b)
}

func TestSelectMoveAndDeleteLookTheSameOnBothPages(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-select")
	board := canvas.NewBoard(0)

	// Two strokes by A.
	s1Path := waveIn(140, 440, 180, 30, 60)
	s2Path := waveIn(480, 760, 180, 30, 60)
	a.tool("pen")
	a.drag(s1Path)
	board, added := drew(t, "first stroke", a, b, board, around(s1Path, 20), true)
	s1 := oneNew(t, "first stroke", added, canvas.ToolPen)
	a.drag(s2Path)
	board, added = drew(t, "second stroke", a, b, board, around(s2Path, 20), true)
	s2 := oneNew(t, "second stroke", added, canvas.ToolPen)

	// Select and move: grab the first stroke and drag it 200 px down.
	a.tool("select")
	grab := s1Path[15]
	a.drag(line(grab[0], grab[1], grab[0], grab[1]+200, 40))
	moved := make([][2]float64, len(s1Path))
	for i, p := range s1Path {
		moved[i] = [2]float64{p[0], p[1] + 200}
	}
	r := around(s1Path, 20).union(around(moved, 20))
	board, added = drew(t, "select and move", a, b, board, r, true)
	if len(added) != 0 {
		t.Fatalf("select and move: %d new strokes", len(added))
	}
	m := board.Stroke(s1.ID)
	if m == nil || m.Hidden || len(m.Points) != len(s1.Points) {
		t.Fatal("select and move: the moved stroke is gone or changed shape")
	}
	for i := range m.Points {
		if dx, dy := m.Points[i].X-s1.Points[i].X, m.Points[i].Y-s1.Points[i].Y; dx != 0 || dy != 800 {
			t.Fatalf("select and move: point %d moved by board (%d, %d), want (0, 800) for a drag of 200 CSS px", i, dx, dy)
		}
	}
	if o := board.Stroke(s2.ID); o == nil || o.Points[0] != s2.Points[0] {
		t.Fatal("select and move: the other stroke moved too")
	}
	for _, p := range []*person{a, b} {
		if p.inkAt(s1Path[30][0], s1Path[30][1]) {
			t.Error("select and move: ink left where the stroke was")
		}
		if !p.inkAt(moved[30][0], moved[30][1]) {
			t.Error("select and move: no ink where the stroke went")
		}
	}

	// Select and delete: click the second stroke, press Delete.
	pick := s2Path[20]
	a.clickAt(pick[0], pick[1])
	a.waitFor("the selection box", `(() => { const e = document.querySelector('[data-testid="selection"]'); return !!e && !e.hidden && e.getBoundingClientRect().width > 0; })()`)
	a.keys(kb.Delete)
	board, added = drew(t, "select and delete", a, b, board, around(s2Path, 20), false)
	if len(added) != 0 {
		t.Fatalf("select and delete: %d new strokes", len(added))
	}
	if s := board.Stroke(s2.ID); s == nil || !s.Hidden {
		t.Fatal("select and delete: the selected stroke is not erased")
	}
	if s := board.Stroke(s1.ID); s == nil || s.Hidden {
		t.Fatal("select and delete: the other stroke was erased too")
	}
	samePixels(t, "whole canvas", region{0, 0, 1000, 557}, a, b)
	shots(t, a, b)
}
