package canvas

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The shared test vectors: testdata/vectors.json holds frames as hex with
// their meaning as JSON. This test checks the Go codec against the file; the
// TypeScript codec (frontend/src/protocol) checks itself against the same
// file. `go test ./canvas -run TestVectors -update` rewrites it from the
// table below — then review the diff: the file is the protocol's contract.
var update = flag.Bool("update", false, "rewrite testdata/vectors.json")

const vectorsPath = "testdata/vectors.json"

type vectorFile struct {
	Protocol int       `json:"protocol"`
	Codes    codeTable `json:"codes"`
	// PersonColors is the palette a server hands out people's colors
	// from; the page offers the same one to pick from.
	PersonColors []uint32 `json:"personColors"`
	Vectors      []vector `json:"vectors"`
}

type vector struct {
	Name  string          `json:"name"`
	Kind  string          `json:"kind"` // client, server, bad-client, apply
	Hex   string          `json:"hex,omitempty"`
	Value json.RawMessage `json:"value,omitempty"`
	Error string          `json:"error,omitempty"`
	Epoch string          `json:"epoch,omitempty"`
	Ops   []applyOp       `json:"ops,omitempty"`
	Board string          `json:"board,omitempty"`
}

type applyOp struct {
	Author uint32 `json:"author"`
	Hex    string `json:"hex"`
}

func buildVectors(t testing.TB) vectorFile {
	vf := vectorFile{Protocol: Version, Codes: readCodes(t), PersonColors: PersonColors[:]}
	client := func(name string, frame []byte) {
		var f ClientFrame
		if err := DecodeClientFrame(frame, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		vf.Vectors = append(vf.Vectors, vector{Name: name, Kind: "client", Hex: hex.EncodeToString(frame), Value: mustJSON(t, clientJSON(&f))})
	}
	server := func(name string, frame []byte) {
		vf.Vectors = append(vf.Vectors, vector{Name: name, Kind: "server", Hex: hex.EncodeToString(frame), Value: mustJSON(t, serverJSON(t, frame))})
	}
	bad := func(name, hx, why string) {
		vf.Vectors = append(vf.Vectors, vector{Name: name, Kind: "bad-client", Hex: hx, Error: why})
	}

	client("hello, new client", AppendHello(nil, &Hello{Version: Version, Name: "Ada", Color: 0xff0000ff}))
	client("hello, resuming author 3 at seq 300 of a big epoch", AppendHello(nil, &Hello{Version: Version, Epoch: 0xfedcba9876543210, LastSeq: 300, Author: 3, Name: "Grace Hopper ✏️", Color: 0x336699ff}))
	client("hello, asking for a color (teal before)", AppendHello(nil, &Hello{Version: Version, Name: "Ada", Color: 0x0c859900}))
	client("name, asking for a color (none before)", AppendName(nil, &Name{Name: "Ada", Color: ColorAsk}))
	begin := &Op{Type: OpBegin, Stroke: 1, Tool: ToolPen, Color: 0x1e1e1eff, Width: 8, Points: []Point{{X: 400, Y: 300}}}
	client("begin, mouse (no pressure)", AppendOp(nil, begin))
	client("begin, pen with pressure, two points", AppendOp(nil, &Op{Type: OpBegin, Stroke: 300, Tool: ToolPen, Flags: FlagPressure, Color: 0xe03131c0, Width: 4096, Points: []Point{{X: -8000, Y: 12000, P: 128}, {X: 3, Y: -2, P: 140}}}))
	pts := &Op{Type: OpPoints, Points: []Point{{X: 4, Y: 2}, {X: 5, Y: 1}, {X: -63, Y: 64}, {X: 0, Y: 0}}}
	client("points, four samples", AppendOp(nil, pts))
	client("points with pressure", AppendOp(nil, &Op{Type: OpPointsP, Points: []Point{{X: 1, Y: -1, P: 0}, {X: -MaxPointDelta, Y: MaxPointDelta, P: 255}}}))
	client("end", AppendOp(nil, &Op{Type: OpEnd}))
	client("erase two strokes", AppendOp(nil, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 200, N: 70000}}}))
	client("restore one stroke", AppendOp(nil, &Op{Type: OpRestore, Strokes: []StrokeID{{Author: 1, N: 1}}}))
	client("clear, sweep 3", AppendOp(nil, &Op{Type: OpClear, Stroke: 3}))
	client("unsweep: author 200's sweep 70000", AppendOp(nil, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 200, N: 70000}}))
	client("remove author 9's strokes after seq 300", AppendOp(nil, &Op{Type: OpRemove, Stroke: 2, Sweep: StrokeID{Author: 9}, Since: 300}))
	client("begin, highlighter", AppendOp(nil, &Op{Type: OpBegin, Stroke: 2, Tool: ToolHighlighter, Color: 0xffd43b66, Width: 96, Points: []Point{{X: 10, Y: 20}}}))
	client("begin, partial eraser", AppendOp(nil, &Op{Type: OpBegin, Stroke: 3, Tool: ToolEraser, Color: 0xff, Width: 64, Points: []Point{{X: -10, Y: 0}}}))
	rect := &Op{Type: OpShape, Stroke: 4, Tool: ToolRect, Flags: FlagFilled, Color: 0x1971c280, Width: 8, Points: []Point{{X: -100, Y: -50}, {X: CoordLimit, Y: -CoordLimit}}}
	client("shape, filled rect", AppendOp(nil, rect))
	arrow := &Op{Type: OpShape, Stroke: 5, Tool: ToolArrow, Color: 0x1e1e1eff, Width: 12, Points: []Point{{X: 0, Y: 0}, {X: 400, Y: 300}}}
	client("shape, arrow", AppendOp(nil, arrow))
	text := &Op{Type: OpText, Stroke: 6, Color: 0x2f9e44ff, Width: 96, Points: []Point{{X: 80, Y: -40}}, Text: "Hello,\nworld ✏️"}
	client("text, two lines", AppendOp(nil, text))
	client("text, empty", AppendOp(nil, &Op{Type: OpText, Stroke: 7, Color: 0xff, Width: 1, Points: []Point{{X: 0, Y: 0}}}))
	move := &Op{Type: OpMove, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}}, DX: -MaxMoveDelta, DY: 33}
	client("move two strokes", AppendOp(nil, move))
	trace := &Op{Type: OpTrace, Points: []Point{{X: 0, Y: 0}, {X: 1, Y: -1}, {X: -1, Y: 0}, {X: 0, Y: 1}}}
	client("trace, four points that share two bytes", AppendOp(nil, trace))
	client("trace, singles, a pair, a single", AppendOp(nil, &Op{Type: OpTrace, Points: []Point{{X: 0, Y: 0}, {X: 3, Y: 0}, {X: 0, Y: 1}, {X: 1, Y: 0}, {X: -6, Y: 6}}}))
	client("trace, two-byte codes and escapes", AppendOp(nil, &Op{Type: OpTrace, Points: []Point{{X: 7, Y: 0}, {X: -17, Y: 17}, {X: 18, Y: 0}, {X: -20, Y: 9}, {X: MaxTraceResidual, Y: -MaxTraceResidual}, {X: 1, Y: 1}}}))
	restyle := &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}}, Parts: PartRGB | PartWidth | PartFill, Color: 0xe0313100, Width: 24, Flags: FlagFilled}
	client("restyle: color, width and fill of two strokes", AppendOp(nil, restyle))
	client("restyle: opacity only", AppendOp(nil, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 3, N: 300}}, Parts: PartAlpha, Color: 0x00000080}))
	client("order: to the front", AppendOp(nil, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 1, N: 1}}, Where: WhereFront}))
	client("order: above a stroke", AppendOp(nil, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 2}}, Where: WhereAbove, Anchor: StrokeID{Author: 200, N: 7}}))
	client("transform: twice as wide, mirrored, half as high, moved", AppendOp(nil, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}}, SX: -2 * ScaleOne, SY: ScaleOne / 2, DX: 40, DY: -MaxMoveDelta}))
	client("rotate: two strokes a quarter turn less 0.01° about a point", AppendOp(nil, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}}, Angle: 8999, Pivot: Point{X: -CoordLimit, Y: 300}}))
	client("rotate: back a full turn", AppendOp(nil, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}}, Angle: -MaxRotate}))
	img := &Op{Type: OpImage, Stroke: 8, Tool: ToolImage, Color: 0x000000c0, Width: 1, Points: []Point{{X: -400, Y: -300}, {X: 400, Y: 300}}, Text: testImageHash}
	client("image, three quarters opaque", AppendOp(nil, img))
	client("text edit: anyone replaces a text's content", AppendOp(nil, &Op{Type: OpTextEdit, Anchor: StrokeID{Author: 2, N: 6}, Text: "Wrapped, ünïcode ✏️\nline two"}))
	client("text edit: emptied", AppendOp(nil, &Op{Type: OpTextEdit, Anchor: StrokeID{Author: 1 << 20, N: 300}}))
	client("text wrap: a width", AppendOp(nil, &Op{Type: OpTextWrap, Anchor: StrokeID{Author: 2, N: 6}, Width: 640}))
	client("text wrap: none", AppendOp(nil, &Op{Type: OpTextWrap, Anchor: StrokeID{Author: 2, N: 6}}))
	client("editing a text", AppendEditing(nil, StrokeID{Author: 2, N: 6}))
	client("editing nothing", AppendEditing(nil, StrokeID{}))
	client("cursor", AppendCursor(nil, Cursor{X: -5, Y: 1000}))
	client("name", AppendName(nil, &Name{Name: "Linus", Color: 0x2f9e44ff}))
	client("laser, three points", AppendLaser(nil, &Laser{Points: []Cursor{{X: 10, Y: -10}, {X: 12, Y: -9}, {X: CoordLimit, Y: -CoordLimit}}}))
	client("view: 1400 x 900 CSS px at 100 %", AppendView(nil, View{X: 2800, Y: -1800, W: 5600, H: 3600}))
	client("view at the limits", AppendView(nil, View{X: -CoordLimit, Y: CoordLimit, W: MaxViewSpan, H: 1}))

	bad("empty frame", "", "empty frame")
	bad("unknown type", "7f", "unknown message type")
	bad("view of width 0", "2900000001", "view size")
	bad("view higher than MaxViewSpan", "290000018180808004", "view size")
	bad("view, center beyond the coordinate limit", "298280808002000101", "coordinate beyond")
	bad("view cut short", "29000001", "truncated")
	bad("begin with stroke 0", "1000000000000008010000", "stroke number 0")
	bad("begin with width 0", "100100000000000000010000", "width out of range")
	bad("begin with unknown tool", "100109000000000008010000", "unknown tool")
	bad("begin with unknown flag", "100100020000000008010000", "unknown flags")
	bad("points, zero count", "1100", "empty point list")
	bad("image with stroke 0", "2400000000ff0000000000"+strings.Repeat("00", ImageHashBytes), "stroke number 0")
	bad("image, hash cut short", "2401000000ff00000000"+strings.Repeat("ab", ImageHashBytes-1), "")
	bad("points, count beyond limit", "11818001", "point count over limit")
	bad("points, count beyond the frame", "110a0000", "truncated")
	bad("points, delta beyond 2^24", "1101828080100000", "delta beyond limit")
	bad("points, truncated varint", "110180", "truncated")
	bad("points with pressure missing its byte", "12010202", "truncated")
	bad("end with trailing byte", "1300", "trailing bytes")
	bad("erase, empty list", "1400", "empty stroke list")
	bad("begin with a shape tool", "100103000000000008010000", "not a freehand tool")
	bad("shape with the pen tool", "17010000000000ff0800000202", "not a shape")
	bad("shape with the pressure flag", "17010301000000ff0800000202", "unknown flags")
	bad("shape with one point", "17010300000000ff080000", "truncated")
	bad("shape beyond the coordinate limit", "17010300000000ff088080808004000000", "coordinate beyond limit")
	bad("text with size 0", "1801000000ff00000000", "width out of range")
	bad("text not UTF-8", "1801000000ff08000001ff", "not UTF-8")
	bad("text longer than 4096 bytes", "1801000000ff080000812000", "text too long")
	bad("move, empty list", "19000000", "empty stroke list")
	bad("move beyond 2^29", "19010101808080800800", "move beyond limit")
	bad("trace, no points", "1a", "empty point list")
	bad("trace, two-byte code past the last", "1a28fec9", "reserved trace code")
	bad("trace, two-byte code cut short", "1a28fa", "truncated")
	bad("trace, escape cut short", "1aff00", "truncated")
	bad("trace, residual beyond 2^25", "1aff8280802000", "trace residual beyond limit")
	bad("trace, more than 2048 points", "1a"+strings.Repeat("28", MaxPointsPerOp/2)+"a5", "point count over limit")
	bad("restyle, no parts", "1e01010100", "restyle parts")
	bad("restyle, unknown part", "1e01010110", "restyle parts")
	bad("restyle, width 0", "1e0101010400", "width out of range")
	bad("restyle, fill 2", "1e0101010802", "fill is not 0 or 1")
	bad("restyle, empty list", "1e000100000000", "empty stroke list")
	bad("order, unknown destination", "1f01010105", "unknown order")
	bad("order above, anchor cut short", "1f0101010401", "truncated")
	bad("transform, scale 0", "22010101000202020202", "scale out of range")
	bad("transform, scale beyond 64", "2201010182808004020000", "scale out of range")
	bad("transform, move beyond 2^29", "220101010202808080800800", "move beyond limit")
	bad("rotate, angle 0", "2301010100000000", "angle out of range")
	bad("rotate, angle beyond 360°", "23010101c2b2040000", "angle out of range")
	bad("rotate, pivot beyond the coordinate limit", "23010101028280808002"+"00", "coordinate beyond limit")
	bad("rotate, empty list", "2300020000", "empty stroke list")
	bad("text edit, stroke 0", "25010000", "stroke number 0")
	bad("text edit, not UTF-8", "25010601ff", "not UTF-8")
	bad("text edit, content cut short", "2501060541", "truncated")
	bad("text wrap beyond 2^24", "2601068080800800", "wrap width over limit")
	bad("text wrap, width missing", "260106", "truncated")
	bad("editing, stroke 0 of an author", "2a0200", "stroke number 0")
	bad("hello, name not UTF-8", "01010000000000000000000002c328ff0000ff", "not UTF-8")
	bad("hello, name too long", "01010000000000000000000041", "name too long")
	bad("cursor beyond the coordinate limit", "2080808080040000", "coordinate beyond limit")
	bad("laser without points", "2800", "laser without points")
	bad("laser, count beyond limit", "2841", "laser point count over limit")
	bad("laser beyond the coordinate limit", "2801808080800400", "coordinate beyond limit")
	bad("clear without a number (version 3)", "16", "clear without a sweep number")
	bad("clear, sweep 0", "1600", "sweep number 0")
	bad("unsweep, sweep 0", "1b0100", "sweep number 0")
	bad("remove, since missing", "1c0101", "truncated")
	bad("purge from a client", "1d1101000000", "purge from a client")
	bad("purge of an end", "1d13", "purge of an op that adds nothing")
	bad("varint longer than 10 bytes", "11ffffffffffffffffffffff01", "malformed varint")

	// Server frames.
	board := NewBoard(0x0123456789abcdef)
	board.Apply(1, begin)
	board.Apply(1, pts)
	board.Apply(2, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Color: 0x1971c2ff, Width: 12, Points: []Point{{X: 100, Y: 100, P: 200}}})
	var f []byte
	f = AppendWelcome(f, &Welcome{Version: Version, Epoch: board.Epoch, Author: 2, Applied: 1, Head: board.Seq})
	f = AppendSnapshot(f, board)
	f = AppendPresence(f, &Presence{Author: 1, Name: "Ada", Color: 0xff0000ff})
	f = AppendPresence(f, &Presence{Author: 2, Name: "Grace", Color: 0x1971c2ff})
	server("welcome, snapshot and presence for a late joiner", f)
	var ops []SeqOp
	for _, o := range []*Op{begin, pts, {Type: OpEnd}} {
		ops = append(ops, SeqOp{Author: 5, Op: AppendOp(nil, o)})
	}
	f = AppendWelcome(nil, &Welcome{Version: Version, Epoch: 7, Author: 5, Applied: 3, Head: 12})
	f = AppendOps(f, 10, ops)
	server("welcome and replay for a resuming client", f)
	f = AppendOps(nil, 1<<40, []SeqOp{{Author: 1 << 31, Op: AppendOp(nil, &Op{Type: OpClear, Stroke: 1})}, {Author: 1 << 31, Op: []byte{byte(OpClear)}},
		{Author: 3, Op: AppendOp(nil, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: 1, Y: 1}}, Purge: true})}})
	f = AppendCursors(f, []AuthorCursor{{Author: 1, X: 10, Y: -10}, {Author: 9, X: CoordLimit, Y: -CoordLimit}})
	f = AppendLasers(f, []AuthorLaser{{Author: 1, Points: []Cursor{{X: 10, Y: -10}, {X: 11, Y: -12}}}, {Author: 9, Points: []Cursor{{X: -CoordLimit, Y: CoordLimit}}}})
	f = AppendViews(f, []AuthorView{{Author: 1, View: View{X: 2800, Y: -1800, W: 5600, H: 3600}}, {Author: 9, View: View{X: -CoordLimit, Y: CoordLimit, W: MaxViewSpan, H: 1}}})
	f = AppendLeave(f, 4)
	f = AppendNotice(f, &Notice{Code: 429, Message: "slow down: retry after 250 ms"})
	server("ops, cursors, lasers, views, leave, notice in one frame", f)
	ops = ops[:0]
	for _, o := range []*Op{begin, trace, {Type: OpEnd}} {
		ops = append(ops, SeqOp{Author: 2, Op: AppendOp(nil, o)})
	}
	server("ops: a stroke drawn with Trace", AppendOps(nil, 77, ops))
	server("ops, follow-on form: the same stroke after the connection's last op", AppendOpsNext(nil, ops))
	f = AppendEditors(nil, []Editor{{Editor: 3, Text: StrokeID{Author: 2, N: 6}}, {Editor: 1 << 20, Text: StrokeID{}}})
	server("editors: who edits which text, and who stopped", f)
	wrapped := NewBoard(5)
	wrapped.Apply(2, &Op{Type: OpText, Stroke: 1, Color: 0xff, Width: 40, Points: []Point{{X: -10, Y: 20}}, Text: "wrapped"})
	wrapped.Apply(3, &Op{Type: OpTextWrap, Anchor: StrokeID{Author: 2, N: 1}, Width: 300})
	server("snapshot: a text with a wrap width", AppendSnapshot(nil, wrapped))

	// Apply: the deterministic model, step by step.
	apply := func(name string, epoch uint64, steps []struct {
		a uint32
		o *Op
	}) {
		b := NewBoard(epoch)
		var aops []applyOp
		for _, s := range steps {
			enc := AppendOp(nil, s.o)
			var o Op
			if err := DecodeOp(enc, &o); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b.Apply(s.a, &o)
			aops = append(aops, applyOp{Author: s.a, Hex: hex.EncodeToString(enc)})
		}
		enc, _ := b.MarshalBinary()
		vf.Vectors = append(vf.Vectors, vector{Name: name, Kind: "apply", Epoch: u64s(epoch), Ops: aops,
			Board: hex.EncodeToString(enc), Value: mustJSON(t, boardJSON(b))})
	}
	type step = struct {
		a uint32
		o *Op
	}
	apply("two authors draw, one erases, the other restores", 42, []step{
		{1, begin}, {2, &Op{Type: OpBegin, Stroke: 1, Flags: FlagPressure, Color: 0xff, Width: 2, Points: []Point{{X: -4, Y: -4, P: 9}}}},
		{1, pts}, {2, &Op{Type: OpPointsP, Points: []Point{{X: 8, Y: 8, P: 10}}}}, {1, &Op{Type: OpEnd}},
		{2, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 9, N: 9}}}},
		{1, &Op{Type: OpRestore, Strokes: []StrokeID{{Author: 1, N: 1}}}},
		{2, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 1}}}},
	})
	apply("points without an open stroke and a repeated begin change nothing", 1, []step{
		{3, pts}, {3, begin}, {3, &Op{Type: OpEnd}}, {3, pts}, {3, begin}, {3, pts},
	})
	apply("a begin closes the open stroke; clear closes all", 1, []step{
		{1, begin}, {1, &Op{Type: OpBegin, Stroke: 2, Width: 1, Points: []Point{{X: 1, Y: 1}}}}, {1, pts},
		{2, &Op{Type: OpBegin, Stroke: 5, Width: 3, Points: []Point{{X: 9, Y: 9}}}},
		{1, &Op{Type: OpClear, Stroke: 3}}, {2, pts},
		{2, &Op{Type: OpBegin, Stroke: 6, Width: 3, Points: []Point{{X: 7, Y: 7}}}},
	})
	apply("clear sweeps, unsweep shows exactly those strokes again, erased stay erased", 9, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{2, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 4}}}},
		{3, &Op{Type: OpClear, Stroke: 1}},
		{2, &Op{Type: OpShape, Stroke: 9, Tool: ToolLine, Color: 0xff, Width: 4, Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}}},
		{2, &Op{Type: OpRestore, Strokes: []StrokeID{{Author: 2, N: 4}}}}, // swept: restored under the sweep
		{1, &Op{Type: OpClear, Stroke: 2}},                          // only the line: the rest is swept already
		{4, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}}}, // anyone may undo a clear
		{4, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 7}}}, // unknown: nothing
	})
	apply("remove: one author's strokes after a seq, undone by its sweep", 10, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {1, text}, {1, &Op{Type: OpBegin, Stroke: 8, Width: 2, Points: []Point{{X: 3, Y: 3}}}},
		{9, &Op{Type: OpRemove, Stroke: 1, Sweep: StrokeID{Author: 1}, Since: 2}}, // text and the open stroke, not stroke 1
		{1, pts}, // its open stroke was closed: nothing
		{9, &Op{Type: OpRemove, Stroke: 2, Sweep: StrokeID{Author: 1}}},
		{9, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 9, N: 1}}},
	})
	apply("purge: drops every swept stroke before its op; version 3's clear is for good", 11, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{3, &Op{Type: OpClear, Stroke: 1}},
		{2, &Op{Type: OpBegin, Stroke: 10, Width: 2, Points: []Point{{X: 3, Y: 3}}, Purge: true}},
		{3, &Op{Type: OpUnsweep, Sweep: StrokeID{Author: 3, N: 1}}}, // gone: nothing
		{2, pts},
		{1, &Op{Type: OpClear}},
		{1, &Op{Type: OpText, Stroke: 11, Color: 0xff, Width: 8, Points: []Point{{X: 0, Y: 0}}, Text: "after", Purge: true}}, // nothing swept: only the text
	})
	apply("highlighter and partial eraser are strokes like the pen", 3, []step{
		{1, &Op{Type: OpBegin, Stroke: 1, Tool: ToolHighlighter, Color: 0xffd43b66, Width: 96, Points: []Point{{X: 10, Y: 20}}}},
		{1, pts}, {1, &Op{Type: OpEnd}},
		{2, &Op{Type: OpBegin, Stroke: 1, Tool: ToolEraser, Color: 0xff, Width: 64, Points: []Point{{X: 12, Y: 20}}}},
		{2, pts},
	})
	apply("shapes: created, dragged in place, filled, not over another kind", 4, []step{
		{1, begin}, {1, rect}, // a shape closes the open stroke
		{2, arrow},
		{1, &Op{Type: OpShape, Stroke: 4, Tool: ToolEllipse, Color: 0xe03131ff, Width: 4, Points: []Point{{X: 5, Y: 6}, {X: 70, Y: 80}}}},
		{1, &Op{Type: OpShape, Stroke: 1, Tool: ToolLine, Color: 0xff, Width: 4, Points: []Point{{X: 1, Y: 1}, {X: 2, Y: 2}}}}, // stroke 1 is ink: nothing
		{2, &Op{Type: OpText, Stroke: 5, Color: 0xff, Width: 8, Points: []Point{{X: 0, Y: 0}}, Text: "no"}},                    // 5 is an arrow: nothing
	})
	apply("text: created, edited by its author; others' ids are their own", 5, []step{
		{1, text},
		{2, &Op{Type: OpText, Stroke: 6, Color: 0xff, Width: 40, Points: []Point{{X: 1, Y: 2}}, Text: "B's own stroke 6"}},
		{1, &Op{Type: OpText, Stroke: 6, Color: 0x1e1e1eff, Width: 120, Points: []Point{{X: 81, Y: -41}}, Text: "Hello again"}},
	})
	apply("move: anyone's strokes, clamped, unknown ids ignored", 6, []step{
		{1, begin}, {1, pts}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}, {Author: 2, N: 6}, {Author: 9, N: 9}}, DX: -30, DY: 1000}},
		{3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 2, N: 4}}, DX: MaxMoveDelta, DY: MaxMoveDelta}},
		{1, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 6}}}},
		{3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 2, N: 6}}, DX: 1, DY: 1}},
	})
	apply("coordinates clamp at ±2^28", 1, []step{
		{1, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: []Point{{X: MaxPointDelta, Y: -MaxPointDelta}}}},
		{1, &Op{Type: OpPoints, Points: repeatPoints(Point{X: MaxPointDelta, Y: -MaxPointDelta}, 17)}},
		{1, &Op{Type: OpPoints, Points: []Point{{X: -1, Y: 1}}}},
	})
	apply("trace: the step comes from the stroke's last two points", 7, []step{
		// A Begin of one point: no step yet, the first residual is the step.
		{1, begin}, {1, &Op{Type: OpTrace, Points: []Point{{X: 8, Y: 4}}}}, {1, trace},
		// A Begin of two points: the step between them.
		{2, &Op{Type: OpBegin, Stroke: 1, Width: 4, Color: 0xff, Points: []Point{{X: 100, Y: 100}, {X: 10, Y: 5}}}}, {2, trace},
		// Points then Trace; a Move in between moves the prediction too.
		{1, pts}, {1, &Op{Type: OpTrace, Points: []Point{{X: 0, Y: 0}}}},
		{3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 2, N: 1}}, DX: -1000, DY: 7}}, {2, trace},
		// No open stroke: nothing, but the op counts.
		{1, &Op{Type: OpEnd}}, {1, trace}, {4, trace},
		// A stroke begun with pressure gets pressure 0.
		{4, &Op{Type: OpBegin, Stroke: 2, Flags: FlagPressure, Width: 4, Color: 0xff, Points: []Point{{X: 5, Y: 5, P: 99}}}}, {4, trace},
	})
	apply("trace: coordinates clamp at ±2^28, the held step is the next prediction", 8, []step{
		{1, &Op{Type: OpBegin, Stroke: 1, Width: 1, Points: repeatPoints(Point{X: MaxPointDelta}, 15)}},
		{1, &Op{Type: OpPoints, Points: []Point{{X: MaxPointDelta - 10, Y: 0}, {X: 0, Y: 7}}}}, // (2^28-10, 0), (2^28-10, 7)
		{1, &Op{Type: OpTrace, Points: []Point{{X: 6, Y: 0}, {X: 0, Y: 0}, {X: 0, Y: 0}, {X: -MaxTraceResidual, Y: -MaxTraceResidual}}}},
		{1, &Op{Type: OpTrace, Points: repeatPoints(Point{X: -MaxTraceResidual}, 20)}},
		{1, &Op{Type: OpTrace, Points: []Point{{X: MaxTraceResidual, Y: MaxTraceResidual}, {X: 0, Y: 0}}}},
	})
	apply("restyle: anyone's strokes, only the parts named", 9, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{3, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}, {Author: 2, N: 6}, {Author: 9, N: 9}}, Parts: PartRGB | PartFill, Color: 0x2f9e4400}},
		{3, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 6}}, Parts: PartAlpha | PartWidth, Color: 0x40, Width: 200}},
		{1, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 1, N: 1}}, Parts: PartFill, Flags: FlagFilled}}, // ink is never filled
	})
	apply("order: front, back, one step, above an anchor", 10, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, arrow}, {2, text},
		{1, &Op{Type: OpBegin, Stroke: 2, Width: 3, Points: []Point{{X: 9, Y: 9}}}}, {1, &Op{Type: OpEnd}},
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 5}}, Where: WhereFront}},
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 1, N: 2}}, Where: WhereBack}},
		{3, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 6}}}},
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 2, N: 4}}, Where: WhereForward}}, // passes the hidden text and one shown stroke
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 2, N: 5}}, Where: WhereBackward}},
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 1, N: 1}}, Where: WhereAbove, Anchor: StrokeID{Author: 1, N: 2}}},
		{3, &Op{Type: OpOrder, Strokes: []StrokeID{{Author: 2, N: 6}}, Where: WhereAbove}},
	})
	apply("transform: about the center of the named strokes' box; text sizes scale", 11, []step{
		{1, begin}, {1, pts}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{3, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 6}, {Author: 9, N: 9}}, SX: 3 * ScaleOne / 2, SY: -ScaleOne / 3, DX: -7, DY: 100}},
		{3, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 2, N: 4}}, SX: MaxScale, SY: MaxScale, DX: MaxMoveDelta}}, // clamped
		{3, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 2, N: 6}}, SX: 1, SY: 1}},                                 // a text of size 1
	})
	apply("rotate: centers turn about the pivot, each stroke's own turn adds up", 12, []step{
		{1, begin}, {1, pts}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, arrow}, {2, text},
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}, {Author: 2, N: 4}, {Author: 9, N: 9}}, Angle: 1500, Pivot: Point{X: 10, Y: -20}}},
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 2, N: 5}, {Author: 2, N: 6}}, Angle: -MaxRotate + 1, Pivot: Point{X: -3000, Y: 777}}},
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 2, N: 4}}, Angle: 4500, Pivot: Point{X: CoordLimit, Y: -CoordLimit}}}, // clamped
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 2, N: 6}}, Angle: 27000, Pivot: Point{X: 1, Y: 2}}},
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 2, N: 5}}, Angle: 12345, Pivot: Point{X: 400, Y: 0}}},
		{4, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 1, N: 1}}, Angle: -1500, Pivot: Point{X: 10, Y: -20}}}, // back where it was, but the others moved its center
	})
	apply("image: placed, placed, replaced in place, moved, transformed, faded, erased", 12, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, img},
		{2, &Op{Type: OpImage, Stroke: 8, Color: 0xff, Points: []Point{{X: 0, Y: 0}, {X: 800, Y: 600}}, Text: testImageHash}},
		{2, &Op{Type: OpImage, Stroke: 1, Color: 0xff, Points: []Point{{X: 0, Y: 0}, {X: 8, Y: 6}}, Text: testImageHash}}, // stroke 1 of author 2 is new
		{1, &Op{Type: OpImage, Stroke: 1, Color: 0xff, Points: []Point{{X: 0, Y: 0}, {X: 8, Y: 6}}, Text: testImageHash}}, // author 1's stroke 1 is ink: nothing
		{3, &Op{Type: OpMove, Strokes: []StrokeID{{Author: 2, N: 8}}, DX: 10, DY: -10}},
		{3, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 2, N: 8}}, SX: ScaleOne / 2, SY: 2 * ScaleOne, DX: 4}},
		{3, &Op{Type: OpRestyle, Strokes: []StrokeID{{Author: 2, N: 8}}, Parts: PartAlpha, Color: 0x40}},
		{3, &Op{Type: OpRotate, Strokes: []StrokeID{{Author: 2, N: 8}}, Angle: 3000, Pivot: Point{X: 50, Y: 50}}}, // an image turns like a rectangle
		{3, &Op{Type: OpErase, Strokes: []StrokeID{{Author: 2, N: 1}}}},
	})
	apply("text edit and wrap: anyone's text, only texts", 12, []step{
		{1, begin}, {1, &Op{Type: OpEnd}}, {2, rect}, {2, text},
		{3, &Op{Type: OpTextEdit, Anchor: StrokeID{Author: 2, N: 6}, Text: "edited by 3"}},
		{3, &Op{Type: OpTextWrap, Anchor: StrokeID{Author: 2, N: 6}, Width: 500}},
		{3, &Op{Type: OpTextEdit, Anchor: StrokeID{Author: 2, N: 4}, Text: "a rect takes no text"}},
		{3, &Op{Type: OpTextWrap, Anchor: StrokeID{Author: 9, N: 9}, Width: 5}},
		{2, &Op{Type: OpText, Stroke: 6, Color: 0x336699ff, Width: 20, Points: []Point{{X: 1, Y: 2}}, Text: "the author again"}}, // keeps the wrap
		{3, &Op{Type: OpTransform, Strokes: []StrokeID{{Author: 2, N: 6}}, SX: ScaleOne, SY: 2 * ScaleOne}},                      // wrap scales with the font
	})
	return vf
}

// testImageHash is the SHA-256 of "sketchpad", an image hash for vectors.
const testImageHash = "733d190f7111c5919c01dc2ad0a0756643835f430cfa7385a6ed6e4e9dbbb322"

func repeatPoints(p Point, n int) []Point {
	out := make([]Point, n)
	for i := range out {
		out[i] = p
	}
	return out
}

func TestVectors(t *testing.T) {
	want := buildVectors(t)
	if *update {
		b, err := json.MarshalIndent(want, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vectorsPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("read vectors (run with -update to create): %v", err)
	}
	var got vectorFile
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got.Protocol != Version {
		t.Fatalf("vectors are for protocol %d, codec speaks %d", got.Protocol, Version)
	}
	// The file is checked on its own terms (decode each frame, compare with
	// its stated meaning, re-encode to the same bytes), so an edit to the
	// file that the codec disagrees with fails here.
	for _, v := range got.Vectors {
		t.Run(v.Name, func(t *testing.T) { checkVector(t, v) })
	}
	if !reflect.DeepEqual(normalize(t, got), normalize(t, want)) {
		t.Errorf("%s is out of date with the table in vectors_test.go; run go test ./canvas -run TestVectors -update and review the diff", vectorsPath)
	}
}

func normalize(t *testing.T, vf vectorFile) any {
	b, _ := json.Marshal(vf)
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sameJSON(t *testing.T, got any, want json.RawMessage) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(mustJSON(t, got), &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("meaning differs\n got: %s\nwant: %s", mustJSON(t, got), want)
	}
}

func checkVector(t *testing.T, v vector) {
	frame, err := hex.DecodeString(stripSpaces(v.Hex))
	if err != nil {
		t.Fatalf("bad hex: %v", err)
	}
	switch v.Kind {
	case "client":
		var f ClientFrame
		if err := DecodeClientFrame(frame, &f); err != nil {
			t.Fatalf("decode: %v", err)
		}
		sameJSON(t, clientJSON(&f), v.Value)
		if re := reencodeClient(&f); hex.EncodeToString(re) != v.Hex {
			t.Errorf("re-encoded %x, want %s", re, v.Hex)
		}
	case "bad-client":
		var f ClientFrame
		if err := DecodeClientFrame(frame, &f); err == nil {
			t.Errorf("decoded a frame that must be refused (%s)", v.Error)
		}
	case "server":
		sameJSON(t, serverJSON(t, frame), v.Value)
	case "apply":
		epoch, _ := strconv.ParseUint(v.Epoch, 10, 64)
		b := NewBoard(epoch)
		for _, a := range v.Ops {
			var o Op
			enc, _ := hex.DecodeString(a.Hex)
			if err := DecodeOp(enc, &o); err != nil {
				t.Fatalf("decode op: %v", err)
			}
			b.Apply(a.Author, &o)
		}
		enc, _ := b.MarshalBinary()
		if hex.EncodeToString(enc) != v.Board {
			t.Errorf("board %x, want %s", enc, v.Board)
		}
		sameJSON(t, boardJSON(b), v.Value)
		var back Board
		if err := back.UnmarshalBinary(enc); err != nil {
			t.Fatalf("decode board: %v", err)
		}
		sameJSON(t, boardJSON(&back), v.Value)
	default:
		t.Fatalf("unknown kind %q", v.Kind)
	}
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

func reencodeClient(f *ClientFrame) []byte {
	switch f.Type {
	case MsgHello:
		return AppendHello(nil, &f.Hello)
	case MsgCursor:
		return AppendCursor(nil, f.Cursor)
	case MsgLaser:
		return AppendLaser(nil, &f.Laser)
	case MsgName:
		return AppendName(nil, &f.Name)
	case MsgView:
		return AppendView(nil, f.View)
	case MsgEditing:
		return AppendEditing(nil, f.Editing)
	}
	return AppendOp(nil, &f.Op)
}
