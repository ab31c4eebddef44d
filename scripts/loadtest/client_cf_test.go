package main

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// A publish command the Centrifuge client builds decodes, field by field,
// to the channel and data it was given; its length prefix covers it.
func TestCFCommandRoundTrip(t *testing.T) {
	e := &cfEncoder{author: 7, channel: []byte("board-1")}
	frame := e.end(41)
	n, k := binary.Uvarint(frame)
	if k <= 0 || int(n) != len(frame)-k {
		t.Fatalf("length prefix %d (%d bytes) for a %d-byte frame", n, k, len(frame))
	}
	var id uint64
	var channel, data []byte
	err := cfFields(frame[k:], func(f int, v uint64, b []byte) {
		switch f {
		case cfCommandID:
			id = v
		case cfCommandPublish:
			if err := cfFields(b, func(f int, _ uint64, b []byte) {
				switch f {
				case cfChannel:
					channel = b
				case cfData:
					data = b
				}
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	a, k1 := binary.Uvarint(data)
	op, k2 := binary.Uvarint(data[k1:])
	if id != cfIDSubscribe+1 || string(channel) != "board-1" || a != 7 || op != 41 || k2 <= 0 {
		t.Errorf("decoded id %d, channel %q, author %d, op %d; want %d, board-1, 7, 41", id, channel, a, op, cfIDSubscribe+1)
	}
}

// Every truncation of a valid message is an error or fewer fields, never
// a panic or a field past the end.
func TestCFFieldsTruncated(t *testing.T) {
	m := appendCFField(appendCFVarint(nil, 1, 300), 4, appendCFField(nil, 4, []byte("data")))
	for i := range m {
		_ = cfFields(m[:i], func(int, uint64, []byte) {})
	}
	if err := cfFields([]byte{0x0b}, func(int, uint64, []byte) {}); err == nil {
		t.Error("a group (wire type 3) decoded without an error")
	}
}

func FuzzCFFields(f *testing.F) {
	f.Add(appendCFField(appendCFVarint(nil, 1, 3), 7, appendCFField(appendCFField(nil, 1, []byte("b")), 2, []byte{1, 2, 3})))
	f.Add([]byte{0x0d, 1, 2, 3, 4, 0x09, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{0x22, 0x80})
	f.Fuzz(func(t *testing.T, m []byte) {
		_ = cfFields(m, func(_ int, _ uint64, b []byte) {
			if len(b) > len(m) || (len(b) > 0 && !bytes.Contains(m, b)) {
				t.Fatalf("a field of %d bytes not within the %d-byte message", len(b), len(m))
			}
		})
	})
}

// A relay that sends a publication back to its publisher (Centrifuge
// does) gets no credit for it: the author's own copy counts as its echo,
// as Sketchpad's does, and only the other clients' copies as deliveries
// to peers, so that both sides' deliveries per CPU-second count the same.
func TestARelaysCopyToTheAuthorIsItsEcho(t *testing.T) {
	l := &load{}
	l.from.Store(1)
	r := &room{name: "board-1"}
	author := &client{l: l, room: r, id: 0, author: 1}
	d := &drawer{c: author, sent: make([]sentSlot, 1), pts: []int32{4}}
	author.d = d
	peer := &client{l: l, room: r, id: 1, author: 2}
	r.drawers, r.clients = []*drawer{d}, []*client{author, peer}
	r.idx.Store(&roomIndex{byAuthor: map[uint32]*drawer{1: d}, drawers: 1})
	d.sent[0].Store(5)
	op := []byte{1, 0, 9}
	countPeerOp(author, 10, 1, 0, op)
	countPeerOp(peer, 10, 1, 0, op)
	if got := l.peerPoints.Load(); got != 4 {
		t.Errorf("points delivered to peers: %d, want 4 (the other client's copy only)", got)
	}
	if got := l.selfPoints.Load(); got != 4 {
		t.Errorf("points echoed to their author: %d, want 4", got)
	}
	if author.ops != 1 || peer.ops != 1 {
		t.Errorf("ops seen: author %d, peer %d; want 1 each (the author's copy still counts toward its board)", author.ops, peer.ops)
	}
}
