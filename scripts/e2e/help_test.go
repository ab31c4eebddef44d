package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
)

// On a Mac the ? help and the undo button say ⌘ where other platforms say
// Ctrl (the keyboard takes either), and the help names each control once.
func TestHelpSaysCommandOnAMac(t *testing.T) {
	base := startServer(t)
	a := newPerson(t, "Mac")
	a.run("a Mac's user agent", emulation.SetUserAgentOverride("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36").WithPlatform("MacIntel"))
	a.open(base + "/b/e2e-help-mac")
	a.waitFor("live", `window.sketchpad.status() === 'live'`)
	a.keys("?")
	a.waitFor("the help's tables", `document.querySelectorAll('#help-panel tbody tr').length > 10 && !document.querySelector('#help-panel').hidden`)
	var got struct {
		Command, Ctrl, Status int
		Undo                  string
	}
	a.eval(`(() => {
		const kbd = [...document.querySelectorAll('#help-panel kbd')].map((k) => k.textContent);
		return {
			command: kbd.filter((k) => k === '⌘').length,
			ctrl: kbd.filter((k) => k.includes('Ctrl')).length,
			status: [...document.querySelectorAll('#help-panel th')].filter((th) => th.textContent === 'Status (bottom left)').length,
			undo: document.querySelector('[data-testid="undo"]').title,
		};
	})()`, &got)
	if got.Command < 8 || got.Ctrl != 0 {
		t.Errorf("the help on a Mac shows ⌘ %d times and Ctrl %d times; want ⌘ for every Ctrl", got.Command, got.Ctrl)
	}
	if got.Status != 1 {
		t.Errorf("the help has %d rows for the status, want one", got.Status)
	}
	if got.Undo != "Undo (⌘+Z)" {
		t.Errorf("the undo button says %q on a Mac", got.Undo)
	}
}
