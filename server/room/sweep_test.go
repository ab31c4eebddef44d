package room

import (
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

func unsweepOp(by, n uint32) []byte {
	return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpUnsweep, Sweep: canvas.StrokeID{Author: by, N: n}})
}

func removeOp(n, author uint32, since uint64) []byte {
	return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpRemove, Stroke: n, Sweep: canvas.StrokeID{Author: author}, Since: since})
}

// A clear on a full board frees its room for whoever draws next: the
// first op that needs the room is numbered in a Purge, which drops the
// cleared strokes. Until then anyone may undo the clear; after it, the
// undo finds nothing, and the board never holds more than its limit.
func TestAClearStaysUndoableUntilItsRoomIsNeeded(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.MaxBoardPoints = 10 })
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, stroke(1, 8)) // seq 1-2
		draw(r, alice, [][]byte{clearOp()})
		v := bob.waitSeq(t, 3)
		if visible(v.board) != 0 || v.board.Points() != 8 {
			t.Fatalf("after the clear bob sees %d strokes, the board holds %d points", visible(v.board), v.board.Points())
		}
		// Bob undoes alice's clear: her stroke is back for everyone.
		draw(r, bob, [][]byte{unsweepOp(wa.Author, 1)})
		if v := alice.waitSeq(t, 4); visible(v.board) != 1 {
			t.Fatalf("after bob's undo alice sees %d strokes, want her 1", visible(v.board))
		}
		// Cleared again, then a drawing that needs the cleared room.
		draw(r, alice, [][]byte{clearOp()})
		draw(r, alice, stroke(2, 6)) // seq 6-7
		v = bob.waitSeq(t, 7)
		if op := v.ops[5].Op; canvas.OpType(op[0]) != canvas.OpPurge {
			t.Fatalf("the Begin that needed the room is %#x, want a Purge", op[0])
		}
		if len(v.board.Strokes()) != 1 || v.board.Points() != 6 || v.hasNotice(canvas.NoticeBoardFull) {
			t.Fatalf("after the purge: %d strokes, %d points", len(v.board.Strokes()), v.board.Points())
		}
		if alice.view().hasNotice(canvas.NoticeBoardFull) {
			t.Fatal("alice was told the board is full after clearing it")
		}
		draw(r, bob, [][]byte{unsweepOp(wa.Author, 1)})
		v = bob.waitSeq(t, 8)
		if visible(v.board) != 1 || v.board.Points() != 6 {
			t.Fatalf("an undo after the purge brought back %d strokes, %d points", visible(v.board), v.board.Points())
		}
		sameBoard(t, "after it all", v.board, alice.waitSeq(t, 8).board)
	})
}

// Only a moderator may remove someone's work or undo a removal: from
// anyone else the op is refused (an End in its place, a Notice 403 to
// the sender only); a clear stays anyone's to undo.
func TestOnlyAModeratorRemovesSomeonesWorkOrUndoesIt(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, troll, wt := join(t, h, "b", "troll", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		mod := newPeer("mod")
		mod.moderator = true
		attach(t, h, "b", mod, nil)
		wm := mod.welcome(t)
		draw(r, bob, stroke(1, 2))    // 1-2
		draw(r, troll, strokes(1, 3)) // 3-8
		draw(r, bob, [][]byte{removeOp(1, wt.Author, 0)})
		v := bob.waitNotice(t, canvas.NoticeForbidden)
		v = bob.waitSeq(t, 9)
		if visible(v.board) != 4 || canvas.OpType(v.ops[8].Op[0]) != canvas.OpEnd {
			t.Fatalf("bob's removal: %d strokes shown, op %#x", visible(v.board), v.ops[8].Op[0])
		}
		draw(r, mod, [][]byte{removeOp(1, wt.Author, 4)}) // the troll's strokes after seq 4: 2 of 3
		if v := bob.waitSeq(t, 10); visible(v.board) != 2 {
			t.Fatalf("after the moderator's removal bob sees %d strokes, want 2", visible(v.board))
		}
		draw(r, troll, [][]byte{unsweepOp(wm.Author, 1)})
		troll.waitNotice(t, canvas.NoticeForbidden)
		if v := bob.waitSeq(t, 11); visible(v.board) != 2 {
			t.Fatal("the troll undid the removal")
		}
		draw(r, mod, [][]byte{unsweepOp(wm.Author, 1)})
		if v := bob.waitSeq(t, 12); visible(v.board) != 4 {
			t.Fatalf("after the moderator's undo bob sees %d strokes, want 4", visible(v.board))
		}
		// Anyone may undo a clear.
		draw(r, troll, [][]byte{clearOp()})
		draw(r, bob, [][]byte{unsweepOp(wt.Author, 1)})
		if v := mod.waitSeq(t, 14); visible(v.board) != 4 {
			t.Fatalf("bob's undo of the troll's clear: %d strokes, want 4", visible(v.board))
		}
		if mod.view().hasNotice(canvas.NoticeForbidden) || len(bob.view().notices) != 1 {
			t.Fatal("the moderator was told of a refusal, or bob twice")
		}
	})
}
