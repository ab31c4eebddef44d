package canvas

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// SVG renders the board as a standalone SVG document, following
// PROTOCOL.md "Rendering": highlighters in a layer under everything else,
// erasers as masks over what came before them, shapes, text. Coordinates
// stay in board units (the viewBox maps them; 4 units are one CSS pixel).
// Every drawn stroke is one element (a group for an arrow) carrying
// data-stroke="author-n", so a caller can match elements to strokes.
//
// The picture is what the browser app draws except for pressure: pen
// strokes are drawn at their full width here.
func (b *Board) SVG() []byte { return b.SVGWith(nil) }

// SVGWith is SVG with images: imageHref returns the href of an image's
// <image> element (a data: URI for a picture that stands alone, or a
// URL) by the image's hash; nil, or "", draws a gray box in its place.
func (b *Board) SVGWith(imageHref func(hash string) string) []byte {
	minX, minY, maxX, maxY, ok := b.visibleBounds()
	if !ok {
		minX, minY, maxX, maxY = 0, 0, 1600, 1200
	}
	const pad = 40
	minX, minY, maxX, maxY = minX-pad, minY-pad, maxX+pad, maxY+pad
	w, h := maxX-minX, maxY-minY
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="%d %d %d %d" width="%s" height="%s">`,
		minX, minY, w, h, cssPx(w), cssPx(h))
	sb.WriteString(b.textFontFace())
	fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="#ffffff"/>`, minX, minY, w, h)

	// Masks for erasers: white everywhere, black along the eraser's path.
	var defs strings.Builder
	var under, ink layer
	masks := 0
	for _, s := range b.strokes {
		if !s.Visible() {
			continue
		}
		switch s.Tool {
		case ToolEraser:
			masks++
			id := "e" + strconv.Itoa(masks)
			fmt.Fprintf(&defs, `<mask id="%s" maskUnits="userSpaceOnUse" x="%d" y="%d" width="%d" height="%d">`, id, minX, minY, w, h)
			fmt.Fprintf(&defs, `<rect x="%d" y="%d" width="%d" height="%d" fill="#fff"/>`, minX, minY, w, h)
			writePolyline(&defs, s, "#000", 255, rotAttr(s))
			defs.WriteString(`</mask>`)
			under.mask(id)
			ink.mask(id)
		case ToolHighlighter:
			writePolyline(&under.b, s, hexColor(s.Color), s.Color&0xff, dataAttr(s))
		case ToolImage:
			writeImage(&ink.b, s, imageHref)
		default:
			writeStroke(&ink.b, s)
		}
	}
	if defs.Len() > 0 {
		sb.WriteString("<defs>")
		sb.WriteString(defs.String())
		sb.WriteString("</defs>")
	}
	sb.WriteString(`<g data-layer="highlighter">`)
	sb.WriteString(under.b.String())
	sb.WriteString(`</g><g data-layer="ink">`)
	sb.WriteString(ink.b.String())
	sb.WriteString("</g></svg>\n")
	return []byte(sb.String())
}

// layer is SVG content built in z-order; an eraser wraps everything so far
// in a group masked by it.
type layer struct{ b strings.Builder }

func (l *layer) mask(id string) {
	if l.b.Len() == 0 {
		return
	}
	inner := l.b.String()
	l.b.Reset()
	fmt.Fprintf(&l.b, `<g mask="url(#%s)">%s</g>`, id, inner)
}

func cssPx(units int64) string {
	return strconv.FormatFloat(float64(units)/4, 'f', -1, 64)
}

func dataAttr(s *Stroke) string {
	return fmt.Sprintf(` data-stroke="%d-%d"`, s.ID.Author, s.ID.N) + rotAttr(s)
}

// rotAttr returns the transform attribute that turns a stroke by its Rot
// about its center, if it is turned.
func rotAttr(s *Stroke) string {
	if s.Rot == 0 {
		return ""
	}
	cx, cy := s.Center()
	return fmt.Sprintf(` transform="rotate(%s %d %d)"`, strconv.FormatFloat(float64(s.Rot)/100, 'f', -1, 64), cx, cy)
}

func hexColor(c uint32) string { return fmt.Sprintf("#%06x", c>>8) }

// alphaAttr returns the attribute for a color's alpha on prop, if not opaque.
func alphaAttr(prop string, a uint32) string {
	if a == 255 {
		return ""
	}
	return fmt.Sprintf(` %s="%s"`, prop, strconv.FormatFloat(float64(a)/255, 'f', 3, 64))
}

func writePolyline(sb *strings.Builder, s *Stroke, color string, alpha uint32, data string) {
	if len(s.Points) == 1 {
		p := s.Points[0]
		fmt.Fprintf(sb, `<circle%s cx="%d" cy="%d" r="%s" fill="%s"%s/>`, data, p.X, p.Y,
			strconv.FormatFloat(float64(s.Width)/2, 'f', -1, 64), color, alphaAttr("fill-opacity", alpha))
		return
	}
	fmt.Fprintf(sb, `<path%s d="`, data)
	for i, p := range s.Points {
		if i == 0 {
			fmt.Fprintf(sb, "M%d %d", p.X, p.Y)
		} else {
			fmt.Fprintf(sb, "L%d %d", p.X, p.Y)
		}
	}
	fmt.Fprintf(sb, `" fill="none" stroke="%s" stroke-width="%d" stroke-linecap="round" stroke-linejoin="round"%s/>`,
		color, s.Width, alphaAttr("stroke-opacity", alpha))
}

func writeStroke(sb *strings.Builder, s *Stroke) {
	color, alpha, data := hexColor(s.Color), s.Color&0xff, dataAttr(s)
	fill := `fill="none"`
	if s.Filled {
		fill = fmt.Sprintf(`fill="%s"%s`, color, alphaAttr("fill-opacity", alpha))
	}
	outline := fmt.Sprintf(`stroke="%s" stroke-width="%d" stroke-linecap="round" stroke-linejoin="round"%s`,
		color, s.Width, alphaAttr("stroke-opacity", alpha))
	switch s.Tool {
	case ToolLine:
		p, q := s.Points[0], s.Points[1]
		fmt.Fprintf(sb, `<line%s x1="%d" y1="%d" x2="%d" y2="%d" %s/>`, data, p.X, p.Y, q.X, q.Y, outline)
	case ToolArrow:
		p, q := s.Points[0], s.Points[1]
		fmt.Fprintf(sb, `<g%s><line x1="%d" y1="%d" x2="%d" y2="%d" %s/>`, data, p.X, p.Y, q.X, q.Y, outline)
		l, r := ArrowHead(p, q, s.Width)
		fmt.Fprintf(sb, `<polygon points="%d,%d %g,%g %g,%g" fill="%s"%s %s/></g>`, q.X, q.Y, l[0], l[1], r[0], r[1],
			color, alphaAttr("fill-opacity", alpha), outline)
	case ToolRect:
		x0, y0, x1, y1 := corners(s)
		fmt.Fprintf(sb, `<rect%s x="%d" y="%d" width="%d" height="%d" %s %s/>`, data, x0, y0, x1-x0, y1-y0, fill, outline)
	case ToolEllipse:
		x0, y0, x1, y1 := corners(s)
		fmt.Fprintf(sb, `<ellipse%s cx="%g" cy="%g" rx="%g" ry="%g" %s %s/>`, data,
			float64(x0+x1)/2, float64(y0+y1)/2, float64(x1-x0)/2, float64(y1-y0)/2, fill, outline)
	case ToolText:
		writeText(sb, s, color, alpha, data)
	default: // pen
		writePolyline(sb, s, color, alpha, data)
	}
}

func corners(s *Stroke) (x0, y0, x1, y1 int64) {
	p, q := s.Points[0], s.Points[1]
	x0, x1 = int64(min(p.X, q.X)), int64(max(p.X, q.X))
	y0, y1 = int64(min(p.Y, q.Y)), int64(max(p.Y, q.Y))
	return
}

// ArrowHead returns the two back corners of an arrow's head at q, for a
// line from p (PROTOCOL.md: length max(3 × width, 40), 30° half-angle).
func ArrowHead(p, q Point, width uint32) (l, r [2]float64) {
	length := math.Max(3*float64(width), 40)
	ang := math.Atan2(float64(q.Y-p.Y), float64(q.X-p.X))
	if p == q {
		ang = 0
	}
	for i, a := range []float64{ang + math.Pi - math.Pi/6, ang + math.Pi + math.Pi/6} {
		c := [2]float64{math.Round(float64(q.X) + length*math.Cos(a)), math.Round(float64(q.Y) + length*math.Sin(a))}
		if i == 0 {
			l = c
		} else {
			r = c
		}
	}
	return l, r
}

// visibleBounds is the bounding box of visible strokes, widths included
// (a text its measured box, textlayout.go).
func (b *Board) visibleBounds() (minX, minY, maxX, maxY int64, ok bool) {
	minX, minY = math.MaxInt64, math.MaxInt64
	maxX, maxY = math.MinInt64, math.MinInt64
	var turning *Stroke // the stroke whose points grow the box, turned by its Rot
	grow := func(x, y, r int64) {
		if turning != nil && turning.Rot != 0 {
			fx, fy := turning.Turned(float64(x), float64(y))
			x, y = int64(math.Round(fx)), int64(math.Round(fy))
		}
		minX, minY = min(minX, x-r), min(minY, y-r)
		maxX, maxY = max(maxX, x+r), max(maxY, y+r)
		ok = true
	}
	for _, s := range b.strokes {
		if !s.Visible() || s.Tool == ToolEraser {
			continue
		}
		turning = s
		r := int64(s.Width)/2 + 1
		if s.Tool == ToolImage {
			r = 0
		}
		if s.Tool == ToolArrow {
			r = int64(math.Max(3*float64(s.Width), 40))
		}
		for _, p := range s.Points {
			grow(int64(p.X), int64(p.Y), r)
		}
		if s.Rot != 0 && (s.Tool == ToolRect || s.Tool == ToolEllipse || s.Tool == ToolImage) { // the other two corners
			p, q := s.Points[0], s.Points[1]
			grow(int64(p.X), int64(q.Y), r)
			grow(int64(q.X), int64(p.Y), r)
		}
		if s.Tool == ToolText {
			p := s.Points[0]
			w, h := TextBox(s)
			grow(int64(p.X)+w, int64(p.Y)+h, 0)
			grow(int64(p.X)+w, int64(p.Y), 0)
			grow(int64(p.X), int64(p.Y)+h, 0)
		}
	}
	return minX, minY, maxX, maxY, ok
}

func xmlEscape(s string) string {
	var sb strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '&':
			sb.WriteString("&amp;")
		case '"':
			sb.WriteString("&quot;")
		case '\'':
			sb.WriteString("&apos;")
		default:
			if r < 0x20 && r != '\t' {
				continue // not allowed in XML 1.0
			}
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
