package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// Touch targets (issue 17): on a phone every control a person can press,
// anywhere on the page, is at least 44 × 44 CSS pixels, in the window and
// not covered by another part of the page. The toolbar's own
// test (TestEveryToolbarControlIsReachableInOneRowOnAPhoneATabletAndADesktop)
// looks at the top row and its menus; this one looks at the whole document
// with the panels and notes that come and go shown: the people list, the
// follow pill, the toast, the history panel, the status bar's action.

// allControlsFn is a function that lists the visible controls of the
// document (buttons, inputs, selects, text areas, links, role=button)
// smaller than 44 × 44, as "what w×h", and those whose middle is outside
// the window or covered by something else, and how many were looked at.
const allControlsFn = `(() => {
	const small = [], covered = [];
	let seen = 0;
	for (const el of document.querySelectorAll('button, input:not([type="hidden"]), select, textarea, a[href], [role="button"]')) {
		if (el.getClientRects().length === 0) continue; // not rendered (display: none, here or above)
		const cs = getComputedStyle(el);
		if (cs.visibility === 'hidden' || cs.pointerEvents === 'none' || el.closest('[hidden], [inert]')) continue;
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) continue;
		seen++;
		const id = el.dataset.testid || el.getAttribute('aria-label') || el.className || el.tagName;
		if (r.width < 44 || r.height < 44) small.push(id + ' ' + Math.round(r.width) + '×' + Math.round(r.height));
		// A finger reaches it: its middle is in the window and not under something else.
		const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
		const hit = cx >= 0 && cy >= 0 && cx < innerWidth && cy < innerHeight ? document.elementFromPoint(cx, cy) : null;
		if (!hit || !(hit === el || el.contains(hit) || (hit.closest('label') && hit.closest('label').contains(el)))) {
			covered.push(id + (hit ? ' under ' + (hit.dataset.testid || hit.className || hit.tagName) : ' outside the window'));
		}
	}
	return { Seen: seen, Small: small, Covered: covered };
})`

// noSmallControls fails the test for each control of p's page under 44 × 44
// or out of reach.
func noSmallControls(t *testing.T, p *person, what string) {
	t.Helper()
	p.eval(`(window.__touchTargets = `+allControlsFn+`(), true)`, nil)
	smallControlsFound(t, p, what)
}

// smallControlsFound fails the test for each control under 44 × 44 or out
// of reach in window.__touchTargets, what allControlsFn found.
func smallControlsFound(t *testing.T, p *person, what string) {
	t.Helper()
	var got struct {
		Seen           int
		Small, Covered []string
	}
	p.eval(`window.__touchTargets`, &got)
	if got.Seen == 0 {
		t.Fatalf("%s: no control found on the page", what)
	}
	for _, s := range got.Small {
		t.Errorf("on a phone, %s: %s CSS pixels, under the 44×44 a finger needs", what, s)
	}
	for _, s := range got.Covered {
		t.Errorf("on a phone, %s: %s, out of a finger's reach", what, s)
	}
}

// pillClearOfPeople fails the test unless the follow pill is in the window
// and clear of the open people panel (its heading and rows).
func pillClearOfPeople(t *testing.T, p *person, what string) {
	t.Helper()
	p.twoFrames()
	var bad string
	p.eval(`(() => {
		const pill = document.querySelector('[data-testid="following"]').getBoundingClientRect();
		const people = document.querySelector('.people');
		if (people.hidden) return 'the people panel is folded';
		const r = people.getBoundingClientRect();
		if (pill.left < 0 || pill.top < 0 || pill.right > innerWidth || pill.bottom > innerHeight) return 'the pill is outside the window';
		if (pill.left < r.right && r.left < pill.right && pill.top < r.bottom && r.top < pill.bottom) {
			return 'the pill (' + [pill.left, pill.top, pill.right, pill.bottom].map(Math.round) + ') overlaps the people panel (' + [r.left, r.top, r.right, r.bottom].map(Math.round) + ')';
		}
		return '';
	})()`, &bad)
	if bad != "" {
		t.Errorf("%s: %s", what, bad)
	}
}

func TestEveryControlOnAPhoneIsFingerSizedWithThePanelsAndNotesShown(t *testing.T) {
	r := newRestartable(t)
	url := "http://" + r.addr + "/b/e2e-touch-targets"
	a := newPerson(t, "A")
	a.open(url)
	var authorA int
	a.eval(`window.sketchpad.author()`, &authorA)
	a.tool("pen")
	a.drag(line(300, 300, 600, 360, 20))
	settled(t, a)

	phone := screens[0]
	p := newPersonAt(t, "phone", phone)
	p.open(url)
	noSmallControls(t, p, "at first")

	// The people panel open (folded at first on a phone), with A's row:
	// follow A, show only A's work.
	p.click("people-toggle")
	row := fmt.Sprintf(`[data-testid="follow"][data-author="%d"]`, authorA)
	p.waitFor("A in the people list", `!!document.querySelector('`+row+`')`)
	noSmallControls(t, p, "the people panel open")

	// Following A: the pill with its Stop.
	p.run("follow A", chromedp.Click(row, chromedp.ByQuery, chromedp.NodeVisible))
	p.waitFor("the follow pill", `!document.querySelector('[data-testid="following"]').hidden`)
	noSmallControls(t, p, "following someone")
	pillClearOfPeople(t, p, "following")
	shot(t, p, "following")
	// A smaller phone too, following A with the people panel open.
	small := newPersonAt(t, "small phone", screen{name: "small phone", w: 360, h: 740, touch: true})
	small.open(url)
	small.click("people-toggle")
	small.waitFor("A in the people list", `!!document.querySelector('`+row+`')`)
	small.run("follow A", chromedp.Click(row, chromedp.ByQuery, chromedp.NodeVisible))
	small.waitFor("the follow pill", `!document.querySelector('[data-testid="following"]').hidden`)
	pillClearOfPeople(t, small, "following on a 360×740 phone")
	noSmallControls(t, small, "following on a 360×740 phone")
	shot(t, small, "following-360")

	// A clears the board: the toast with Undo and its close button.
	a.click("clear")
	a.click("clear-confirm")
	p.waitFor("the toast with Undo", `!document.querySelector('[data-testid="toast"]').hidden && !document.querySelector('[data-testid="toast-action"]').hidden`)
	noSmallControls(t, p, "the toast shown")
	shot(t, p, "toast")

	// The history panel, with the clear marked on its track.
	p.click("history")
	p.waitFor("the history with the clear marked", `(() => { const e = document.querySelector('[data-testid="history-panel"]'); return !!e && !e.hidden && !!document.querySelector('[data-testid="history-mark"]'); })()`)
	noSmallControls(t, p, "the history panel open")
	shot(t, p, "history")
	p.click("history-live")
	p.waitFor("the history closed", `document.querySelector('[data-testid="history-panel"]').hidden`)

	// The server gone: the status bar offers to reconnect now, between the
	// page's tries (while one runs it says it is connecting, without the
	// button), so the controls are measured in the same moment it shows.
	r.stop()
	p.waitFor("Reconnect now", `(() => {
		if (document.querySelector('[data-testid="reconnect"]').hidden) return false;
		window.__touchTargets = `+allControlsFn+`();
		return true;
	})()`)
	smallControlsFound(t, p, "offline")
	shot(t, p, "offline")
}
