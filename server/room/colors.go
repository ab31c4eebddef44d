package room

import "github.com/sketchpad/sketchpad/canvas"

// People's colors. A page sends its person's color in Hello and Name: a
// color its person picked is kept as sent; a color not picked (alpha 0,
// canvas.ColorPicked) asks the room for one, and the room hands out the
// least used of canvas.PersonColors among everyone it knows on the board,
// on this replica and on the others (their people as the relay last told
// them), preferring the color the page had among equals. A handed-out
// color stays with its person: a rename keeps it. The page learns it
// from the Presence of its own author, in its first frame.
//
// Two replicas that each hand out a color at the same moment count
// without the other's newcomer, and may hand out the same one. When the
// relay brings a person who shows the color one of this room's people was
// handed, the one with the greater author id moves to the least used
// color: every replica applies the same rule to the same pair, so the
// smaller one never moves and the pair settles in one step. It moves only
// to a color fewer others show than show its own: on a board with more
// people than colors every color is shared, and a move would trade one
// clash for another, told to everyone, which the next news would undo
// (a crowd of thousands reconnecting would hear its roster churn).
//
// Whether a person only looks (a view link or token, Viewer) is the
// room's to say: their Presence color has alpha 0, whatever the page sent.

// setColor sets p's presence color from want, the color p's page sent
// on s (Hello or Name). p is in r.people.
func (r *Room) setColor(s Peer, p *person, want uint32) {
	p.asked = !canvas.ColorPicked(want)
	rgb := want | canvas.ColorOpaque
	switch {
	case !p.asked:
	case p.Color != 0:
		rgb = p.Color | canvas.ColorOpaque // handed out already (a rename, a second connection)
	default:
		rgb = canvas.LeastUsedColor(r.colorsBut(p.Author), want)
	}
	p.Color = presenceColor(s, rgb)
}

// presenceColor returns rgb as a person on s shows it in Presence: alpha
// 0 for a viewer.
func presenceColor(s Peer, rgb uint32) uint32 {
	if viewOnly(s) {
		return rgb &^ 0xff
	}
	return rgb | canvas.ColorOpaque
}

// colorsBut returns the colors of everyone on the board but author: the
// people here and on the other replicas, each once.
func (r *Room) colorsBut(author uint32) []uint32 {
	cs := make([]uint32, 0, len(r.people))
	for a, p := range r.people {
		if a != author {
			cs = append(cs, p.Color)
		}
	}
	var counted map[uint32]bool // remote authors, when more than one replica might hold them
	for _, rp := range r.rem.by {
		for a, p := range rp.people {
			if a == author || r.people[a] != nil || counted[a] {
				continue
			}
			if len(r.rem.by) > 1 {
				if counted == nil {
					counted = make(map[uint32]bool)
				}
				counted[a] = true
			}
			cs = append(cs, p.Color)
		}
	}
	return cs
}

// settleColors moves a handed-out color of a person here off the color of
// a person with a smaller author id that news (from another replica)
// shows, telling everyone.
func (r *Room) settleColors(news []canvas.Presence) {
	if len(news) == 0 {
		return
	}
	var smallest map[uint32]uint32 // color (opaque) → the smallest author of news showing it
	for _, q := range news {
		if r.people[q.Author] != nil {
			continue // the same person, here too
		}
		if smallest == nil {
			smallest = make(map[uint32]uint32, len(news))
		}
		c := q.Color | canvas.ColorOpaque
		if a, ok := smallest[c]; !ok || q.Author < a {
			smallest[c] = q.Author
		}
	}
	var uses map[uint32]int // everyone's colors, counted once, when someone may move
	for a, p := range r.people {
		c := p.Color | canvas.ColorOpaque
		if o, ok := smallest[c]; !ok || !p.asked || o > a {
			continue
		}
		if uses == nil {
			uses = colorUses(r.colorsBut(0))
		}
		if !fewerElsewhere(uses, c) {
			continue
		}
		viewer := p.Color&0xff == 0
		p.Color = canvas.LeastUsedColor(r.colorsBut(a), 0)
		uses[c]--
		uses[p.Color|canvas.ColorOpaque]++
		if viewer {
			p.Color &^= 0xff
		}
		start := len(r.out)
		r.out = canvas.AppendPresence(r.out, &p.Presence)
		r.relayNews(start)
	}
}

// colorUses counts how many show each color of the palette (opaque).
func colorUses(colors []uint32) map[uint32]int {
	uses := make(map[uint32]int, len(canvas.PersonColors))
	for _, c := range colors {
		uses[c|canvas.ColorOpaque]++
	}
	return uses
}

// fewerElsewhere reports whether some color of the palette is shown by
// fewer people than show c besides one who shows it (uses counts them
// all): only then does a move of that one make a clash smaller.
func fewerElsewhere(uses map[uint32]int, c uint32) bool {
	for _, pc := range canvas.PersonColors {
		if pc != c && uses[pc] < uses[c]-1 {
			return true
		}
	}
	return false
}
