package e2e

// Embedding (issue 5): the host page asks the board for a picture through
// postMessage. The harness is in embed_test.go.

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/access"
)

func TestExportThroughPostMessageGivesAPNG(t *testing.T) {
	e := newEmbedEnv(t)
	board := "emb-export"
	tok := e.token(board, access.CanDraw, "Ada", time.Now().Add(time.Hour))
	p := newPerson(t, "host")
	embOpen(p, e.host+"/host.html")
	embMount(p, "a", map[string]any{"board": e.viewID(board), "token": tok})
	embWaitEvent(p, "a", "ready", "")

	// Style commands, then a stroke drawn with them.
	for _, c := range []struct {
		name string
		arg  any
	}{{"setTool", "pen"}, {"setColor", "#e03131"}, {"setWidth", 8}} {
		if _, err := embCommand(p, "a", c.name, c.arg); err != "" {
			t.Fatalf("%s: %s", c.name, err)
		}
	}
	if _, err := embCommand(p, "a", "setColor", "red"); err == "" {
		t.Error("setColor('red') worked")
	}
	if _, err := embCommand(p, "a", "fly"); err == "" {
		t.Error("an unknown command worked")
	}
	embDrag(p, "a", embedWave(60, 180))
	e.waitStrokes(board, 1)
	f := embFrame(p, tok)
	f.waitFor("the stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 0`)
	if s := embShown(embFrameBoard(f)); len(s) != 1 || s[0].Color != 0xe03131ff || s[0].Width != 32 {
		t.Errorf("the stroke: %+v, want red, 32 units (8 px) wide", s)
	}

	for _, scope := range []string{"board", "view"} {
		v, err := embCommand(p, "a", "exportPNG", scope)
		url, _ := v.(string)
		if err != "" || !strings.HasPrefix(url, "data:image/png;base64,") {
			t.Fatalf("exportPNG(%s): %.60q %s", scope, url, err)
		}
		raw, derr := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
		if derr != nil {
			t.Fatal(derr)
		}
		img, derr := png.Decode(bytes.NewReader(raw))
		if derr != nil {
			t.Fatalf("exportPNG(%s) does not decode: %v", scope, derr)
		}
		if red := embRedPixels(img); red < 50 {
			t.Errorf("exportPNG(%s): %v, %d red pixels", scope, img.Bounds(), red)
		}
	}
	v, err := embCommand(p, "a", "exportSVG")
	if svg, _ := v.(string); err != "" || !strings.Contains(svg, "<svg") || strings.Count(svg, `data-stroke="`) != 1 {
		t.Errorf("exportSVG: %.80q %s", svg, err)
	}
	// The host opens the board's history, and closes it.
	if _, err := embCommand(p, "a", "openHistory"); err != "" {
		t.Fatal(err)
	}
	f.waitFor("the history open in the embed", `window.sketchpadHistory.open() && window.sketchpadHistory.seq() === window.sketchpad.seq() && window.sketchpadHistory.shown() === 1`)
	if _, err := embCommand(p, "a", "closeHistory"); err != "" {
		t.Fatal(err)
	}
	f.waitFor("the history closed", `!window.sketchpadHistory.open()`)

	// With the stroke selected, a style command restyles it and keeps the
	// select tool and the selection (it used to switch to the pen and drop
	// it); the pen's own style is left as it was.
	if _, err := embCommand(p, "a", "setTool", "select"); err != "" {
		t.Fatal(err)
	}
	embDrag(p, "a", line(30, 120, 300, 250, 20)) // a marquee around the wave
	f.waitFor("the stroke selected", `window.sketchpad.selected() === 1`)
	if _, err := embCommand(p, "a", "setColor", "#1971c2"); err != "" {
		t.Fatal(err)
	}
	var kept struct {
		Tool     string
		Selected int
	}
	f.eval(`({Tool: document.querySelector('[aria-pressed="true"][data-testid^="tool-"]').dataset.testid, Selected: window.sketchpad.selected()})`, &kept)
	if kept.Tool != "tool-select" || kept.Selected != 1 {
		t.Errorf("after setColor with a selection: %+v, want the select tool and the stroke still selected", kept)
	}
	f.waitFor("the restyle acknowledged", `window.sketchpad.pendingOps() === 0`)
	if s := embShown(embFrameBoard(f)); len(s) != 1 || s[0].Color != 0x1971c2ff {
		t.Errorf("the selected stroke after setColor: %+v, want blue", s)
	}
	if _, err := embCommand(p, "a", "setTool", "pen"); err != "" {
		t.Fatal(err)
	}
	embDrag(p, "a", embedWave(60, 290))
	e.waitStrokes(board, 2)
	f.waitFor("the second stroke acknowledged", `window.sketchpad.pendingOps() === 0`)
	if s := embShown(embFrameBoard(f)); len(s) != 2 || s[1].Color != 0xe03131ff {
		t.Errorf("the stroke drawn after restyling the selection: %+v, want the pen's red", s)
	}
}

// embRedPixels counts pixels close to #e03131.
func embRedPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.R > 180 && c.G < 100 && c.B < 100 {
				n++
			}
		}
	}
	return n
}
