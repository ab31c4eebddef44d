package canvas

// The follow-on form of an Ops message (PROTOCOL.md "Ops, follow-on
// form", version 5). A live frame almost always carries the ops right
// after the last ones every connection of the room was sent, often one op
// of a few bytes (a pointer sample of a stroke being drawn); its first
// sequence number (two to four bytes on a busy board) and its count then
// say nothing a client does not know, yet they were a quarter of what a
// peer received per pointer sample. So the body starts with 0 (no op is
// numbered 0), and the ops run to the end of the body: their numbers
// follow on from the last op the connection received. Joiners' frames,
// replays, the Redis bus and the history API keep the absolute form,
// which needs no context.

// AppendOpsNext appends an Ops message in the follow-on form: the ops are
// numbered from one past the last op the receiving connection was sent.
// A server uses it only when every connection it sends the frame to has
// been sent exactly the ops before these.
func AppendOpsNext(b []byte, ops []SeqOp) []byte {
	b, s := beginMsg(b, MsgOps)
	b = append(b, 0)
	for _, o := range ops {
		b = appendUvarint(b, uint64(o.Author))
		b = appendUvarint(b, uint64(len(o.Op)))
		b = append(b, o.Op...)
	}
	return endMsg(b, s)
}

// NextSeq returns the sequence number of the first op of an Ops message
// whose firstSeq field is first, for a connection whose last op was last:
// first itself, or last+1 for the follow-on form (first 0).
func NextSeq(first, last uint64) uint64 {
	if first == 0 {
		return last + 1
	}
	return first
}

// readOpsHead reads an Ops body's first sequence number and its count of
// ops; for the follow-on form (first 0) the count is -1: the ops run to the
// end of the body.
func (r *reader) readOpsHead() (first uint64, count int) {
	first = r.uvarint()
	if first == 0 && r.err == nil {
		return 0, -1
	}
	return first, r.count("op", MaxOpsPerMessage, 3)
}

// readSeqOp reads one op of an Ops body: author uvarint, len uvarint, op.
func (r *reader) readSeqOp() SeqOp {
	a := r.uvarint32("author")
	l := r.count("op byte", maxOpBytes, 1)
	if l == 0 && r.err == nil {
		r.fail(errf("empty op"))
	}
	return SeqOp{Author: a, Op: r.bytes(l)}
}
