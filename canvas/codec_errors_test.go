package canvas

// Malformed and hostile frames (DESIGN.md "Bad input gets a clear error"):
// tables of frames each decoder must refuse with a *ProtocolError naming
// the reason, and every frame cut at every byte. The well-formed frames'
// bytes are in codec_test.go; fuzz targets in fuzz_test.go.

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeClientFrameErrors(t *testing.T) {
	name65 := strings.Repeat("x", MaxNameBytes+1)
	name64 := strings.Repeat("x", MaxNameBytes)
	nPoints := func(n int) []byte { // a Points op of n (0, 0) points
		b := appendUvarint([]byte{byte(OpPoints)}, uint64(n))
		return append(b, make([]byte, 2*n)...)
	}
	nErase := func(n int) []byte {
		b := appendUvarint([]byte{byte(OpErase)}, uint64(n))
		return append(b, bytes.Repeat([]byte{1, 1}, n)...)
	}
	tests := []frameCase{
		{name: "empty frame", frame: []byte{}, err: "empty frame"},
		{name: "nil frame", err: "empty frame"},
		{name: "unknown type 0x00", hex: "00", err: "unknown message type"},
		{name: "unknown type 0x02", hex: "02", err: "unknown message type"},
		{name: "unknown type 0x0f", hex: "0f", err: "unknown message type"},
		{name: "unknown type 0x30 (past the ops, Cursor and Name)", hex: "30", err: "unknown message type"},
		{name: "unknown type 0x2f", hex: "2f", err: "unknown message type"},
		{name: "server type in a client frame", hex: "80", err: "unknown message type"},
		{name: "unknown type 0xff", hex: "ff", err: "unknown message type"},

		{name: "begin, stroke 0", hex: "10 00 00 00 000000ff 08 01 00 00", err: "stroke number 0"},
		{name: "begin, stroke 2^32", hex: "10 8080808010 00 00 000000ff 08 01 00 00", err: "stroke out of range"},
		{name: "begin, stroke 2^32-1", hex: "10 ffffffff0f 00 00 000000ff 08 01 00 00"},
		{name: "begin, tool 3 (a shape)", hex: "10 01 03 00 000000ff 08 01 00 00", err: "not a freehand tool"},
		{name: "shape, tool 0 (pen)", hex: "17 01 00 00 000000ff 08 00 00 02 02", err: "not a shape"},
		{name: "shape, pressure flag", hex: "17 01 03 01 000000ff 08 00 00 02 02", err: "unknown flags"},
		{name: "shape, one point", hex: "17 01 03 00 000000ff 08 00 00", err: "truncated"},
		{name: "shape, coordinate beyond 2^28", hex: "17 01 03 00 000000ff 08 8080808004 00 00 00", err: "coordinate beyond"},
		{name: "text, stroke 0", hex: "18 00 000000ff 08 00 00 00", err: "stroke number 0"},
		{name: "text, size 0", hex: "18 01 000000ff 00 00 00 00", err: "width"},
		{name: "text, not UTF-8", hex: "18 01 000000ff 08 00 00 01 ff", err: "UTF-8"},
		{name: "move, empty list", hex: "19 00 00 00", err: "empty stroke list"},
		{name: "move, beyond 2^29", hex: "19 01 01 01 8080808008 00", err: "move beyond"},
		{name: "begin, tool 255", hex: "10 01 ff 00 000000ff 08 01 00 00", err: "unknown tool"},
		{name: "begin, flag bit 1", hex: "10 01 00 02 000000ff 08 01 00 00", err: "unknown flags"},
		{name: "begin, flag bit 7", hex: "10 01 00 81 000000ff 08 01 00 00 00", err: "unknown flags"},
		{name: "begin, width 0", hex: "10 01 00 00 000000ff 00 01 00 00", err: "width 0 out of range"},
		{name: "begin, width MaxWidth", hex: "10 01 00 00 000000ff 8020 01 00 00"},
		{name: "begin, width MaxWidth+1", hex: "10 01 00 00 000000ff 8120 01 00 00", err: "width 4097 out of range"},
		{name: "begin, width 2^64-1", hex: "10 01 00 00 000000ff ffffffffffffffffff01 01 00 00", err: "out of range"},
		{name: "begin, no points", hex: "10 01 00 00 000000ff 08 00", err: "empty point list"},
		{name: "begin with pressure, point without its pressure byte", hex: "10 01 00 01 000000ff 08 01 00 00", err: "truncated"},

		{name: "points, zero count", hex: "11 00", err: "empty point list"},
		{name: "points, MaxPointsPerOp", frame: nPoints(MaxPointsPerOp)},
		{name: "points, MaxPointsPerOp+1", frame: nPoints(MaxPointsPerOp + 1), err: "point count 2049 over limit 2048"},
		{name: "points, count 2^63 with no bytes", hex: "11 80808080808080808001", err: "over limit"},
		{name: "points, count beyond the frame", hex: "11 03 0000 0000", err: "truncated"},
		{name: "points, dx = MaxPointDelta", hex: "11 01 80808010 00"},
		{name: "points, dx = MaxPointDelta+1", hex: "11 01 82808010 00", err: "delta beyond"},
		{name: "points, dx = -MaxPointDelta", hex: "11 01 ffffff0f 00"},
		{name: "points, dx = -MaxPointDelta-1", hex: "11 01 81808010 00", err: "delta beyond"},
		{name: "points, dy = MaxPointDelta+1", hex: "11 01 00 82808010", err: "delta beyond"},
		{name: "points, dy = -MaxPointDelta-1 in a later point", hex: "11 02 00 00 00 81808010", err: "delta beyond"},
		{name: "points, dx = min int64", hex: "11 01 ffffffffffffffffff01 00", err: "delta beyond"},
		{name: "points, varint of 11 bytes", hex: "11 01 ffffffffffffffffffff01 00", err: "malformed varint"},
		{name: "points, varint overflowing 64 bits", hex: "11 01 ffffffffffffffffff02 00", err: "malformed varint"},
		{name: "points with pressure, missing its byte", hex: "12 01 02 02", err: "truncated"},

		{name: "end, trailing byte", hex: "13 00", err: "trailing bytes"},
		{name: "clear, trailing byte", hex: "16 01 16", err: "trailing bytes"},
		{name: "clear, sweep 0", hex: "16 00", err: "sweep number 0"},
		{name: "unsweep, sweep 0", hex: "1b 01 00", err: "sweep number 0"},
		{name: "remove, sweep 0", hex: "1c 00 01 00", err: "sweep number 0"},
		{name: "remove, trailing byte", hex: "1c 01 01 00 00", err: "trailing bytes"},
		{name: "purge of a clear", hex: "1d 16 01", err: "purge of op type 0x16"},
		{name: "purge of a purge", hex: "1d 1d 13", err: "purge of op type 0x1d"},
		{name: "points, trailing byte", hex: "11 01 00 00 00", err: "trailing bytes"},

		{name: "erase, empty list", hex: "14 00", err: "empty stroke list"},
		{name: "restore, empty list", hex: "15 00", err: "empty stroke list"},
		{name: "erase, MaxStrokesPerOp", frame: nErase(MaxStrokesPerOp)},
		{name: "erase, MaxStrokesPerOp+1", frame: nErase(MaxStrokesPerOp + 1), err: "stroke count 1025 over limit 1024"},
		{name: "erase, count beyond the frame", hex: "14 02 01 01", err: "truncated"},
		{name: "erase, author 2^32", hex: "14 01 8080808010 01", err: "author out of range"},
		{name: "restore, stroke 2^32", hex: "15 01 01 8080808010", err: "stroke out of range"},

		{name: "hello, name of MaxNameBytes", frame: AppendHello(nil, &Hello{Version: 1, Name: name64})},
		{name: "hello, name of MaxNameBytes+1", frame: AppendHello(nil, &Hello{Version: 1, Name: name65}), err: "name longer than 64 bytes"},
		{name: "hello, name not UTF-8", hex: "01 01 0000000000000000 00 00 02 c328 ff0000ff", err: "name is not UTF-8"},
		{name: "hello, name length beyond the frame", hex: "01 01 0000000000000000 00 00 0a 4142 ff0000ff", err: "truncated"},
		{name: "hello, author 2^32", hex: "01 01 0000000000000000 00 8080808010 00 00000000", err: "author out of range"},
		{name: "hello, trailing byte", hex: "01 01 0000000000000000 00 00 00 00000000 00", err: "trailing bytes"},
		{name: "hello, epoch cut short", hex: "01 01 00000000", err: "truncated"},
		{name: "name, MaxNameBytes+1", frame: AppendName(nil, &Name{Name: name65}), err: "name longer than 64 bytes"},
		{name: "name, not UTF-8", hex: "21 01 ff 00000000", err: "not UTF-8"},
		{name: "name, color missing", hex: "21 00 0000", err: "truncated"},
		{name: "cursor, x = CoordLimit+1", hex: "20 8280808002 00", err: "coordinate beyond"},
		{name: "cursor, y = -CoordLimit-1", hex: "20 00 8180808002", err: "coordinate beyond"},
		{name: "cursor, y missing", hex: "20 00", err: "truncated"},
		{name: "cursor, trailing byte", hex: "20 00 00 00", err: "trailing bytes"},
	}
	runFrameCases(t, tests, func(t *testing.T, frame []byte, wantErr string) {
		f, err := decodeClient(frame)
		if wantErr == "" {
			if err != nil {
				t.Fatalf("must decode: %v", err)
			}
			if got := reencodeClient(&f); !bytes.Equal(got, frame) {
				t.Fatalf("re-encoded %x, want %x", got, frame)
			}
			return
		}
		wantProtocolError(t, err, wantErr)
		if len(frame) > 0 && IsOp(frame[0]) {
			var o Op
			wantProtocolError(t, DecodeOp(frame, &o), wantErr)
		}
	})
}

// frameCase is a row of a decoding table: a frame, given in hex or (when
// hex is empty) as bytes, and what decoding it must give: "" if it must
// decode, else a part of the reason of the *ProtocolError.
type frameCase struct {
	name, hex string
	frame     []byte // used when hex is empty
	err       string // "" = must decode
}

// runFrameCases runs check on the frame of each case, as a subtest named
// after it.
func runFrameCases(t *testing.T, cases []frameCase, check func(t *testing.T, frame []byte, wantErr string)) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			frame := tt.frame
			if tt.hex != "" {
				frame = unhex(t, tt.hex)
			}
			check(t, frame, tt.err)
		})
	}
}

func TestDecodeOpErrors(t *testing.T) {
	var o Op
	wantProtocolError(t, DecodeOp(nil, &o), "truncated")
	for _, typ := range []byte{0x00, MsgHello, 0x0f, 0x30, MsgCursor, MsgName, MsgWelcome, 0xff} {
		wantProtocolError(t, DecodeOp([]byte{typ}, &o), "unknown op type")
	}
	wantProtocolError(t, DecodeOp(unhex(t, "13 13"), &o), "trailing bytes")
}

// validClientFrames is one frame of every client message type.
func validClientFrames() map[string][]byte {
	return map[string][]byte{
		"hello":         AppendHello(nil, &Hello{Version: 1, Epoch: 1 << 40, LastSeq: 1 << 20, Author: 1 << 30, Name: "Grace ✏️", Color: 0x336699ff}),
		"cursor":        AppendCursor(nil, Cursor{X: -CoordLimit, Y: 1 << 20}),
		"name":          AppendName(nil, &Name{Name: "Zé", Color: 1}),
		"laser":         AppendLaser(nil, &Laser{Points: []Cursor{{X: -CoordLimit, Y: 1 << 20}, {X: 0, Y: 0}}}),
		"begin":         AppendOp(nil, &Op{Type: OpBegin, Stroke: 1 << 20, Color: 0xff, Width: 300, Points: []Point{{X: 1000, Y: -1000}, {X: 1, Y: 2}}}),
		"begin with p":  AppendOp(nil, &Op{Type: OpBegin, Stroke: 2, Flags: FlagPressure, Width: 1, Points: []Point{{X: 1000, Y: -1000, P: 3}}}),
		"points":        AppendOp(nil, &Op{Type: OpPoints, Points: []Point{{X: 4, Y: 2}, {X: MaxPointDelta, Y: -300}}}),
		"points with p": AppendOp(nil, &Op{Type: OpPointsP, Points: []Point{{X: 4, Y: 2, P: 200}, {X: -70, Y: 0, P: 1}}}),
		"trace":         AppendOp(nil, &Op{Type: OpTrace, Points: []Point{{X: 0, Y: 1}, {X: 0, Y: 0}, {X: 4, Y: -4}, {X: -900, Y: MaxTraceResidual}}}),
		"end":           AppendOp(nil, &Op{Type: OpEnd}),
		"erase":         AppendOp(nil, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 1 << 31, N: 1 << 16}}}),
		"restore":       AppendOp(nil, &Op{Type: OpRestore, Strokes: []StrokeID{{Author: 300, N: 2}}}),
		"clear":         AppendOp(nil, &Op{Type: OpClear, Stroke: 300}),
		"unsweep":       AppendOp(nil, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 1 << 20, N: 7}}),
		"remove":        AppendOp(nil, &Op{Type: OpRemove, Stroke: 2, Sweep: StrokeID{Author: 9}, Since: 1 << 40}),
		"restyle":       AppendOp(nil, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 4, N: 2}}, Parts: allParts, Color: 0x11223344, Width: 300, Flags: FlagFilled}),
		"rotate":        AppendOp(nil, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 4, N: 2}, {Author: 1, N: 1}}, Angle: -1500, Pivot: Point{X: -CoordLimit, Y: 77}}),
		"transform":     AppendOp(nil, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 4, N: 2}}, SX: -MaxScale, SY: 1, DX: MaxMoveDelta, DY: -3}),
		"image":         AppendOp(nil, &Op{Type: OpImage, Stroke: 1 << 20, Color: 0x80, Points: []Point{{X: -CoordLimit, Y: 0}, {X: CoordLimit, Y: 1}}, Text: testImageHash}),
		"order":         AppendOp(nil, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 4, N: 2}}, Where: WhereAbove, Anchor: StrokeID{Author: 1 << 20, N: 3}}),
	}
}

// Every proper prefix of a valid client frame is an error, never a panic and
// never a smaller valid frame; so is the frame with a byte added. (A Trace
// op has no count: it runs to the end of its frame, see
// TestTraceTruncatedAtEveryByte.)
func TestClientFrameTruncatedAtEveryByte(t *testing.T) {
	for name, frame := range validClientFrames() {
		if frame[0] == byte(OpTrace) {
			continue
		}
		if _, err := decodeClient(frame); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range len(frame) {
			_, err := decodeClient(frame[:i])
			var pe *ProtocolError
			if !errors.As(err, &pe) {
				t.Errorf("%s cut to %d of %d bytes (%x): err %v, want a *ProtocolError", name, i, len(frame), frame[:i], err)
			}
			if i > 0 && IsOp(frame[0]) && !(frame[0] == byte(OpClear) && i == 1) { // "16": version 3's clear, as logs hold it
				var o Op
				if err := DecodeOp(frame[:i], &o); !errors.As(err, &pe) {
					t.Errorf("DecodeOp %s cut to %d bytes: err %v", name, i, err)
				}
			}
		}
		_, err := decodeClient(append(frame[:len(frame):len(frame)], 0))
		wantProtocolError(t, err, "trailing bytes")
	}
}

func TestDecodeServerFrameSkipsUnknownTypes(t *testing.T) {
	leave := AppendLeave(nil, 4)
	var frame []byte
	frame = append(frame, 0x99, 3, 0xde, 0xad, 0xbe) // unknown, 3-byte body
	frame = append(frame, leave...)
	frame = append(frame, 0x9f, 0)                               // unknown, empty body
	frame = append(frame, 0xff, 0x80, 0x01)                      // unknown, 128-byte body of garbage
	frame = append(frame, bytes.Repeat([]byte{0xff}, 128)...)    //
	frame = append(frame, 0x01, 2, 0x01, 0x02)                   // a client type is unknown to a server frame
	frame = append(frame, 0x99, 0x83, 0x80, 0x00, 0x01, 0x02, 3) // unknown, length 3 in a long varint
	frame = append(frame, leave...)
	got, err := decodeServer(frame)
	if err != nil {
		t.Fatal(err)
	}
	want := []srvMsg{{Type: MsgLeave, Leave: 4}, {Type: MsgLeave, Leave: 4}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want the two Leaves only", got)
	}
	// An empty frame holds no message.
	if got, err := decodeServer(nil); err != nil || len(got) != 0 {
		t.Fatalf("empty frame: %v, %v", got, err)
	}
}

func TestDecodeServerFrameErrors(t *testing.T) {
	bigNotice := AppendNotice(nil, &Notice{Code: 1, Message: strings.Repeat("n", maxNoticeBytes+1)})
	cursorsOver := appendUvarint(nil, MaxCursorsPerMessage+1)
	cursorsOver = append(cursorsOver, bytes.Repeat([]byte{1, 0, 0}, MaxCursorsPerMessage+1)...)
	cursorsOver = append(appendUvarint([]byte{MsgCursors}, uint64(len(cursorsOver))), cursorsOver...)
	opsOver := appendUvarint([]byte{1}, MaxOpsPerMessage+1)
	opsOver = append(opsOver, bytes.Repeat([]byte{1, 1, 0x13}, MaxOpsPerMessage+1)...)
	opsOver = append(appendUvarint([]byte{MsgOps}, uint64(len(opsOver))), opsOver...)
	tests := []frameCase{
		{name: "length beyond the frame", hex: "84 02 04", err: "truncated"},
		{name: "length beyond the frame of an unknown type", hex: "99 05 0000", err: "truncated"},
		{name: "length 2^64-1", hex: "84 ffffffffffffffffff01 04", err: "truncated"},
		{name: "type without length", hex: "84", err: "truncated"},
		{name: "length truncated", hex: "84 80", err: "truncated"},
		{name: "length of 11 bytes", hex: "84 ffffffffffffffffffff01", err: "malformed varint"},
		{name: "a good message then a bad one", hex: "84 01 04 84 03 04", err: "truncated"},
		{name: "welcome body too short", hex: "80 02 01 00", err: "truncated"},
		{name: "welcome body with a trailing byte", hex: "80 0d 01 0000000000000007 05 03 0c 00", err: "trailing bytes"},
		{name: "welcome author 2^32", hex: "80 10 01 0000000000000007 8080808010 03 0c", err: "author out of range"},
		{name: "leave, empty body", hex: "84 00", err: "truncated"},
		{name: "leave, trailing byte", hex: "84 02 04 00", err: "trailing bytes"},
		{name: "ops, count beyond the body", hex: "81 03 01 02 00", err: "truncated"},
		{name: "ops, op length beyond the body", hex: "81 05 01 01 05 09 13", err: "truncated"},
		{name: "ops, over MaxOpsPerMessage", frame: opsOver, err: "op count 65537 over limit 65536"},
		{name: "cursors, over MaxCursorsPerMessage", frame: cursorsOver, err: "cursor count 4097 over limit 4096"},
		{name: "cursors, x beyond the limit", hex: "85 08 01 01 8280808002 00", err: "coordinate beyond"},
		{name: "presence, name too long", frame: AppendPresence(nil, &Presence{Name: strings.Repeat("é", 33)}), err: "name longer than 64"},
		{name: "presence, name not UTF-8", hex: "83 07 01 01 ff 00000000", err: "not UTF-8"},
		{name: "notice, message too long", frame: bigNotice, err: "notice longer than 1024"},
		{name: "notice, code cut", hex: "86 01 01", err: "truncated"},
		{name: "snapshot, truncated board", hex: "82 04 00000000", err: "truncated"},
		{name: "snapshot, board with trailing byte", hex: "82 0c 0000000000000000 00 00 00 00", err: "trailing bytes"},
		{name: "snapshot, stroke of width 0", hex: "82 18 0000000000000000 00 00 01 01 01 00 00 00000000 00 01 00 00 00", err: "width 0"},
	}
	runFrameCases(t, tests, func(t *testing.T, frame []byte, wantErr string) {
		_, err := decodeServer(frame)
		wantProtocolError(t, err, wantErr)
	})
	// The limits themselves are allowed.
	frame := AppendNotice(nil, &Notice{Message: strings.Repeat("n", maxNoticeBytes)})
	frame = AppendPresence(frame, &Presence{Name: strings.Repeat("é", 32)})
	if _, err := decodeServer(frame); err != nil {
		t.Fatalf("notice and presence at their limits: %v", err)
	}
	// An error from fn stops decoding and is returned as is.
	stop := errors.New("stop")
	calls := 0
	err := DecodeServerFrame(unhex(t, "84 01 04 84 01 05"), func(m *ServerMsg) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Fatalf("fn error: got %v after %d calls, want stop after 1", err, calls)
	}
}

// Every prefix of a server frame that does not end on a message boundary is
// an error; prefixes that do end on one decode to the messages before it.
func TestServerFrameTruncatedAtEveryByte(t *testing.T) {
	r := newRand(t)
	board := randBoard(r, 60)
	msgs := []srvMsg{
		{Type: MsgWelcome, Welcome: Welcome{Version: 1, Epoch: 1 << 60, Author: 9, Applied: 300, Head: 1 << 33}},
		{Type: MsgSnapshot, Board: mustMarshal(t, board)},
		{Type: MsgOps, FirstSeq: 77, Ops: []SeqOp{{Author: 1, Op: AppendOp(nil, &Op{Type: OpEnd})}, {Author: 1 << 20, Op: validClientFrames()["begin"]}}},
		{Type: MsgPresence, Presence: Presence{Author: 3, Name: "Ada ✏️", Color: 0xff}},
		{Type: MsgLeave, Leave: 1 << 31},
		{Type: MsgCursors, Cursors: []AuthorCursor{{Author: 2, X: -4, Y: CoordLimit}, {Author: 3}}},
		{Type: MsgNotice, Notice: Notice{Code: 4409, Message: "resume at 12"}},
	}
	var frame []byte
	ends := map[int]int{0: 0} // frame length -> messages it holds
	for i := range msgs {
		frame = appendServer(frame, msgs[i:i+1])
		ends[len(frame)] = i + 1
	}
	for i := 0; i <= len(frame); i++ {
		got, err := decodeServer(frame[:i])
		if n, boundary := ends[i]; boundary {
			if err != nil {
				t.Fatalf("prefix of %d bytes ends after message %d: %v", i, n, err)
			}
			if len(got) != n || (n > 0 && !reflect.DeepEqual(got, msgs[:n])) {
				t.Fatalf("prefix of %d bytes: got %+v", i, got)
			}
			continue
		}
		var pe *ProtocolError
		if !errors.As(err, &pe) {
			t.Fatalf("frame cut to %d of %d bytes: err %v, want a *ProtocolError", i, len(frame), err)
		}
	}
}
