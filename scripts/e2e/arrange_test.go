package e2e

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// seenByAll checks what A just did: acknowledged, B caught up, both boards
// identical, the same pixels on both pages, and the server's /b/{room}.svg
// the picture of that board; it returns the board.
func seenByAll(t *testing.T, what string, a, b *person, before *canvas.Board, base, room string) *canvas.Board {
	t.Helper()
	settledAfter(t, int(before.Seq), a, b)
	board := identical(t, what, a, b)
	samePixels(t, what, region{100, 110, 800, 500}, a, b)
	if got := httpGet(t, base+"/b/"+room+".svg", "image/svg+xml"); !bytes.Equal(got, board.SVG()) {
		t.Fatalf("%s: /b/%s.svg is not the picture of the pages' board", what, room)
	}
	return board
}

// styles returns each stroke's color, width and fill, in z-order.
func styles(b *canvas.Board) [][3]uint32 {
	var out [][3]uint32
	for _, s := range b.Strokes() {
		f := uint32(0)
		if s.Filled {
			f = 1
		}
		out = append(out, [3]uint32{s.Color, s.Width, f})
	}
	return out
}

// order returns the strokes' numbers in z-order.
func order(b *canvas.Board) []uint32 {
	var out []uint32
	for _, s := range b.Strokes() {
		out = append(out, s.ID.N)
	}
	return out
}

// A restyles, reorders and nudges with the select tool: B sees each as A
// does, and so does the server's picture; each is one undo step of A's; a
// restyle leaves the tool, the selection and everything else as it was;
// a late joiner gets the same board.
func TestRestyleReorderAndNudgeSeenByEveryone(t *testing.T) {
	room := "e2e-arrange"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)

	// A pen stroke under a rectangle.
	pen := waveIn(160, 460, 220, 30, 40)
	a.tool("pen")
	a.drag(pen)
	a.tool("rect")
	a.drag(line(300, 160, 560, 320, 20))
	board = seenByAll(t, "drawing", a, b, board, base, room)
	if len(board.Strokes()) != 2 {
		t.Fatalf("%d strokes drawn, want 2", len(board.Strokes()))
	}
	drawn := styles(board)
	points := func(bd *canvas.Board) string {
		var sb strings.Builder
		for _, s := range bd.Strokes() {
			for _, p := range s.Points {
				sb.WriteString(itoa(int(p.X)) + "," + itoa(int(p.Y)) + " ")
			}
		}
		return sb.String()
	}
	where := points(board)

	// Select both and make them red from the style menu.
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("both selected", `window.sketchpad.selected() === 2`)
	a.waitFor("the style menu for the selection", `!document.querySelector('[data-testid="style"]').closest('[role="group"]').hidden`)
	drawnSeq := int(board.Seq)
	a.click("color-red")
	board = seenByAll(t, "restyle", a, b, board, base, room)
	got := styles(board)
	for i, s := range got {
		if want := drawn[i][0]&0xff | 0xe0313100; s[0] != want || s[1] != drawn[i][1] || s[2] != drawn[i][2] {
			t.Errorf("restyle: stroke %d is %08x width %d fill %d, want %08x and the rest as drawn", i, s[0], s[1], s[2], want)
		}
	}
	if points(board) != where {
		t.Error("restyle: points changed")
	}
	var state struct {
		Tool     string
		Selected int
		Seq      int
	}
	a.eval(`({tool: document.querySelector('[data-testid="tool-select"]').getAttribute('aria-pressed') === 'true' ? 'select' : 'other', selected: window.sketchpad.selected(), seq: window.sketchpad.seq()})`, &state)
	if state.Tool != "select" || state.Selected != 2 {
		t.Fatalf("after the restyle: tool %s, %d selected; want the select tool and both still selected", state.Tool, state.Selected)
	}
	if state.Seq != drawnSeq+1 {
		t.Errorf("the restyle took %d ops, want 1", state.Seq-drawnSeq)
	}
	// Wider, with the width buttons: each stroke takes that step of its kind.
	a.click("width-64")
	board = seenByAll(t, "restyle width", a, b, board, base, room)
	for i, s := range board.Strokes() {
		if s.Width != 64 {
			t.Errorf("restyle width: stroke %d is %d wide, want 64", i, s.Width)
		}
	}

	// Undo twice: as drawn; redo: red again.
	a.undo()
	a.undo()
	board = seenByAll(t, "undo restyles", a, b, board, base, room)
	if g := styles(board); g[0] != drawn[0] || g[1] != drawn[1] {
		t.Errorf("undo restyles: %v, want %v", g, drawn)
	}
	a.redo()
	board = seenByAll(t, "redo restyle", a, b, board, base, room)
	if styles(board)[0][0]>>8 != 0xe03131 {
		t.Errorf("redo restyle: %08x, want red", styles(board)[0][0])
	}

	// Half opacity from the slider: each keeps its color, at alpha 128.
	// Fill from its button: the rect fills, the pen stroke has no fill.
	a.eval(`(() => { const o = document.querySelector('[data-testid="opacity"]'); o.value = '50'; o.dispatchEvent(new Event('input', { bubbles: true })); return true })()`, new(bool))
	board = seenByAll(t, "restyle opacity", a, b, board, base, room)
	for i, s := range styles(board) {
		if s[0]>>8 != 0xe03131 || s[0]&0xff != 128 {
			t.Errorf("restyle opacity: stroke %d is %08x, want e0313180", i, s[0])
		}
	}
	a.click("fill")
	board = seenByAll(t, "restyle fill", a, b, board, base, room)
	if g := styles(board); g[0][2] != 0 || g[1][2] != 1 || g[1][0]&0xff != 128 {
		t.Errorf("restyle fill: %v, want the rect filled (at alpha 128) and the pen stroke not", g)
	}
	a.eval(`({tool: document.querySelector('[data-testid="tool-select"]').getAttribute('aria-pressed') === 'true' ? 'select' : 'other', selected: window.sketchpad.selected(), seq: window.sketchpad.seq()})`, &state)
	if state.Tool != "select" || state.Selected != 2 {
		t.Fatalf("after restyling opacity and fill: tool %s, %d selected; want the select tool and both still selected", state.Tool, state.Selected)
	}
	a.undo()
	board = seenByAll(t, "undo fill", a, b, board, base, room)
	if g := styles(board); g[1][2] != 0 {
		t.Errorf("undo fill: %v, want the rect unfilled", g)
	}

	// The pen stroke alone to the front, then undo and redo.
	a.keys(kb.Escape)
	a.waitFor("nothing selected", `window.sketchpad.selected() === 0`)
	a.clickAt(pen[5][0], pen[5][1])
	a.waitFor("the pen stroke selected", `window.sketchpad.selected() === 1`)
	a.keys("]")
	board = seenByAll(t, "to the front", a, b, board, base, room)
	if o := order(board); !slices.Equal(o, []uint32{2, 1}) {
		t.Fatalf("to the front: z-order %v, want [2 1]", o)
	}
	if doc := parseSVG(t, "the server's picture", board.SVG()); len(doc.strokes) != 2 || !strings.HasSuffix(doc.strokes[1], "-1") {
		t.Errorf("to the front: the picture's strokes %v, the pen's last", doc.strokes)
	}
	a.undo()
	board = seenByAll(t, "undo to the front", a, b, board, base, room)
	if o := order(board); !slices.Equal(o, []uint32{1, 2}) {
		t.Fatalf("undo to the front: z-order %v, want [1 2]", o)
	}
	a.redo()
	board = seenByAll(t, "redo to the front", a, b, board, base, room)
	a.keys("[", input.ModifierCtrl) // one step back
	board = seenByAll(t, "one step backward", a, b, board, base, room)
	if o := order(board); !slices.Equal(o, []uint32{1, 2}) {
		t.Fatalf("one step backward: z-order %v, want [1 2]", o)
	}

	// Nudge: Shift+→ is 10 CSS pixels (40 units); undo puts it back.
	before := board.Strokes()[0].Points[0]
	a.keys(kb.ArrowRight, input.ModifierShift)
	board = seenByAll(t, "nudge", a, b, board, base, room)
	if p := board.Stroke(canvas.StrokeID{Author: board.Strokes()[0].ID.Author, N: 1}).Points[0]; p.X != before.X+40 || p.Y != before.Y {
		t.Errorf("nudge: the pen stroke starts at (%d, %d), want (%d, %d)", p.X, p.Y, before.X+40, before.Y)
	}
	a.undo()
	board = seenByAll(t, "undo nudge", a, b, board, base, room)
	if p := board.Strokes()[0].Points[0]; p != before {
		t.Errorf("undo nudge: the pen stroke starts at %v, want %v", p, before)
	}
	a.redo()
	board = seenByAll(t, "redo nudge", a, b, board, base, room)
	if p := board.Strokes()[0].Points[0]; p.X != before.X+40 || p.Y != before.Y {
		t.Errorf("redo nudge: the pen stroke starts at %v, want (%d, %d)", p, before.X+40, before.Y)
	}

	// A late joiner holds the same board.
	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatal("the late joiner's board differs")
	}
}

// A resizes a rectangle by its selection's corner handle: B sees it grow
// while the handle moves and ends with the same board, as does the
// server's picture; undo and redo are one step each.
func TestResizeByHandleSeenByEveryone(t *testing.T) {
	room := "e2e-resize"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)
	a.tool("rect")
	a.drag(line(300, 160, 500, 300, 20))
	board = seenByAll(t, "drawing", a, b, board, base, room)
	drawn := board.Strokes()[0].Points
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("the rect selected", `window.sketchpad.selected() === 1`)
	var h struct{ X, Y float64 }
	h.X, h.Y = a.center("handle-se")
	// Drag the handle 100 CSS px right and 50 down; B sees the rect grow
	// before the drag ends.
	path := line(h.X, h.Y, h.X+100, h.Y+50, 30)
	a.drag(path)
	board = seenByAll(t, "resize", a, b, board, base, room)
	got := board.Strokes()[0].Points
	if w, w0 := got[1].X-got[0].X, drawn[1].X-drawn[0].X; w < w0+360 || w > w0+440 {
		t.Errorf("resize: the rect is %d units wide, drawn %d; want about 400 more", w, w0)
	}
	if hh, h0 := got[1].Y-got[0].Y, drawn[1].Y-drawn[0].Y; hh < h0+160 || hh > h0+240 {
		t.Errorf("resize: the rect is %d units high, drawn %d; want about 200 more", hh, h0)
	}
	// The box's corner stays; the rect's own corner is inside the box (by
	// its line's half width and the hit margin), so it moves a little.
	if d := got[0].X - drawn[0].X; d < -60 || d > 60 {
		t.Errorf("resize: the anchored corner moved by %d units", d)
	}
	if n := board.Seq - 3; n < 2 {
		t.Errorf("resize: %d Transform ops for a drag of 30 frames; want them sent while dragging", n)
	}
	a.undo()
	board = seenByAll(t, "undo resize", a, b, board, base, room)
	for i, p := range board.Strokes()[0].Points {
		// Each Transform rounds the points (a quarter pixel), so a drag's
		// steps, undone at once, leave a pixel at most.
		if dx, dy := p.X-drawn[i].X, p.Y-drawn[i].Y; dx < -4 || dx > 4 || dy < -4 || dy > 4 {
			t.Errorf("undo resize: corner %d at %v, drawn at %v", i, p, drawn[i])
		}
	}
	a.redo()
	board = seenByAll(t, "redo resize", a, b, board, base, room)
	if p := board.Strokes()[0].Points[1]; p.X-got[1].X < -4 || p.X-got[1].X > 4 {
		t.Errorf("redo resize: corner at %v, resized to %v", p, got[1])
	}
	lateJoinerSees(t, "resize", base, room, a, board)
}

// shortcut presses Ctrl+key as a keyboard does, with the editing command
// (copy, paste) the browser runs for it: DevTools' key events run none
// unless told.
func (p *person) shortcut(key, command string) {
	p.t.Helper()
	p.run("Ctrl+"+key, chromedp.ActionFunc(func(ctx context.Context) error {
		code := "Key" + strings.ToUpper(key)
		vk := int64(strings.ToUpper(key)[0])
		down := input.DispatchKeyEvent(input.KeyDown).WithKey(key).WithCode(code).WithWindowsVirtualKeyCode(vk).WithModifiers(input.ModifierCtrl).WithCommands([]string{command})
		if err := down.Do(ctx); err != nil {
			return err
		}
		return input.DispatchKeyEvent(input.KeyUp).WithKey(key).WithCode(code).WithWindowsVirtualKeyCode(vk).WithModifiers(input.ModifierCtrl).Do(ctx)
	}))
}

// A copies from a board on one server and pastes into a board on another:
// the strokes land under the pointer, as A's own, seen by B there and by
// that server's picture; undo takes the whole paste back.
func TestCopyAndPasteBetweenTwoBoards(t *testing.T) {
	a, _, _ := twoPages(t, "e2e-copy-from")
	a.tool("rect")
	a.drag(line(200, 200, 320, 280, 10))
	a.tool("pen")
	a.drag(waveIn(340, 500, 240, 20, 20))
	settled(t, a)
	from := a.board()
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("both selected", `window.sketchpad.selected() === 2`)
	a.shortcut("c", "copy")

	room := "e2e-paste-to"
	b, base2 := pasteOnAnotherServer(t, a, room)
	board := seenByAll(t, "paste", a, b, canvas.NewBoard(0), base2, room)
	got := board.Strokes()
	if len(got) != 2 || got[0].Tool != canvas.ToolRect || got[1].Tool != canvas.ToolPen {
		t.Fatalf("pasted %d strokes", len(got))
	}
	for i, s := range got {
		was := from.Strokes()[i]
		if s.Color != was.Color || s.Width != was.Width || len(s.Points) != len(was.Points) {
			t.Errorf("stroke %d pasted as %+v, copied %+v", i, s, was)
		}
	}
	minX, maxX := got[0].Points[0].X, got[0].Points[0].X
	for _, s := range got {
		for _, p := range s.Points {
			minX, maxX = min(minX, p.X), max(maxX, p.X)
		}
	}
	if c := (minX + maxX) / 2; c < 600*4-8 || c > 600*4+8 {
		t.Errorf("the paste is centered at board x %d, the pointer at %d", c, 600*4)
	}
	var sel int
	a.eval(`window.sketchpad.selected()`, &sel)
	if sel != 2 {
		t.Errorf("%d selected after the paste, want what was pasted (2)", sel)
	}
	a.undo()
	board = seenByAll(t, "undo paste", a, b, board, base2, room)
	for _, s := range board.Strokes() {
		if !s.Hidden {
			t.Errorf("undo paste: %v still shown", s.ID)
		}
	}
	a.redo()
	board = seenByAll(t, "redo paste", a, b, board, base2, room)
	if vis := visible(board); len(vis) != 2 || vis[0].ID != got[0].ID || vis[0].Points[0] != got[0].Points[0] {
		t.Errorf("redo paste: %d strokes shown, want the 2 pasted where they landed", len(vis))
	}
	lateJoinerSees(t, "paste", base2, room, a, board)
}
