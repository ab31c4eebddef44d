package room

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// Ops another replica numbered reach this room's people through the
// log's publications; one that never arrives (pub/sub lost it) leaves a
// gap, which the room repairs from the log: nothing is lost, nothing
// drawn twice, and everyone sees the other replica's ops in its order.
// (Only a log shared by replicas publishes.)
func TestGapInPublishedOpsIsRepairedFromTheLog(t *testing.T) {
	h, l, _ := newTestHub(t, true, nil)
	_, alice, _ := join(t, h, "b", "alice", nil)
	_, bob, _ := join(t, h, "b", "bob", nil)
	other := l.newAuthorAs(t, "b")
	e, f1, b1 := l.appendAs(t, "b", other, strokes(1, 1))
	_, f2, b2 := l.appendAs(t, "b", other, strokes(2, 2))
	_, f3, b3 := l.appendAs(t, "b", other, strokes(4, 1))
	if !l.publish("b", e, f1, b1) {
		t.Fatal("the room refused a batch with room in its inbox")
	}
	alice.waitSeq(t, 2)
	// b2 is lost on its way.
	l.publish("b", e, f3, b3)
	want := strokes(1, 4)
	for _, p := range []*fakePeer{alice, bob} {
		v := p.waitSeq(t, 8)
		if !sameOps(v.opsBy(other), want) || len(v.ops) != 8 {
			t.Fatalf("%s saw %d ops, want the other replica's 8 in its order", p.name, len(v.ops))
		}
	}
	// The lost batch comes late after all: nothing is drawn twice.
	l.publish("b", e, f2, b2)
	// Carol's Hello is handled after it: once she is welcomed, whatever
	// the late batch made the room send has been sent.
	if _, _, w := join(t, h, "b", "carol", nil); w.Head != 8 {
		t.Fatalf("carol welcomed at head %d, want 8", w.Head)
	}
	sameBoard(t, "after a late batch", alice.view().board, bob.view().board)
	if v := alice.view(); len(v.ops) != 8 || v.seq() != 8 {
		t.Fatalf("alice at seq %d with %d ops after the late batch, want 8", v.seq(), len(v.ops))
	}
}

// An op of alice's that another replica numbered already (her old
// connection's, sent there before she came here) and that she resends
// here is skipped by the log: it is drawn once, whichever of the two
// reaches this room first, and what she draws after it is numbered next.
func TestResendOfAnOpNumberedElsewhereIsSkipped(t *testing.T) {
	for _, publishFirst := range []bool{false, true} {
		name := map[bool]string{false: "resend first", true: "publication first"}[publishFirst]
		t.Run(name, func(t *testing.T) {
			h, l, _ := newTestHub(t, true, nil)
			r, alice, wa := join(t, h, "b", "alice", nil)
			_, bob, _ := join(t, h, "b", "bob", nil)
			ops := strokes(1, 2)
			draw(r, alice, ops[:2])
			bob.waitSeq(t, 2)
			// Her old connection's Begin, numbered by another replica.
			e, first, batch := l.appendAs(t, "b", wa.Author, ops[2:3])
			if publishFirst {
				l.publish("b", e, first, batch)
				bob.waitSeq(t, 3)
			}
			submits := l.submitCount()
			draw(r, alice, ops[2:3]) // the resend: index 2 again
			if !publishFirst {
				// The log skipped it; its publication comes after.
				l.waitFor(t, "the resend submitted", func() bool { return l.submits > submits })
				l.publish("b", e, first, batch)
			}
			draw(r, alice, ops[3:])
			for _, p := range []*fakePeer{alice, bob} {
				v := p.waitSeq(t, 4)
				if !sameOps(v.opsBy(wa.Author), ops) || len(v.ops) != 4 {
					t.Fatalf("%s saw %d ops of alice's, want each of her 4 once", p.name, len(v.opsBy(wa.Author)))
				}
			}
			if got := l.head("b"); got != 4 {
				t.Fatalf("log head %d, want 4", got)
			}
		})
	}
}

// While the log fails, drawing pauses: everyone is told (NoticePaused),
// and a newcomer too; what people draw meanwhile is kept, and when the log
// is back everyone is told (NoticeResumed) and sees every op once.
func TestLogFailurePausesDrawingAndKeepsEveryOp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		shared  bool
		hold    bool // the log's Submit waits out the failure (the local log retries its store)
		notices bool // people are told drawing paused and resumed
	}{
		{name: "shared log fails", shared: true, notices: true},
		{name: "solo log retries", shared: false, hold: true},
		{name: "solo log fails", shared: false, notices: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, l, _ := newTestHub(t, tc.shared, nil)
			r, alice, wa := join(t, h, "b", "alice", nil)
			_, bob, _ := join(t, h, "b", "bob", nil)
			draw(r, alice, strokes(1, 1))
			bob.waitSeq(t, 2)
			l.fail(errors.New("log unreachable"), tc.hold)
			drawn := strokes(2, 3)
			draw(r, alice, drawn)
			if tc.notices {
				alice.waitNotice(t, canvas.NoticePaused)
				bob.waitNotice(t, canvas.NoticePaused)
				// A newcomer is told too.
				_, carol, _ := join(t, h, "b", "carol", nil)
				carol.waitNotice(t, canvas.NoticePaused)
			} else {
				l.waitFor(t, "a submit", func() bool { return l.submits >= 2 })
			}
			if v := bob.view(); v.seq() != 2 {
				t.Fatalf("bob saw seq %d while the log was down: ops sent before they were kept", v.seq())
			}
			l.recover()
			for _, p := range []*fakePeer{alice, bob} {
				v := p.waitSeq(t, 8)
				if !sameOps(v.opsBy(wa.Author), append(strokes(1, 1), drawn...)) {
					t.Fatalf("%s did not see each of alice's ops once, in order", p.name)
				}
				if tc.notices {
					p.waitNotice(t, canvas.NoticeResumed)
				}
			}
			sameBoard(t, "after the log came back", alice.view().board, bob.view().board)
			if got := l.head("b"); got != 8 {
				t.Fatalf("log holds %d ops, want 8", got)
			}
		})
	}
}

// A board whose log does not answer when it opens turns people away (a
// shared log: CloseTryAgain; a log of its own: CloseInternal, today) and
// lets them in once the log is back (a shared log's
// room retries at the next Hello; a solo room, failed for good, once it
// has closed, empty, and opens again).
func TestBoardOpeningWhileTheLogIsDown(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, m := newTestHub(t, shared, func(c *config.Config) { c.RoomIdle = 10 * time.Millisecond })
		l.fail(errors.New("log unreachable"), false)
		alice := newPeer("alice")
		attach(t, h, "b", alice, nil)
		// Either code tells the client to come back later; which one a
		// kind of log gets is not this test's business.
		if code, _ := alice.waitClosed(t); code != canvas.CloseTryAgain && code != canvas.CloseInternal {
			t.Fatalf("turned away with %d, want %d or %d", code, canvas.CloseTryAgain, canvas.CloseInternal)
		}
		if v := alice.view(); len(v.welcomes) != 0 {
			t.Fatal("welcomed to a board that could not open")
		}
		l.recover()
		var bob *fakePeer
		var r *Room
		for attempt := 1; ; attempt++ {
			bob = newPeer(fmt.Sprintf("bob, attempt %d", attempt))
			r = attach(t, h, "b", bob, nil)
			if v := bob.waitFor(t, "welcome or close", func(v *peerView) bool { return v.closed || len(v.welcomes) > 0 }); !v.closed {
				break
			}
			if attempt == 2 {
				t.Fatal("turned away again once the log was back and the board had closed")
			}
			// The board failed for good: it closes once empty.
			waitUntil(t, "the failed board closed", func() bool { return h.OpenRoom("b") == nil && gauge(m.RoomsClosing) == 0 })
		}
		draw(r, bob, strokes(1, 1))
		bob.waitSeq(t, 2)
	})
}

// Ops drawn while the log fails are never lost, even if everyone leaves
// and the board closes before the log is back: what the log did not take
// was never acknowledged, so the client still has it, and resends it from
// the index its next Welcome gives when it comes back.
func TestOpsDrawnWhileTheLogFailsSurviveTheBoardClosing(t *testing.T) {
	for _, tc := range []struct {
		name         string
		shared, hold bool
	}{{"shared log fails", true, false}, {"solo log retries", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			h, l, m := newTestHub(t, tc.shared, func(c *config.Config) { c.RoomIdle = 10 * time.Millisecond })
			r, alice, wa := join(t, h, "b", "alice", nil)
			drawn := strokes(1, 4)
			draw(r, alice, drawn[:2])
			alice.waitSeq(t, 2)
			l.fail(errors.New("log unreachable"), tc.hold)
			draw(r, alice, drawn[2:])
			if tc.shared {
				alice.waitNotice(t, canvas.NoticePaused)
			} else {
				l.waitFor(t, "a submit", func() bool { return l.submits >= 2 })
			}
			alice2, hello := alice.reconnected("alice again")
			acked := len(alice.view().opsBy(wa.Author))
			leave(h, r, "b", alice)
			if tc.shared {
				// The board closes without the log.
				waitUntil(t, "the board closed", func() bool { return h.OpenRoom("b") == nil && gauge(m.RoomsClosing) == 0 })
			}
			l.recover()
			waitUntil(t, "the board closed", func() bool { return h.OpenRoom("b") == nil && gauge(m.RoomsClosing) == 0 })
			r2 := attach(t, h, "b", alice2, &hello)
			w := alice2.welcome(t)
			if w.Applied < uint64(acked) || w.Applied > uint64(len(drawn)) {
				t.Fatalf("welcome %+v: applied must count the %d ops she saw acknowledged, and at most the %d she drew", w, acked, len(drawn))
			}
			draw(r2, alice2, drawn[w.Applied:]) // what a client resends
			_, bob, _ := join(t, h, "b", "bob", nil)
			v := bob.waitSeq(t, uint64(len(drawn)))
			if got := v.board.Author(wa.Author).Applied; got != uint64(len(drawn)) || len(v.board.Strokes()) != 4 {
				t.Fatalf("bob sees %d of alice's ops and %d strokes, want %d and 4", got, len(v.board.Strokes()), len(drawn))
			}
			sameBoard(t, "after she came back", alice2.waitSeq(t, uint64(len(drawn))).board, v.board)
		})
	}
}

// Someone drawing more while the log fails than the room holds for it
// (20,000 ops) is either held back (its sends wait) or told to come back
// later (CloseTryAgain); either way nothing is lost: coming back, it
// resends from its Welcome's count and every op is on the board once.
func TestDrawingPastWhatTheRoomHoldsWhileTheLogFails(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 ops")
	}
	for _, tc := range []struct {
		name         string
		shared, hold bool
	}{{"shared log fails", true, false}, {"solo log retries", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			h, l, _ := newTestHub(t, tc.shared, nil)
			r, alice, wa := join(t, h, "b", "alice", nil)
			_, bob, _ := join(t, h, "b", "bob", nil)
			ops := make([][]byte, 20100)
			for i := range ops {
				ops[i] = canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd})
			}
			l.fail(errors.New("log unreachable"), tc.hold)
			var sent atomic.Int32
			done := make(chan struct{})
			go func() {
				defer close(done)
				for _, op := range ops {
					r.Op(alice, op)
					sent.Add(1)
				}
			}()
			waitUntil(t, "20,000 ops sent", func() bool { return sent.Load() >= 20000 })
			l.recover()
			<-done
			if v := alice.waitFor(t, "every op, or a close", func(v *peerView) bool {
				return v.closed || v.seq() >= uint64(len(ops))
			}); v.closed {
				if code, _ := alice.waitClosed(t); code != canvas.CloseTryAgain {
					t.Fatalf("closed with %d, want %d", code, canvas.CloseTryAgain)
				}
				alice2, hello := alice.reconnected("alice again")
				leave(h, r, "b", alice)
				r2 := attach(t, h, "b", alice2, &hello)
				w := alice2.welcome(t)
				draw(r2, alice2, ops[w.Applied:])
			}
			v := bob.waitSeq(t, uint64(len(ops)))
			if got := v.board.Author(wa.Author).Applied; got != uint64(len(ops)) || v.seq() != uint64(len(ops)) {
				t.Fatalf("bob sees %d of alice's ops at seq %d, want %d", got, v.seq(), len(ops))
			}
		})
	}
}
