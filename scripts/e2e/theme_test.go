package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The dark theme and the menus over the board, as a person sees them
// (issue 17).

// screenPNG is what the window shows, filters included (a canvas's own
// pixels are the board before the dark theme's filter).
func (p *person) screenPNG() image.Image {
	p.t.Helper()
	var buf []byte
	p.run("screenshot", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		buf, err = page.CaptureScreenshot().Do(ctx)
		return err
	}))
	img, _, err := image.Decode(bytes.NewReader(buf))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	return img
}

// luminance is the WCAG relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v>>8) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrastOf(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// twoFrames waits until the page has painted twice.
func (p *person) twoFrames() {
	p.t.Helper()
	p.run("two frames", chromedp.Evaluate(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, nil, awaitPromise))
}

func TestTheHighlighterReadsInTheDarkThemeAndExportsInItsOwnColor(t *testing.T) {
	base := startServer(t)
	a := newPerson(t, "A")
	a.remember(base, `{"name":"Ada","theme":"dark"}`)
	a.open(base + "/b/e2e-dark-highlighter")
	var theme string
	a.eval(`document.documentElement.dataset.theme`, &theme)
	if theme != "dark" {
		t.Fatalf("theme %q, want the remembered dark", theme)
	}
	a.tool("highlighter")
	a.drag(line(300, 300, 700, 300, 30))
	settled(t, a)
	a.twoFrames()
	shot := a.screenPNG()
	mark, page := shot.At(500, 300), shot.At(500, 450)
	if c := contrastOf(mark, page); c < 3 {
		t.Errorf("the highlighter shows as %v on the dark page's %v: %.2f:1, want 3:1 or more", mark, page, c)
	}
	if r, g, b, _ := mark.RGBA(); !(r > b*5/4 && g > b*6/5) {
		t.Errorf("the highlighter shows as %v in the dark theme: not yellow", mark)
	}

	// The export is on white with the highlighter's own yellow, whatever the theme.
	var url string
	a.run("export PNG", chromedp.Evaluate(`window.sketchpad.exportPNG('board', 1)`, &url, awaitPromise))
	img := decodeDataURL(t, url)
	bnd := img.Bounds()
	mid := img.At(bnd.Min.X+bnd.Dx()/2, bnd.Min.Y+bnd.Dy()/2)
	r, g, b, _ := mid.RGBA()
	// 0xf2c200 at 40 % on white: about (250, 231, 153).
	if r>>8 < 235 || g>>8 < 215 || g>>8 > 245 || b>>8 < 130 || b>>8 > 175 {
		t.Errorf("the exported highlighter is %v; want the yellow on white a light page shows (about 250, 231, 153)", mid)
	}
	shots(t, a)
}

// Clicking the board to close a menu (the share menu, the style menu, the
// "More" menu of a narrower window) only closes it: the click draws nothing.
func TestClickingTheBoardToCloseAMenuDrawsNothing(t *testing.T) {
	base := startServer(t)
	// A tablet's width: the toolbar keeps some tools in its "More" menu.
	a := newPersonAt(t, "A", screens[1])
	a.open(base + "/b/e2e-menu-away")
	a.tool("pen")
	const x, y = 300.0, 700.0
	var onBoard bool
	a.eval(fmt.Sprintf(`document.elementFromPoint(%v, %v) === document.getElementById('board')`, x, y), &onBoard)
	if !onBoard {
		t.Fatalf("(%v, %v) is not on the board", x, y)
	}
	for i, m := range []string{"share", "style", "more"} {
		expanded := `document.querySelector('[data-testid="` + m + `"]').getAttribute('aria-expanded')`
		a.run("open the menu "+m, chromedp.Click(`[data-testid="`+m+`"]`, chromedp.ByQuery, chromedp.NodeVisible))
		a.waitFor("the menu "+m+" open", expanded+` === 'true'`)
		a.eval(fmt.Sprintf(`document.elementFromPoint(%v, %v) === document.getElementById('board')`, x, y), &onBoard)
		if !onBoard {
			t.Fatalf("the menu %s covers (%v, %v): the click would not reach the board", m, x, y)
		}
		a.clickAt(x, y)
		a.waitFor("the menu "+m+" closed", expanded+` === 'false'`)
		// A stroke after it: once it is on the board, the click would be too.
		yy := 200 + 40*float64(i)
		a.drag(line(200, yy, 400, yy+20, 20))
		settled(t, a)
		if n := len(a.board().Strokes()); n != i+1 {
			t.Errorf("%d strokes on the board after a click to close the %s menu and %d strokes; want only the strokes", n, m, i+1)
		}
		a.twoFrames()
		if a.inkAt(x, y) {
			t.Errorf("the click that closed the %s menu left ink", m)
		}
	}
}
