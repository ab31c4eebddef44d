package room

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// A full board refuses what would take it past its limits: the drawer is
// told (NoticeBoardFull, nobody else), the room numbers an End in the
// refused op's place so every index stays in step, nothing past the limit
// reaches anyone, and a clear makes room again.
func TestFullBoardRefusesWhatIsPastItsLimits(t *testing.T) {
	for _, lim := range []struct {
		name  string
		set   func(*config.Config)
		fill  [][]byte // fits
		over  []byte   // the op past the limit
		after [][]byte // what follows it (the stroke's End)
	}{
		{"strokes", func(c *config.Config) { c.MaxBoardStrokes = 3 }, strokes(1, 3), stroke(4, 1)[0], stroke(4, 1)[1:]},
		{"points", func(c *config.Config) { c.MaxBoardPoints = 10 }, stroke(1, 6), stroke(2, 6)[0], stroke(2, 6)[1:]},
	} {
		t.Run(lim.name, func(t *testing.T) {
			eachMode(t, func(t *testing.T, shared bool) {
				h, _, _ := newTestHub(t, shared, lim.set)
				r, alice, wa := join(t, h, "b", "alice", nil)
				_, bob, _ := join(t, h, "b", "bob", nil)
				draw(r, alice, lim.fill)
				full := bob.waitSeq(t, uint64(len(lim.fill))).board
				draw(r, alice, append([][]byte{lim.over}, lim.after...))
				n := uint64(len(lim.fill) + 1 + len(lim.after))
				alice.waitNotice(t, canvas.NoticeBoardFull)
				for _, p := range []*fakePeer{alice, bob} {
					v := p.waitSeq(t, n)
					if len(v.board.Strokes()) != len(full.Strokes()) || v.board.Points() != full.Points() {
						t.Fatalf("%s sees %d strokes and %d points, want the full board's %d and %d",
							p.name, len(v.board.Strokes()), v.board.Points(), len(full.Strokes()), full.Points())
					}
					for _, so := range v.ops {
						if bytes.Equal(so.Op, lim.over) {
							t.Fatalf("%s was sent the refused op (seq %d)", p.name, so.Seq)
						}
					}
					if got := v.ops[len(lim.fill)].Op; canvas.OpType(got[0]) != canvas.OpEnd {
						t.Fatalf("%s: op %d is %#x, want an End in the refused op's place", p.name, len(lim.fill)+1, got[0])
					}
					if got := v.board.Author(wa.Author).Applied; got != n {
						t.Fatalf("%s: alice has %d ops applied, want %d: her indices are out of step", p.name, got, n)
					}
				}
				if v := bob.view(); v.hasNotice(canvas.NoticeBoardFull) {
					t.Fatal("bob was told of alice's refused op")
				}
				// A clear makes room: the same drawing fits again. (Drawn
				// once the clear is on everyone's board: see
				// TestBoardLimitsHoldForOpsSentTogether for a drawing
				// right behind it.)
				r.Op(alice, clearOp())
				alice.waitSeq(t, n+1)
				draw(r, alice, strokes(10, 1))
				v := bob.waitSeq(t, n+3)
				if visible(v.board) != 1 {
					t.Fatalf("after a clear bob sees %d strokes, want 1", visible(v.board))
				}
				sameBoard(t, "after the clear", v.board, alice.waitSeq(t, n+3).board)
			})
		})
	}
}

// The limits hold for ops that arrive together, before the room has
// sent (or the log numbered) any of them: a burst past the limit is
// refused from the op that crosses it, and a drawing sent right behind a
// clear is not refused, as the clear made room for it.
func TestBoardLimitsHoldForOpsSentTogether(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.MaxBoardStrokes = 3 })
		r, alice, _ := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 4)) // 8 ops, the 4th Begin past the limit
		v := bob.waitSeq(t, 8)
		if len(v.board.Strokes()) != 3 {
			t.Fatalf("bob sees %d strokes on a board of at most 3", len(v.board.Strokes()))
		}
		alice.waitNotice(t, canvas.NoticeBoardFull)
		notices := len(alice.view().notices)
		draw(r, alice, append([][]byte{clearOp()}, strokes(5, 3)...)) // 7 ops
		v = bob.waitSeq(t, 15)
		if visible(v.board) != 3 || len(v.board.Strokes()) != 3 {
			t.Fatalf("after a clear and 3 strokes, bob sees %d strokes (%d on the board), want 3 (the cleared ones purged)", visible(v.board), len(v.board.Strokes()))
		}
		if got := alice.waitSeq(t, 15).notices; len(got) != notices {
			t.Fatalf("alice was told the board is full after the clear: %+v", got[notices:])
		}
	})
}

// With a shared log a replica's own ops can come back through pub/sub
// before the log's reply: once on the board they no longer count as held,
// so the stroke that fills the board exactly is not refused as one too
// many while that reply is on its way.
func TestOwnOpsBackBeforeTheReplyAreNotCountedTwice(t *testing.T) {
	h, l, _ := newTestHub(t, true, func(c *config.Config) { c.MaxBoardStrokes = 3 })
	r, alice, _ := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	release := l.holdReplies()
	t.Cleanup(release)            // a failure must not leave the room waiting for it
	draw(r, alice, strokes(1, 2)) // 4 ops; the first batch (stroke 1's Begin at least) is published, its reply held
	var head uint64
	l.waitFor(t, "the first batch numbered", func() bool {
		head = l.rooms["b"].seq
		return head >= 1
	})
	bob.waitSeq(t, head)          // on the board, and still in flight
	draw(r, alice, strokes(3, 1)) // the third stroke of 3
	release()
	v := bob.waitSeq(t, 6)
	if len(v.board.Strokes()) != 3 {
		t.Fatalf("bob sees %d strokes, want 3", len(v.board.Strokes()))
	}
	if got := alice.waitSeq(t, 6).notices; len(got) != 0 {
		t.Fatalf("alice was told the board is full at 3 strokes of 3: %+v", got)
	}
}

// A board at its most people on this replica closes a newcomer with
// CloseTryAgain (and no Welcome); once someone leaves, a newcomer gets in.
func TestBoardAtItsMostPeopleClosesNewcomersWithTryAgain(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.MaxRoomClients = 2 })
		r, alice, _ := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		carol := newPeer("carol")
		attach(t, h, "b", carol, nil)
		if code, _ := carol.waitClosed(t); code != canvas.CloseTryAgain {
			t.Fatalf("carol closed with %d, want %d", code, canvas.CloseTryAgain)
		}
		if v := carol.view(); len(v.welcomes) != 0 || v.frames != 0 {
			t.Fatalf("carol was sent %d frames", v.frames)
		}
		leave(h, r, "b", carol) // her session's close, as a real one does
		leave(h, r, "b", bob)
		_, dave, _ := join(t, h, "b", "dave", nil)
		draw(r, alice, strokes(1, 1))
		dave.waitSeq(t, 2)
	})
}

// A room whose inbox is full pushes back on its senders: they wait
// rather than the room queueing without bound (here the room is held up
// opening the board, its log slow to answer), and when the room goes on
// nothing they sent is lost. A log's publication that finds the inbox full
// is refused, never waited for, and the room reads what it missed from the
// log instead.
func TestFullInboxPushesBackWithoutLosingOps(t *testing.T) {
	const inbox = 4
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, func(c *config.Config) { c.RoomInbox = inbox })
		var other uint32
		if shared { // another replica has the board open and draws on it
			if _, err := l.Open(context.Background(), "b"); err != nil {
				t.Fatal(err)
			}
			other = l.newAuthorAs(t, "b")
		}
		release := l.holdOpen()
		defer release()
		alice := newPeer("alice")
		r := attach(t, h, "b", alice, nil)
		ops := strokes(1, 10)
		var sent atomic.Int32
		done := make(chan struct{})
		go func() {
			defer close(done)
			for _, op := range ops {
				r.Op(alice, bytes.Clone(op))
				sent.Add(1)
			}
		}()
		// Her Hello and inbox-1 ops fill the inbox.
		waitUntil(t, "the inbox to fill", func() bool { return sent.Load() >= inbox-1 })
		dropped := false
		if shared {
			e, f, b := l.appendAs(t, "b", other, strokes(1, 1))
			dropped = !l.publish("b", e, f, b)
		}
		select {
		case <-done:
			t.Fatalf("alice sent all %d ops to a room that took none, with an inbox of %d", len(ops), inbox)
		case <-time.After(50 * time.Millisecond):
		}
		if n := sent.Load(); n > inbox-1 {
			t.Fatalf("%d ops queued behind a Hello in an inbox of %d", n, inbox)
		}
		if shared && !dropped {
			t.Fatal("a publication was taken into a full inbox")
		}
		release()
		<-done
		n := uint64(len(ops))
		if shared {
			n += 2
		}
		_, bob, _ := join(t, h, "b", "bob", nil)
		wa := alice.welcome(t)
		for _, p := range []*fakePeer{alice, bob} {
			v := p.waitSeq(t, n)
			if p == alice && !sameOps(v.opsBy(wa.Author), ops) {
				t.Fatalf("%s did not see each of alice's %d ops once, in order", p.name, len(ops))
			}
			if got := v.board.Author(wa.Author).Applied; got != uint64(len(ops)) {
				t.Fatalf("%s: alice has %d ops on the board, want %d", p.name, got, len(ops))
			}
		}
		sameBoard(t, "after the push-back", alice.view().board, bob.view().board)
	})
}

// On a board at its most points, moving the end of a line already drawn
// (the Shape op sent again with the same stroke, as a drag does) adds no
// point, so it is not refused.
func TestEditingAShapeOnAFullBoardIsNotRefused(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.MaxBoardPoints = 4 })
		r, alice, _ := join(t, h, "b", "alice", nil)
		line := func(x int32) []byte {
			return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpShape, Stroke: 1, Tool: canvas.ToolLine, Color: 0xff, Width: 2,
				Points: []canvas.Point{{X: 0, Y: 0}, {X: x, Y: 10}}})
		}
		draw(r, alice, append([][]byte{line(10)}, stroke(2, 2)...)) // 4 points: full
		alice.waitSeq(t, 3)
		moved := line(20)
		r.Op(alice, moved)
		v := alice.waitSeq(t, 4)
		if v.hasNotice(canvas.NoticeBoardFull) || !bytes.Equal(v.ops[3].Op, moved) {
			t.Fatalf("moving a line's end on a full board was refused (op 4 is %#x)", v.ops[3].Op[0])
		}
	})
}
