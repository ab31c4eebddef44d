package canvas

// Who edits which text (PROTOCOL.md "Editing and Editors"): a page says
// which text it has open for typing, the room relays it to the others,
// who leave that text alone while it is claimed. Like cursors, it is
// relayed and never stored: the content itself goes through the op log
// (TextEdit), so the claim is only what keeps two people from typing into
// one text at once.

const (
	MsgEditing byte = 0x2A // author uvarint, stroke uvarint: the text the sender edits ((0, 0): none)
	MsgEditors byte = 0x89 // count uvarint, count × (editor uvarint, author uvarint, stroke uvarint)
)

// MaxEditorsPerMessage bounds an Editors message: one entry per person.
const MaxEditorsPerMessage = 1 << 12

// Editor says that Editor has the text Text open for typing; a zero Text
// says that Editor stopped.
type Editor struct {
	Editor uint32
	Text   StrokeID
}

// AppendEditing appends an Editing client frame: the sender edits text
// ((0, 0): nothing now).
func AppendEditing(b []byte, text StrokeID) []byte {
	b = append(b, MsgEditing)
	b = appendUvarint(b, uint64(text.Author))
	return appendUvarint(b, uint64(text.N))
}

// decodeEditing reads an Editing body: a text's name, or (0, 0).
func (r *reader) decodeEditing() StrokeID {
	id := StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}
	if r.err == nil && id.N == 0 && id.Author != 0 {
		r.fail(errf("stroke number 0"))
	}
	return id
}

// AppendEditors appends an Editors message.
func AppendEditors(b []byte, es []Editor) []byte {
	b, s := beginMsg(b, MsgEditors)
	b = appendUvarint(b, uint64(len(es)))
	for _, e := range es {
		b = appendUvarint(b, uint64(e.Editor))
		b = appendUvarint(b, uint64(e.Text.Author))
		b = appendUvarint(b, uint64(e.Text.N))
	}
	return endMsg(b, s)
}

func (r *reader) decodeEditors(dst []Editor) []Editor {
	n := r.count("editor", MaxEditorsPerMessage, 3)
	for i := 0; i < n && r.err == nil; i++ {
		e := Editor{Editor: r.uvarint32("editor")}
		e.Text = r.decodeEditing()
		dst = append(dst, e)
	}
	return dst
}
