package canvas

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// svgElements parses doc as XML (failing the test if it is not) and returns
// the data-stroke values of its elements and the mask ids it defines.
func svgElements(t *testing.T, doc []byte) (strokes map[string]int, masks int) {
	t.Helper()
	strokes = map[string]int{}
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "data-stroke" {
					strokes[a.Value]++
				}
			}
			if se.Name.Local == "mask" {
				masks++
			}
		}
	}
	return strokes, masks
}

func TestSVGDrawsEveryVisibleStrokeOnce(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, beginOp(1, xy(0, 0, 40, 40, 80, 0)...))
	b.Apply(1, &Op{Type: OpEnd})
	b.Apply(1, &Op{Type: OpBegin, Stroke: 2, Tool: ToolHighlighter, Color: 0xffd43b66, Width: 96, Points: xy(0, 100, 200, 0)})
	b.Apply(2, &Op{Type: OpShape, Stroke: 1, Tool: ToolArrow, Color: 0xff, Width: 8, Points: []Point{{X: 0, Y: 0}, {X: 300, Y: 300}}})
	b.Apply(2, &Op{Type: OpShape, Stroke: 2, Tool: ToolRect, Flags: FlagFilled, Color: 0x1971c280, Width: 4, Points: []Point{{X: 10, Y: 10}, {X: -50, Y: 90}}})
	b.Apply(2, &Op{Type: OpShape, Stroke: 3, Tool: ToolEllipse, Color: 0xff, Width: 4, Points: []Point{{X: 10, Y: 10}, {X: 50, Y: 90}}})
	b.Apply(2, &Op{Type: OpShape, Stroke: 4, Tool: ToolLine, Color: 0xff, Width: 4, Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}})
	b.Apply(3, &Op{Type: OpText, Stroke: 1, Color: 0x2f9e44ff, Width: 40, Points: []Point{{X: 5, Y: 5}}, Text: "a < b & \"c\"\nline two"})
	b.Apply(3, &Op{Type: OpBegin, Stroke: 2, Tool: ToolEraser, Color: 0xff, Width: 30, Points: xy(0, 0, 10, 10)})
	b.Apply(3, &Op{Type: OpEnd})
	b.Apply(3, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 4}}})

	doc := b.SVG()
	strokes, masks := svgElements(t, doc)
	want := []string{"1-1", "1-2", "2-1", "2-2", "2-3", "3-1"}
	for _, id := range want {
		if strokes[id] != 1 {
			t.Errorf("stroke %s drawn %d times, want once", id, strokes[id])
		}
	}
	if len(strokes) != len(want) {
		t.Errorf("drawn strokes %v, want exactly %v (the hidden line and the eraser are not drawn)", strokes, want)
	}
	if masks != 1 {
		t.Errorf("%d masks, want 1 for the eraser", masks)
	}
	s := string(doc)
	if !strings.Contains(s, "a &lt; b &amp; &quot;c&quot;") || !strings.Contains(s, ">line two<") {
		t.Errorf("text not escaped or not split into lines:\n%s", s)
	}
	if strings.Index(s, `data-stroke="1-2"`) > strings.Index(s, `data-stroke="1-1"`) {
		t.Errorf("the highlighter is not beneath the ink")
	}
	if !strings.Contains(s, `fill-opacity="0.502"`) {
		t.Errorf("the translucent fill of the rect is missing")
	}
}

func TestSVGOfAnyBoardIsWellFormed(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	for i := range 300 {
		b := randBoard(r, 1+r.IntN(80))
		doc := b.SVG()
		strokes, _ := svgElements(t, doc)
		visible := 0
		for _, s := range b.Strokes() {
			if s.Visible() && s.Tool != ToolEraser {
				visible++
			}
		}
		if len(strokes) != visible {
			t.Fatalf("board %d: %d strokes drawn, %d visible", i, len(strokes), visible)
		}
	}
}

func TestArrowHeadIsSymmetricAndBehindTheTip(t *testing.T) {
	l, r := ArrowHead(Point{X: 0, Y: 0}, Point{X: 100, Y: 0}, 4)
	if l[0] != r[0] || l[0] >= 100 || l[1] != -r[1] {
		t.Fatalf("head corners %v %v", l, r)
	}
	if got := 100 - l[0]; got < 34 || got > 35 { // 40 × cos 30°
		t.Fatalf("head length along the line %v, want about 34.6", got)
	}
}
