package canvas

import (
	"bytes"
	"testing"
)

// The follow-on form: 0 where the first sequence number was, no count, the
// ops to the end of the body; numbered after the connection's last op.
func TestOpsFollowOnForm(t *testing.T) {
	ops := []SeqOp{{Author: 5, Op: []byte{0x13}}, {Author: 300, Op: []byte{0x16, 0x01}}}
	want := unhex(t, "81 09 00 05 01 13 ac02 02 1601")
	if got := AppendOpsNext(nil, ops); !bytes.Equal(got, want) {
		t.Fatalf("AppendOpsNext: %x, want %x", got, want)
	}
	if got := AppendOps(nil, 0, ops); !bytes.Equal(got, want) {
		t.Fatalf("AppendOps from 0: %x, want the follow-on form %x", got, want)
	}
	// One op of two bytes by author 300: 8 bytes in all, 3 less than with a three-byte
	// first sequence number and a count.
	if got, abs := len(AppendOpsNext(nil, ops[1:])), len(AppendOps(nil, 20000, ops[1:])); got != 8 || abs != 11 {
		t.Fatalf("one op: follow-on %d bytes, absolute %d; want 8 and 11", got, abs)
	}
	var seqs []uint64
	err := DecodeServerFrame(want, func(m *ServerMsg) error {
		for i := range m.Ops {
			seqs = append(seqs, NextSeq(m.FirstSeq, 41)+uint64(i))
		}
		return nil
	})
	if err != nil || len(seqs) != 2 || seqs[0] != 42 || seqs[1] != 43 {
		t.Fatalf("decoded after op 41: %v, %v; want 42, 43", seqs, err)
	}
	it := NewFrameIter(want)
	it.Next()
	oi := NewOpsIterAfter(it.Body(), 41)
	seqs = seqs[:0]
	for oi.Next() {
		seqs = append(seqs, oi.Seq())
	}
	if oi.Err() != nil || len(seqs) != 2 || seqs[0] != 42 || seqs[1] != 43 {
		t.Fatalf("OpsIterAfter(41): %v, %v; want 42, 43", seqs, oi.Err())
	}
	if NextSeq(7, 41) != 7 {
		t.Fatal("an absolute first sequence number is kept")
	}
	// An empty follow-on message is valid: it carries nothing.
	if err := DecodeServerFrame(unhex(t, "81 01 00"), func(m *ServerMsg) error {
		if len(m.Ops) != 0 || m.FirstSeq != 0 {
			t.Fatalf("empty follow-on: %+v", m)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Cut anywhere inside an op, it fails.
	for n := 4; n < len(want); n++ { // the body "00" alone is the empty message
		cut := append([]byte{want[0], byte(n - 2)}, want[2:n]...)
		if n == 6 { // ends after the first op: a valid shorter message
			continue
		}
		if err := DecodeServerFrame(cut, func(*ServerMsg) error { return nil }); err == nil {
			t.Errorf("follow-on body cut to %d bytes decodes", n-2)
		}
	}
}
