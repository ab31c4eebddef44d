package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
)

// Undo and redo with two people, and view links, in real pages.

// shownOn reports whether the board shows stroke id.
func shownOn(b *canvas.Board, id canvas.StrokeID) bool {
	s := b.Stroke(id)
	return s != nil && !s.Hidden
}

func TestUndoAndRedoTakeBackOnlyYourOwnWork(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-undo")
	whole := region{0, 0, 1000, 557}
	pathA := waveIn(140, 700, 180, 40, 60)
	pathB := waveIn(140, 700, 380, 40, 60)
	var authorA, authorB uint32
	a.eval(`window.sketchpad.author()`, &authorA)
	b.eval(`window.sketchpad.author()`, &authorB)
	if authorA == 0 || authorB == 0 || authorA == authorB {
		t.Fatalf("authors %d and %d", authorA, authorB)
	}

	// step checks both pages after one person's action: identical boards,
	// identical pixels, and which of the two strokes is shown.
	seq := 0
	step := func(what string, actor, other *person, wantA, wantB bool, idA, idB canvas.StrokeID) {
		t.Helper()
		settledAfter(t, seq, actor, other)
		board := identical(t, what, actor, other)
		seq = int(board.Seq)
		samePixels(t, what, whole, actor, other)
		if got := shownOn(board, idA); got != wantA {
			t.Fatalf("%s: A's stroke shown = %v, want %v", what, got, wantA)
		}
		if got := shownOn(board, idB); got != wantB {
			t.Fatalf("%s: B's stroke shown = %v, want %v", what, got, wantB)
		}
		for _, p := range []*person{actor, other} {
			if p.inkAt(pathA[15][0], pathA[15][1]) != wantA || p.inkAt(pathB[15][0], pathB[15][1]) != wantB {
				t.Fatalf("%s: a page's canvas does not show what its board holds", what)
			}
		}
	}

	a.drag(pathA)
	settled(t, a, b)
	idA := canvas.StrokeID{Author: authorA, N: 1}
	if !shownOn(a.board(), idA) {
		t.Fatalf("A's stroke is not %v", idA)
	}
	b.drag(pathB)
	settled(t, b, a)
	idB := canvas.StrokeID{Author: authorB, N: 1}
	step("both drew", b, a, true, true, idA, idB)

	a.undo() // Ctrl+Z on A: A's stroke goes, B's (drawn after it) stays
	step("A undoes", a, b, false, true, idA, idB)
	a.redo() // Ctrl+Shift+Z on A
	step("A redoes", a, b, true, true, idA, idB)
	b.undo() // B's own stroke, not A's
	step("B undoes", b, a, true, false, idA, idB)
	b.redo()
	step("B redoes", b, a, true, true, idA, idB)
	shots(t, a, b)
}

func TestAViewLinkCannotDraw(t *testing.T) {
	base := startServer(t)
	room := "e2e-view-link"
	a := newPerson(t, "A")
	a.open(base + "/b/" + room)
	a.drag(waveIn(140, 700, 180, 40, 40))
	settled(t, a)

	// The view link, as A's share menu shows it.
	a.click("share")
	a.waitFor("the share menu", `!!document.querySelector('[data-testid="share-view-link"]') && document.querySelector('[data-testid="share-view-link"]').getBoundingClientRect().width > 0`)
	var edit, view string
	a.eval(`document.querySelector('[data-testid="share-edit-link"]').value`, &edit)
	a.eval(`document.querySelector('[data-testid="share-view-link"]').value`, &view)
	if edit != base+"/b/"+room {
		t.Errorf("edit link %q, want %q", edit, base+"/b/"+room)
	}
	if !strings.HasPrefix(view, base+"/b/v.") || strings.Contains(view, room) {
		t.Fatalf("view link %q: want %s/b/v.{id}, not naming the board", view, base)
	}
	a.keys("\x1b") // Escape closes the menu

	v := newPerson(t, "V")
	v.open(view)
	var seqA int
	a.eval(`window.sketchpad.seq()`, &seqA)
	v.waitFor("V to load the board", `window.sketchpad.seq() >= `+itoa(seqA))
	var ro bool
	v.eval(`window.sketchpad.readOnly()`, &ro)
	if !ro {
		t.Fatal("the view link's page is not read-only")
	}
	v.waitFor("the View only badge", `(() => { const e = document.querySelector('[data-testid="read-only"]'); return !!e && !e.hidden && e.getBoundingClientRect().width > 0; })()`)
	var hasEdit, hasPen bool
	// The menu's links are made when it first opens: open it, see the view link, look for the edit link.
	v.click("share")
	v.waitFor("V's share menu", `!!document.querySelector('[data-testid="share-view-link"]')`)
	v.eval(`!!document.querySelector('[data-testid="share-edit-link"]')`, &hasEdit)
	v.keys("\x1b")
	v.eval(`(() => { const e = document.querySelector('[data-testid="tool-pen"]'); return !!e && e.getBoundingClientRect().width > 0; })()`, &hasPen)
	if hasEdit {
		t.Error("the view link's page offers an edit link")
	}
	if hasPen {
		t.Error("the view link's page shows the pen")
	}
	boardA := a.boardHex()
	if v.boardHex() != boardA {
		t.Fatal("V holds a different board from A")
	}

	// V drags across empty board (with the pen, if a shortcut could pick it):
	// nothing is drawn anywhere.
	v.keys("p")
	vPath := waveIn(140, 700, 400, 40, 40)
	v.drag(vPath)
	time.Sleep(700 * time.Millisecond) // what a stroke would take to come back
	var pending, seqV int
	v.eval(`window.sketchpad.pendingOps()`, &pending)
	v.eval(`window.sketchpad.seq()`, &seqV)
	if pending != 0 {
		t.Errorf("V's page queued %d ops", pending)
	}
	if got := a.boardHex(); got != boardA {
		t.Fatal("V's drag changed A's board")
	}
	if got := v.boardHex(); got != boardA {
		t.Fatal("V's drag changed V's board")
	}
	if v.inkAt(vPath[10][0], vPath[10][1]) || a.inkAt(vPath[10][0], vPath[10][1]) {
		t.Error("V's drag left ink on a canvas")
	}
	var st string
	v.eval(`window.sketchpad.status()`, &st)
	if st != "live" {
		t.Fatalf("V is %q after its drag; want live (still watching)", st)
	}

	// The server, not only the page, refuses drawing over the view link: a
	// client that sends a stroke on /ws/v.{id} anyway is closed with 4403
	// and the stroke is not on A's board.
	wsView := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + view[strings.LastIndex(view, "/")+1:]
	raw := client.New(wsView, client.Options{Name: "forger"})
	if err := withTimeout(10*time.Second, raw.Connect); err != nil {
		t.Fatalf("connect to %s: %v", wsView, err)
	}
	if _, err := raw.Stroke(0x000000ff, 16, []canvas.Point{{X: 800, Y: 1600}, {X: 2400, Y: 1700}}, 64); err != nil {
		t.Fatal(err)
	}
	var code uint16
	if err := withTimeout(10*time.Second, func(ctx context.Context) (err error) {
		code, _, err = raw.WaitClosed(ctx)
		return err
	}); err != nil || code != 4403 {
		t.Fatalf("a stroke sent over the view link: close %d (%v), want 4403", code, err)
	}
	time.Sleep(200 * time.Millisecond)
	if got := a.boardHex(); got != boardA {
		t.Fatal("a stroke sent over the view link reached A's board")
	}

	// V still sees A's new work live. (V panned the board with its drag:
	// back to A's view to compare pixels.)
	v.eval(`(window.sketchpad.setView({scale: 0.25, x: 0, y: 0}), true)`, nil)
	a.drag(vPath)
	settled(t, a, v)
	identical(t, "A's new stroke on V", a, v)
	samePixels(t, "A's new stroke on V", around(vPath, 20), a, v)
	v.waitFor("A's new stroke on V's canvas", inkJS(vPath[10][0], vPath[10][1]))
	shots(t, a, v)
}
