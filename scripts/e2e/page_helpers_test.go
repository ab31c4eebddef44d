package e2e

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sketchpad/sketchpad/canvas"
)

// Helpers for the tool, share, export and big-board tests: pixels of a
// region, keys, toolbar clicks, the page's board decoded with the Go model.

// region is a rectangle of CSS pixels on the drawing surface, [x0, x1) ×
// [y0, y1).
type region struct{ x0, y0, x1, y1 int }

func (r region) String() string { return fmt.Sprintf("(%d,%d)-(%d,%d)", r.x0, r.y0, r.x1, r.y1) }

// union returns the smallest region holding r and o.
func (r region) union(o region) region {
	return region{min(r.x0, o.x0), min(r.y0, o.y0), max(r.x1, o.x1), max(r.y1, o.y1)}
}

// around returns the region holding every point of pts, grown by pad.
func around(pts [][2]float64, pad int) region {
	r := region{1 << 30, 1 << 30, -1 << 30, -1 << 30}
	for _, p := range pts {
		r = r.union(region{int(p[0]), int(p[1]), int(p[0]) + 1, int(p[1]) + 1})
	}
	return region{r.x0 - pad, r.y0 - pad, r.x1 + pad, r.y1 + pad}
}

// pixels is a crop of the drawing surface: RGBA bytes in device pixels.
type pixels struct {
	w, h int
	rgba []byte
}

// ink counts the pixels something is painted on (the canvas is transparent
// where nothing is drawn; the page's background is CSS).
func (p pixels) ink() int {
	n := 0
	for i := 3; i < len(p.rgba); i += 4 {
		if p.rgba[i] > 24 {
			n++
		}
	}
	return n
}

// diff counts the pixels that differ between p and o and the largest
// difference of one channel, as each pixel shows over whatever is behind
// the canvas: its color times its opacity (premultiplied, as the canvas
// keeps it), and its opacity. getImageData hands out straight colors,
// which turn a difference of one level in a nearly transparent edge pixel
// (the kind two ways of painting the same stroke round differently) into
// tens of levels nobody sees; a wrong color, a wrong width or a stroke
// out of place differs by as much either way.
func (p pixels) diff(o pixels) (n, most int) {
	if p.w != o.w || p.h != o.h || len(p.rgba) != len(o.rgba) {
		return -1, -1
	}
	for i := 0; i < len(p.rgba); i += 4 {
		d := 0
		pa, oa := int(p.rgba[i+3]), int(o.rgba[i+3])
		for c := 0; c < 4; c++ {
			x, y := int(p.rgba[i+c]), int(o.rgba[i+c])
			if c < 3 {
				x, y = (x*pa+127)/255, (y*oa+127)/255
			}
			d = max(d, x-y, y-x)
		}
		if d > 0 {
			n++
			most = max(most, d)
		}
	}
	return n, most
}

// png writes the crop to path (for looking at a failure).
func (p pixels) png(path string) {
	img := image.NewNRGBA(image.Rect(0, 0, p.w, p.h))
	copy(img.Pix, p.rgba)
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = png.Encode(f, img)
}

// regionPixels returns the drawing surface's pixels in r (CSS pixels,
// clipped to the canvas), as getImageData gives them.
func (p *person) regionPixels(r region) pixels {
	p.t.Helper()
	var out struct {
		W, H int
		B64  string
	}
	p.eval(fmt.Sprintf(`(() => {
		const cs = [...document.querySelectorAll('canvas:not(.lasers)')];
		cs.sort((a, b) => b.width * b.height - a.width * a.height);
		const c = cs[0], rc = c.getBoundingClientRect();
		const k = c.width / rc.width;
		const x0 = Math.max(0, Math.round(%d * k)), y0 = Math.max(0, Math.round(%d * k));
		const x1 = Math.min(c.width, Math.round(%d * k)), y1 = Math.min(c.height, Math.round(%d * k));
		const d = c.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
		let s = '';
		for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
		return {w: x1 - x0, h: y1 - y0, b64: btoa(s)};
	})()`, r.x0, r.y0, r.x1, r.y1), &out)
	b, err := base64.StdEncoding.DecodeString(out.B64)
	if err != nil || len(b) != out.W*out.H*4 {
		p.t.Fatalf("region %v: %d bytes for %d×%d (%v)", r, len(b), out.W, out.H, err)
	}
	return pixels{w: out.W, h: out.H, rgba: b}
}

// digest is a page's summary of a region: its size, two 32-bit hashes of
// its pixels and its ink count. Comparing digests keeps the megabytes of a
// whole canvas in the page unless they differ.
type digest struct {
	W, H, H1, H2, Ink int
}

// regionDigest returns the digest of the drawing surface's pixels in r.
func (p *person) regionDigest(r region) digest {
	p.t.Helper()
	var d digest
	p.eval(fmt.Sprintf(`(() => {
		const cs = [...document.querySelectorAll('canvas:not(.lasers)')];
		cs.sort((a, b) => b.width * b.height - a.width * a.height);
		const c = cs[0], rc = c.getBoundingClientRect();
		const k = c.width / rc.width;
		const x0 = Math.max(0, Math.round(%d * k)), y0 = Math.max(0, Math.round(%d * k));
		const x1 = Math.min(c.width, Math.round(%d * k)), y1 = Math.min(c.height, Math.round(%d * k));
		const d = c.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
		const u = new Uint32Array(d.buffer, d.byteOffset, d.length >> 2);
		let h1 = 0x811c9dc5, h2 = 0x12345678, ink = 0;
		for (let i = 0; i < u.length; i++) {
			const v = u[i];
			h1 = Math.imul(h1 ^ v, 0x01000193);
			h2 = (Math.imul(h2, 31) + v + i) | 0;
			if (d[i * 4 + 3] > 24) ink++;
		}
		return {W: x1 - x0, H: y1 - y0, H1: h1 >>> 0, H2: h2 >>> 0, Ink: ink};
	})()`, r.x0, r.y0, r.x1, r.y1), &d)
	return d
}

// samePixels waits (the pages paint at their next animation frame) until a
// and b show the same pixels in r, and returns how many of them have ink;
// it fails the test if they still differ after a few seconds. Both pages
// must be at the same view.
func samePixels(t *testing.T, what string, r region, a, b *person) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		da, db := a.regionDigest(r), b.regionDigest(r)
		if da == db {
			return da.Ink
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	pa, pb := a.regionPixels(r), b.regionPixels(r)
	n, most := pa.diff(pb)
	if dir := os.Getenv("SKETCHPAD_E2E_SHOTS"); dir != "" {
		name := strings.NewReplacer(" ", "_", "/", "_").Replace(t.Name() + "-" + what)
		pa.png(filepath.Join(dir, name+"-a.png"))
		pb.png(filepath.Join(dir, name+"-b.png"))
	}
	t.Fatalf("%s: the pages show different pixels in %v: %d of %d differ (largest channel difference %d; ink %d vs %d)",
		what, r, n, pa.w*pa.h, most, pa.ink(), pb.ink())
	return 0
}

// settled waits until a's work is acknowledged and every other page has
// applied everything a has.
func settled(t *testing.T, a *person, others ...*person) {
	t.Helper()
	settledAfter(t, -1, a, others...)
}

// settledAfter is settled once a's board is past sequence number seq (what
// a just did has come back from the room).
func settledAfter(t *testing.T, seq int, a *person, others ...*person) {
	t.Helper()
	a.waitFor("A's ops acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > `+itoa(seq))
	a.eval(`window.sketchpad.seq()`, &seq)
	for _, o := range others {
		o.waitFor("the other page to catch up", `window.sketchpad.seq() >= `+itoa(seq))
	}
}

// board returns the page's board, decoded by the Go model.
func (p *person) board() *canvas.Board {
	p.t.Helper()
	var h string
	p.eval(`window.sketchpad.boardHex()`, &h)
	raw, err := hex.DecodeString(h)
	if err != nil {
		p.t.Fatalf("boardHex: %v", err)
	}
	b := new(canvas.Board)
	if err := b.UnmarshalBinary(raw); err != nil {
		p.t.Fatalf("the page's board does not decode: %v", err)
	}
	return b
}

// boardHex is the page's board, hex.
func (p *person) boardHex() string {
	p.t.Helper()
	var h string
	p.eval(`window.sketchpad.boardHex()`, &h)
	return h
}

// identical fails the test unless a and b hold the same board, byte for
// byte, and returns it.
func identical(t *testing.T, what string, a, b *person) *canvas.Board {
	t.Helper()
	ha, hb := a.boardHex(), b.boardHex()
	if ha != hb {
		t.Fatalf("%s: the pages hold different boards (%d vs %d hex chars)", what, len(ha), len(hb))
	}
	return a.board()
}

// strokeKey names a stroke as data-stroke does: "author-n".
func strokeKey(id canvas.StrokeID) string { return fmt.Sprintf("%d-%d", id.Author, id.N) }

// visible returns the strokes a picture shows as elements of their own:
// not hidden, not partial-eraser strokes (those are masks), in z-order.
func visible(b *canvas.Board) []*canvas.Stroke {
	var out []*canvas.Stroke
	for _, s := range b.Strokes() {
		if s.Visible() && s.Tool != canvas.ToolEraser {
			out = append(out, s)
		}
	}
	return out
}

// newStrokes returns the strokes of after that before does not have.
func newStrokes(before, after *canvas.Board) []*canvas.Stroke {
	var out []*canvas.Stroke
	for _, s := range after.Strokes() {
		if before.Stroke(s.ID) == nil {
			out = append(out, s)
		}
	}
	return out
}

// pressAt moves the mouse to (x, y) and presses its left button there,
// holding it: the start of a drag the caller goes on with.
func pressAt(ctx context.Context, x, y float64) error {
	if err := input.DispatchMouseEvent(input.MouseMoved, x, y).Do(ctx); err != nil {
		return err
	}
	return input.DispatchMouseEvent(input.MousePressed, x, y).WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx)
}

// click clicks the element with data-testid id, as a mouse does. A control
// the toolbar keeps in a menu (the style menu; the "More" menu of a narrow
// window) is reached as a person reaches it: the menu's button first, and
// the menu closed with Escape after a choice.
func (p *person) click(id string) {
	p.t.Helper()
	menus := p.menusTo(id)
	for _, m := range menus {
		p.run("open the menu "+m, chromedp.Click(`[data-testid="`+m+`"]`, chromedp.ByQuery, chromedp.NodeVisible))
	}
	p.run("click "+id, chromedp.Click(`[data-testid="`+id+`"]`, chromedp.ByQuery, chromedp.NodeVisible))
	if len(menus) == 0 {
		return
	}
	var opener bool
	p.eval(`document.querySelector('[data-testid="`+id+`"]').hasAttribute('aria-expanded')`, &opener)
	if !opener {
		p.keys("\x1b")
		p.waitFor("the menus closed", `[...document.querySelectorAll('[data-menu-of]')].every((m) => m.hidden)`)
	}
}

// menusTo returns the data-testids of the closed menus' buttons that lead to
// the element with data-testid id, outermost first.
func (p *person) menusTo(id string) []string {
	p.t.Helper()
	var out []string
	p.eval(`(() => {
		const out = [];
		let el = document.querySelector('[data-testid="`+id+`"]');
		while (el) {
			const m = el.parentElement && el.parentElement.closest('[data-menu-of]');
			if (!m) break;
			if (m.hidden) out.unshift(m.dataset.menuOf);
			el = document.querySelector('[data-testid="' + m.dataset.menuOf + '"]');
		}
		return out;
	})()`, &out)
	return out
}

// tool picks a tool from the toolbar and checks it is pressed.
func (p *person) tool(name string) {
	p.t.Helper()
	p.click("tool-" + name)
	p.waitFor("tool "+name+" pressed", `document.querySelector('[data-testid="tool-`+name+`"]').getAttribute('aria-pressed') === 'true'`)
}

// keys types keys (chromedp's kb names: kb.Enter, kb.Delete ...) into the
// page's focused element, with modifiers held.
func (p *person) keys(keys string, mods ...input.Modifier) {
	p.t.Helper()
	p.run("keys "+fmt.Sprintf("%q", keys), chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
}

// undo and redo press Ctrl+Z and Ctrl+Shift+Z.
func (p *person) undo() { p.t.Helper(); p.keys("z", input.ModifierCtrl) }
func (p *person) redo() { p.t.Helper(); p.keys("z", input.ModifierCtrl|input.ModifierShift) }

// enter is the Enter key.
const enter = kb.Enter

// clickAt presses and releases the left button at (x, y).
func (p *person) clickAt(x, y float64) {
	p.t.Helper()
	p.drag([][2]float64{{x, y}})
}

// line is n+1 evenly spaced points from (x0, y0) to (x1, y1).
func line(x0, y0, x1, y1 float64, n int) [][2]float64 {
	pts := make([][2]float64, n+1)
	for i := range pts {
		f := float64(i) / float64(n)
		pts[i] = [2]float64{x0 + (x1-x0)*f, y0 + (y1-y0)*f}
	}
	return pts
}

// decodeDataURL decodes a PNG data URL.
func decodeDataURL(t *testing.T, url string) image.Image {
	t.Helper()
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(url, prefix) {
		t.Fatalf("not a PNG data URL: %.40q", url)
	}
	raw, err := base64.StdEncoding.DecodeString(url[len(prefix):])
	if err != nil {
		t.Fatalf("PNG data URL: %v", err)
	}
	img, err := png.Decode(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("PNG data URL (%d bytes) does not decode: %v", len(raw), err)
	}
	return img
}

// inkPixels counts an exported picture's pixels that are not white (the
// exports are on white).
func inkPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if int(c.R)+int(c.G)+int(c.B) < 3*255-60 {
				n++
			}
		}
	}
	return n
}

// withTimeout runs f with a context that ends after d.
func withTimeout(d time.Duration, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return f(ctx)
}

// pasteOnAnotherServer starts a second server, opens board room there for a
// (who has just copied) and for a new person B2, puts a's pointer over the
// board and pastes: what lands is under the pointer. It returns B2 and the
// server's address.
func pasteOnAnotherServer(t *testing.T, a *person, room string) (*person, string) {
	t.Helper()
	base := startServer(t)
	a.open(base + "/b/" + room)
	b := newPerson(t, "B2")
	b.open(base + "/b/" + room)
	a.waitFor("live", `window.sketchpad.status() === 'live'`)
	a.run("pointer over the board", chromedp.ActionFunc(func(ctx context.Context) error {
		return input.DispatchMouseEvent(input.MouseMoved, 600, 350).Do(ctx)
	}))
	a.shortcut("v", "paste")
	return b, base
}
