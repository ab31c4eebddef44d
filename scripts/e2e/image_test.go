package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// testPNG is a w × h PNG: four colored quarters, so a scaled or moved
// image shows.
func testPNG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, G: 40, B: 40, A: 255}
			if x >= w/2 {
				c = color.RGBA{R: 40, G: 120, B: 220, A: 255}
			}
			if y >= h/2 {
				c.G = 200
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pasteFile makes the page handle a paste of a file (the browser's paste
// event, with the bytes on its clipboard data), as Ctrl+V with an image
// copied elsewhere does.
func (p *person) pasteFile(data []byte, typ, name string) {
	p.t.Helper()
	js := fmt.Sprintf(`(() => {
		const bytes = Uint8Array.from(atob(%q), (c) => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], %q, {type: %q}));
		document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		return true;
	})()`, base64.StdEncoding.EncodeToString(data), name, typ)
	var ok bool
	p.eval(js, &ok)
}

var svgImage = regexp.MustCompile(`<image data-stroke="([0-9]+-[0-9]+)" x="(-?[0-9]+)" y="(-?[0-9]+)" width="([0-9]+)" height="([0-9]+)" preserveAspectRatio="none" href="data:image/png;base64,`)

// imageSeen checks what A just did to the image: B has the same board and
// the same pixels, and the server's picture draws the image (as a data:
// URI) where the board has it. It returns the board and the image.
func imageSeen(t *testing.T, what string, a, b *person, before *canvas.Board, base, room string) (*canvas.Board, *canvas.Stroke) {
	t.Helper()
	settledAfter(t, int(before.Seq), a, b)
	board := identical(t, what, a, b)
	samePixels(t, what, region{100, 110, 800, 500}, a, b)
	var img *canvas.Stroke
	for _, s := range board.Strokes() {
		if s.Tool == canvas.ToolImage {
			img = s
		}
	}
	if img == nil {
		t.Fatalf("%s: no image on the board", what)
	}
	svg := string(httpGet(t, base+"/b/"+room+".svg", "image/svg+xml"))
	m := svgImage.FindStringSubmatch(svg)
	p, q := img.Points[0], img.Points[1]
	want := []string{strokeKey(img.ID), itoa(int(min(p.X, q.X))), itoa(int(min(p.Y, q.Y))), itoa(int(max(p.X, q.X) - min(p.X, q.X))), itoa(int(max(p.Y, q.Y) - min(p.Y, q.Y)))}
	if img.Visible() && (m == nil || strings.Join(m[1:], " ") != strings.Join(want, " ")) {
		t.Fatalf("%s: the server's picture has image %v, want %v", what, m, want)
	}
	return board, img
}

// A pastes an image: B sees it (pixels and board), as does the server's
// picture; A nudges and resizes it and B sees each; undo and redo are one
// step each; a late joiner gets the same board. An SVG pasted is refused
// with a message, and nobody sees anything of it.
func TestImagePastedMovedResizedSeenByEveryone(t *testing.T) {
	room := "e2e-image"
	a, b, base := twoPages(t, room)
	board := canvas.NewBoard(0)

	// Paste with the pointer over nothing in particular: the middle of the view.
	a.pasteFile(testPNG(t, 200, 120), "image/png", "quarters.png")
	board, img := imageSeen(t, "paste", a, b, board, base, room)
	placed := img.Points
	if w, h := placed[1].X-placed[0].X, placed[1].Y-placed[0].Y; w != 800 || h != 480 {
		t.Fatalf("pasted image is %d × %d board units, want 800 × 480 (its own size at 100 %%)", w, h)
	}
	a.waitFor("the image selected", `window.sketchpad.selected() === 1`)

	// Nudge: Shift+→ is 40 units.
	a.keys(kb.ArrowRight, input.ModifierShift)
	board, img = imageSeen(t, "nudge", a, b, board, base, room)
	if img.Points[0].X != placed[0].X+40 || img.Points[0].Y != placed[0].Y {
		t.Fatalf("nudge: the image starts at %v, want 40 units right of %v", img.Points[0], placed[0])
	}
	moved := img.Points

	// Resize by the corner handle: 100 CSS px right, 50 down.
	var h struct{ X, Y float64 }
	h.X, h.Y = a.center("handle-se")
	a.drag(line(h.X, h.Y, h.X+100, h.Y+50, 20))
	board, img = imageSeen(t, "resize", a, b, board, base, room)
	if w, ht := img.Points[1].X-img.Points[0].X, img.Points[1].Y-img.Points[0].Y; w <= 800 || ht <= 480 {
		t.Fatalf("resize: the image is %d × %d, want larger than 800 × 480", w, ht)
	}
	resized := img.Points

	// Undo the resize, then the nudge; redo both.
	a.undo()
	board, img = imageSeen(t, "undo resize", a, b, board, base, room)
	if img.Points[0] != moved[0] || img.Points[1] != moved[1] {
		t.Fatalf("undo resize: %v, want %v", img.Points, moved)
	}
	a.undo()
	board, img = imageSeen(t, "undo nudge", a, b, board, base, room)
	if img.Points[0] != placed[0] || img.Points[1] != placed[1] {
		t.Fatalf("undo nudge: %v, want %v", img.Points, placed)
	}
	a.redo()
	board, _ = imageSeen(t, "redo nudge", a, b, board, base, room)
	a.redo()
	board, img = imageSeen(t, "redo resize", a, b, board, base, room)
	// A redone resize is the Transform about the box as it is now: its
	// rounding may put an edge a unit (a quarter pixel) off.
	for i := range 2 {
		if d := max(abs(float64(img.Points[i].X-resized[i].X)), abs(float64(img.Points[i].Y-resized[i].Y))); d > 2 {
			t.Fatalf("redo resize: %v, want %v", img.Points, resized)
		}
	}

	// An SVG with a script: refused with a message; the board is as it was.
	a.pasteFile([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "image/svg+xml", "evil.svg")
	a.waitFor("the refusal shown", `document.body.innerText.includes('SVG images are refused')`)
	if a.boardHex() != b.boardHex() || len(a.board().Strokes()) != 1 {
		t.Fatal("a refused SVG changed the board")
	}

	// A late joiner holds the same board and draws the image.
	c := newPerson(t, "C")
	c.open(base + "/b/" + room)
	c.waitFor("C caught up", `window.sketchpad.seq() >= `+itoa(int(board.Seq)))
	if c.boardHex() != a.boardHex() {
		t.Fatal("the late joiner's board differs")
	}
	samePixels(t, "late joiner", region{100, 110, 800, 500}, a, c)
}
