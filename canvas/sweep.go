package canvas

// Sweeps: a Clear and a moderator's Remove hide strokes by marking them
// with the sweep's name, (author who swept, the author's number for the
// sweep), taken from the same numbering as the author's strokes. An
// Unsweep names a sweep and shows exactly the strokes it marked again, so
// undoing a clear is one small op however big the board, and every
// replica, applying the same ops in the same order, marks the same
// strokes. A stroke holds at most one mark: a sweep takes only strokes no
// other sweep holds, and erasing or restoring a swept stroke changes its
// erased flag, which shows once the sweep is undone.
//
// Swept strokes stay on the board, and in its size, until a server needs
// the room they hold: it then numbers the op that needs the room inside a
// Purge, which drops every swept stroke for good before the op is
// applied. So a full board that is cleared takes drawing again at once,
// a board never holds more than its limits allow, and a clear stays
// undoable for as long as nobody needs its room. (A board's limits are the
// server's setting, not the protocol's: which ops carry a Purge is the
// server's choice, and what a Purge does is the protocol's.)

// sweptSize is what a board's swept strokes hold.
type sweptSize struct {
	points, text, strokes int
}

// SweptPoints returns the points and bytes of text swept strokes hold on
// the board: what a Purge would free.
func (b *Board) SweptPoints() int { return b.swept.points + b.swept.text }

// SweptStrokes returns how many strokes on the board are swept.
func (b *Board) SweptStrokes() int { return b.swept.strokes }

// sweep marks with id every stroke not swept yet that take accepts.
func (b *Board) sweep(id StrokeID, removed bool, take func(*Stroke) bool) {
	for _, s := range b.strokes {
		if s.Swept != (StrokeID{}) || !take(s) {
			continue
		}
		s.Swept, s.Removed = id, removed
		b.swept.add(s, 1)
	}
}

// unsweep shows the strokes sweep id marked again.
func (b *Board) unsweep(id StrokeID) {
	if id == (StrokeID{}) {
		return
	}
	for _, s := range b.strokes {
		if s.Swept == id {
			s.Swept, s.Removed = StrokeID{}, false
			b.swept.add(s, -1)
		}
	}
}

func (z *sweptSize) add(s *Stroke, sign int) {
	z.points += sign * len(s.Points)
	z.text += sign * len(s.Text)
	z.strokes += sign
}

// purge drops every swept stroke for good. No swept stroke is an open
// one (a sweep closes the strokes it could take), but an author whose
// open stroke went is left with none all the same.
func (b *Board) purge() {
	if b.swept.strokes == 0 {
		return
	}
	kept := b.strokes[:0]
	for _, s := range b.strokes {
		if s.Swept == (StrokeID{}) {
			b.index[s.ID] = len(kept)
			kept = append(kept, s)
			continue
		}
		delete(b.index, s.ID)
		if as := b.authors[s.ID.Author]; as != nil && as.Open == s.ID.N {
			as.Open = 0
		}
	}
	clear(b.strokes[len(kept):])
	b.strokes = kept
	b.points -= b.swept.points
	b.text -= b.swept.text
	b.swept = sweptSize{}
}

// SweepOf reports whether sweep id holds strokes on the board, and whether
// it is a moderator's Remove: a server lets only moderators undo those.
func (b *Board) SweepOf(id StrokeID) (held, removed bool) {
	for _, s := range b.strokes {
		if s.Swept == id {
			return true, s.Removed
		}
	}
	return false, false
}
