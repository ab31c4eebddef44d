package canvas

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Images (PROTOCOL.md "Image"). An image on the board is a stroke of tool
// ToolImage: two absolute points, the corners of the box it is drawn in,
// and the image's content hash (SHA-256) kept in the stroke's Text as 64
// lowercase hex digits. Being a stroke, it moves, transforms, restyles
// (opacity: the color's alpha), reorders, erases, sweeps, snapshots and
// replays like every other item; the bytes are not in the log but in the
// board's image store, named by the hash, so an op stays small and a
// board holding one image many times stores it once.

// ImageHashBytes is the size of an image's content hash on the wire.
const ImageHashBytes = 32

// ImageHashHex is the size of an image's hash as a stroke's Text.
const ImageHashHex = 2 * ImageHashBytes

func appendImage(b []byte, o *Op) []byte {
	b = appendUvarint(b, uint64(o.Stroke))
	b = appendU32(b, o.Color)
	for _, p := range o.Points[:2] {
		b = appendSvarint(b, int64(p.X))
		b = appendSvarint(b, int64(p.Y))
	}
	h, _ := hex.DecodeString(o.Text)
	var raw [ImageHashBytes]byte
	copy(raw[:], h)
	return append(b, raw[:]...)
}

func decodeImage(r *reader, o *Op) {
	o.Stroke = r.uvarint32("stroke")
	o.Tool = ToolImage
	o.Color = r.u32()
	if r.err == nil && o.Stroke == 0 {
		r.fail(errf("stroke number 0"))
	}
	o.Width = 1
	o.Points = append(o.Points, r.point(), r.point())
	if h := r.bytes(ImageHashBytes); r.err == nil {
		o.Text = hex.EncodeToString(h)
	}
}

// ValidImageHash reports whether h is an image hash as a stroke holds it:
// 64 lowercase hex digits.
func ValidImageHash(h string) bool {
	if len(h) != ImageHashHex {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// Images returns the hashes of the images the board holds, each once, in
// z-order of first use; hidden and swept ones included (an undo shows them
// again, so their bytes stay needed).
func (b *Board) Images() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range b.strokes {
		if s.Tool == ToolImage && !seen[s.Text] {
			seen[s.Text] = true
			out = append(out, s.Text)
		}
	}
	return out
}

// writeImage draws an image stroke as an <image> filling its box; href
// names its bytes (see SVGWith), an image without one is a gray box.
func writeImage(sb *strings.Builder, s *Stroke, href func(hash string) string) {
	x0, y0, x1, y1 := corners(s)
	alpha := alphaAttr("opacity", s.Color&0xff)
	url := ""
	if href != nil {
		url = href(s.Text)
	}
	if url == "" {
		fmt.Fprintf(sb, `<rect%s x="%d" y="%d" width="%d" height="%d" fill="#d0d0d0"%s%s/>`, dataAttr(s), x0, y0, x1-x0, y1-y0, alpha, rotAttr(s))
		return
	}
	fmt.Fprintf(sb, `<image%s x="%d" y="%d" width="%d" height="%d" preserveAspectRatio="none" href="%s"%s%s/>`,
		dataAttr(s), x0, y0, x1-x0, y1-y0, xmlEscape(url), alpha, rotAttr(s))
}
