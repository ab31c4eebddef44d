package canvas

// Client message types (client frames carry exactly one: type byte, body).
const (
	MsgHello  byte = 0x01 // version u8, epoch u64, lastSeq uvarint, author uvarint, name string, color u32
	MsgCursor byte = 0x20 // x svarint, y svarint
	MsgName   byte = 0x21 // name string, color u32
	MsgLaser  byte = 0x28 // count uvarint, count × (x svarint, y svarint)
)

// MaxLaserPoints is the most points a Laser message carries, and the most
// a Lasers message carries for one author: a client sends what its pointer
// went through since its last Laser (one cursor interval), and a server
// relays at most this many of an author's points per interval.
const MaxLaserPoints = 64

// Server message types (server frames carry one or more: type byte, body
// length uvarint, body).
const (
	MsgWelcome  byte = 0x80 // version u8, epoch u64, author uvarint, applied uvarint, head uvarint
	MsgOps      byte = 0x81 // firstSeq uvarint, count uvarint, count × (author uvarint, len uvarint, op)
	MsgSnapshot byte = 0x82 // board encoding
	MsgPresence byte = 0x83 // author uvarint, name string, color u32
	MsgLeave    byte = 0x84 // author uvarint
	MsgCursors  byte = 0x85 // count uvarint, count × (author uvarint, x svarint, y svarint)
	MsgNotice   byte = 0x86 // code u16, message string
	MsgLasers   byte = 0x87 // count uvarint, count × (author uvarint, n uvarint, n × (x svarint, y svarint))
)

// Hello opens a session.
type Hello struct {
	Version uint8
	Epoch   uint64 // the room epoch the client knows, 0 for none
	LastSeq uint64 // the last sequence number the client applied, 0 for none
	Author  uint32 // the author id to resume, 0 for a new one
	Name    string
	Color   uint32
}

// Cursor is a pointer position in board units.
type Cursor struct {
	X, Y int32
}

// Laser is a stretch of the sender's laser pointer trail: the points its
// pointer went through, oldest first. It is relayed, never stored.
type Laser struct {
	Points []Cursor // positions, as a Cursor's
}

// Name changes the sender's display name and color.
type Name struct {
	Name  string
	Color uint32
}

// ClientFrame is one decoded client frame. Type says which field is set:
// MsgHello, MsgCursor, MsgLaser, MsgView, MsgName, or an op type (IsOp).
type ClientFrame struct {
	Type   byte
	Hello  Hello
	Op     Op
	Cursor Cursor
	Laser  Laser // Points reused across frames
	View   View
	Name   Name
	// Editing: the text the sender edits ((0, 0): none; message_editing.go).
	Editing StrokeID
}

// DecodeClientFrame decodes a client frame into f, reusing f.Op's slices.
func DecodeClientFrame(b []byte, f *ClientFrame) error {
	if len(b) == 0 {
		return errf("empty frame")
	}
	f.Type = b[0]
	r := reader{b: b[1:]}
	switch {
	case f.Type == MsgHello:
		f.Hello = Hello{Version: r.u8(), Epoch: r.u64(), LastSeq: r.uvarint()}
		f.Hello.Author = r.uvarint32("author")
		f.Hello.Name = r.str("name", MaxNameBytes)
		f.Hello.Color = r.u32()
	case f.Type == MsgCursor:
		f.Cursor = Cursor{X: r.coord(), Y: r.coord()}
	case f.Type == MsgLaser:
		f.Laser.Points = r.laserPoints(f.Laser.Points[:0])
		if len(f.Laser.Points) == 0 && r.err == nil {
			r.fail(errf("laser without points"))
		}
	case f.Type == MsgView:
		f.View = r.view()
	case f.Type == MsgName:
		f.Name = Name{Name: r.str("name", MaxNameBytes), Color: r.u32()}
	case f.Type == MsgEditing:
		f.Editing = r.decodeEditing()
	case IsOp(f.Type):
		r.b = b
		decodeOp(&r, &f.Op)
		switch {
		case r.err != nil:
		case f.Op.Purge:
			// A server numbers ops in a Purge when it needs their room;
			// a client asking for it would drop what others may undo.
			r.fail(errf("a purge is numbered by servers only"))
		case f.Op.Type == OpClear && f.Op.Stroke == 0:
			r.fail(errf("clear without a sweep number (version 3)"))
		}
	default:
		return errf("unknown message type %#x", f.Type)
	}
	return r.done()
}

// coord reads an absolute coordinate and checks its range.
func (r *reader) coord() int32 {
	v := r.svarint()
	if v > CoordLimit || v < -CoordLimit {
		r.fail(errf("coordinate beyond ±%d", CoordLimit))
		return 0
	}
	return int32(v)
}

// laserPoints reads count uvarint, count × (x svarint, y svarint) onto ps.
func (r *reader) laserPoints(ps []Cursor) []Cursor {
	n := r.count("laser point", MaxLaserPoints, 2)
	for i := 0; i < n && r.err == nil; i++ {
		ps = append(ps, Cursor{X: r.coord(), Y: r.coord()})
	}
	return ps
}

func appendLaserPoints(b []byte, ps []Cursor) []byte {
	b = appendUvarint(b, uint64(len(ps)))
	for _, p := range ps {
		b = appendSvarint(b, int64(p.X))
		b = appendSvarint(b, int64(p.Y))
	}
	return b
}

// AppendLaser appends a Laser client frame (at most MaxLaserPoints points).
func AppendLaser(b []byte, l *Laser) []byte {
	return appendLaserPoints(append(b, MsgLaser), l.Points)
}

// AppendHello appends a Hello client frame.
func AppendHello(b []byte, h *Hello) []byte {
	b = append(b, MsgHello, h.Version)
	b = appendU64(b, h.Epoch)
	b = appendUvarint(b, h.LastSeq)
	b = appendUvarint(b, uint64(h.Author))
	b = appendString(b, h.Name)
	return appendU32(b, h.Color)
}

// AppendCursor appends a Cursor client frame.
func AppendCursor(b []byte, c Cursor) []byte {
	b = append(b, MsgCursor)
	b = appendSvarint(b, int64(c.X))
	return appendSvarint(b, int64(c.Y))
}

// AppendName appends a Name client frame.
func AppendName(b []byte, n *Name) []byte {
	b = append(b, MsgName)
	b = appendString(b, n.Name)
	return appendU32(b, n.Color)
}
