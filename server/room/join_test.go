package room

import (
	"bytes"
	"fmt"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// A newcomer is welcomed with the board as everyone else has it: a
// snapshot with everything drawn before, those ops still on their way to
// the log included, and who is on the board.
func TestJoinGetsWelcomeAndEverythingDrawnBefore(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		if wa.Version != canvas.Version || wa.Author == 0 || wa.Applied != 0 || wa.Head != 0 || wa.Epoch != l.epoch("b") {
			t.Fatalf("alice's welcome on a new board: %+v (log epoch %x)", wa, l.epoch("b"))
		}
		ops := strokes(1, 5)
		draw(r, alice, ops)
		alice.waitSeq(t, uint64(len(ops)))
		// More, and bob joins at once: he must get these too, from the
		// snapshot or after it, exactly once.
		more := strokes(6, 3)
		draw(r, alice, more)
		_, bob, wb := join(t, h, "b", "bob", nil)
		total := uint64(len(ops) + len(more))
		if wb.Author == 0 || wb.Author == wa.Author || wb.Applied != 0 || wb.Epoch != wa.Epoch {
			t.Fatalf("bob's welcome: %+v, alice's %+v", wb, wa)
		}
		vb := bob.waitSeq(t, total)
		va := alice.waitSeq(t, total)
		if vb.snapshots != 1 {
			t.Fatalf("bob got %d snapshots, want 1", vb.snapshots)
		}
		if n := len(vb.board.Strokes()); n != 8 {
			t.Fatalf("bob sees %d strokes, want 8", n)
		}
		sameBoard(t, "bob's board and alice's", vb.board, va.board)
		if !hasPresence(vb.presence, wa.Author, "alice") {
			t.Fatalf("bob was not told alice is here: %+v", vb.presence)
		}
		alice.waitFor(t, "bob's presence", func(v *peerView) bool { return hasPresence(v.presence, wb.Author, "bob") })
	})
}

func hasPresence(ps []canvas.Presence, author uint32, name string) bool {
	for _, p := range ps {
		if p.Author == author && p.Name == name {
			return true
		}
	}
	return false
}

// Two people drawing at once each see every op, theirs and the other's,
// exactly once, in one order (the same for both), and each person's ops in
// the order they drew them.
func TestTwoPeersSeeEachOthersOpsOnceInOrder(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, wb := join(t, h, "b", "bob", nil)
		aOps, bOps := strokes(1, 60), strokes(1, 60)
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); draw(r, alice, aOps) }()
		go func() { defer wg.Done(); draw(r, bob, bOps) }()
		wg.Wait()
		total := uint64(len(aOps) + len(bOps))
		va, vb := alice.waitSeq(t, total), bob.waitSeq(t, total)
		sameBoard(t, "alice's and bob's boards", va.board, vb.board)
		if len(va.ops) != int(total) || len(vb.ops) != int(total) {
			t.Fatalf("alice applied %d ops, bob %d, want %d each", len(va.ops), len(vb.ops), total)
		}
		for i := range va.ops {
			if va.ops[i].Seq != vb.ops[i].Seq || va.ops[i].Author != vb.ops[i].Author || !bytes.Equal(va.ops[i].Op, vb.ops[i].Op) {
				t.Fatalf("op %d differs: alice saw %+v, bob %+v", i, va.ops[i], vb.ops[i])
			}
		}
		for _, v := range []peerView{va, vb} {
			if !sameOps(v.opsBy(wa.Author), aOps) || !sameOps(v.opsBy(wb.Author), bOps) {
				t.Fatal("someone's ops arrived out of the order they were drawn in")
			}
		}
		if got := va.board.Author(wa.Author).Applied; got != uint64(len(aOps)) {
			t.Fatalf("alice has %d ops applied, want %d", got, len(aOps))
		}
	})
}

func sameOps(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// A client that reconnects with what it has (Hello: epoch, last sequence
// number, author) gets a replay of only what it missed, not a snapshot,
// and its Welcome counts every op of its own the room holds, the one it
// sent last before it lost the connection included, so it resends none
// of them; what it draws next is numbered once.
func TestReconnectReplaysOnlyWhatWasMissed(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 2)) // 4 ops
		seen := alice.waitSeq(t, 4)
		// Alice's connection drops as her last op leaves: she never sees
		// it come back. Bob draws meanwhile.
		alice.Close(canvas.CloseAbnormal, "connection lost")
		last := stroke(3, 1)[0]
		r.Op(alice, bytes.Clone(last))
		leave(h, r, "b", alice)
		draw(r, bob, strokes(1, 3)) // 6 ops
		bob.waitSeq(t, 4+1+6)

		alice2, hello := alice.reconnected("alice again")
		if hello.LastSeq != seen.seq() || hello.Author != wa.Author {
			t.Fatalf("reconnect hello %+v", hello)
		}
		r2 := attach(t, h, "b", alice2, &hello)
		w := alice2.welcome(t)
		if w.Author != wa.Author || w.Applied != 5 || w.Head != 11 {
			t.Fatalf("welcome after reconnect: %+v, want author %d, applied 5, head 11", w, wa.Author)
		}
		v := alice2.waitSeq(t, 11)
		if v.snapshots != 0 {
			t.Fatal("a reconnect within the replay window got a snapshot")
		}
		if len(v.ops) != 7 || v.ops[0].Seq != 5 || !bytes.Equal(v.ops[0].Op, last) {
			t.Fatalf("replay: %d ops, want 7 from seq 5 (her own unacknowledged op first)", len(v.ops))
		}
		// She goes on from index 5: her End is numbered once, 12.
		r2.Op(alice2, stroke(3, 1)[1])
		vb := bob.waitSeq(t, 12)
		va := alice2.waitSeq(t, 12)
		sameBoard(t, "after the reconnect", va.board, vb.board)
		if got := vb.board.Author(wa.Author).Applied; got != 6 {
			t.Fatalf("alice has %d ops on the board, want 6", got)
		}
	})
}

// A client whose connection is still open when it reconnects (the old
// one not yet noticed dead) takes over: the old connection is closed as
// replaced, and nothing it sent is lost or drawn twice.
func TestReconnectReplacesTheOldConnection(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 2))
		alice.waitSeq(t, 4)
		alice2, hello := alice.reconnected("alice again")
		draw(r, alice, strokes(3, 1)) // sent before the new Hello: kept
		attach(t, h, "b", alice2, &hello)
		w := alice2.welcome(t)
		if code, _ := alice.waitClosed(t); code != canvas.CloseReplaced {
			t.Fatalf("old connection closed with %d, want %d", code, canvas.CloseReplaced)
		}
		if w.Author != wa.Author || w.Applied != 6 {
			t.Fatalf("welcome %+v, want author %d applied 6", w, wa.Author)
		}
		sameBoard(t, "the new connection's and bob's", alice2.waitSeq(t, 6).board, bob.waitSeq(t, 6).board)
	})
}

// Hello with a board from another history (the board was lost and
// started again, or a stale tab) gets a snapshot of this one and a new
// author id.
func TestHelloFromAnotherEpochGetsTheBoardAfresh(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		draw(r, alice, strokes(1, 2))
		alice.waitSeq(t, 4)
		_, old, w := join(t, h, "b", "old tab", &canvas.Hello{Version: canvas.Version, Epoch: wa.Epoch + 1, LastSeq: 2, Author: wa.Author})
		v := old.waitSeq(t, 4)
		if w.Author == wa.Author || w.Epoch != wa.Epoch || v.snapshots != 1 {
			t.Fatalf("welcome %+v with %d snapshots, want a new author in epoch %x and a snapshot", w, v.snapshots, wa.Epoch)
		}
		sameBoard(t, "old tab's board", v.board, alice.view().board)
	})
}

// A newcomer arriving while the log is still storing a batch gets that
// batch exactly once (in its snapshot or right after it) and only once the
// log has it: nobody is shown an op the log might not keep.
func TestJoinWhileABatchIsInFlight(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		r, alice, _ := join(t, h, "b", "alice", nil)
		draw(r, alice, strokes(1, 1))
		alice.waitSeq(t, 2)
		release := l.hold()
		defer release()
		submits := l.submitCount()
		draw(r, alice, strokes(2, 2))
		l.waitFor(t, "a batch submitted", func() bool { return l.submits > submits })
		bob := newPeer("bob")
		attach(t, h, "b", bob, nil)
		if v := bob.view(); v.seq() > l.head("b") {
			t.Fatalf("bob was shown seq %d, the log holds %d", v.seq(), l.head("b"))
		}
		release()
		bob.welcome(t)
		sameBoard(t, "bob's and alice's", bob.waitSeq(t, 6).board, alice.waitSeq(t, 6).board)
	})
}

// Newcomers arriving one after another while people draw on a big board
// each get the board as it is when they arrive (a shared snapshot and the
// ops since it, or a fresh one), nothing missing and nothing twice; one
// whose first frame is big is told first that the board is loading.
func TestNewcomersWhileDrawingOnABigBoard(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, _ := join(t, h, "b", "alice", nil)
		// Two strokes of 40,960 points: a snapshot of about 330 kB (4
		// bytes a point), past the loading notice's 256 KiB.
		pts := make([]canvas.Point, canvas.MaxPointsPerOp)
		for i := range pts {
			pts[i] = canvas.Point{X: 100, Y: int32(i % 7)}
		}
		var big [][]byte
		for n := range uint32(2) {
			s := stroke(n+1, canvas.MaxPointsPerOp)
			big = append(big, s[0])
			for range 19 {
				big = append(big, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts}))
			}
			big = append(big, s[1])
		}
		draw(r, alice, big)
		seq := alice.waitSeq(t, uint64(len(big))).seq()
		var joiners []*fakePeer
		for i := range 4 {
			draw(r, alice, strokes(uint32(10+i), 1))
			seq += 2
			p := newPeer(fmt.Sprintf("joiner %d", i))
			attach(t, h, "b", p, nil)
			joiners = append(joiners, p)
		}
		final := alice.waitSeq(t, seq).board
		for _, p := range joiners {
			sameBoard(t, p.name+"'s", p.waitSeq(t, seq).board, final)
			p.mu.Lock()
			first := p.frames[0]
			p.mu.Unlock()
			var types []byte
			var code canvas.NoticeCode
			if err := canvas.DecodeServerFrame(first, func(m *canvas.ServerMsg) error {
				types, code = append(types, m.Type), m.Notice.Code
				return nil
			}); err != nil || len(types) != 1 || types[0] != canvas.MsgNotice || code != canvas.NoticeLoading {
				t.Fatalf("%s's first frame holds messages %x (notice %d), want the loading notice alone", p.name, types, code)
			}
		}
	})
}

// A Hello naming an author this board never handed out (a forged id) is
// given a new one; one claiming a sequence number past the board's head
// gets the board as a snapshot.
func TestHelloClaimingMoreThanTheBoardHasGetsAFreshStart(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		draw(r, alice, strokes(1, 2))
		board := alice.waitSeq(t, 4).board
		for _, tc := range []struct {
			hello     canvas.Hello
			has       bool // the client has the board at hello.LastSeq
			snapshots int
		}{
			{canvas.Hello{Version: canvas.Version, Epoch: wa.Epoch, LastSeq: 4, Author: 1000}, true, 0},
			{canvas.Hello{Version: canvas.Version, Epoch: wa.Epoch, LastSeq: 99}, false, 1},
		} {
			p := newPeer(fmt.Sprintf("hello %+v", tc.hello))
			if tc.has {
				p.board = board.Clone()
			}
			attach(t, h, "b", p, &tc.hello)
			w := p.welcome(t)
			v := p.waitSeq(t, 4)
			if w.Author == tc.hello.Author || w.Author == wa.Author || w.Applied != 0 || v.snapshots != tc.snapshots {
				t.Fatalf("%s: welcome %+v with %d snapshots, want a new author and %d snapshots", p.name, w, v.snapshots, tc.snapshots)
			}
			sameBoard(t, p.name, v.board, board)
		}
	})
}
