package canvas

import (
	"strings"
	"testing"
)

func TestImageSurvivesSnapshotAndDrawsInSVG(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpImage, Stroke: 1, Color: 0x80, Points: []Point{{X: 0, Y: 0}, {X: 400, Y: 200}}, Text: testImageHash})
	b.Apply(2, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 1, N: 1}}, SX: 2 * ScaleOne, SY: 2 * ScaleOne})
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var c Board
	if err := c.UnmarshalBinary(data); err != nil {
		t.Fatalf("a board with an image does not decode: %v", err)
	}
	if got := c.Images(); len(got) != 1 || got[0] != testImageHash {
		t.Fatalf("images after a snapshot: %v", got)
	}
	svg := string(c.SVGWith(func(h string) string { return "data:image/png;base64,AAAA" + h[:4] }))
	want := `<image data-stroke="1-1" x="-200" y="-100" width="800" height="400" preserveAspectRatio="none" href="data:image/png;base64,AAAA` + testImageHash[:4] + `" opacity="0.502"/>`
	if !strings.Contains(svg, want) {
		t.Fatalf("svg lacks %s:\n%s", want, svg)
	}
	if gray := string(c.SVG()); !strings.Contains(gray, `<rect data-stroke="1-1"`) {
		t.Fatalf("without image bytes the svg should draw a box:\n%s", gray)
	}
}

func TestSnapshotRefusesAnImageWithoutAHash(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpImage, Stroke: 1, Color: 0xff, Points: []Point{{X: 0, Y: 0}, {X: 4, Y: 2}}, Text: testImageHash})
	data, _ := b.MarshalBinary()
	bad := strings.Replace(string(data), testImageHash, strings.ToUpper(testImageHash), 1)
	var c Board
	if err := c.UnmarshalBinary([]byte(bad)); err == nil || !strings.Contains(err.Error(), "image hash") {
		t.Fatalf("an upper-case hash decoded: %v", err)
	}
}

// A turned image is drawn turned about its center, like a rectangle, and
// the picture's box takes its turned corners.
func TestATurnedImageDrawsTurned(t *testing.T) {
	b := NewBoard(1)
	b.Apply(1, &Op{Type: OpImage, Stroke: 1, Color: 0xff, Points: []Point{{X: 0, Y: 0}, {X: 400, Y: 200}}, Text: testImageHash})
	flat := string(b.SVG())
	b.Apply(2, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}}, Angle: 9000, Pivot: Point{X: 200, Y: 100}})
	svg := string(b.SVGWith(func(h string) string { return "data:image/png;base64,AAAA" }))
	if !strings.Contains(svg, `transform="rotate(90 200 100)"`) {
		t.Fatalf("the image is not turned:\n%s", svg)
	}
	if flat == string(b.SVG()) {
		t.Fatal("turning an image changed nothing in its picture")
	}
}
