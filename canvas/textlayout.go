package canvas

import (
	"fmt"
	"strconv"
	"strings"
)

// Text layout (PROTOCOL.md "Text layout"): where a text's lines break and
// how big its box is, computed in integers from TextFont's advance table,
// so that every client and the server agree to the unit. The TypeScript
// twin is frontend/src/geometry/text_layout.ts; the vectors pin both.

// TextLine is one line of a laid-out text.
type TextLine struct {
	Text  string // the line's characters (trailing spaces included)
	Units int64  // its width in font units, trailing spaces not counted
}

// LayoutText breaks text into lines: at every "\n", and, when wrap > 0,
// wherever the next character would take the line wider than wrap board
// units at font size size. A line breaks before the word that does not
// fit (after the spaces before it, which hang at the line's end and count
// for nothing); a word wider than wrap alone breaks before the character
// that does not fit. A line always keeps its first character.
func LayoutText(text string, size, wrap uint32) []TextLine {
	m := TextMetrics()
	var lines []TextLine
	for _, para := range strings.Split(text, "\n") {
		lines = m.wrap(lines, []rune(para), int64(size), int64(wrap))
	}
	return lines
}

func (m *FontMetrics) wrap(lines []TextLine, rs []rune, size, wrap int64) []TextLine {
	emit := func(start, end int) {
		var u int64
		last := end
		for last > start && rs[last-1] == ' ' {
			last--
		}
		for _, r := range rs[start:last] {
			u += m.advance(r)
		}
		lines = append(lines, TextLine{Text: string(rs[start:end]), Units: u})
	}
	limit := wrap * m.UnitsPerEm
	start, word := 0, 0 // the line's first character; where its last word starts
	var w int64         // units of rs[start:j]
	for j, r := range rs {
		a := m.advance(r)
		if r != ' ' && j > start && rs[j-1] == ' ' {
			word = j
		}
		for wrap > 0 && r != ' ' && j > start && (w+a)*size > limit {
			if word > start {
				emit(start, word)
				start = word
			} else {
				emit(start, j)
				start = j
			}
			w = 0
			for _, q := range rs[start:j] {
				w += m.advance(q)
			}
		}
		w += a
	}
	emit(start, len(rs))
	return lines
}

// textLineHeight4 is four times a line's height for font size size
// (1.25 × size), an integer.
func textLineHeight4(size uint32) int64 { return 5 * int64(size) }

// TextBox returns the size of a text's box in board units: the widest
// line's advance and the lines' height, each rounded up.
func TextBox(s *Stroke) (w, h int64) {
	m := TextMetrics()
	lines := LayoutText(s.Text, s.Width, s.Wrap)
	var widest int64
	for _, l := range lines {
		widest = max(widest, l.Units)
	}
	size := int64(s.Width)
	w = (widest*size + m.UnitsPerEm - 1) / m.UnitsPerEm
	h = (int64(len(lines))*textLineHeight4(s.Width) + 3) / 4
	return w, h
}

// TextBaseline returns how far below the top of line i of a text of
// font size size its baseline is: the font's ascent and descent centred
// in the line's 1.25 × size.
func TextBaseline(size uint32, i int) float64 {
	m := TextMetrics()
	s := float64(size)
	em := float64(m.UnitsPerEm)
	return float64(i)*1.25*s + (1.25*s-float64(m.Ascent+m.Descent)*s/em)/2 + float64(m.Ascent)*s/em
}

// writeText draws a text as LayoutText breaks it, each line at its
// baseline, in TextFont (with a generic fallback) and no kerning, as
// pages draw it.
func writeText(sb *strings.Builder, s *Stroke, color string, alpha uint32, data string) {
	p := s.Points[0]
	fmt.Fprintf(sb, `<text%s font-family="'%s', sans-serif" font-size="%d" font-kerning="none" fill="%s"%s xml:space="preserve">`,
		data, TextFontFamily, s.Width, color, alphaAttr("fill-opacity", alpha))
	for i, line := range LayoutText(s.Text, s.Width, s.Wrap) {
		y := strconv.FormatFloat(float64(p.Y)+TextBaseline(s.Width, i), 'f', 2, 64)
		fmt.Fprintf(sb, `<tspan x="%d" y="%s">%s</tspan>`, p.X, y, xmlEscape(line.Text))
	}
	sb.WriteString("</text>")
}
