package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server/config"
)

// Nothing drawn is lost to a clear: whoever cleared undoes it with
// Ctrl+Z; everyone else is told who cleared the board, with an Undo for
// anyone who can draw and none for a viewer; either undo brings back
// exactly the board before, on every page.
func TestAClearIsUndoneByItsAuthorOrByAnyoneFromTheToast(t *testing.T) {
	base := startServer(t)
	room := "e2e-undoable-clear"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.remember(base, `{"name":"Ana"}`)
	b.remember(base, `{"name":"Bo"}`)
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	mid := dragAndSeeOn(t, a, b)
	before := identical(t, "before the clear", a, b)
	v := newPerson(t, "V")
	v.open(viewLinkOf(a))
	v.waitFor("the viewer to see the stroke", inkJS(mid[0], mid[1]))

	clear := func() {
		a.click("clear")
		a.click("clear-confirm")
		for _, p := range []*person{a, b, v} {
			p.waitFor("the board cleared", `window.sketchpad.visibleStrokes() === 0 && !(`+inkJS(mid[0], mid[1])+`)`)
		}
	}
	clear()
	b.waitFor("B told who cleared", toastSays("Ana cleared the board"))
	v.waitFor("the viewer told who cleared", toastSays("Ana cleared the board"))
	var undoShown bool
	v.eval(`!document.querySelector('[data-testid="toast-action"]').hidden`, &undoShown)
	if undoShown {
		t.Error("a viewer was offered Undo")
	}
	b.eval(`!document.querySelector('[data-testid="toast-action"]').hidden`, &undoShown)
	if !undoShown {
		t.Error("B, who can draw, was not offered Undo")
	}

	// The one who cleared: Ctrl+Z.
	a.undo()
	for _, p := range []*person{a, b, v} {
		p.waitFor("the stroke back", inkJS(mid[0], mid[1]))
	}
	settled(t, a, b, v)
	if after := identical(t, "after A's undo", a, b); len(visible(after)) != len(visible(before)) {
		t.Fatalf("after the undo %d strokes are shown, want %d", len(visible(after)), len(visible(before)))
	}

	// Someone else: the toast's Undo.
	clear()
	b.waitFor("B's toast", toastSays("Ana cleared the board"))
	b.click("toast-action")
	for _, p := range []*person{a, b, v} {
		p.waitFor("the stroke back", inkJS(mid[0], mid[1]))
	}
	a.waitFor("A told who brought it back", toastSays("Bo brought back"))
	settled(t, a, b, v)
	identical(t, "after B's undo", a, b)
	identical(t, "the viewer", a, v)
}

// A moderator (the moderator link from the share menu) removes everything
// one person drew in one step, and undoes it; the others are told. An
// editor's page offers no Remove, and the room refuses the op from it.
func TestAModeratorRemovesOnePersonsWorkAndUndoesIt(t *testing.T) {
	base := startServer(t)
	room := "e2e-moderation"
	a, troll := newPerson(t, "A"), newPerson(t, "T")
	a.remember(base, `{"name":"Ana"}`)
	troll.remember(base, `{"name":"Troll"}`)
	a.open(base + "/b/" + room)
	troll.open(base + "/b/" + room)
	a.drag(line(150, 200, 450, 220, 20))
	troll.drag(line(150, 500, 450, 520, 20))
	troll.drag(line(500, 500, 700, 300, 20))
	settled(t, troll, a)

	a.click("share")
	a.waitFor("the share menu", `!!document.querySelector('[data-testid="share-mod-link"]')`)
	var mod string
	a.eval(`document.querySelector('[data-testid="share-mod-link"]').value`, &mod)
	a.keys("\x1b")
	if !strings.Contains(mod, "/b/m.") || strings.Contains(mod, room) {
		t.Fatalf("the moderator link %q is not a sealed m. link", mod)
	}
	var trollID int
	troll.eval(`window.sketchpad.author()`, &trollID)

	// An editor cannot: no button, and the op is refused by the room.
	var buttons int
	a.eval(`document.querySelectorAll('[data-testid="person-remove"]').length`, &buttons)
	if buttons != 0 {
		t.Fatalf("an edit page offers Remove (%d buttons)", buttons)
	}
	a.eval(fmt.Sprintf(`window.sketchpad.removeAuthor(%d, 0) > 0`, trollID), nil)
	a.waitFor("A told it may not", noteSays("moderator"))
	settled(t, a, troll)
	if n := len(visible(a.board())); n != 3 {
		t.Fatalf("an editor's removal changed the board: %d strokes shown, want 3", n)
	}

	m := newPerson(t, "M")
	m.remember(base, `{"name":"Mo"}`)
	m.open(mod)
	m.waitFor("the troll in M's list", fmt.Sprintf(`!!document.querySelector('[data-testid="people-list"] [data-author="%d"] [data-testid="person-remove"]')`, trollID))
	m.run("open the troll's Remove", chromedp.Click(fmt.Sprintf(`[data-testid="people-list"] [data-author="%d"] [data-testid="person-remove"]`, trollID), chromedp.ByQuery, chromedp.NodeVisible))
	m.run("remove everything", chromedp.Click(`[data-testid="person-remove-all"]`, chromedp.ByQuery, chromedp.NodeVisible))
	a.waitFor("A told", toastSays("Mo removed Troll's work (2 strokes)"))
	a.waitFor("the troll's strokes gone from A's board", `window.sketchpad.visibleStrokes() === 1 && !(`+inkJS(300, 510)+`)`)
	if !a.inkAt(300, 210) {
		t.Error("A's own stroke went with the troll's")
	}
	m.undo()
	a.waitFor("the troll's strokes back", `window.sketchpad.visibleStrokes() === 3 && `+inkJS(300, 510))
	settled(t, m, a, troll)
	identical(t, "after the moderator's undo", a, m)
}

// A moderator removes only what one person drew lately: "Last 10 min"
// takes the strokes drawn since then and keeps the older ones (the
// moderator's page clock is moved on 11 minutes between the two, as if
// the troll had come back later), in one step the moderator undoes.
func TestAModeratorRemovesOnlyWhatOnePersonDrewLately(t *testing.T) {
	base := startServer(t)
	room := "e2e-moderation-since"
	troll := newPerson(t, "T")
	troll.remember(base, `{"name":"Troll"}`)
	troll.open(base + "/b/" + room)
	troll.click("share")
	troll.waitFor("the share menu", `!!document.querySelector('[data-testid="share-mod-link"]')`)
	var mod string
	troll.eval(`document.querySelector('[data-testid="share-mod-link"]').value`, &mod)
	troll.keys("\x1b")
	m := newPerson(t, "M")
	m.remember(base, `{"name":"Mo"}`)
	m.open(mod)
	troll.drag(line(150, 200, 450, 220, 20))
	settled(t, troll, m)
	m.eval(`(() => { const now = Date.now; Date.now = () => now() + 11 * 60_000; return true; })()`, nil)
	troll.drag(line(150, 500, 450, 520, 20))
	troll.drag(line(500, 500, 700, 300, 20))
	settled(t, troll, m)
	var trollID int
	troll.eval(`window.sketchpad.author()`, &trollID)
	m.run("open the troll's Remove", chromedp.Click(fmt.Sprintf(`[data-testid="people-list"] [data-author="%d"] [data-testid="person-remove"]`, trollID), chromedp.ByQuery, chromedp.NodeVisible))
	var counts []string
	m.eval(`[...document.querySelectorAll('[data-testid="person-remove-menu"] button')].map(b => b.dataset.testid.replace('person-remove-', '') + ':' + b.dataset.count)`, &counts)
	if fmt.Sprint(counts) != "[all:3 10m:2 1h:3]" {
		t.Fatalf("the Remove menu offers %v, want [all:3 10m:2 1h:3]", counts)
	}
	m.run("remove the last 10 min", chromedp.Click(`[data-testid="person-remove-10m"]`, chromedp.ByQuery, chromedp.NodeVisible))
	troll.waitFor("the troll told", toastSays("Mo removed your work (2 strokes)"))
	troll.waitFor("the late strokes gone, the first kept", `window.sketchpad.visibleStrokes() === 1 && !(`+inkJS(300, 510)+`) && `+inkJS(300, 210))
	m.undo()
	troll.waitFor("the late strokes back", `window.sketchpad.visibleStrokes() === 3 && `+inkJS(300, 510))
	settled(t, m, troll)
	identical(t, "after the moderator's undo", troll, m)
	res, err := http.Get(base + "/api/boards/" + room + "/history")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"kind":"removal"`) {
		t.Errorf("history has no version before the removal: %s", body)
	}
}

// Selecting a stroke says who drew it, below the selection, and keeps
// saying it when the pointer moves away.
func TestSelectingAStrokeSaysWhoDrewIt(t *testing.T) {
	base := startServer(t)
	room := "e2e-who-drew-selected"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.remember(base, `{"name":"Ana"}`)
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	mid := dragAndSeeOn(t, a, b)
	b.tool("select")
	b.clickAt(mid[0], mid[1])
	b.waitFor("the stroke selected", `window.sketchpad.selected() === 1`)
	b.run("move away", chromedp.ActionFunc(func(ctx context.Context) error {
		return input.DispatchMouseEvent(input.MouseMoved, 40, 40).Do(ctx)
	}))
	b.waitFor("who drew it, below the selection", `(() => { const e = document.querySelector('[data-testid="stroke-info"]'); return !!e && !e.hidden && e.textContent.startsWith('Ana · '); })()`)
	b.keys("\x1b")
	b.waitFor("nothing said once nothing is selected", `document.querySelector('[data-testid="stroke-info"]').hidden`)
}

// Pointing at a stroke with the select tool says who drew it and when.
func TestHoveringAStrokeSaysWhoDrewIt(t *testing.T) {
	base := startServer(t)
	room := "e2e-who-drew"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.remember(base, `{"name":"Ana"}`)
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	mid := dragAndSeeOn(t, a, b)
	b.tool("select")
	b.run("hover the stroke", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MouseMoved, mid[0]-20, mid[1]-40).Do(ctx); err != nil {
			return err
		}
		return input.DispatchMouseEvent(input.MouseMoved, mid[0], mid[1]).Do(ctx)
	}))
	b.waitFor("who drew it", `(() => { const e = document.querySelector('[data-testid="stroke-info"]'); return !!e && !e.hidden && e.textContent.startsWith('Ana · '); })()`)
	// A page that joins later learns when from the board's history.
	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	var author int
	a.eval(`window.sketchpad.author()`, &author)
	c.waitFor("who drew it, on a late page", fmt.Sprintf(`(window.sketchpad.whoDrew(%d, 1) || '').startsWith('Ana')`, author))
}

// A board filled to its limit and cleared takes drawing again at once,
// and the clear stays in history.
func TestAFullBoardClearedInThePageTakesDrawingAgain(t *testing.T) {
	base := startApp(t, &config.Config{DataDir: t.TempDir(), MaxBoardPoints: 150})
	room := "e2e-full-then-clear"
	a := newPerson(t, "A")
	a.open(base + "/b/" + room)
	for i := 0; i < 8; i++ {
		a.drag(line(100, 100+float64(i)*50, 700, 120+float64(i)*50, 40))
	}
	a.waitFor("the board full", noteSays("full"))
	settled(t, a)
	a.click("clear")
	a.click("clear-confirm")
	a.drag(line(150, 330, 650, 290, 30))
	settled(t, a)
	a.waitFor("the new stroke drawn", inkJS(400, 310))
	if n := len(visible(a.board())); n != 1 {
		t.Fatalf("after the clear %d strokes are shown, want the new 1", n)
	}
	res, err := http.Get(base + "/api/boards/" + room + "/history")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"kind":"clear"`) {
		t.Errorf("history (%d) has no version before the clear: %s", res.StatusCode, body)
	}
}

// toastSays is a page expression: the toast shows text.
func toastSays(text string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector('[data-testid="toast"]'); return !!e && !e.hidden && e.textContent.includes(%q); })()`, text)
}

// noteSays is a page expression: the status bar's note says text.
func noteSays(text string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector('.status-note'); return !!e && !e.hidden && e.textContent.includes(%q); })()`, text)
}

// viewLinkOf reads the view link from p's share menu.
func viewLinkOf(p *person) string {
	p.t.Helper()
	p.click("share")
	p.waitFor("the share menu", `!!document.querySelector('[data-testid="share-view-link"]')`)
	var view string
	p.eval(`document.querySelector('[data-testid="share-view-link"]').value`, &view)
	p.keys("\x1b")
	return view
}
