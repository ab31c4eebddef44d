package canvas

// FrameIter walks a server frame message by message without decoding the
// bodies, allocating nothing: for a client that reads many frames a second
// and needs little of each (the load generator: Welcome, the Ops, a
// Snapshot's size), where DecodeServerFrame would build every message. It
// checks the framing as DecodeServerFrame does; a body is checked only by
// what the caller decodes it with (OpsIter, DecodeWelcome,
// Board.UnmarshalBinary).
//
//	it := canvas.NewFrameIter(frame)
//	for it.Next() {
//		switch it.Type() {
//		case canvas.MsgOps:
//			ops := canvas.NewOpsIter(it.Body())
//			for ops.Next() { use(ops.Seq(), ops.Author(), ops.Op()) }
//			if err := ops.Err(); err != nil { ... }
//		}
//	}
//	if err := it.Err(); err != nil { ... }
//
// Unknown message types are returned like the others; skip them.
type FrameIter struct {
	r    reader
	typ  byte
	body []byte
}

// NewFrameIter returns an iterator over frame's messages. Bodies alias frame.
func NewFrameIter(frame []byte) FrameIter { return FrameIter{r: reader{b: frame}} }

// Next moves to the next message; false at the end of the frame or at a
// framing error (see Err).
func (it *FrameIter) Next() bool {
	it.typ, it.body = 0, nil
	if it.r.err != nil || it.r.len() == 0 {
		return false
	}
	typ := it.r.u8()
	n := it.r.uvarint()
	if it.r.err != nil {
		return false
	}
	if n > uint64(it.r.len()) {
		it.r.fail(errShort)
		return false
	}
	it.typ, it.body = typ, it.r.bytes(int(n))
	return true
}

// Type is the current message's type byte (MsgWelcome, MsgOps, ...).
func (it *FrameIter) Type() byte { return it.typ }

// Body is the current message's body, after its type and length.
func (it *FrameIter) Body() []byte { return it.body }

// Err is the framing error that ended the walk, or nil.
func (it *FrameIter) Err() error { return it.r.err }

// OpsIter walks the ops of an Ops message body (firstSeq, count, then count
// × author, length, op; or the follow-on form), allocating nothing, with
// DecodeServerFrame's checks: the count and each op's length within their
// limits and the bytes, no empty op, no bytes after the last op.
type OpsIter struct {
	r      reader
	left   int // ops not yet returned; -1: to the end of the body (follow-on form)
	n      int // ops returned
	seq    uint64
	author uint32
	op     []byte
}

// NewOpsIter reads an Ops body's first sequence number and count. A body
// in the follow-on form is numbered from 1: see NewOpsIterAfter.
func NewOpsIter(body []byte) OpsIter { return NewOpsIterAfter(body, 0) }

// NewOpsIterAfter is NewOpsIter for a connection whose last op was last:
// a body in the follow-on form numbers its ops after it.
func NewOpsIterAfter(body []byte, last uint64) OpsIter {
	it := OpsIter{r: reader{b: body}}
	first, n := it.r.readOpsHead()
	it.left = n
	it.seq = NextSeq(first, last) - 1 // Next adds one before the first op
	return it
}

// Next moves to the next op; false after the last one or at an error (see
// Err).
func (it *OpsIter) Next() bool {
	it.author, it.op = 0, nil
	if it.r.err != nil || it.left == 0 || it.left < 0 && it.r.len() == 0 {
		return false
	}
	if it.left > 0 {
		it.left--
	} else if it.n == MaxOpsPerMessage {
		it.r.fail(errf("op count over limit %d", MaxOpsPerMessage))
		return false
	}
	o := it.r.readSeqOp()
	if it.r.err != nil {
		return false
	}
	it.seq++
	it.n++
	it.author, it.op = o.Author, o.Op
	return true
}

// Seq is the current op's sequence number.
func (it *OpsIter) Seq() uint64 { return it.seq }

// Author is the current op's author.
func (it *OpsIter) Author() uint32 { return it.author }

// Op is the current op's bytes (type byte and body, as DecodeOp reads it),
// aliasing the frame.
func (it *OpsIter) Op() []byte { return it.op }

// Err is the error that ended the walk, or nil; after the last op it also
// reports bytes left over in the body.
func (it *OpsIter) Err() error {
	if it.r.err == nil && it.left <= 0 {
		return it.r.done()
	}
	return it.r.err
}

// DecodeWelcome decodes a Welcome message body into w.
func DecodeWelcome(body []byte, w *Welcome) error {
	r := reader{b: body}
	decodeWelcome(&r, w)
	return r.done()
}

func decodeWelcome(r *reader, w *Welcome) {
	*w = Welcome{Version: r.u8(), Epoch: r.u64()}
	w.Author = r.uvarint32("author")
	w.Applied = r.uvarint()
	w.Head = r.uvarint()
}
