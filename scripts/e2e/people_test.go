package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// People on a board: distinct colors, a color of one's own, viewers shown
// as viewers (issue 17).

// remember sets the prefs a page on base would find in this person's
// localStorage (as if they had been here before), before any board loads.
func (p *person) remember(base, prefsJSON string) {
	p.t.Helper()
	p.run("remember prefs", chromedp.Navigate(base+"/healthz"))
	p.eval(fmt.Sprintf(`(localStorage.setItem('sketchpad.prefs.v1', %q), true)`, prefsJSON), nil)
}

// personColor is the color (CSS) of author's dot in p's people list, "" when
// not listed; author 0 is p itself (its name box's dot).
func (p *person) personColor(author int) string {
	p.t.Helper()
	var c string
	sel := fmt.Sprintf(`[data-testid="people-list"] [data-author="%d"] .dot`, author)
	if author == 0 {
		sel = `[data-testid="my-color"] .dot`
	}
	p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? getComputedStyle(e).backgroundColor : ''; })()`, sel), &c)
	return c
}

func TestPeopleGetDistinctColorsCanPickTheirOwnAndViewersAreMarked(t *testing.T) {
	base := startServer(t)
	room := "e2e-people-colors"
	// Both remember the same color, not picked (red, the palette's
	// first): the server hands A red, and B the least used color, the
	// first free one in the palette (orange).
	const red = 0xe03131ff
	const orange = "rgb(232, 89, 12)"
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.remember(base, fmt.Sprintf(`{"name":"Ada","color":%d}`, red))
	b.remember(base, fmt.Sprintf(`{"name":"Bob","color":%d}`, red))
	a.open(base + "/b/" + room)
	b.open(base + "/b/" + room)
	var authorA, authorB int
	a.eval(`window.sketchpad.author()`, &authorA)
	b.eval(`window.sketchpad.author()`, &authorB)
	b.waitFor("B to change color", `getComputedStyle(document.querySelector('[data-testid="my-color"] .dot')).backgroundColor !== 'rgb(224, 49, 49)'`)
	a.waitFor("A to see B's new color", fmt.Sprintf(`(() => { const e = document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot'); return !!e && getComputedStyle(e).backgroundColor !== 'rgb(224, 49, 49)'; })()`, authorB))
	if got := a.personColor(0); got != "rgb(224, 49, 49)" {
		t.Errorf("A, here first, changed color to %s", got)
	}
	if got := b.personColor(0); got != orange {
		t.Errorf("B shows itself in %s, want the least used color %s", got, orange)
	}
	b.waitFor("B to see A", fmt.Sprintf(`!!document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot')`, authorA))
	if ca, cb := b.personColor(authorA), b.personColor(0); ca == cb {
		t.Errorf("A and B both show %s on B's page", ca)
	}
	if got, want := a.personColor(authorB), b.personColor(0); got != want {
		t.Errorf("A shows B in %s, B shows itself in %s", got, want)
	}

	// B picks violet from the palette under its color dot; A sees it, and B
	// keeps it after a reload.
	const violet = "rgb(132, 94, 247)"
	b.click("my-color")
	b.run("pick violet", chromedp.Click(`[data-testid="color-pick"][data-color="2220816383"]`, chromedp.ByQuery, chromedp.NodeVisible))
	b.waitFor("the palette put away after a pick", `document.querySelector('#my-color-picks').hidden`)
	// Opened again, a press on the board puts it away and draws nothing.
	b.click("my-color")
	b.clickAt(400, 400)
	b.waitFor("the palette put away", `document.querySelector('#my-color-picks').hidden`)
	a.waitFor("A to see B in violet", fmt.Sprintf(`(() => { const e = document.querySelector('[data-testid="people-list"] [data-author="%d"] .dot'); return !!e && getComputedStyle(e).backgroundColor === %q; })()`, authorB, violet))
	b.drag(line(100, 150, 300, 160, 10))
	settled(t, b, a)
	if n := len(b.board().Strokes()); n != 1 {
		t.Errorf("%d strokes after a press that put the palette away and one stroke; want only the stroke", n)
	}
	b.open(base + "/b/" + room)
	if got := b.personColor(0); got != violet {
		t.Errorf("after a reload B shows itself in %s, want the violet it picked", got)
	}

	// A viewer (the view link) is in A's list, marked as viewing only.
	a.click("share")
	a.waitFor("the share menu", `(() => { const e = document.querySelector('[data-testid="share-view-link"]'); return !!e && e.getBoundingClientRect().width > 0; })()`)
	var view string
	a.eval(`document.querySelector('[data-testid="share-view-link"]').value`, &view)
	a.keys("\x1b")
	v := newPerson(t, "V")
	v.open(view)
	var authorV int
	v.eval(`window.sketchpad.author()`, &authorV)
	a.waitFor("A to list V as a viewer", fmt.Sprintf(`!!document.querySelector('[data-testid="people-list"] [data-author="%d"] [data-testid="viewer-mark"]')`, authorV))
	var label string
	a.eval(fmt.Sprintf(`document.querySelector('[data-testid="people-list"] [data-author="%d"] button').getAttribute('aria-label')`, authorV), &label)
	if want := "(viewing only)"; !strings.Contains(label, want) {
		t.Errorf("V's row in A's list is labelled %q, want it to say %q", label, want)
	}
	var marked int
	a.eval(`document.querySelectorAll('[data-testid="viewer-mark"]').length`, &marked)
	if marked != 1 {
		t.Errorf("%d people marked as viewers in A's list, want only V", marked)
	}
	if c := a.personColor(authorV); c == "" || c == "rgba(0, 0, 0, 0)" {
		t.Errorf("V's dot in A's list is %q: a viewer's color is shown opaque", c)
	}
	shots(t, a, b, v)
}

func TestAFollowerSeesWhereTheLeaderDrawsWithoutCursorFrames(t *testing.T) {
	a, b, _ := twoPages(t, "e2e-follow")
	var authorA int
	var nameA string
	a.eval(`window.sketchpad.author()`, &authorA)
	a.eval(`document.querySelector('[data-testid="name-input"]').value`, &nameA)
	b.waitFor("A in B's list", fmt.Sprintf(`!!document.querySelector('[data-testid="follow"][data-author="%d"]')`, authorA))
	b.run("follow A", chromedp.Click(fmt.Sprintf(`[data-testid="follow"][data-author="%d"]`, authorA), chromedp.ByQuery, chromedp.NodeVisible))
	var pill string
	b.waitFor("the follow pill", `!document.querySelector('[data-testid="following"]').hidden`)
	b.eval(`document.querySelector('[data-testid="following"]').textContent`, &pill)
	if !strings.Contains(pill, "Following "+nameA) {
		t.Errorf("the pill says %q, want it to name %q", pill, nameA)
	}

	// A goes far away and draws there: B's screen goes along (it mirrors
	// A's view, follow_test.go) and shows the end of A's stroke, whose
	// ink came in A's ops, not in cursor frames.
	a.eval(`(window.sketchpad.setView({scale: 0.25, x: -2000, y: -1500}), true)`, nil)
	a.tool("pen")
	a.drag(line(300, 300, 600, 400, 30))
	settled(t, a, b)
	endX, endY := (600.0+2000)/0.25, (400.0+1500)/0.25
	b.waitFor("the end of A's stroke on B's screen", fmt.Sprintf(`(() => {
		const v = window.sketchpad.view(), c = document.getElementById('board');
		const x = %f * v.scale + v.x, y = %f * v.scale + v.y;
		return x > 10 && y > 10 && x < c.clientWidth - 10 && y < c.clientHeight - 10;
	})()`, endX, endY))
	b.twoFrames()
	var sx, sy float64
	b.eval(fmt.Sprintf(`window.sketchpad.view().x + %f * window.sketchpad.view().scale`, endX), &sx)
	b.eval(fmt.Sprintf(`window.sketchpad.view().y + %f * window.sketchpad.view().scale`, endY), &sy)
	if !b.inkAt(sx, sy) {
		t.Errorf("B's screen shows no ink at (%.0f, %.0f), where A's stroke ends", sx, sy)
	}
}
