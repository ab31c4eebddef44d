package canvas

// PersonColors are the colors a server hands out to people on a board
// (RGBA, opaque): ten hues far apart, each at least 3:1 against both the
// page's light panel (#fff) and its dark one (#25282c), so a dot, a cursor
// and its white label read in both themes. The page offers the same list
// to pick from (frontend/src/ui/identity.ts); the test vectors
// (personColors in testdata/vectors.json) pin the two lists.
var PersonColors = [...]uint32{
	0xe03131ff, 0xe8590cff, 0xa0682aff, 0x808000ff, 0x2f9e44ff,
	0x0c8599ff, 0x1c7ed6ff, 0x845ef7ff, 0xbe4bdbff, 0xd6336cff,
}

// The color in Hello and Name (version 6) says by its alpha byte whether
// the person picked it: a server keeps a picked color, and hands out one
// for a color not picked (PROTOCOL.md, "Colors").
const (
	// ColorAsk is the alpha byte of a color not picked: the server hands
	// out the least used of PersonColors, preferring the color's RGB (the
	// one the person had; 0 for none) among equals.
	ColorAsk uint32 = 0x00
	// ColorOpaque is the alpha byte of a picked color, and of a person
	// who draws in Presence.
	ColorOpaque uint32 = 0xff
	// A viewer's color in Presence has alpha 0: the server marks people
	// on a read-only connection so.
)

// ColorPicked reports whether a Hello or Name color was picked by its
// person (kept as sent) rather than asked for.
func ColorPicked(c uint32) bool { return c&0xff != ColorAsk }

// LeastUsedColor returns the color of PersonColors that the fewest of
// taken share (alpha ignored). Among equals it prefers prefer (alpha
// ignored; a color not in the palette prefers nothing), then the first in
// the palette, so every server hands out the same color for the same
// board. The result is opaque.
func LeastUsedColor(taken []uint32, prefer uint32) uint32 {
	var uses [len(PersonColors)]int
	for _, c := range taken {
		for i, p := range PersonColors {
			if c|0xff == p {
				uses[i]++
				break
			}
		}
	}
	best := 0
	for i, p := range PersonColors {
		if uses[i] < uses[best] || uses[i] == uses[best] && p == prefer|0xff {
			best = i
		}
	}
	return PersonColors[best]
}
