package canvas

import (
	"encoding/binary"
	"slices"
)

// Welcome answers Hello.
type Welcome struct {
	Version uint8
	Epoch   uint64
	Author  uint32 // the client's author id from now on
	Applied uint64 // this author's ops the room holds: the index to resend from
	Head    uint64 // the room's last sequence number when the Welcome was made
}

// SeqOp is an encoded op and its author, as carried in an Ops message. Its
// sequence number is implied by its place in the message.
type SeqOp struct {
	Author uint32
	Op     []byte // type byte and body, as DecodeOp reads it
}

// Presence says who someone is.
type Presence struct {
	Author uint32
	Name   string
	Color  uint32
}

// AuthorCursor is one person's pointer.
type AuthorCursor struct {
	Author uint32
	X, Y   int32
}

// AuthorLaser is the stretch of one person's laser trail that a Lasers
// message carries, oldest point first.
type AuthorLaser struct {
	Author uint32
	Points []Cursor
}

// Notice is a non-fatal error or hint for the client.
type Notice struct {
	Code    NoticeCode
	Message string
}

// MaxServerFrame is the largest server frame a client must accept
// (PROTOCOL.md "Framing"). A joiner's first frame holds the whole board,
// so a server keeps its board limits such that a full board's snapshot
// (MaxSnapshotBytes) and the joiner's other messages fit in it.
const MaxServerFrame = 64 << 20

// Limits of server messages, enforced by DecodeServerFrame.
const (
	MaxOpsPerMessage     = 1 << 16
	MaxCursorsPerMessage = 1 << 12
	MaxLasersPerMessage  = 1 << 12 // authors; each with up to MaxLaserPoints points
	maxOpBytes           = 1 << 20
	maxNoticeBytes       = 1024
)

func beginMsg(b []byte, typ byte) ([]byte, int) {
	b = append(b, typ)
	return b, len(b)
}

// endMsg inserts the body length (everything after bodyStart) before the body.
func endMsg(b []byte, bodyStart int) []byte {
	var tmp [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(tmp[:], uint64(len(b)-bodyStart))
	return slices.Insert(b, bodyStart, tmp[:n]...)
}

// AppendWelcome appends a Welcome message.
func AppendWelcome(b []byte, w *Welcome) []byte {
	b, s := beginMsg(b, MsgWelcome)
	b = append(b, w.Version)
	b = appendU64(b, w.Epoch)
	b = appendUvarint(b, uint64(w.Author))
	b = appendUvarint(b, w.Applied)
	b = appendUvarint(b, w.Head)
	return endMsg(b, s)
}

// AppendOps appends an Ops message carrying ops numbered firstSeq, firstSeq+1, ...
// (firstSeq 0: the follow-on form, AppendOpsNext).
func AppendOps(b []byte, firstSeq uint64, ops []SeqOp) []byte {
	if firstSeq == 0 {
		return AppendOpsNext(b, ops)
	}
	b, s := beginMsg(b, MsgOps)
	b = appendUvarint(b, firstSeq)
	b = appendUvarint(b, uint64(len(ops)))
	for _, o := range ops {
		b = appendUvarint(b, uint64(o.Author))
		b = appendUvarint(b, uint64(len(o.Op)))
		b = append(b, o.Op...)
	}
	return endMsg(b, s)
}

// AppendSnapshot appends a Snapshot message holding the whole board.
func AppendSnapshot(b []byte, board *Board) []byte {
	b, s := beginMsg(b, MsgSnapshot)
	b, _ = board.AppendBinary(b)
	return endMsg(b, s)
}

// AppendPresence appends a Presence message.
func AppendPresence(b []byte, p *Presence) []byte {
	b, s := beginMsg(b, MsgPresence)
	b = appendUvarint(b, uint64(p.Author))
	b = appendString(b, p.Name)
	b = appendU32(b, p.Color)
	return endMsg(b, s)
}

// AppendLeave appends a Leave message.
func AppendLeave(b []byte, author uint32) []byte {
	b, s := beginMsg(b, MsgLeave)
	b = appendUvarint(b, uint64(author))
	return endMsg(b, s)
}

// AppendCursors appends a Cursors message.
func AppendCursors(b []byte, cs []AuthorCursor) []byte {
	b, s := beginMsg(b, MsgCursors)
	b = appendUvarint(b, uint64(len(cs)))
	for _, c := range cs {
		b = appendUvarint(b, uint64(c.Author))
		b = appendSvarint(b, int64(c.X))
		b = appendSvarint(b, int64(c.Y))
	}
	return endMsg(b, s)
}

// AppendLasers appends a Lasers message.
func AppendLasers(b []byte, ls []AuthorLaser) []byte {
	b, s := beginMsg(b, MsgLasers)
	b = appendUvarint(b, uint64(len(ls)))
	for _, l := range ls {
		b = appendUvarint(b, uint64(l.Author))
		b = appendLaserPoints(b, l.Points)
	}
	return endMsg(b, s)
}

// AppendNotice appends a Notice message.
func AppendNotice(b []byte, n *Notice) []byte {
	b, s := beginMsg(b, MsgNotice)
	b = appendU16(b, uint16(n.Code))
	b = appendString(b, n.Message)
	return endMsg(b, s)
}

// ServerMsg is one decoded server message. Type says which fields are set.
type ServerMsg struct {
	Type     byte
	Welcome  Welcome
	FirstSeq uint64  // Ops; 0: the follow-on form (NextSeq)
	Ops      []SeqOp // Ops; Op slices alias the frame
	Board    *Board  // Snapshot
	Presence Presence
	Leave    uint32
	Cursors  []AuthorCursor
	Lasers   []AuthorLaser
	Views    []AuthorView
	Notice   Notice
	Editors  []Editor // message_editing.go
}

// DecodeServerFrame decodes every message of a server frame, calling fn for
// each in order. Unknown message types are skipped by their length. fn must
// not keep m or the slices in it past its return.
func DecodeServerFrame(b []byte, fn func(m *ServerMsg) error) error {
	var m ServerMsg
	r := reader{b: b}
	for r.len() > 0 {
		typ := r.u8()
		n := r.uvarint()
		if r.err != nil {
			return r.err
		}
		if n > uint64(r.len()) {
			return errShort
		}
		body := reader{b: r.bytes(int(n))}
		m = ServerMsg{Type: typ, Ops: m.Ops[:0], Cursors: m.Cursors[:0], Lasers: m.Lasers[:0], Views: m.Views[:0], Editors: m.Editors[:0]}
		switch typ {
		case MsgWelcome:
			decodeWelcome(&body, &m.Welcome)
		case MsgOps:
			var cnt int
			m.FirstSeq, cnt = body.readOpsHead()
			for i := 0; (i < cnt || cnt < 0 && body.len() > 0) && body.err == nil; i++ {
				if i == MaxOpsPerMessage {
					body.fail(errf("op count over limit %d", MaxOpsPerMessage))
					break
				}
				m.Ops = append(m.Ops, body.readSeqOp())
			}
		case MsgSnapshot:
			board, err := decodeBoard(&body)
			if err != nil {
				return err
			}
			m.Board = board
		case MsgPresence:
			m.Presence.Author = body.uvarint32("author")
			m.Presence.Name = body.str("name", MaxNameBytes)
			m.Presence.Color = body.u32()
		case MsgLeave:
			m.Leave = body.uvarint32("author")
		case MsgCursors:
			cnt := body.count("cursor", MaxCursorsPerMessage, 3)
			for i := 0; i < cnt && body.err == nil; i++ {
				c := AuthorCursor{Author: body.uvarint32("author")}
				c.X, c.Y = body.coord(), body.coord()
				m.Cursors = append(m.Cursors, c)
			}
		case MsgLasers:
			cnt := body.count("laser", MaxLasersPerMessage, 3)
			for i := 0; i < cnt && body.err == nil; i++ {
				l := AuthorLaser{Author: body.uvarint32("author")}
				l.Points = body.laserPoints(nil)
				if len(l.Points) == 0 && body.err == nil {
					body.fail(errf("laser without points"))
				}
				m.Lasers = append(m.Lasers, l)
			}
		case MsgViews:
			m.Views = body.readViews(m.Views)
		case MsgEditors:
			m.Editors = body.decodeEditors(m.Editors)
		case MsgNotice:
			m.Notice.Code = NoticeCode(body.u16())
			m.Notice.Message = body.str("notice", maxNoticeBytes)
		default:
			continue
		}
		if err := body.done(); err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
	}
	return r.err
}
