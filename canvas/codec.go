package canvas

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"
)

// ProtocolError is what every decoder returns for bytes that do not follow
// the protocol. Reason is short, human-readable and safe to send back to the
// client as a WebSocket close reason.
type ProtocolError struct {
	Reason string
}

func (e *ProtocolError) Error() string { return "canvas: " + e.Reason }

func errf(format string, args ...any) error {
	return &ProtocolError{Reason: fmt.Sprintf(format, args...)}
}

var (
	errShort    = &ProtocolError{Reason: "truncated message"}
	errVarint   = &ProtocolError{Reason: "malformed varint"}
	errTrailing = &ProtocolError{Reason: "trailing bytes after message"}
)

// reader walks a byte slice. The first error sticks: later reads return
// zero values, so a decoder checks r.err once at the points that matter.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *reader) len() int { return len(r.b) }

func (r *reader) u8() uint8 {
	if len(r.b) < 1 {
		r.fail(errShort)
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *reader) u16() uint16 {
	if len(r.b) < 2 {
		r.fail(errShort)
		return 0
	}
	v := binary.BigEndian.Uint16(r.b)
	r.b = r.b[2:]
	return v
}

func (r *reader) u32() uint32 {
	if len(r.b) < 4 {
		r.fail(errShort)
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail(errShort)
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		if n == 0 {
			r.fail(errShort)
		} else {
			r.fail(errVarint)
		}
		return 0
	}
	r.b = r.b[n:]
	return v
}

// uvarint32 reads a uvarint that must fit in 32 bits (ids, counts).
func (r *reader) uvarint32(what string) uint32 {
	v := r.uvarint()
	if v > 1<<32-1 {
		r.fail(errf("%s out of range", what))
		return 0
	}
	return uint32(v)
}

func (r *reader) svarint() int64 {
	u := r.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads an element count and checks it against max and against the
// bytes left (each element needs at least minSize bytes), so a hostile count
// can never make the caller allocate more than the frame could hold.
func (r *reader) count(what string, max, minSize int) int {
	v := r.uvarint()
	if r.err != nil {
		return 0
	}
	if v > uint64(max) {
		r.fail(errf("%s count %d over limit %d", what, v, max))
		return 0
	}
	if v*uint64(minSize) > uint64(len(r.b)) {
		r.fail(errShort)
		return 0
	}
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	if n > len(r.b) {
		r.fail(errShort)
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) str(what string, max int) string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(max) {
		r.fail(errf("%s longer than %d bytes", what, max))
		return ""
	}
	b := r.bytes(int(n))
	if r.err != nil {
		return ""
	}
	if !utf8.Valid(b) {
		r.fail(errf("%s is not UTF-8", what))
		return ""
	}
	return string(b)
}

// done reports the sticky error, or an error if bytes remain.
func (r *reader) done() error {
	if r.err != nil {
		return r.err
	}
	if len(r.b) != 0 {
		return errTrailing
	}
	return nil
}

func appendU16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }
func appendU32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }
func appendU64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }
func appendUvarint(b []byte, v uint64) []byte {
	return binary.AppendUvarint(b, v)
}
func appendSvarint(b []byte, v int64) []byte {
	return binary.AppendUvarint(b, uint64(v<<1)^uint64(v>>63))
}
func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
