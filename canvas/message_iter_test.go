package canvas

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// iterMsg is what the iterators give of one message: its type, and for
// Welcome and Ops what they decode.
type iterMsg struct {
	Type    byte
	Welcome Welcome
	Ops     []iterOp
}

type iterOp struct {
	Seq    uint64
	Author uint32
	Op     []byte
}

// knownServerType: DecodeServerFrame calls its fn for these, and skips the
// others by their length.
func knownServerType(t byte) bool { return t >= MsgWelcome && t <= MsgViews || t == MsgEditors }

// walkFrame reads frame with FrameIter, OpsIter and DecodeWelcome, keeping
// the known types; it stops at the first error. unchecked: the frame has a
// message of a known type whose body these leave to the caller (Snapshot,
// Presence, Leave, Cursors, Notice, Lasers, Views).
func walkFrame(frame []byte) (out []iterMsg, unchecked bool, err error) {
	it := NewFrameIter(frame)
	for it.Next() {
		if !knownServerType(it.Type()) {
			continue
		}
		m := iterMsg{Type: it.Type()}
		switch it.Type() {
		case MsgWelcome:
			if err := DecodeWelcome(it.Body(), &m.Welcome); err != nil {
				return out, unchecked, err
			}
		case MsgOps:
			ops := NewOpsIter(it.Body())
			for ops.Next() {
				m.Ops = append(m.Ops, iterOp{ops.Seq(), ops.Author(), ops.Op()})
			}
			if err := ops.Err(); err != nil {
				return out, unchecked, err
			}
		default:
			unchecked = true
		}
		out = append(out, m)
	}
	return out, unchecked, it.Err()
}

// decodeFrame is walkFrame's result as DecodeServerFrame gives it.
func decodeFrame(frame []byte) ([]iterMsg, error) {
	var out []iterMsg
	err := DecodeServerFrame(frame, func(m *ServerMsg) error {
		c := iterMsg{Type: m.Type}
		switch m.Type {
		case MsgWelcome:
			c.Welcome = m.Welcome
		case MsgOps:
			for i, o := range m.Ops {
				c.Ops = append(c.Ops, iterOp{NextSeq(m.FirstSeq, 0) + uint64(i), o.Author, o.Op})
			}
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// sameAsDecodeServerFrame checks the iterators against DecodeServerFrame:
// where it decodes a frame they give the same messages and ops; where they
// refuse one it refuses it too, with a *ProtocolError. It may refuse a
// frame they accept only when the frame has a body they leave to the
// caller.
func sameAsDecodeServerFrame(t *testing.T, frame []byte) {
	t.Helper()
	got, unchecked, gerr := walkFrame(frame)
	want, werr := decodeFrame(frame)
	if gerr != nil {
		var pe *ProtocolError
		if !errors.As(gerr, &pe) {
			t.Fatalf("%x: iterator error %v is not a *ProtocolError", frame, gerr)
		}
		if werr == nil {
			t.Fatalf("%x: the iterators refuse it (%v), DecodeServerFrame decodes it", frame, gerr)
		}
		return
	}
	if werr != nil {
		if !unchecked {
			t.Fatalf("%x: DecodeServerFrame refuses it (%v), the iterators accept it", frame, werr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%x:\niterators:         %+v\nDecodeServerFrame: %+v", frame, got, want)
	}
}

func TestFrameIterAgreesWithDecodeServerFrame(t *testing.T) {
	frames := [][]byte{
		nil,
		[]byte("\x99\x03\xde\xad\xbe\x84\x01\x04"),         // unknown type, then Leave
		[]byte("\x81\x05\x01\x01\x05\x01\x13"),             // one op
		[]byte("\x81\x06\x01\x01\x05\x01\x13\x00"),         // a byte after the last op
		[]byte("\x81\x05\x01\x01\x05\x00\x13"),             // an empty op, then a byte
		[]byte("\x81\x08\x01\x02\x05\x00\x05\x02\x13\x13"), // an empty op, then an op
		[]byte("\x81\x03\x01\x02\x05"),                     // count beyond the bytes
		[]byte("\x81\x05\x07\x02\x05\x01\x13\x81\x00"),     // a second op cut short
	}
	frames = append(frames, vectorsOfKind(t, "server")...)
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		frames = append(frames, appendServer(nil, randServerMsgs(t, r)))
	}
	for _, f := range frames {
		// Every prefix too: truncation at every byte.
		for n := 0; n <= len(f); n++ {
			sameAsDecodeServerFrame(t, f[:n])
		}
	}
}

func TestOpsIterNumbersFromFirstSeq(t *testing.T) {
	body := AppendOps(nil, 41, []SeqOp{{Author: 3, Op: []byte{byte(OpEnd)}}, {Author: 4, Op: []byte{byte(OpClear)}}})
	it := NewFrameIter(body)
	if !it.Next() || it.Type() != MsgOps {
		t.Fatalf("no Ops message: %v", it.Err())
	}
	ops := NewOpsIter(it.Body())
	var got []iterOp
	for ops.Next() {
		got = append(got, iterOp{ops.Seq(), ops.Author(), ops.Op()})
	}
	want := []iterOp{{41, 3, []byte{byte(OpEnd)}}, {42, 4, []byte{byte(OpClear)}}}
	if ops.Err() != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v (%v), want %+v", got, ops.Err(), want)
	}
	if it.Next() || it.Err() != nil {
		t.Fatalf("a second message or an error after the only one: %v", it.Err())
	}
}

func TestFrameIterAllocatesNothing(t *testing.T) {
	frame := AppendWelcome(nil, &Welcome{Version: Version, Epoch: 7, Author: 3, Applied: 2, Head: 999})
	frame = append(frame, opsFrame100()...)
	frame = AppendLeave(frame, 9)
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		it := NewFrameIter(frame)
		for it.Next() {
			switch it.Type() {
			case MsgWelcome:
				var w Welcome
				if DecodeWelcome(it.Body(), &w) != nil {
					t.Fatal("welcome")
				}
			case MsgOps:
				ops := NewOpsIter(it.Body())
				for ops.Next() {
					n += len(ops.Op())
				}
				if ops.Err() != nil {
					t.Fatal(ops.Err())
				}
			}
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	})
	if allocs != 0 || n == 0 {
		t.Errorf("%v allocations per frame (%d op bytes seen), want 0", allocs, n)
	}
	if !bytes.Equal(frame[:1], []byte{MsgWelcome}) {
		t.Fatal("frame changed")
	}
}
