package room

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
)

// A quiet board parks (its loop gives up its goroutine: the parked-rooms
// gauge says so) and the next thing that happens on it wakes it, whatever
// it is: an op, a cursor, a newcomer, another replica's batch or the log's
// resync. Nothing that happens while it is parked is lost or late.
func TestParkedRoomWakesOnTheNextEventWithNothingLost(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, m := newTestHub(t, shared, func(c *config.Config) {
			c.FlushInterval, c.RoomPark = 2*time.Millisecond, 20*time.Millisecond
		})
		parked := func() { waitUntil(t, "the room parked", func() bool { return gauge(m.RoomsParked) == 1 }) }
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 1))
		bob.waitSeq(t, 2)

		parked()
		draw(r, alice, strokes(2, 1))
		bob.waitSeq(t, 4)

		parked()
		r.Cursor(alice, canvas.Cursor{X: 7, Y: 9})
		bob.waitFor(t, "alice's cursor", func(v *peerView) bool {
			for _, c := range v.cursors {
				if c.Author == wa.Author && c.X == 7 && c.Y == 9 {
					return true
				}
			}
			return false
		})

		parked()
		_, carol, w := join(t, h, "b", "carol", nil)
		if w.Head != 4 {
			t.Fatalf("carol welcomed at head %d, want 4", w.Head)
		}
		seq := uint64(4)
		if shared {
			other := l.newAuthorAs(t, "b")
			parked()
			e, f, b := l.appendAs(t, "b", other, strokes(1, 1))
			if !l.publish("b", e, f, b) {
				t.Fatal("a parked room refused a batch")
			}
			seq += 2
			bob.waitSeq(t, seq)

			parked()
			l.appendAs(t, "b", other, strokes(2, 1)) // its publication lost
			r.Resync()
			seq += 2
			bob.waitSeq(t, seq)
		}
		for _, p := range []*fakePeer{alice, bob, carol} {
			v := p.waitSeq(t, seq)
			if len(v.board.Strokes()) != int(seq/2) {
				t.Fatalf("%s sees %d strokes, want %d", p.name, len(v.board.Strokes()), seq/2)
			}
		}
		sameBoard(t, "carol's and alice's", carol.view().board, alice.view().board)
	})
}

// A board nobody is on closes RoomIdle after the last person left,
// storing what it holds; opened again, it has everything: a newcomer gets
// it all, and a returning client resumes where it was.
func TestIdleBoardClosesAndReopensWithEverything(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, m := newTestHub(t, shared, func(c *config.Config) { c.RoomIdle = 20 * time.Millisecond })
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 3))
		draw(r, bob, strokes(1, 2))
		before := alice.waitSeq(t, 10).board
		alice2, hello := alice.reconnected("alice again")
		leave(h, r, "b", alice)
		leave(h, r, "b", bob)
		waitUntil(t, "the board closed and stored", func() bool {
			return h.OpenRoom("b") == nil && gauge(m.Rooms) == 0 && gauge(m.RoomsClosing) == 0
		})
		if got := l.head("b"); got != 10 {
			t.Fatalf("the log holds %d ops of a closed board, want 10", got)
		}
		_, dave, _ := join(t, h, "b", "dave", nil)
		sameBoard(t, "a newcomer on the reopened board", dave.waitSeq(t, 10).board, before)
		r2 := attach(t, h, "b", alice2, &hello)
		if w := alice2.welcome(t); w.Author != wa.Author || w.Applied != 6 || w.Epoch != wa.Epoch {
			t.Fatalf("alice's welcome on the reopened board: %+v, want author %d, applied 6", w, wa.Author)
		}
		draw(r2, alice2, strokes(4, 1))
		sameBoard(t, "after drawing on the reopened board", alice2.waitSeq(t, 12).board, dave.waitSeq(t, 12).board)
	})
}

// Leaving and coming straight back, again and again, while the board
// closes behind each visit (it may still be storing when the next visit
// opens it again): every visit sees every op of the visits before.
func TestBoardReopenedWhileClosingKeepsEverything(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.RoomIdle = time.Millisecond })
		var seq uint64
		for i := range 15 {
			r, p, w := join(t, h, "b", "visitor", nil)
			if w.Head != seq {
				t.Fatalf("visit %d welcomed at head %d, want %d", i, w.Head, seq)
			}
			draw(r, p, strokes(uint32(i+1), 1))
			seq += 2
			if v := p.waitSeq(t, seq); len(v.board.Strokes()) != i+1 {
				t.Fatalf("visit %d sees %d strokes, want %d", i, len(v.board.Strokes()), i+1)
			}
			leave(h, r, "b", p)
		}
	})
}

// A server shutting down stores every board and tells everyone on it to
// reconnect (CloseGoingAway); the next server over the same log has
// everything.
func TestHubCloseStoresEverythingAndSendsPeopleAway(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		r, alice, _ := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 4))
		draw(r, bob, strokes(1, 4))
		h.Close()
		for _, p := range []*fakePeer{alice, bob} {
			if code, _ := p.waitClosed(t); code != canvas.CloseGoingAway {
				t.Fatalf("%s closed with %d, want %d", p.name, code, canvas.CloseGoingAway)
			}
		}
		if got := l.head("b"); got != 16 {
			t.Fatalf("the log holds %d ops after shutdown, want 16", got)
		}
		h2 := NewHub(testConfig(nil), l, slog.New(slog.DiscardHandler), metrics.New())
		t.Cleanup(h2.Close)
		_, carol, _ := join(t, h2, "b", "carol", nil)
		if v := carol.waitSeq(t, 16); len(v.board.Strokes()) != 8 {
			t.Fatalf("after a restart carol sees %d strokes, want 8", len(v.board.Strokes()))
		}
	})
}

// A picture of an open board (Peek) is the board as its people have it,
// and does not keep the board open: OpenRoom never opens one.
func TestPeekIsTheBoardAsItsPeopleHaveIt(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		if h.OpenRoom("b") != nil {
			t.Fatal("OpenRoom opened a board")
		}
		r, alice, _ := join(t, h, "b", "alice", nil)
		draw(r, alice, strokes(1, 3))
		b, ok, err := h.Peek(context.Background(), h.OpenRoom("b"))
		if err != nil || !ok {
			t.Fatalf("peek: %v, %v", ok, err)
		}
		sameBoard(t, "the picture", b, alice.waitSeq(t, 6).board)
	})
}

// gauge reads a gauge of the hub's metrics (what an operator sees).
func gauge(g prometheus.Gauge) float64 {
	var m dto.Metric
	if err := g.Write(&m); err != nil {
		panic(err)
	}
	return m.GetGauge().GetValue()
}
