package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// lateJoinerSees opens the board in a third browser once the board is at
// board's sequence number: it must hold a's board and show a's pixels.
func lateJoinerSees(t *testing.T, what, base, room string, a *person, board *canvas.Board) {
	t.Helper()
	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor(what+": the late joiner caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatalf("%s: the late joiner's board differs", what)
	}
	samePixels(t, what+" (late joiner)", region{100, 110, 800, 500}, a, c)
}

// pasteText pastes text as the browser does when the clipboard holds it
// (a paste event carrying it): what a paste copied elsewhere brings.
func (p *person) pasteText(text string) {
	p.t.Helper()
	q, _ := json.Marshal(text)
	var ok bool
	p.eval(`(() => {
		const d = new DataTransfer();
		d.setData('text/plain', `+string(q)+`);
		return !document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d, bubbles: true, cancelable: true }));
	})()`, &ok)
	if !ok {
		p.t.Fatal("the page did not take the paste")
	}
}

// watchNotes records every text the status bar's note (.status-note)
// shows from now on, in window.notesSeen.
func (p *person) watchNotes() {
	p.t.Helper()
	var ok bool
	p.eval(`(() => {
		const n = document.querySelector('.status-note');
		window.notesSeen = [];
		new MutationObserver(() => { if (!n.hidden) window.notesSeen.push(n.textContent); })
			.observe(n, { childList: true, characterData: true, subtree: true, attributes: true });
		return true;
	})()`, &ok)
}

// rects is clipboard text of n small rectangles in rows of 20.
func rects(n int) string {
	var sb strings.Builder
	sb.WriteString(`{"sketchpad":1,"strokes":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		x, y := (i%20)*60, (i/20)*60
		sb.WriteString(`{"tool":5,"color":4278190335,"width":8,"points":[[` + itoa(x) + `,` + itoa(y) + `,0],[` + itoa(x+40) + `,` + itoa(y+40) + `,0]]}`)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

// A pastes a thousand items at once: the page refuses it with a message
// and sends nothing, so B sees nothing. A paste as big as a paste may be
// (400 shapes, one op each) lands for both, and the server never has to
// slow A down for it: no "drawing faster" note.
func TestAThousandItemPasteIsRefusedAndOneUnderTheLimitLands(t *testing.T) {
	room := "e2e-paste-limit"
	a, b, base := twoPages(t, room)
	a.waitFor("live", `window.sketchpad.status() === 'live'`)
	b.waitFor("live", `window.sketchpad.status() === 'live'`)
	a.watchNotes()

	a.pasteText(rects(1000))
	a.waitFor("the refusal shown", `window.notesSeen.some((t) => t.startsWith('Pasting 1,000 items at once is refused'))`)
	time.Sleep(500 * time.Millisecond) // anything sent would be back by now
	var after struct{ Seq, Pending, Visible int }
	a.eval(`({seq: window.sketchpad.seq(), pending: window.sketchpad.pendingOps(), visible: window.sketchpad.visibleStrokes()})`, &after)
	if after.Seq != 0 || after.Pending != 0 || after.Visible != 0 {
		t.Fatalf("after the refused paste: A at seq %d, %d ops pending, %d strokes shown; want nothing sent or shown", after.Seq, after.Pending, after.Visible)
	}
	var bSeq int
	b.eval(`window.sketchpad.seq()`, &bSeq)
	if bSeq != 0 {
		t.Fatalf("B's board is at seq %d after A's refused paste, want 0", bSeq)
	}

	a.pasteText(rects(400))
	board := seenByAll(t, "a paste of 400 shapes", a, b, canvas.NewBoard(0), base, room)
	if n := len(visible(board)); n != 400 || board.Seq != 400 {
		t.Fatalf("a paste of 400 shapes: %d strokes at seq %d, want 400 at 400", n, board.Seq)
	}
	var notes []string
	a.eval(`window.notesSeen`, &notes)
	for _, n := range notes {
		if strings.Contains(n, "faster than this board allows") {
			t.Errorf("the paste under the limit was slowed down by the server: %q", n)
		}
	}
	var sel int
	a.eval(`window.sketchpad.selected()`, &sel)
	if sel != 400 {
		t.Errorf("%d selected after the paste, want the 400 pasted", sel)
	}

	// A server that lets a page draw less at once (--rate-draw 50, bursts
	// of 100) takes smaller pastes: 81 shapes are refused, 80 land, and
	// still nothing is slowed down.
	slow := startApp(t, &config.Config{DataDir: t.TempDir(), RateDraw: 50})
	a.open(slow + "/b/" + room)
	a.waitFor("live on the slower server", `window.sketchpad.status() === 'live'`)
	a.watchNotes()
	a.pasteText(rects(81))
	a.waitFor("the refusal shown", `window.notesSeen.some((t) => t.startsWith('Pasting 81 items at once is refused') && t.includes('at most 80 '))`)
	a.pasteText(rects(80))
	settledAfter(t, 0, a)
	if b := a.board(); len(visible(b)) != 80 || b.Seq != 80 {
		t.Fatalf("a paste of 80 shapes on the slower server: %d strokes at seq %d, want 80 at 80", len(visible(b)), b.Seq)
	}
	a.eval(`window.notesSeen`, &notes)
	for _, n := range notes {
		if !strings.HasPrefix(n, "Pasting 81 items") {
			t.Errorf("on the slower server the page said %q", n)
		}
	}
}

// A cuts two strokes with Ctrl+X: they are gone for both people and from
// the server's picture; Ctrl+V brings them back as new strokes of A's;
// undo of the paste, then of the cut, puts the originals back for both.
func TestCutRemovesForBothAndPasteAndUndoBringItBack(t *testing.T) {
	room := "e2e-cut"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)
	a.tool("rect")
	a.drag(line(300, 160, 460, 300, 20))
	a.tool("pen")
	a.drag(waveIn(200, 460, 400, 20, 30))
	board = seenByAll(t, "drawing", a, b, board, base, room)
	drawn := visible(board)
	if len(drawn) != 2 {
		t.Fatalf("%d strokes drawn, want 2", len(drawn))
	}
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("both selected", `window.sketchpad.selected() === 2`)

	a.shortcut("x", "cut")
	board = seenByAll(t, "cut", a, b, board, base, room)
	if n := len(visible(board)); n != 0 {
		t.Fatalf("after the cut %d strokes are shown, want none", n)
	}

	a.shortcut("v", "paste")
	board = seenByAll(t, "paste of the cut", a, b, board, base, room)
	pasted := visible(board)
	if len(pasted) != 2 {
		t.Fatalf("the paste shows %d strokes, want the 2 cut", len(pasted))
	}
	for i, s := range pasted {
		if was := drawn[i]; s.ID == was.ID || s.Tool != was.Tool || s.Color != was.Color || len(s.Points) != len(was.Points) {
			t.Errorf("pasted stroke %d: %v tool %d color %08x, %d points; want a new stroke like %v", i, s.ID, s.Tool, s.Color, len(s.Points), was.ID)
		}
	}

	a.undo()
	board = seenByAll(t, "undo the paste", a, b, board, base, room)
	if n := len(visible(board)); n != 0 {
		t.Fatalf("after undoing the paste %d strokes are shown, want none", n)
	}
	a.undo()
	board = seenByAll(t, "undo the cut", a, b, board, base, room)
	back := visible(board)
	if len(back) != 2 {
		t.Fatalf("after undoing the cut %d strokes are shown, want the 2 drawn", len(back))
	}
	for i, s := range back {
		if s.ID != drawn[i].ID || s.Points[0] != drawn[i].Points[0] {
			t.Errorf("after undoing the cut stroke %d is %v at %v, want %v at %v", i, s.ID, s.Points[0], drawn[i].ID, drawn[i].Points[0])
		}
	}
}

// A duplicates a rectangle with Ctrl+D, then with an Alt-drag: B and the
// server's /b/{room}.svg see each copy; undo takes each back.
func TestDuplicateAndAltDragSeenByEveryone(t *testing.T) {
	room := "e2e-duplicate"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)
	a.tool("rect")
	a.drag(line(300, 160, 420, 260, 20))
	board = seenByAll(t, "drawing", a, b, board, base, room)
	orig := visible(board)[0]
	a.tool("select")
	a.keys("a", input.ModifierCtrl)
	a.waitFor("the rect selected", `window.sketchpad.selected() === 1`)

	a.keys("d", input.ModifierCtrl)
	board = seenByAll(t, "Ctrl+D", a, b, board, base, room)
	vis := visible(board)
	if len(vis) != 2 || vis[0].ID != orig.ID {
		t.Fatalf("Ctrl+D: %d strokes shown, want the rect and a copy above it", len(vis))
	}
	cp := vis[1]
	if p := cp.Points[0]; p.X != orig.Points[0].X+40 || p.Y != orig.Points[0].Y+40 || cp.Tool != orig.Tool || cp.Color != orig.Color {
		t.Errorf("Ctrl+D: the copy starts at %v, want 40 units right of and below %v, same tool and color", p, orig.Points[0])
	}
	if doc := parseSVG(t, "the server's picture", httpGet(t, base+"/b/"+room+".svg", "image/svg+xml")); len(doc.strokes) != 2 || doc.strokes[1] != strokeKey(cp.ID) {
		t.Errorf("Ctrl+D: the server's picture has strokes %v, want %s and the copy %s", doc.strokes, strokeKey(orig.ID), strokeKey(cp.ID))
	}
	a.undo()
	board = seenByAll(t, "undo Ctrl+D", a, b, board, base, room)
	if vis := visible(board); len(vis) != 1 || vis[0].ID != orig.ID {
		t.Fatalf("undo Ctrl+D: %d strokes shown, want the rect alone", len(vis))
	}

	// Alt-drag the rect by its left edge 150 px right and 100 down: a
	// copy goes there, the rect stays.
	a.keys("\x1b")
	a.waitFor("nothing selected", `window.sketchpad.selected() === 0`)
	a.dragWith(line(300, 210, 450, 310, 20), input.ModifierAlt)
	board = seenByAll(t, "Alt-drag", a, b, board, base, room)
	vis = visible(board)
	if len(vis) != 2 || vis[0].ID != orig.ID || vis[0].Points[0] != orig.Points[0] {
		t.Fatalf("Alt-drag: %d strokes shown, want the rect where it was and a copy", len(vis))
	}
	if d := vis[1].Points[0]; d.X-orig.Points[0].X < 596 || d.X-orig.Points[0].X > 604 || d.Y-orig.Points[0].Y < 396 || d.Y-orig.Points[0].Y > 404 {
		t.Errorf("Alt-drag: the copy starts at %v, want 600 units right of and 400 below %v", d, orig.Points[0])
	}
	if doc := parseSVG(t, "the server's picture", httpGet(t, base+"/b/"+room+".svg", "image/svg+xml")); len(doc.strokes) != 2 {
		t.Errorf("Alt-drag: the server's picture has strokes %v, want the rect and its copy", doc.strokes)
	}
	// Two undo steps: the copy's move, then the copy.
	a.undo()
	a.undo()
	board = seenByAll(t, "undo Alt-drag", a, b, board, base, room)
	if vis := visible(board); len(vis) != 1 || vis[0].ID != orig.ID || vis[0].Points[0] != orig.Points[0] {
		t.Fatalf("undo Alt-drag: %d strokes shown, want the rect alone, where it was", len(vis))
	}
}
