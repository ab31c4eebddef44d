package oplog

import (
	"bytes"
	"testing"
	"time"
)

func TestVersionRecordRoundTrips(t *testing.T) {
	v := Version{Seq: 4000, Time: time.UnixMilli(1_796_000_000_123).UTC(), Kind: KindClear, Ops: 2000,
		Authors: []VersionAuthor{{Author: 1, Name: "Ann"}, {Author: 70000, Name: ""}, {Author: 3, Name: "Zoë"}}}
	got, err := DecodeVersion(AppendVersion(nil, &v))
	if err != nil || got.Seq != v.Seq || !got.Time.Equal(v.Time) || got.Kind != v.Kind || got.Ops != v.Ops || len(got.Authors) != 3 || got.Authors[2] != v.Authors[2] {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	rec := AppendVersion(nil, &v)
	for i := range len(rec) {
		if _, err := DecodeVersion(rec[:i]); err == nil {
			t.Fatalf("a record cut at byte %d decodes", i)
		}
	}
}

// FuzzDecodeVersion: a stored version record either is refused or decodes
// to a version whose record decodes to the same.
func FuzzDecodeVersion(f *testing.F) {
	f.Add(AppendVersion(nil, &Version{Seq: 2000, Kind: KindCheckpoint, Ops: 2000, Time: time.UnixMilli(1e12),
		Authors: []VersionAuthor{{Author: 1, Name: "Ann"}}}))
	f.Add([]byte{2, 0, 0, 0, 0})
	f.Add([]byte{1, 1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := DecodeVersion(b)
		if err != nil {
			return
		}
		again := AppendVersion(nil, &v)
		v2, err := DecodeVersion(again)
		if err != nil || !bytes.Equal(AppendVersion(nil, &v2), again) {
			t.Fatalf("record %x decodes, its re-encoding %x does not decode the same: %v", b, again, err)
		}
	})
}
