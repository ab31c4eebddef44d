package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A person who mistypes a board's address gets a page in words, not the
// JSON a script gets, and its link takes them to a board that works; the
// page keeps to its policy (the watch of policy_test.go fails the test on
// any violation, on the error page as on the board).
func TestAMistypedBoardAddressSaysSoInWordsAndItsLinkOpensABoardThatWorks(t *testing.T) {
	base := startServer(t)
	p := newPerson(t, "Ada")
	p.run("open a mistyped board address", chromedp.Navigate(base+"/b/bad%20name!!"))
	var heading, text, link string
	var hasScript bool
	p.eval(`document.querySelector('h1') ? document.querySelector('h1').textContent : ''`, &heading)
	p.eval(`document.body.innerText`, &text)
	p.eval(`(() => { const a = document.querySelector('a'); return a ? a.textContent : ''; })()`, &link)
	p.eval(`!!document.querySelector('script')`, &hasScript)
	if heading == "" || strings.Contains(text, "{") || strings.Contains(text, `"error"`) {
		t.Fatalf("the page for a mistyped address says %q (heading %q); want a sentence, not JSON", text, heading)
	}
	if hasScript {
		t.Error("the error page has a script")
	}
	if !strings.Contains(strings.ToLower(link), "new board") {
		t.Fatalf("the page's link says %q; want it to offer a new board", link)
	}
	t.Logf("the page says: %s", strings.Join(strings.Fields(text), " "))

	p.run("follow the link to a new board", chromedp.Click(`a`, chromedp.ByQuery, chromedp.NodeVisible))
	// The evaluation may meet the page between documents: ask again.
	live := false
	for deadline := time.Now().Add(20 * time.Second); !live && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_ = chromedp.Run(p.ctx, chromedp.Evaluate(`location.pathname.startsWith('/b/') && !!window.sketchpad && window.sketchpad.status() === 'live'`, &live))
	}
	if !live {
		t.Fatal("the link did not lead to a live board")
	}
	var path string
	p.eval(`location.pathname`, &path)
	if path == "/b/bad%20name!!" {
		t.Fatalf("the link led back to the mistyped address %s", path)
	}
	p.tool("pen")
	p.drag(line(200, 300, 500, 380, 12))
	settled(t, p)
	if n := len(p.board().Strokes()); n != 1 {
		t.Errorf("the new board at %s holds %d strokes after one was drawn; want 1", path, n)
	}
	if !p.inkAt(350, 340) {
		t.Errorf("no ink on the new board at %s where the stroke was drawn", path)
	}
}
