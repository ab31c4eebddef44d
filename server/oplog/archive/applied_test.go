package archive

import (
	"bytes"
	"maps"
	"testing"
)

func TestAppliedRoundTrips(t *testing.T) {
	for _, m := range []map[uint32]uint64{{}, {1: 0}, {1: 5, 300: 1 << 40, 1<<32 - 1: 7}} {
		got, err := decodeApplied(appendApplied(nil, m))
		if err != nil || !maps.Equal(got, m) {
			t.Fatalf("%v: %v, %v", m, got, err)
		}
	}
}

// FuzzDecodeApplied: a stored table either is refused or decodes to one
// that encodes to bytes decoding to the same (varints need not be in
// their shortest form).
func FuzzDecodeApplied(f *testing.F) {
	f.Add(appendApplied(nil, map[uint32]uint64{1: 5, 9: 2}))
	f.Add([]byte{0x00})
	f.Add([]byte{0x02, 0x05, 0x01, 0x03, 0x01})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decodeApplied(b)
		if err != nil {
			return
		}
		again := appendApplied(nil, m)
		m2, err := decodeApplied(again)
		if err != nil || !maps.Equal(m, m2) || !bytes.Equal(appendApplied(nil, m2), again) {
			t.Fatalf("%x decodes to %v, which encodes to %x: %v, %v", b, m, again, m2, err)
		}
	})
}
