package room

import (
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// A client that was away for longer than the replay window holds gets
// the board as a snapshot instead, with nothing missing and nothing twice,
// and still resumes as the same author with its ops counted.
func TestReconnectPastTheReplayWindowGetsASnapshot(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.ReplayOps = 4 })
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 2))
		alice.waitSeq(t, 4)
		alice2, hello := alice.reconnected("alice again")
		leave(h, r, "b", alice)
		draw(r, bob, strokes(1, 10)) // 20 ops, far more than the window
		vb := bob.waitSeq(t, 24)
		attach(t, h, "b", alice2, &hello)
		w := alice2.welcome(t)
		v := alice2.waitSeq(t, 24)
		if w.Author != wa.Author || w.Applied != 4 || v.snapshots != 1 {
			t.Fatalf("welcome %+v with %d snapshots, want author %d, applied 4 and a snapshot", w, v.snapshots, wa.Author)
		}
		sameBoard(t, "the returning client's", v.board, vb.board)
	})
}

// A board stores a snapshot every SnapshotEvery ops, and the log drops
// the ops it covers; reopened from it, the board is all there, and a
// client coming back after that resumes where it was.
func TestBoardReopenedFromItsSnapshotHasEverything(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, m := newTestHub(t, shared, func(c *config.Config) { c.SnapshotEvery, c.RoomIdle = 4, 20*time.Millisecond })
		r, alice, wa := join(t, h, "b", "alice", nil)
		for i := range uint32(7) { // a frame (and a submit) each
			draw(r, alice, strokes(i+1, 1))
			alice.waitSeq(t, uint64(2*i+2))
		}
		before := alice.view().board
		l.waitFor(t, "a snapshot", func() bool { return l.compacts > 0 })
		alice2, hello := alice.reconnected("alice again")
		leave(h, r, "b", alice)
		waitUntil(t, "the board closed", func() bool {
			return h.OpenRoom("b") == nil && gauge(m.RoomsClosing) == 0
		})
		_, bob, _ := join(t, h, "b", "bob", nil)
		sameBoard(t, "the reopened board", bob.waitSeq(t, 14).board, before)
		r2 := attach(t, h, "b", alice2, &hello)
		if w := alice2.welcome(t); w.Author != wa.Author || w.Applied != 14 {
			t.Fatalf("welcome %+v, want author %d applied 14", w, wa.Author)
		}
		draw(r2, alice2, strokes(8, 1))
		sameBoard(t, "after more drawing", bob.waitSeq(t, 16).board, alice2.waitSeq(t, 16).board)
	})
}

// Another replica compacted the log past what this room has (its missed
// ops are in a snapshot now): the room reloads and sends everyone the
// board as a snapshot, and they go on from it with nothing lost.
func TestRoomBehindTheLogsSnapshotSendsItToEveryone(t *testing.T) {
	h, l, _ := newTestHub(t, true, nil)
	r, alice, wa := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	draw(r, alice, strokes(1, 1))
	bob.waitSeq(t, 2)
	other := l.newAuthorAs(t, "b")
	l.appendAs(t, "b", other, strokes(1, 2)) // publications lost
	l.compactAs(t, "b")
	e, f, b := l.appendAs(t, "b", other, strokes(3, 1))
	l.publish("b", e, f, b)
	for _, p := range []*fakePeer{alice, bob} {
		if v := p.waitSeq(t, 8); v.snapshots != 2 || len(v.board.Strokes()) != 4 {
			t.Fatalf("%s: %d snapshots and %d strokes, want a second snapshot and 4 strokes", p.name, v.snapshots, len(v.board.Strokes()))
		}
	}
	draw(r, alice, strokes(2, 1))
	sameBoard(t, "after the snapshot", alice.waitSeq(t, 10).board, bob.waitSeq(t, 10).board)
	if got := bob.view().board.Author(wa.Author).Applied; got != 4 {
		t.Fatalf("alice has %d ops applied, want 4", got)
	}
}

// The log lost the board's history (a flush of the shared store) and
// started it again under a new epoch: everyone on it is told to reconnect
// (CloseReset), and reconnecting they get the new, empty board and a new
// author id, with nothing of the old history mixed in.
func TestLostHistoryClosesEveryoneWithReset(t *testing.T) {
	h, l, _ := newTestHub(t, true, nil)
	r, alice, wa := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	draw(r, alice, strokes(1, 2))
	bob.waitSeq(t, 4)
	l.lose("b")
	r.Resync() // what the log's watch does when its store comes back empty
	for _, p := range []*fakePeer{alice, bob} {
		if code, _ := p.waitClosed(t); code != canvas.CloseReset {
			t.Fatalf("%s closed with %d, want %d", p.name, code, canvas.CloseReset)
		}
	}
	alice2, hello := alice.reconnected("alice again")
	r2 := attach(t, h, "b", alice2, &hello)
	w := alice2.welcome(t)
	if w.Epoch == wa.Epoch || w.Epoch != l.epoch("b") || w.Head != 0 {
		t.Fatalf("welcome after a reset: %+v (old epoch %x, log's %x)", w, wa.Epoch, l.epoch("b"))
	}
	draw(r2, alice2, strokes(1, 1))
	if v := alice2.waitSeq(t, 2); len(v.board.Strokes()) != 1 {
		t.Fatalf("alice sees %d strokes on the new board, want 1", len(v.board.Strokes()))
	}
}

// The log numbers this room's own ops after ops of another replica whose
// publication never comes (and its own come back only in the submit
// reply): the room does not send its ops past the gap, and fills the gap
// from the log.
func TestOwnOpsPastAGapWaitForTheLog(t *testing.T) {
	h, l, _ := newTestHub(t, true, nil)
	l.noEcho = true // set before any room watches: read under l.mu
	r, alice, wa := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	other := l.newAuthorAs(t, "b")
	l.appendAs(t, "b", other, strokes(1, 2)) // publication lost
	draw(r, alice, strokes(1, 1))
	for _, p := range []*fakePeer{alice, bob} {
		v := p.waitSeq(t, 6)
		if len(v.opsBy(other)) != 4 || len(v.opsBy(wa.Author)) != 2 || v.ops[4].Author != wa.Author {
			t.Fatalf("%s: %d ops of the other replica and %d of alice's, want 4 then 2", p.name, len(v.opsBy(other)), len(v.opsBy(wa.Author)))
		}
	}
}

// A client moves here from another replica (which died): it was an
// author that replica handed out and saw ops this room has not had yet
// (their publications late). Its Welcome counts every op of its own the
// log holds, so what it draws next is numbered once and never taken for a
// resend; it gets no snapshot, and everyone here catches up.
func TestClientMovingFromAnotherReplicaResumes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		late   bool   // the other replica's publications come after all
		unseen uint64 // ops of her own she never saw acknowledged there
	}{
		{name: "publications lost"},
		{name: "publications late", late: true},
		{name: "her last ops unacknowledged", unseen: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, l, _ := newTestHub(t, true, nil)
			r, alice, _ := join(t, h, "b", "alice", nil)
			draw(r, alice, strokes(1, 1))
			alice.waitSeq(t, 2)
			// Zoe, on the other replica, draws 3 strokes.
			zoe := l.newAuthorAs(t, "b")
			e, f, b := l.appendAs(t, "b", zoe, strokes(1, 2))
			zoe2 := newPeer("zoe here")
			zoe2.board = l.board(t, "b")
			_, f2, b2 := l.appendAs(t, "b", zoe, strokes(3, 1))
			if tc.unseen == 0 {
				zoe2.board = l.board(t, "b")
			}
			hello := canvas.Hello{Version: canvas.Version, Epoch: e, LastSeq: zoe2.board.Seq, Author: zoe, Name: "zoe"}
			r2 := attach(t, h, "b", zoe2, &hello)
			w := zoe2.welcome(t)
			if w.Author != zoe || w.Applied != 6 || w.Head != 8 {
				t.Fatalf("zoe's welcome here: %+v, want author %d, applied 6, head 8", w, zoe)
			}
			if tc.late {
				l.publish("b", e, f, b)
				l.publish("b", e, f2, b2)
			}
			draw(r2, zoe2, strokes(4, 1))
			for _, p := range []*fakePeer{alice, zoe2} {
				v := p.waitSeq(t, 10)
				if got := v.board.Author(zoe).Applied; got != 8 {
					t.Fatalf("%s: zoe has %d ops on the board, want 8", p.name, got)
				}
			}
			if v := zoe2.view(); v.snapshots != 0 || uint64(len(v.ops)) != tc.unseen+2 {
				t.Fatalf("zoe got %d snapshots and %d ops, want a replay of %d", v.snapshots, len(v.ops), tc.unseen+2)
			}
			sameBoard(t, "alice's and zoe's", alice.view().board, zoe2.view().board)
		})
	}
}

// A publication from another history (late, from before the log lost the
// board, or for a board of the same name opened again) changes nothing:
// the room checks the log, finds its own history there, and goes on.
func TestPublicationFromAnotherEpochChangesNothing(t *testing.T) {
	h, l, _ := newTestHub(t, true, nil)
	r, alice, wa := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	draw(r, alice, strokes(1, 1))
	bob.waitSeq(t, 2)
	stale := []canvas.SeqOp{{Author: 99, Op: stroke(1, 1)[0]}}
	l.publish("b", wa.Epoch+1, 3, stale)
	draw(r, alice, strokes(2, 1))
	for _, p := range []*fakePeer{alice, bob} {
		v := p.waitSeq(t, 4)
		if v.closed || len(v.opsBy(99)) != 0 || v.board.Epoch != wa.Epoch {
			t.Fatalf("%s: closed %v, %d ops of the other history, epoch %x", p.name, v.closed, len(v.opsBy(99)), v.board.Epoch)
		}
	}
	sameBoard(t, "after a stale publication", alice.view().board, bob.view().board)
}
