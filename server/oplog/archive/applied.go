package archive

import (
	"encoding/binary"
	"errors"
	"slices"
)

// appendApplied encodes an author -> applied count table, the column
// boards.applied: count uvarint, then count × (author uvarint, applied
// uvarint) in ascending author order.
func appendApplied(b []byte, applied map[uint32]uint64) []byte {
	authors := make([]uint32, 0, len(applied))
	for a := range applied {
		authors = append(authors, a)
	}
	slices.Sort(authors)
	b = binary.AppendUvarint(b, uint64(len(authors)))
	for _, a := range authors {
		b = binary.AppendUvarint(b, uint64(a))
		b = binary.AppendUvarint(b, applied[a])
	}
	return b
}

var errApplied = errors.New("malformed applied table")

// maxApplied bounds the table a row may hold: far above the authors a
// board has, so more is corruption.
const maxApplied = 1 << 22

// decodeApplied reads what appendApplied wrote. It reads stored bytes, so
// it is bounded and checks everything: ascending authors, no trailing
// bytes.
func decodeApplied(b []byte) (map[uint32]uint64, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxApplied || n > uint64(len(b)) {
		return nil, errApplied
	}
	b = b[k:]
	out := make(map[uint32]uint64, n)
	var last uint64
	for i := range n {
		a, k1 := binary.Uvarint(b)
		if k1 <= 0 || a > 1<<32-1 || (i > 0 && a <= last) {
			return nil, errApplied
		}
		c, k2 := binary.Uvarint(b[k1:])
		if k2 <= 0 {
			return nil, errApplied
		}
		b = b[k1+k2:]
		out[uint32(a)], last = c, a
	}
	if len(b) != 0 {
		return nil, errApplied
	}
	return out, nil
}
