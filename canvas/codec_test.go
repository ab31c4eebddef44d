package canvas

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The codec is tested three ways (STYLE.md "The wire"): tables of frames
// whose bytes were worked out by hand from PROTOCOL.md (here, and the
// frames it must refuse in codec_errors_test.go), random round trips of
// many values and allocation checks (codec_random_test.go). Fuzz targets
// are in fuzz_test.go, benchmarks in bench_test.go, the board's rules in
// board_test.go.

var seedFlag = flag.Uint64("seed", 0, "seed for the random tests (0: pick one from the clock and log it)")

// newRand returns a seeded generator and logs the seed, so a failure can be
// replayed with go test ./canvas -run NAME -seed N.
func newRand(t testing.TB) *rand.Rand {
	t.Helper()
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -seed %d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// unhex decodes hex that may contain spaces, for tables readable field by field.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// wantProtocolError checks that err is a *ProtocolError whose reason
// contains want.
func wantProtocolError(t testing.TB, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want a *ProtocolError containing %q", want)
	}
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ProtocolError", err, err)
	}
	if !strings.Contains(pe.Reason, want) {
		t.Fatalf("error %q, want one containing %q", pe.Reason, want)
	}
	if !strings.HasPrefix(err.Error(), "canvas: ") {
		t.Fatalf("error %q does not carry the package name", err)
	}
}

// decodeClient decodes into a fresh frame, so the result can be compared
// with reflect.DeepEqual (a reused frame keeps empty non-nil slices).
func decodeClient(b []byte) (ClientFrame, error) {
	var f ClientFrame
	err := DecodeClientFrame(b, &f)
	return f, err
}

// srvMsg is a decoded server message copied out of the frame, so it can be
// kept and compared. Board holds the snapshot's canonical encoding.
type srvMsg struct {
	Type     byte
	Welcome  Welcome
	FirstSeq uint64
	Ops      []SeqOp
	Board    []byte
	Presence Presence
	Leave    uint32
	Cursors  []AuthorCursor
	Lasers   []AuthorLaser
	Views    []AuthorView
	Notice   Notice
	Editors  []Editor
}

// decodeServer decodes a server frame into copies of its messages.
func decodeServer(frame []byte) ([]srvMsg, error) {
	var out []srvMsg
	err := DecodeServerFrame(frame, func(m *ServerMsg) error {
		c := srvMsg{Type: m.Type, Welcome: m.Welcome, FirstSeq: m.FirstSeq, Presence: m.Presence,
			Leave: m.Leave, Notice: m.Notice}
		for _, o := range m.Ops {
			c.Ops = append(c.Ops, SeqOp{Author: o.Author, Op: append([]byte(nil), o.Op...)})
		}
		c.Cursors = append([]AuthorCursor(nil), m.Cursors...)
		c.Views = append([]AuthorView(nil), m.Views...)
		c.Editors = append([]Editor(nil), m.Editors...)
		for _, l := range m.Lasers {
			c.Lasers = append(c.Lasers, AuthorLaser{Author: l.Author, Points: append([]Cursor(nil), l.Points...)})
		}
		if m.Board != nil {
			c.Board, _ = m.Board.MarshalBinary()
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// appendServer encodes messages with the package's Append functions.
func appendServer(b []byte, msgs []srvMsg) []byte {
	for i := range msgs {
		m := &msgs[i]
		switch m.Type {
		case MsgWelcome:
			b = AppendWelcome(b, &m.Welcome)
		case MsgOps:
			b = AppendOps(b, m.FirstSeq, m.Ops)
		case MsgSnapshot:
			var board Board
			if err := board.UnmarshalBinary(m.Board); err != nil {
				panic(fmt.Sprintf("snapshot in a srvMsg does not decode: %v", err))
			}
			b = AppendSnapshot(b, &board)
		case MsgPresence:
			b = AppendPresence(b, &m.Presence)
		case MsgLeave:
			b = AppendLeave(b, m.Leave)
		case MsgCursors:
			b = AppendCursors(b, m.Cursors)
		case MsgLasers:
			b = AppendLasers(b, m.Lasers)
		case MsgViews:
			b = AppendViews(b, m.Views)
		case MsgNotice:
			b = AppendNotice(b, &m.Notice)
		case MsgEditors:
			b = AppendEditors(b, m.Editors)
		default:
			panic(fmt.Sprintf("appendServer: type %#x", m.Type))
		}
	}
	return b
}

// ---- Tables: bytes worked out by hand from PROTOCOL.md ----

func TestClientFrameBytes(t *testing.T) {
	tests := []struct {
		name  string
		frame ClientFrame
		hex   string
	}{
		{"hello", ClientFrame{Type: MsgHello, Hello: Hello{Version: 1, Epoch: 0x0102030405060708, LastSeq: 300, Author: 3, Name: "Bo", Color: 0x11223344}},
			"01 01 0102030405060708 ac02 03 02426f 11223344"},
		{"hello, new client knowing nothing", ClientFrame{Type: MsgHello, Hello: Hello{Version: 1}},
			"01 01 0000000000000000 00 00 00 00000000"},
		{"hello, largest ids", ClientFrame{Type: MsgHello, Hello: Hello{Version: 1, Epoch: math.MaxUint64, LastSeq: math.MaxUint64, Author: math.MaxUint32, Color: 0xffffffff}},
			"01 01 ffffffffffffffff ffffffffffffffffff01 ffffffff0f 00 ffffffff"},
		{"cursor", ClientFrame{Type: MsgCursor, Cursor: Cursor{X: -5, Y: 1000}},
			"20 09 d00f"},
		{"cursor at the coordinate limits", ClientFrame{Type: MsgCursor, Cursor: Cursor{X: CoordLimit, Y: -CoordLimit}},
			"20 8080808002 ffffff ff01"},
		{"laser, two points", ClientFrame{Type: MsgLaser, Laser: Laser{Points: []Cursor{{X: -5, Y: 1000}, {X: 1, Y: -1}}}},
			"28 02 09 d00f 02 01"},
		{"name", ClientFrame{Type: MsgName, Name: Name{Name: "Zé", Color: 0x2f9e44ff}},
			"21 03 5ac3a9 2f9e44ff"},
		{"begin, mouse", ClientFrame{Type: byte(OpBegin), Op: Op{Type: OpBegin, Stroke: 1, Color: 0x000000ff, Width: 8, Points: []Point{{X: 400, Y: 300}}}},
			"10 01 00 00 000000ff 08 01 a006 d804"},
		{"begin, pen with pressure", ClientFrame{Type: byte(OpBegin), Op: Op{Type: OpBegin, Stroke: 200, Flags: FlagPressure, Color: 0xe03131c0, Width: MaxWidth, Points: []Point{{X: -1, Y: 2, P: 255}, {X: 0, Y: -64, P: 1}}}},
			"10 c801 00 01 e03131c0 8020 02 01 04 ff 00 7f 01"},
		{"points", ClientFrame{Type: byte(OpPoints), Op: Op{Type: OpPoints, Points: []Point{{X: 4, Y: 2}, {X: -1, Y: 0}, {X: 64, Y: -64}}}},
			"11 03 08 04 01 00 8001 7f"},
		{"points at the delta limits", ClientFrame{Type: byte(OpPoints), Op: Op{Type: OpPoints, Points: []Point{{X: MaxPointDelta, Y: -MaxPointDelta}}}},
			"11 01 80808010 ffffff0f"},
		{"points with pressure", ClientFrame{Type: byte(OpPointsP), Op: Op{Type: OpPointsP, Points: []Point{{}, {X: 1, Y: 1, P: 9}}}},
			"12 02 00 00 00 02 02 09"},
		{"end", ClientFrame{Type: byte(OpEnd), Op: Op{Type: OpEnd}}, "13"},
		{"erase", ClientFrame{Type: byte(OpErase), Op: Op{Type: OpErase, Strokes: []StrokeID{{Author: 1, N: 2}, {Author: 300, N: 1}}}},
			"14 02 01 02 ac02 01"},
		{"restore", ClientFrame{Type: byte(OpRestore), Op: Op{Type: OpRestore, Strokes: []StrokeID{{Author: 7, N: 128}}}},
			"15 01 07 8001"},
		{"clear", ClientFrame{Type: byte(OpClear), Op: Op{Type: OpClear, Stroke: 5}}, "16 05"},
		{"unsweep", ClientFrame{Type: byte(OpUnsweep), Op: Op{Type: OpUnsweep, Sweep: StrokeID{Author: 300, N: 5}}}, "1b ac02 05"},
		{"remove since", ClientFrame{Type: byte(OpRemove), Op: Op{Type: OpRemove, Stroke: 1, Sweep: StrokeID{Author: 4}, Since: 300}}, "1c 01 04 ac02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantClientFrameBytes(t, tt.frame, unhex(t, tt.hex)) })
	}
}

// wantClientFrameBytes checks that f encodes to want (on its own and
// appended to a prefix) and that want decodes to f, as a client frame and,
// for an op, with DecodeOp.
func wantClientFrameBytes(t *testing.T, f ClientFrame, want []byte) {
	t.Helper()
	if got := reencodeClient(&f); !bytes.Equal(got, want) {
		t.Fatalf("encoded\n %x\nwant\n %x", got, want)
	}
	// Append functions append: a prefix is kept as it is.
	prefix := []byte{0xaa, 0xbb}
	var got []byte
	switch f.Type {
	case MsgHello:
		got = AppendHello(prefix, &f.Hello)
	case MsgCursor:
		got = AppendCursor(prefix, f.Cursor)
	case MsgLaser:
		got = AppendLaser(prefix, &f.Laser)
	case MsgName:
		got = AppendName(prefix, &f.Name)
	case MsgView:
		got = AppendView(prefix, f.View)
	case MsgEditing:
		got = AppendEditing(prefix, f.Editing)
	default:
		got = AppendOp(prefix, &f.Op)
	}
	if !bytes.Equal(got, append([]byte{0xaa, 0xbb}, want...)) {
		t.Fatalf("appended to a prefix: %x", got)
	}
	dec, err := decodeClient(want)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if !reflect.DeepEqual(dec, f) {
		t.Fatalf("decoded\n %+v\nwant\n %+v", dec, f)
	}
	if IsOp(f.Type) {
		var o Op
		if err := DecodeOp(want, &o); err != nil {
			t.Fatalf("DecodeOp: %v", err)
		}
		if !reflect.DeepEqual(o, f.Op) {
			t.Fatalf("DecodeOp\n %+v\nwant\n %+v", o, f.Op)
		}
	}
}

func TestServerFrameBytes(t *testing.T) {
	board := NewBoard(1)
	board.Apply(2, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Color: 0xff, Width: 2, Points: []Point{{X: 3, Y: 4, P: 5}, {X: 1, Y: 1, P: 6}}})
	board.Apply(2, &Op{Type: OpEnd})
	boardHex := "0000000000000001 02 01 02 02 00 01 02 01 00 09 000000ff 02 02 06 08 05 02 02 06 01"
	tests := []struct {
		name string
		msgs []srvMsg
		hex  string
	}{
		{"welcome", []srvMsg{{Type: MsgWelcome, Welcome: Welcome{Version: 1, Epoch: 7, Author: 5, Applied: 3, Head: 12}}},
			"80 0c 01 0000000000000007 05 03 0c"},
		{"ops", []srvMsg{{Type: MsgOps, FirstSeq: 10, Ops: []SeqOp{{Author: 5, Op: []byte{0x13}}, {Author: 300, Op: []byte{0x16}}}}},
			"81 09 0a 02 05 01 13 ac02 01 16"},
		{"ops, empty", []srvMsg{{Type: MsgOps, FirstSeq: 1}}, "81 02 01 00"},
		{"snapshot", []srvMsg{{Type: MsgSnapshot, Board: mustMarshal(t, board)}}, "82 1f " + boardHex},
		{"presence", []srvMsg{{Type: MsgPresence, Presence: Presence{Author: 1, Name: "Ada", Color: 0xff0000ff}}},
			"83 09 01 03 416461 ff0000ff"},
		{"leave", []srvMsg{{Type: MsgLeave, Leave: 4}}, "84 01 04"},
		{"cursors", []srvMsg{{Type: MsgCursors, Cursors: []AuthorCursor{{Author: 1, X: 10, Y: -10}, {Author: 2, X: 0, Y: 64}}}},
			"85 08 02 01 14 13 02 00 8001"},
		{"lasers", []srvMsg{{Type: MsgLasers, Lasers: []AuthorLaser{{Author: 1, Points: []Cursor{{X: 10, Y: -10}}}}}}, "87 05 01 01 01 14 13"},
		{"views", []srvMsg{{Type: MsgViews, Views: []AuthorView{{Author: 3, View: View{X: -1, Y: 1, W: 1, H: 2}}}}}, "88 06 01 03 01 02 01 02"},
		{"notice", []srvMsg{{Type: MsgNotice, Notice: Notice{Code: 429, Message: "hi"}}}, "86 05 01ad 02 6869"},
		{"several messages in one frame", []srvMsg{
			{Type: MsgLeave, Leave: 4},
			{Type: MsgWelcome, Welcome: Welcome{Version: 1, Epoch: 7, Author: 5, Applied: 3, Head: 12}},
			{Type: MsgLeave, Leave: 128},
		}, "84 01 04  80 0c 01 0000000000000007 05 03 0c  84 02 8001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, tt.hex)
			if got := appendServer(nil, tt.msgs); !bytes.Equal(got, want) {
				t.Fatalf("encoded\n %x\nwant\n %x", got, want)
			}
			if got := appendServer([]byte{0xee}, tt.msgs); !bytes.Equal(got, append([]byte{0xee}, want...)) {
				t.Fatalf("appended to a prefix: %x", got)
			}
			got, err := decodeServer(want)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.msgs) {
				t.Fatalf("decoded\n %+v\nwant\n %+v", got, tt.msgs)
			}
		})
	}
	// The board bytes themselves, field by field.
	if got := hex.EncodeToString(mustMarshal(t, board)); got != strings.ReplaceAll(boardHex, " ", "") {
		t.Errorf("board %s", got)
	}
	if got := mustMarshal(t, NewBoard(0)); !bytes.Equal(got, make([]byte, 11)) {
		t.Errorf("empty board %x, want 8 zero bytes of epoch, seq 0, no authors, no strokes", got)
	}
	var zero Board
	if got := mustMarshal(t, &zero); !bytes.Equal(got, make([]byte, 11)) {
		t.Errorf("zero Board %x", got)
	}
}

func mustMarshal(t testing.TB, b *Board) []byte {
	t.Helper()
	enc, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

// The uvarint row of PROTOCOL.md: "shortest form not required".
func TestDecodeAcceptsLongVarints(t *testing.T) {
	tests := []struct{ long, short string }{
		{"11 8100 0800", "11 01 08 00"},            // count 1 in two bytes
		{"14 01 818000 8200", "14 01 01 02"},       // erase (1, 2)
		{"20 8a808080808080808000 00", "20 0a 00"}, // cursor x = 5 in 10 bytes
		{"01 01 0000000000000000 80808000 8300 00 00000000", "01 01 0000000000000000 00 03 00 00000000"},
	}
	for _, tt := range tests {
		f, err := decodeClient(unhex(t, tt.long))
		if err != nil {
			t.Fatalf("%s: %v", tt.long, err)
		}
		if got, want := reencodeClient(&f), unhex(t, tt.short); !bytes.Equal(got, want) {
			t.Errorf("%s re-encoded %x, want the shortest form %x", tt.long, got, want)
		}
	}
}
