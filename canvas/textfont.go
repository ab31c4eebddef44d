package canvas

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// One font for every text, so that a text's lines break at the same
// places and its box is the same on every client and in the server's SVG:
// Go Regular (golang.org/x/image/font/gofont, BSD license). The server
// serves these bytes to pages (which draw with them through @font-face);
// both sides measure with the advance table below, never with a
// renderer's own measurement, so no font engine's rounding or kerning can
// move a line break. Renderers draw with kerning off to match.

// TextFont is the font file (TrueType) texts are drawn in.
var TextFont = goregular.TTF

// TextFontFamily is the CSS font family name pages and SVGs give TextFont.
const TextFontFamily = "Sketchpad Text"

// TextFontPath is where a Sketchpad server serves TextFont, for pages
// and for the @font-face of its SVGs.
const TextFontPath = "/font/text.ttf"

// textFontFace is the style an SVG of the board needs for its texts:
// none when nothing shown is a text.
func (b *Board) textFontFace() string {
	for _, s := range b.strokes {
		if s.Tool == ToolText && s.Visible() {
			return `<style>@font-face{font-family:'` + TextFontFamily + `';src:url(` + TextFontPath + `) format('truetype')}</style>`
		}
	}
	return ""
}

// FontMetrics is what layout needs of TextFont, in font units.
type FontMetrics struct {
	UnitsPerEm int64
	// Ascent and Descent (positive, below the baseline) from the font's
	// hhea table: where a line's baseline sits in its line box.
	Ascent, Descent int64
	// Advances maps each code point the font has a glyph for to its
	// advance width; others take Fallback (the advance of the glyph the
	// font draws for a missing character).
	Advances map[rune]int32
	Fallback int32
}

var (
	fontOnce    sync.Once
	fontMetrics *FontMetrics
)

// TextMetrics returns TextFont's metrics, read from the font once.
func TextMetrics() *FontMetrics {
	fontOnce.Do(func() {
		m, err := readMetrics(TextFont)
		if err != nil {
			panic("canvas: the embedded text font: " + err.Error()) // the font is part of the build
		}
		fontMetrics = m
	})
	return fontMetrics
}

// maxFontRune is where the advance table stops: Go Regular covers Latin,
// Greek, Cyrillic and symbols, all in the Basic Multilingual Plane.
const maxFontRune = 0xFFFF

func readMetrics(ttf []byte) (*FontMetrics, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	upem := int64(f.UnitsPerEm())
	ppem := fixed.Int26_6(upem << 6) // one pixel per font unit: advances come back exact
	fm, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	m := &FontMetrics{UnitsPerEm: upem, Ascent: int64(fm.Ascent >> 6), Descent: int64(fm.Descent >> 6), Advances: map[rune]int32{}}
	fb, err := f.GlyphAdvance(&buf, 0, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	m.Fallback = int32(fb >> 6)
	for r := rune(0x20); r <= maxFontRune; r++ {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			continue
		}
		a, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		if err != nil {
			return nil, err
		}
		m.Advances[r] = int32(a >> 6)
	}
	return m, nil
}

// Runes returns the code points of the advance table, ascending.
func (m *FontMetrics) Runes() []rune {
	rs := make([]rune, 0, len(m.Advances))
	for r := range m.Advances {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}

func (m *FontMetrics) advance(r rune) int64 {
	if a, ok := m.Advances[r]; ok {
		return int64(a)
	}
	return int64(m.Fallback)
}

// TextFontDigest names the build's TextFont: a short hash of its bytes.
func TextFontDigest() string {
	sum := sha256.Sum256(TextFont)
	return hex.EncodeToString(sum[:8])
}
