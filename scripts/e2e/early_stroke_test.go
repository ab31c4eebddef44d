package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestAStrokeDrawnAsThePageLoadsLands draws on the canvas the moment the
// page's script has run (at DOMContentLoaded), while the rest of the page
// is still being built over the next tasks: the stroke is not lost, it is
// drawn and sent once the page connects.
func TestAStrokeDrawnAsThePageLoadsLands(t *testing.T) {
	base := startServer(t)
	p := newPerson(t, "Early")
	p.run("draw at DOMContentLoaded", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`document.addEventListener('DOMContentLoaded', () => {
			const c = document.querySelector('canvas#board');
			// The page is not built yet: it makes window.sketchpad last.
			window.earlyStroke = { built: window.sketchpad !== undefined };
			const at = (type, x, y) => c.dispatchEvent(new PointerEvent(type, {
				pointerId: 1, pointerType: 'mouse', isPrimary: true, bubbles: true, cancelable: true,
				button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1, clientX: x, clientY: y }));
			at('pointerdown', 200, 300);
			for (let i = 1; i <= 20; i++) at('pointermove', 200 + i * 15, 300 + (i % 5) * 8);
			at('pointerup', 500, 300);
		});`).Do(ctx)
		return err
	}))
	p.open(base + "/b/e2e-early-stroke")
	var built bool
	p.eval(`window.earlyStroke.built`, &built)
	if built {
		t.Fatal("the page was built before DOMContentLoaded: the stroke did not come early")
	}
	p.waitFor("the early stroke drawn and acknowledged", `window.sketchpad.visibleStrokes() === 1 && window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 0`)

	// Someone who opens the board later sees it too.
	q := newPerson(t, "Later")
	q.open(base + "/b/e2e-early-stroke")
	q.waitFor("the early stroke on the server", `window.sketchpad.visibleStrokes() === 1`)
}
