package canvas

import (
	"encoding/binary"
	"slices"
)

// Limits a board decoder enforces, so a snapshot from a peer can never make
// it allocate without bound.
const (
	MaxSnapshotAuthors = 1 << 20
	MaxSnapshotStrokes = 1 << 22
	maxSnapshotPoints  = 1 << 26
	minSnapshotPoint   = 3 // dx, dy, p
	minSnapshotStroke  = 10
	minSnapshotAuthor  = 3
)

const (
	snapFlagPressure = 1 << 0
	snapFlagHidden   = 1 << 1
	snapFlagFilled   = 1 << 2
	snapFlagSeq      = 1 << 3 // seq uvarint follows the stroke (0, not written: drawn before version 4)
	snapFlagSwept    = 1 << 4 // sweep author uvarint, n uvarint follow
	snapFlagRemoved  = 1 << 5 // the sweep was a Remove (only with snapFlagSwept)
	snapFlagRot      = 1 << 6 // rot uvarint (1..35999) follows, after the sweep
	snapFlagWrap     = 1 << 7 // a text's wrap width uvarint follows its text (version 5)
	snapFlags        = snapFlagPressure | snapFlagHidden | snapFlagFilled | snapFlagSeq | snapFlagSwept | snapFlagRemoved | snapFlagRot | snapFlagWrap
)

// MaxSnapshotBytes is an upper bound of the size of a Snapshot message
// (type byte and length included) holding a board of at most authors
// authors, strokes strokes, points points and text bytes of text. A
// server whose board limits make this bound fit MaxServerFrame can send
// every board it allows to every client.
//
// Every field at its widest: a point's coordinates are deltas of up to
// twice CoordLimit (5 bytes each as svarints) and its pressure byte; a
// stroke's ids, tool, flags, color, width, point count and text length;
// an author's id, applied count (any uint64) and open stroke. A byte of
// text is one byte.
func MaxSnapshotBytes(authors, strokes, points, text int) int {
	const (
		msg    = 1 + binary.MaxVarintLen64 // type, body length
		header = 8 + binary.MaxVarintLen64 + binary.MaxVarintLen32
		author = binary.MaxVarintLen32 + binary.MaxVarintLen64 + binary.MaxVarintLen32
		stroke = 2*binary.MaxVarintLen32 + 1 + 1 + 4 + 2 + 3 + 2 + // ids, tool, flags, color, width ≤ 4096, points ≤ 50000, text length ≤ 4096
			binary.MaxVarintLen64 + 2*binary.MaxVarintLen32 + 3 + // seq, sweep, rot
			4 // wrap ≤ MaxWrap
		point = 5 + 5 + 1
	)
	return msg + header + authors*author + binary.MaxVarintLen32 + strokes*stroke + points*point + text
}

// AppendBinary appends the board's canonical encoding (PROTOCOL.md "Board
// (snapshot) encoding") to dst. Two boards holding the same state encode to
// the same bytes.
func (b *Board) AppendBinary(dst []byte) ([]byte, error) {
	dst = appendU64(dst, b.Epoch)
	dst = appendUvarint(dst, b.Seq)
	ids := make([]uint32, 0, len(b.authors))
	for a := range b.authors {
		ids = append(ids, a)
	}
	slices.Sort(ids)
	dst = appendUvarint(dst, uint64(len(ids)))
	for _, a := range ids {
		s := b.authors[a]
		dst = appendUvarint(dst, uint64(a))
		dst = appendUvarint(dst, s.Applied)
		dst = appendUvarint(dst, uint64(s.Open))
	}
	dst = appendUvarint(dst, uint64(len(b.strokes)))
	for _, s := range b.strokes {
		dst = appendUvarint(dst, uint64(s.ID.Author))
		dst = appendUvarint(dst, uint64(s.ID.N))
		var flags uint8
		if s.Pressure {
			flags |= snapFlagPressure
		}
		if s.Hidden {
			flags |= snapFlagHidden
		}
		if s.Filled {
			flags |= snapFlagFilled
		}
		if s.Seq != 0 {
			flags |= snapFlagSeq
		}
		if s.Swept != (StrokeID{}) {
			flags |= snapFlagSwept
			if s.Removed {
				flags |= snapFlagRemoved
			}
		}
		if s.Rot != 0 {
			flags |= snapFlagRot
		}
		if s.Wrap != 0 {
			flags |= snapFlagWrap
		}
		dst = append(dst, s.Tool, flags)
		dst = appendU32(dst, s.Color)
		dst = appendUvarint(dst, uint64(s.Width))
		dst = appendUvarint(dst, uint64(len(s.Points)))
		var prev Point
		for _, p := range s.Points {
			dst = appendSvarint(dst, int64(p.X)-int64(prev.X))
			dst = appendSvarint(dst, int64(p.Y)-int64(prev.Y))
			dst = append(dst, p.P)
			prev = p
		}
		if s.Tool == ToolText || s.Tool == ToolImage {
			dst = appendUvarint(dst, uint64(len(s.Text)))
			dst = append(dst, s.Text...)
		}
		if s.Wrap != 0 {
			dst = appendUvarint(dst, uint64(s.Wrap))
		}
		if s.Seq != 0 {
			dst = appendUvarint(dst, s.Seq)
		}
		if s.Swept != (StrokeID{}) {
			dst = appendUvarint(dst, uint64(s.Swept.Author))
			dst = appendUvarint(dst, uint64(s.Swept.N))
		}
		if s.Rot != 0 {
			dst = appendUvarint(dst, uint64(s.Rot))
		}
	}
	return dst, nil
}

// MarshalBinary returns the board's canonical encoding.
func (b *Board) MarshalBinary() ([]byte, error) { return b.AppendBinary(nil) }

// UnmarshalBinary replaces b with the board encoded in data, validating it
// as strictly as an op: ids, widths, tools, coordinates, counts.
func (b *Board) UnmarshalBinary(data []byte) error {
	r := reader{b: data}
	nb, err := decodeBoard(&r)
	if err == nil {
		err = r.done()
	}
	if err != nil {
		return err
	}
	*b = *nb
	return nil
}

// SnapshotHead reads only the head of a board's encoding: its epoch, its
// sequence number and how many ops each author has applied (what a log
// needs to go on numbering after a snapshot), without decoding its
// strokes. The author table is validated as UnmarshalBinary validates it;
// the rest is not read.
func SnapshotHead(data []byte) (epoch, seq uint64, applied map[uint32]uint64, err error) {
	r := reader{b: data}
	epoch, seq = r.u64(), r.uvarint()
	na := r.count("author", MaxSnapshotAuthors, minSnapshotAuthor)
	applied = make(map[uint32]uint64, na)
	var last uint32
	for i := 0; i < na && r.err == nil; i++ {
		a := r.uvarint32("author")
		n := r.uvarint()
		r.uvarint32("stroke")
		if r.err == nil && i > 0 && a <= last {
			r.fail(errf("authors not in ascending order"))
		}
		last = a
		if n > 0 {
			applied[a] = n
		}
	}
	if r.err != nil {
		return 0, 0, nil, r.err
	}
	return epoch, seq, applied, nil
}

func decodeBoard(r *reader) (*Board, error) {
	b := &Board{Epoch: r.u64(), Seq: r.uvarint()}
	na := r.count("author", MaxSnapshotAuthors, minSnapshotAuthor)
	if na > 0 {
		b.authors = make(map[uint32]*AuthorState, na)
	}
	var last uint32
	for i := 0; i < na && r.err == nil; i++ {
		a := r.uvarint32("author")
		s := &AuthorState{Applied: r.uvarint(), Open: r.uvarint32("stroke")}
		if r.err == nil && i > 0 && a <= last {
			r.fail(errf("authors not in ascending order"))
		}
		last = a
		b.authors[a] = s
	}
	ns := r.count("stroke", MaxSnapshotStrokes, minSnapshotStroke)
	if ns > 0 {
		b.strokes = make([]*Stroke, 0, ns)
		b.index = make(map[StrokeID]int, ns)
	}
	for i := 0; i < ns && r.err == nil; i++ {
		s := &Stroke{ID: StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("stroke")}}
		s.Tool = r.u8()
		flags := r.u8()
		s.Color = r.u32()
		w := r.uvarint()
		np := r.count("point", MaxStrokePoints, minSnapshotPoint)
		if r.err != nil {
			break
		}
		switch {
		case s.ID.N == 0:
			r.fail(errf("stroke number 0"))
		case s.Tool > maxTool:
			r.fail(errf("unknown tool %d", s.Tool))
		case flags&^snapFlags != 0, flags&snapFlagRemoved != 0 && flags&snapFlagSwept == 0:
			r.fail(errf("unknown stroke flags %#x", flags))
		case flags&snapFlagWrap != 0 && s.Tool != ToolText:
			r.fail(errf("wrap width on a tool %d stroke", s.Tool))
		case IsShape(s.Tool) && np != 2, s.Tool == ToolText && np != 1, s.Tool == ToolImage && np != 2:
			r.fail(errf("tool %d stroke with %d points", s.Tool, np))
		case w < 1 || w > MaxWidth:
			r.fail(errf("width %d out of range 1..%d", w, MaxWidth))
		case np == 0:
			r.fail(errf("stroke without points"))
		case b.points+np > maxSnapshotPoints:
			r.fail(errf("snapshot holds too many points"))
		}
		if _, dup := b.index[s.ID]; dup && r.err == nil {
			r.fail(errf("duplicate stroke"))
		}
		if r.err != nil {
			break
		}
		s.Width = uint32(w)
		s.Pressure = flags&snapFlagPressure != 0
		s.Hidden = flags&snapFlagHidden != 0
		s.Filled = flags&snapFlagFilled != 0
		s.Points = make([]Point, 0, np)
		var x, y int64
		for j := 0; j < np && r.err == nil; j++ {
			x += r.svarint()
			y += r.svarint()
			p := r.u8()
			if x > CoordLimit || x < -CoordLimit || y > CoordLimit || y < -CoordLimit {
				r.fail(errf("coordinate beyond ±%d", CoordLimit))
				break
			}
			s.Points = append(s.Points, Point{X: int32(x), Y: int32(y), P: p})
		}
		switch s.Tool {
		case ToolText:
			s.Text = r.str("text", MaxTextBytes)
		case ToolImage:
			if s.Text = r.str("image hash", ImageHashHex); r.err == nil && !ValidImageHash(s.Text) {
				r.fail(errf("image hash %q", s.Text))
			}
		}
		if flags&snapFlagWrap != 0 {
			if w := r.uvarint(); r.err == nil && (w == 0 || w > MaxWrap) {
				r.fail(errf("wrap width %d outside 1..%d", w, MaxWrap))
			} else {
				s.Wrap = uint32(w)
			}
		}
		if flags&snapFlagSeq != 0 {
			if s.Seq = r.uvarint(); r.err == nil && (s.Seq == 0 || s.Seq > b.Seq) {
				r.fail(errf("stroke seq %d outside 1..%d", s.Seq, b.Seq))
			}
		}
		if flags&snapFlagSwept != 0 {
			s.Swept = StrokeID{Author: r.uvarint32("author"), N: r.uvarint32("sweep")}
			if r.err == nil && s.Swept.N == 0 {
				r.fail(errf("sweep number 0"))
			}
			s.Removed = flags&snapFlagRemoved != 0
			b.swept.add(s, 1)
		}
		if flags&snapFlagRot != 0 {
			if s.Rot = r.uvarint32("rotation"); r.err == nil && (s.Rot == 0 || s.Rot >= FullTurn) {
				r.fail(errf("rotation %d outside 1..%d", s.Rot, FullTurn-1))
			}
		}
		b.points += np
		b.text += len(s.Text)
		b.index[s.ID] = len(b.strokes)
		b.strokes = append(b.strokes, s)
	}
	if r.err != nil {
		return nil, r.err
	}
	for a, s := range b.authors {
		if s.Open != 0 {
			i, ok := b.index[StrokeID{Author: a, N: s.Open}]
			if !ok {
				return nil, errf("open stroke %d of author %d not on the board", s.Open, a)
			}
			if !IsFreehand(b.strokes[i].Tool) {
				return nil, errf("open stroke %d of author %d is not freehand", s.Open, a)
			}
			if b.strokes[i].Swept != (StrokeID{}) {
				return nil, errf("open stroke %d of author %d is swept", s.Open, a)
			}
		}
	}
	return b, nil
}

// Clone returns a deep copy of b.
func (b *Board) Clone() *Board {
	c := &Board{Epoch: b.Epoch, Seq: b.Seq, points: b.points, text: b.text, swept: b.swept}
	if b.authors != nil {
		c.authors = make(map[uint32]*AuthorState, len(b.authors))
		for a, s := range b.authors {
			cp := *s
			c.authors[a] = &cp
		}
	}
	if b.strokes != nil {
		c.strokes = make([]*Stroke, len(b.strokes))
		c.index = make(map[StrokeID]int, len(b.strokes))
		for i, s := range b.strokes {
			cp := *s
			cp.Points = slices.Clone(s.Points)
			c.strokes[i] = &cp
			c.index[s.ID] = i
		}
	}
	return c
}
