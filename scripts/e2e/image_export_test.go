package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// quarterPixels counts the pixels of img in each of testPNG's four colors
// (red, blue, yellow, cyan): an image exported as a gray box has none.
func quarterPixels(img image.Image) [4]int {
	want := [4][3]int{{220, 40, 40}, {40, 120, 220}, {220, 200, 40}, {40, 200, 220}}
	var n [4]int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for i, w := range want {
				if abs(float64(int(r>>8)-w[0])) < 12 && abs(float64(int(g>>8)-w[1])) < 12 && abs(float64(int(bl>>8)-w[2])) < 12 {
					n[i]++
				}
			}
		}
	}
	return n
}

// imageFetches is how many requests the page made for board images (the
// <img> loads of /b/{room}/img/...) and image uploads.
func (p *person) imageFetches() (loads, uploads int) {
	p.t.Helper()
	var n struct{ Loads, Uploads int }
	p.eval(`(() => {
		const e = performance.getEntriesByType('resource');
		return { loads: e.filter((r) => r.name.includes('/img/')).length, uploads: e.filter((r) => r.name.includes('/images')).length };
	})()`, &n)
	return n.Loads, n.Uploads
}

// A pastes an image, moves, resizes and turns it; C opens the board with
// its view far from the image (so C's page never draws it) and exports
// it: the PNG has the image's own pixels and the SVG its bytes, not the
// gray box of an image not yet loaded.
func TestImageExportedByAPageThatNeverShowedIt(t *testing.T) {
	room := "e2e-image-export"
	a, b, base := twoPages(t, room)
	png := testPNG(t, 200, 120)
	a.pasteFile(png, "image/png", "quarters.png")
	board, _ := imageSeen(t, "paste", a, b, canvas.NewBoard(0), base, room)
	a.waitFor("the image selected", `window.sketchpad.selected() === 1`)
	// The style menu offers what applies to an image: its opacity, no color, no width.
	var rows struct{ Color, Opacity, Width bool }
	a.eval(`(() => {
		const shown = (id) => !document.querySelector('[data-testid="' + id + '"]').closest('.pop-row').hidden;
		return { color: shown('color-red'), opacity: shown('opacity'), width: shown('width-8') };
	})()`, &rows)
	if rows.Color || !rows.Opacity || rows.Width {
		t.Errorf("with the image selected the style menu shows color %v, opacity %v, width %v; want the opacity only", rows.Color, rows.Opacity, rows.Width)
	}

	a.keys(kb.ArrowRight, input.ModifierShift)
	settledAfter(t, int(board.Seq), a, b)
	board = identical(t, "nudge", a, b)
	hx, hy := a.center("handle-se")
	a.drag(line(hx, hy, hx+60, hy+30, 15))
	settledAfter(t, int(board.Seq), a, b)
	board = identical(t, "resize", a, b)
	hx, hy = a.center("handle-rotate")
	_, ny := a.center("handle-n")
	_, sy := a.center("handle-s")
	cx, cy := hx, (ny+sy)/2
	a.dragWith(append([][2]float64{{hx, hy}}, arc(cx, cy, math.Hypot(hx-cx, hy-cy), -90, -40, 30)...), input.ModifierShift)
	settledAfter(t, int(board.Seq), a, b)
	board = identical(t, "turn", a, b)
	img := board.Strokes()[0]
	if img.Tool != canvas.ToolImage || img.Rot != 4500 {
		t.Fatalf("after the turn the board's first item is tool %d turned %d, want the image turned 4500", img.Tool, img.Rot)
	}
	if w := img.Points[1].X - img.Points[0].X; w <= 800 {
		t.Fatalf("the image is %d units wide after the resize, want more than 800", w)
	}

	// C remembers a view of this board far from the image.
	c := newPerson(t, "C")
	c.run("open the server", chromedp.Navigate(base+"/healthz"))
	c.eval(`localStorage.setItem('sketchpad.views.v2', JSON.stringify({'`+room+`': [0.25, -200000, -200000, Date.now()]})), true`, new(bool))
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if loads, _ := c.imageFetches(); loads != 0 {
		t.Fatalf("C's page loaded the image %d times before exporting: the test needs it out of view", loads)
	}

	var pngURL string
	c.evalAsync(`window.sketchpad.exportPNG('board')`, &pngURL)
	q := quarterPixels(decodeDataURL(t, pngURL))
	for i, n := range q {
		if n < 1000 {
			t.Errorf("C's PNG export has %d pixels of the image's quarter %d (all: %v): the image is not in it", n, i, q)
		}
	}
	var svg string
	c.evalAsync(`window.sketchpad.exportSVG('board')`, &svg)
	if !strings.Contains(svg, `href="data:image/png;base64,`+base64.StdEncoding.EncodeToString(png)+`"`) {
		t.Errorf("C's SVG export does not hold the image's bytes: %.300s", svg)
	}
	if !strings.Contains(svg, `rotate(45 `) {
		t.Errorf("C's SVG export does not turn the image: %.300s", svg)
	}
	// A's export, of a page that drew the image, is the same picture.
	var pngA string
	a.evalAsync(`window.sketchpad.exportPNG('board')`, &pngA)
	if qa := quarterPixels(decodeDataURL(t, pngA)); qa != q {
		t.Errorf("A's PNG export has image pixels %v, C's %v", qa, q)
	}

	// An image the server does not give: no export, and a message saying why.
	c.eval(`(() => {
		const f = window.fetch;
		window.fetch = (u, o) => (String(u).includes('/img/') ? Promise.resolve(new Response('', { status: 404 })) : f(u, o));
		return true;
	})()`, new(bool))
	var why string
	c.evalAsync(`window.sketchpad.exportPNG('board').then(() => 'exported', (e) => e.message)`, &why)
	if !strings.Contains(why, "could not be fetched (HTTP 404)") {
		t.Errorf("an export with an image the server refuses gave %q, want a refusal naming the fetch", why)
	}
	c.click("share")
	c.waitFor("the export buttons", `document.querySelector('[data-testid="export-png"]').getBoundingClientRect().width > 0`)
	c.click("export-png")
	c.waitFor("the message", `document.body.innerText.includes('The PNG was not exported: an image of the board could not be fetched (HTTP 404)')`)
}

// A copies an image on a board of one server and pastes it into a board
// on another: that server gets the image's bytes (uploaded by the paste),
// B there sees it, and a second paste into that board uploads nothing.
func TestImageCopiedToABoardOnAnotherServer(t *testing.T) {
	a, _, base := twoPages(t, "e2e-image-copy-from")
	a.run("grant the clipboard", browser.GrantPermissions([]browser.PermissionType{browser.PermissionTypeClipboardReadWrite, browser.PermissionTypeClipboardSanitizedWrite}).WithOrigin(base),
		emulation.SetFocusEmulationEnabled(true))
	png := testPNG(t, 200, 120)
	sum := sha256.Sum256(png)
	hash := hex.EncodeToString(sum[:])
	a.pasteFile(png, "image/png", "quarters.png")
	a.waitFor("the image placed and selected", `window.sketchpad.selected() === 1 && window.sketchpad.pendingOps() === 0`)
	a.shortcut("c", "copy")
	// The bytes go with the text the asynchronous write puts on the
	// clipboard; the picture for other apps draws the image (its bytes in
	// the SVG). Read as another app would: a board page may not read the
	// clipboard (readClipboard).
	var got struct{ Text, HTML string }
	readClipboard(a, `(async () => {
		const deadline = Date.now() + 20000;
		for (;;) {
			const text = await navigator.clipboard.readText().catch(() => '');
			if ((text.includes('"images"') && text.includes('`+hash+`')) || Date.now() > deadline) {
				const items = await navigator.clipboard.read({ unsanitized: ['text/html'] }).catch(() => navigator.clipboard.read()).catch(() => []);
				const item = items.find((i) => i.types.includes('text/html'));
				return { text, html: item ? await (await item.getType('text/html')).text() : '' };
			}
			await new Promise((r) => setTimeout(r, 50));
		}
	})()`, &got)
	if !strings.Contains(got.Text, `"images"`) || !strings.Contains(got.Text, hash) {
		t.Fatalf("the clipboard's text does not carry the image's bytes: %.200q", got.Text)
	}
	html := got.HTML
	if !strings.Contains(html, base64.StdEncoding.EncodeToString(png)) {
		t.Errorf("the clipboard's SVG does not hold the image's bytes: %.300q", html)
	}

	room := "e2e-image-paste-to"
	b, base2 := pasteOnAnotherServer(t, a, room)
	a.waitFor("pasted", `window.sketchpad.selected() === 1 && window.sketchpad.pendingOps() === 0`)
	board, img := imageSeen(t, "paste on another server", a, b, canvas.NewBoard(0), base2, room)
	if img.Text != hash {
		t.Fatalf("the pasted image names %s, want the copied image %s", img.Text, hash)
	}
	if got := httpGet(t, base2+"/b/"+room+"/img/"+hash, "image/png"); !bytes.Equal(got, png) {
		t.Fatalf("the other server holds %d bytes for the image, want the %d copied", len(got), len(png))
	}
	if _, up := a.imageFetches(); up != 1 {
		t.Fatalf("the paste made %d uploads, want 1", up)
	}

	// Pasted again on that board: placed again, nothing uploaded.
	a.shortcut("v", "paste")
	settledAfter(t, int(board.Seq), a, b)
	board = identical(t, "second paste", a, b)
	n := 0
	for _, s := range board.Strokes() {
		if s.Tool == canvas.ToolImage && s.Text == hash {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("after the second paste the board holds %d of the image, want 2", n)
	}
	if _, up := a.imageFetches(); up != 1 {
		t.Errorf("the second paste uploaded again: %d uploads", up)
	}
}
