package canvas_test

import (
	"fmt"

	"github.com/sketchpad/sketchpad/canvas"
)

// A new client's first frame: it knows no epoch, no sequence number and has
// no author id yet.
func ExampleAppendHello() {
	frame := canvas.AppendHello(nil, &canvas.Hello{
		Version: canvas.Version,
		Name:    "Ada",
		Color:   0xff0000ff,
	})
	fmt.Printf("% x\n", frame)
	// Output:
	// 01 06 00 00 00 00 00 00 00 00 00 00 03 41 64 61 ff 00 00 ff
}

// A stroke as a browser sends it: Begin with the first point (absolute, in
// 1/4 CSS px), Points with the moves since the previous point, one op per
// animation frame, then End. Each op is one client frame.
func ExampleAppendOp() {
	ops := []canvas.Op{
		{Type: canvas.OpBegin, Stroke: 1, Tool: canvas.ToolPen, Color: 0x1e1e1eff, Width: 8, // 2 px
			Points: []canvas.Point{{X: 400, Y: 300}}}, // CSS px (100, 75)
		{Type: canvas.OpPoints, Points: []canvas.Point{{X: 8, Y: 4}, {X: 12, Y: 4}, {X: 12, Y: 0}, {X: 8, Y: -4}}},
		{Type: canvas.OpPoints, Points: []canvas.Point{{X: 4, Y: -8}, {X: 0, Y: -12}}},
		{Type: canvas.OpEnd},
	}
	var frame []byte
	for i := range ops {
		frame = canvas.AppendOp(frame[:0], &ops[i]) // send frame, then reuse the buffer
		fmt.Printf("% x\n", frame)
	}
	// Output:
	// 10 01 00 00 1e 1e 1e ff 08 01 a0 06 d8 04
	// 11 04 10 08 18 08 18 00 10 07
	// 11 02 08 0f 00 17
	// 13
}

// The same stroke as a client without pressure sends it since protocol
// version 3: Trace ops, encoded from the stroke's absolute points and the
// points it has sent so far. A point that moves on as the one before it
// did costs half a byte; the first one after a Begin has no step to follow.
func ExampleAppendTrace() {
	stroke := []canvas.Point{{X: 400, Y: 300}, {X: 408, Y: 304}, {X: 420, Y: 308}, {X: 432, Y: 308},
		{X: 440, Y: 304}, {X: 444, Y: 296}, {X: 444, Y: 284}}
	frame := canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: 1, Color: 0x1e1e1eff, Width: 8, Points: stroke[:1]})
	fmt.Printf("% x\n", frame)
	for sent := 1; sent < len(stroke); {
		n := min(4, len(stroke)-sent)
		frame = canvas.AppendTrace(frame[:0], stroke[:sent], stroke[sent:sent+n])
		fmt.Printf("% x\n", frame)
		sent += n
	}
	fmt.Printf("% x\n", canvas.AppendOp(frame[:0], &canvas.Op{Type: canvas.OpEnd}))
	// Output:
	// 10 01 00 00 1e 1e 1e ff 08 01 a0 06 d8 04
	// 1a fd 80 d9 a1 6d
	// 1a 6d 6d
	// 13
}

// A client reading a server frame: Welcome, then the ops it missed, which
// it applies in order to its board.
func ExampleDecodeServerFrame() {
	// What the server sends to author 2 joining a room where author 1 has
	// drawn a short stroke (normally read from the WebSocket).
	var replay []canvas.SeqOp
	for _, o := range []canvas.Op{
		{Type: canvas.OpBegin, Stroke: 1, Color: 0x1e1e1eff, Width: 8, Points: []canvas.Point{{X: 400, Y: 300}}},
		{Type: canvas.OpPoints, Points: []canvas.Point{{X: 8, Y: 4}, {X: 12, Y: 4}}},
		{Type: canvas.OpEnd},
	} {
		replay = append(replay, canvas.SeqOp{Author: 1, Op: canvas.AppendOp(nil, &o)})
	}
	frame := canvas.AppendWelcome(nil, &canvas.Welcome{Version: 1, Epoch: 7, Author: 2, Applied: 0, Head: 3})
	frame = canvas.AppendOps(frame, 1, replay)
	frame = canvas.AppendPresence(frame, &canvas.Presence{Author: 1, Name: "Ada", Color: 0xff0000ff})

	board := canvas.NewBoard(0)
	var op canvas.Op // reused for every op
	err := canvas.DecodeServerFrame(frame, func(m *canvas.ServerMsg) error {
		switch m.Type {
		case canvas.MsgWelcome:
			fmt.Printf("welcome: I am author %d, room at seq %d\n", m.Welcome.Author, m.Welcome.Head)
			board = canvas.NewBoard(m.Welcome.Epoch)
		case canvas.MsgOps:
			for i, so := range m.Ops {
				if err := canvas.DecodeOp(so.Op, &op); err != nil {
					return err
				}
				board.Apply(so.Author, &op)
				fmt.Printf("seq %d: author %d op %#x\n", m.FirstSeq+uint64(i), so.Author, byte(op.Type))
			}
		case canvas.MsgPresence:
			fmt.Printf("author %d is %s\n", m.Presence.Author, m.Presence.Name)
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range board.Strokes() {
		fmt.Printf("stroke %d of author %d: %v\n", s.ID.N, s.ID.Author, s.Points)
	}
	fmt.Printf("board at seq %d, author 1 applied %d\n", board.Seq, board.Author(1).Applied)
	// Output:
	// welcome: I am author 2, room at seq 3
	// seq 1: author 1 op 0x10
	// seq 2: author 1 op 0x11
	// seq 3: author 1 op 0x13
	// author 1 is Ada
	// stroke 1 of author 1: [{400 300 0} {408 304 0} {420 308 0}]
	// board at seq 3, author 1 applied 3
}

// Decoders report malformed input as a *ProtocolError whose reason can be
// sent back as the WebSocket close reason (code 4400).
func ExampleDecodeClientFrame() {
	var f canvas.ClientFrame
	for _, frame := range [][]byte{
		{0x20, 0x09, 0xd0, 0x0f}, // Cursor at (-5, 1000)
		{0x11, 0x00},             // Points with no points
	} {
		if err := canvas.DecodeClientFrame(frame, &f); err != nil {
			fmt.Println("close 4400:", err)
			continue
		}
		fmt.Printf("type %#x cursor %+v\n", f.Type, f.Cursor)
	}
	// Output:
	// type 0x20 cursor {X:-5 Y:1000}
	// close 4400: canvas: empty point list
}
