package e2e

import (
	"bytes"
	"encoding/xml"
	"image"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/canvas"
)

// Export from the page (PNG and SVG, through window.sketchpad and through
// the share menu's buttons) and the server's /b/{room}.svg, after A drew
// every kind of stroke.

// drawEveryKind has a draw with every tool: pen, highlighter, line, arrow,
// a filled rectangle, an ellipse, a text, a partial eraser through the pen
// stroke, and a second pen stroke that the stroke eraser takes away. It
// waits until the room acknowledged all of it.
func drawEveryKind(t *testing.T, a *person) {
	t.Helper()
	a.tool("pen")
	a.drag(waveIn(140, 440, 160, 30, 40))
	a.tool("highlighter")
	a.drag(line(150, 160, 430, 160, 20))
	a.tool("line")
	a.drag(line(140, 250, 300, 330, 10))
	a.tool("arrow")
	a.drag(line(360, 330, 520, 250, 10))
	a.tool("rect")
	a.click("fill")
	a.waitFor("fill on", `document.querySelector('[data-testid="fill"]').getAttribute('aria-pressed') === 'true'`)
	a.drag(line(560, 250, 700, 330, 10))
	a.tool("ellipse")
	a.click("fill")
	a.waitFor("fill off", `document.querySelector('[data-testid="fill"]').getAttribute('aria-pressed') === 'false'`)
	a.drag(line(140, 380, 300, 470, 10))
	a.tool("text")
	a.clickAt(380, 420)
	a.waitFor("the text field focused", `document.activeElement === document.querySelector('[data-testid="text-editor"]')`)
	a.keys("Export me")
	a.keys(enter)
	a.waitFor("the text field closed", `document.querySelector('[data-testid="text-editor"]').hidden`)
	a.tool("partial-eraser")
	a.drag(line(290, 110, 290, 210, 15))
	a.tool("pen")
	a.drag(waveIn(560, 760, 420, 30, 30))
	a.waitFor("the second pen stroke acknowledged", `window.sketchpad.pendingOps() === 0`)
	a.tool("eraser")
	a.drag(line(660, 370, 660, 480, 20))
	settled(t, a)
	b := a.board()
	kinds := map[uint8]int{}
	hidden := 0
	for _, s := range b.Strokes() {
		kinds[s.Tool]++
		if s.Hidden {
			hidden++
		}
	}
	if len(kinds) != 8 || hidden != 1 || len(b.Strokes()) != 9 {
		t.Fatalf("the board holds %d strokes (tools %v, %d hidden); want 9 of 8 tools, 1 hidden", len(b.Strokes()), kinds, hidden)
	}
}

// svgDoc is what the tests read from an SVG document.
type svgDoc struct {
	width, height float64
	strokes       []string // data-stroke values, in document order
	masks         int
}

// parseSVG parses an SVG document strictly as XML.
func parseSVG(t *testing.T, what string, doc []byte) svgDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var out svgDoc
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", what, err)
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(name string) string {
			for _, a := range el.Attr {
				if a.Name.Local == name {
					return a.Value
				}
			}
			return ""
		}
		if root {
			root = false
			if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
				t.Fatalf("%s: the root is %v, want an svg element in the SVG namespace", what, el.Name)
			}
			out.width, _ = strconv.ParseFloat(attr("width"), 64)
			out.height, _ = strconv.ParseFloat(attr("height"), 64)
			if out.width <= 0 || out.height <= 0 || attr("viewBox") == "" {
				t.Fatalf("%s: the svg element has width %q, height %q, viewBox %q", what, attr("width"), attr("height"), attr("viewBox"))
			}
		}
		if el.Name.Local == "mask" {
			out.masks++
		}
		for _, a := range el.Attr {
			if a.Name.Local == "data-stroke" {
				out.strokes = append(out.strokes, a.Value)
			}
		}
	}
	return out
}

// checkStrokes fails unless doc has exactly one data-stroke element per
// stroke of board that a picture shows, and none else, and a mask per
// partial eraser shown.
func checkStrokes(t *testing.T, what string, doc svgDoc, board *canvas.Board) {
	t.Helper()
	var want []string
	for _, s := range visible(board) {
		want = append(want, strokeKey(s.ID))
	}
	erasers := 0
	for _, s := range board.Strokes() {
		if !s.Hidden && s.Tool == canvas.ToolEraser {
			erasers++
		}
	}
	got := append([]string(nil), doc.strokes...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: data-stroke elements %v, want one for each shown stroke %v", what, got, want)
	}
	if doc.masks != erasers {
		t.Fatalf("%s: %d masks, want %d (one per partial eraser)", what, doc.masks, erasers)
	}
}

func TestExportGivesAPNGAndAnSVG(t *testing.T) {
	room := "e2e-export"
	a, b, _ := twoPages(t, room)
	drawEveryKind(t, a)
	settled(t, a, b)
	board := identical(t, "after drawing", a, b)

	// B exports what A drew, through window.sketchpad.
	var svgB string
	b.evalAsync(`window.sketchpad.exportSVG('board')`, &svgB)
	docB := parseSVG(t, "B's SVG export", []byte(svgB))
	checkStrokes(t, "B's SVG export", docB, board)

	var pngB string
	b.run("export PNG", chromedp.Evaluate(`window.sketchpad.exportPNG('board')`, &pngB, awaitPromise))
	img := decodeDataURL(t, pngB)
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	// At 1 CSS px per 4 units (devicePixelRatio 1 here), the same area as
	// the SVG: the drawing and a margin.
	if abs(float64(w)-docB.width) > 1 || abs(float64(h)-docB.height) > 1 {
		t.Errorf("PNG export is %d×%d; the SVG export of the same area is %v×%v", w, h, docB.width, docB.height)
	}
	if w < 550 || w > 750 || h < 300 || h > 450 {
		t.Errorf("PNG export is %d×%d; the drawing spans about 620×370 CSS px", w, h)
	}
	if ink := inkPixels(img); ink < 5000 {
		t.Errorf("PNG export has %d ink pixels", ink)
	}

	var viewPNG string
	b.run("export PNG of the view", chromedp.Evaluate(`window.sketchpad.exportPNG('view')`, &viewPNG, awaitPromise))
	vimg := decodeDataURL(t, viewPNG)
	if vimg.Bounds().Dx() != 1000 || vimg.Bounds().Dy() != 557 {
		t.Errorf("PNG export of the view is %v, want the canvas's 1000×557", vimg.Bounds())
	}
	if ink := inkPixels(vimg); ink < 5000 {
		t.Errorf("PNG export of the view has %d ink pixels", ink)
	}
	var svgView string
	b.evalAsync(`window.sketchpad.exportSVG('view')`, &svgView)
	checkStrokes(t, "B's SVG export of the view", parseSVG(t, "B's SVG export of the view", []byte(svgView)), board)

	// A's page exports the same SVG as B's: the same board.
	var svgA string
	a.evalAsync(`window.sketchpad.exportSVG('board')`, &svgA)
	if svgA != svgB {
		t.Error("A's and B's SVG exports of the same board differ")
	}

	// The share menu's buttons download the same files.
	dir := t.TempDir()
	a.run("allow downloads", browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir))
	a.click("share")
	a.waitFor("the export buttons", `document.querySelector('[data-testid="export-png"]').getBoundingClientRect().width > 0`)
	var scope string
	a.eval(`document.querySelector('[data-testid="export-scope"]').value`, &scope)
	if scope != "board" {
		t.Errorf("export scope %q by default, want board", scope)
	}
	var size string
	a.eval(`document.querySelector('[data-testid="export-size"]').value`, &size)
	if size != "1" {
		t.Errorf("PNG size %s× by default on a screen of devicePixelRatio 1, want 1×", size)
	}
	a.click("export-png")
	// The file is named after the board and the date (and time, to the minute).
	stamp := `-\d{4}-\d{2}-\d{2}-\d{4}`
	gotPNG := waitForFileLike(t, dir, regexp.MustCompile(`^`+room+stamp+`\.png$`))
	var pngA string
	a.run("export PNG", chromedp.Evaluate(`window.sketchpad.exportPNG('board')`, &pngA, awaitPromise))
	uimg, _, err := image.Decode(bytes.NewReader(gotPNG))
	if err != nil {
		t.Fatalf("the downloaded PNG: %v", err)
	}
	if uimg.Bounds() != img.Bounds() || inkPixels(uimg) != inkPixels(img) {
		t.Errorf("the downloaded PNG is %v with %d ink pixels; the API's is %v with %d", uimg.Bounds(), inkPixels(uimg), img.Bounds(), inkPixels(img))
	}
	a.click("export-svg")
	gotSVG := waitForFileLike(t, dir, regexp.MustCompile(`^`+room+stamp+`\.svg$`))
	if string(gotSVG) != svgA {
		t.Errorf("the downloaded SVG (%d bytes) differs from exportSVG('board') (%d bytes)", len(gotSVG), len(svgA))
	}
	checkStrokes(t, "the downloaded SVG", parseSVG(t, "the downloaded SVG", gotSVG), board)

	// 3×: three times as many pixels each way, named @3x. (The share menu
	// stays open after an export.)
	var open bool
	a.eval(`document.querySelector('[data-testid="export-size"]').getBoundingClientRect().width > 0`, &open)
	if !open {
		a.click("share")
	}
	a.waitFor("the export buttons", `document.querySelector('[data-testid="export-size"]').getBoundingClientRect().width > 0`)
	a.run("choose 3×", chromedp.SetValue(`[data-testid="export-size"]`, "3", chromedp.ByQuery))
	a.click("export-png")
	got3 := waitForFileLike(t, dir, regexp.MustCompile(`^`+room+stamp+`@3x\.png$`))
	img3, _, err := image.Decode(bytes.NewReader(got3))
	if err != nil {
		t.Fatalf("the 3× PNG: %v", err)
	}
	if w3, h3 := img3.Bounds().Dx(), img3.Bounds().Dy(); abs(float64(w3-3*w)) > 3 || abs(float64(h3-3*h)) > 3 {
		t.Errorf("the 3× PNG is %d×%d; the 1× one is %d×%d", w3, h3, w, h)
	}
	if dirS := os.Getenv("SKETCHPAD_E2E_SHOTS"); dirS != "" {
		_ = os.WriteFile(filepath.Join(dirS, "export.png"), gotPNG, 0o644)
		_ = os.WriteFile(filepath.Join(dirS, "export.svg"), gotSVG, 0o644)
	}
}

func TestServerSVGMatchesTheBoard(t *testing.T) {
	room := "e2e-server-svg"
	a, b, base := twoPages(t, room)
	drawEveryKind(t, a)
	settled(t, a, b)
	board := identical(t, "after drawing", a, b)

	got := httpGet(t, base+"/b/"+room+".svg", "image/svg+xml")
	doc := parseSVG(t, "/b/"+room+".svg", got)
	checkStrokes(t, "/b/"+room+".svg", doc, board)
	// Drawn from the same model: the server's picture is the one the Go
	// model draws of B's board, byte for byte.
	if want := board.SVG(); !bytes.Equal(got, want) {
		t.Errorf("/b/%s.svg (%d bytes) differs from the SVG of the page's board (%d bytes)", room, len(got), len(want))
	}
	// The page's own export names the same strokes, in the same order.
	var page string
	b.evalAsync(`window.sketchpad.exportSVG('board')`, &page)
	if p := parseSVG(t, "B's export", []byte(page)); strings.Join(p.strokes, " ") != strings.Join(doc.strokes, " ") {
		t.Errorf("B's export has data-stroke %v; the server's %v", p.strokes, doc.strokes)
	}

	// The view link's picture is the same.
	var view string
	a.eval(`document.querySelector('meta[name="sketchpad-view-link"]').content`, &view)
	if !strings.HasPrefix(view, "/b/v.") {
		t.Fatalf("view link %q", view)
	}
	if v := httpGet(t, base+view+".svg", "image/svg+xml"); !bytes.Equal(v, got) {
		t.Error("the view link's SVG differs from the edit link's")
	}
}

// awaitPromise makes Evaluate wait for a promise.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// httpGet fetches url and checks the status and content type.
func httpGet(t *testing.T, url, ctype string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
		t.Fatalf("GET %s: %s, %q: %.200s", url, resp.Status, resp.Header.Get("Content-Type"), body)
	}
	return body
}

// waitForFile waits until a download is complete at path and returns it.
func waitForFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			if _, err := os.Stat(path + ".crdownload"); os.IsNotExist(err) {
				return b
			}
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(filepath.Dir(path))
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("no download at %s (the directory holds %v)", path, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForFileLike waits until a download whose name matches re is complete
// in dir and returns it.
func waitForFileLike(t *testing.T, dir string, re *regexp.Regexp) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
			if re.MatchString(e.Name()) {
				return waitForFile(t, filepath.Join(dir, e.Name()))
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download named like %v (the directory holds %v)", re, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
