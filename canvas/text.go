package canvas

// Shared text (PROTOCOL.md "TextEdit", "TextWrap"): anyone who can draw
// edits any text, by replacing its content, and sets the width its lines
// wrap to. An edit names the text rather than coming from its author, so
// the author's Text op (which only its author may send, for its own
// stroke numbers) stays what creates a text; TextEdit is what everyone,
// the author included, sends while typing into one that exists.
//
// Whole content rather than a splice: a text is at most MaxTextBytes, a
// page sends at most one edit an animation frame and only one person edits
// a text at a time (Editing/Editors), so a replacement is small, needs no
// merge, and its undo is the replacement by the text as it was.

// MaxWrap bounds a text's wrap width, in board units.
const MaxWrap = 1 << 24

func appendTextOp(b []byte, o *Op) []byte {
	b = appendUvarint(b, uint64(o.Anchor.Author))
	b = appendUvarint(b, uint64(o.Anchor.N))
	if o.Type == OpTextEdit {
		return appendString(b, o.Text)
	}
	return appendUvarint(b, uint64(o.Width))
}

func decodeTextOp(r *reader, o *Op) {
	o.Anchor = StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}
	if r.err == nil && o.Anchor.N == 0 {
		r.fail(errf("stroke number 0"))
		return
	}
	if o.Type == OpTextEdit {
		o.Text = r.str("text", MaxTextBytes)
		return
	}
	w := r.uvarint()
	if r.err == nil && w > MaxWrap {
		r.fail(errf("wrap width %d over %d", w, MaxWrap))
	}
	o.Width = uint32(w)
}

// textOp applies a TextEdit or a TextWrap: to a text that exists (hidden,
// swept or not); anything else named is left alone.
func (b *Board) textOp(o *Op) {
	s := b.Stroke(o.Anchor)
	if s == nil || s.Tool != ToolText {
		return
	}
	if o.Type == OpTextWrap {
		s.Wrap = o.Width
		return
	}
	b.text += len(o.Text) - len(s.Text)
	if s.Swept != (StrokeID{}) {
		b.swept.text += len(o.Text) - len(s.Text)
	}
	s.Text = o.Text
}
