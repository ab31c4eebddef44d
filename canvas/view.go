package canvas

// Follow the leader (PROTOCOL.md "View"): a person's visible board
// rectangle, relayed to the others so that whoever follows them sees what
// they see, fitted to their own screen. Like cursors, views are presence:
// relayed, never stored, numbered, replayed or exported.

// Message types of the view relay.
const (
	MsgView  byte = 0x29 // client: x svarint, y svarint, w uvarint, h uvarint
	MsgViews byte = 0x88 // server: count uvarint, count × (author uvarint, x svarint, y svarint, w uvarint, h uvarint)
)

// MaxViewSpan bounds a view's width and height in board units: the whole
// coordinate range (±CoordLimit) with room to spare, so a view zoomed out
// past the board's edge still says what it shows.
const MaxViewSpan = 1 << 30

// MaxViewsPerMessage is the most authors a Views message carries.
const MaxViewsPerMessage = 1 << 12

// View is the board rectangle a person sees: its center (X, Y) and its
// size (W, H), in board units. A follower fits W × H into its own screen
// (the smaller of the two zooms) around the center.
type View struct {
	X, Y int32
	W, H uint32
}

// AuthorView is one person's view in a Views message.
type AuthorView struct {
	Author uint32
	View
}

// view reads x svarint, y svarint, w uvarint, h uvarint and checks their
// ranges: the center within ±CoordLimit, the size within 1..MaxViewSpan.
func (r *reader) view() View {
	v := View{X: r.coord(), Y: r.coord()}
	v.W, v.H = r.span(), r.span()
	return v
}

func (r *reader) span() uint32 {
	s := r.uvarint()
	if r.err == nil && (s == 0 || s > MaxViewSpan) {
		r.fail(errf("view size %d outside 1..%d", s, MaxViewSpan))
		return 0
	}
	return uint32(s)
}

func appendView(b []byte, v View) []byte {
	b = appendSvarint(b, int64(v.X))
	b = appendSvarint(b, int64(v.Y))
	b = appendUvarint(b, uint64(v.W))
	return appendUvarint(b, uint64(v.H))
}

// AppendView appends a View client frame.
func AppendView(b []byte, v View) []byte {
	return appendView(append(b, MsgView), v)
}

// AppendViews appends a Views message.
func AppendViews(b []byte, vs []AuthorView) []byte {
	b, s := beginMsg(b, MsgViews)
	b = appendUvarint(b, uint64(len(vs)))
	for _, v := range vs {
		b = appendUvarint(b, uint64(v.Author))
		b = appendView(b, v.View)
	}
	return endMsg(b, s)
}

// readViews reads a Views body onto vs.
func (r *reader) readViews(vs []AuthorView) []AuthorView {
	cnt := r.count("view", MaxViewsPerMessage, 5)
	for i := 0; i < cnt && r.err == nil; i++ {
		a := r.uvarint32("author")
		vs = append(vs, AuthorView{Author: a, View: r.view()})
	}
	return vs
}
