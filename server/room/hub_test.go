package room

import (
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
)

// Who is on the board: a newcomer is announced, a new name is sent to
// everyone, and someone leaving is announced as gone.
func TestPresenceJoinRenameLeave(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, wb := join(t, h, "b", "bob", nil)
		alice.waitFor(t, "bob's presence", func(v *peerView) bool { return hasPresence(v.presence, wb.Author, "bob") })
		r.Rename(alice, &canvas.Name{Name: "Alice B.", Color: 0x336699ff})
		bob.waitFor(t, "alice's new name", func(v *peerView) bool {
			for _, p := range v.presence {
				if p.Author == wa.Author && p.Name == "Alice B." && p.Color == 0x336699ff {
					return true
				}
			}
			return false
		})
		leave(h, r, "b", alice)
		bob.waitFor(t, "alice leaving", func(v *peerView) bool {
			for _, a := range v.leaves {
				if a == wa.Author {
					return true
				}
			}
			return false
		})
	})
}

// A connection that closed before its Hello was handled takes no place on
// the board: nothing is sent to it, and the board, empty, still closes.
func TestConnectionGoneBeforeItsHelloTakesNoPlace(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, m := newTestHub(t, shared, func(c *config.Config) { c.RoomIdle = 10 * time.Millisecond })
		gone := newPeer("gone")
		gone.Close(canvas.CloseAbnormal, "connection lost")
		r := attach(t, h, "b", gone, nil)
		r.Leave(gone) // its session's close, which may come first
		waitUntil(t, "the empty board closed", func() bool {
			return h.OpenRoom("b") == nil && gauge(m.Rooms) == 0 && gauge(m.RoomsClosing) == 0
		})
		if v := gone.view(); v.frames != 0 {
			t.Fatalf("a closed connection was sent %d frames", v.frames)
		}
	})
}

// At its most boards (MaxRooms) a replica closes the board nobody has
// been on for longest to open another, storing it first (it opens again
// with everything); only when every board has someone on it is a new one
// refused.
func TestMostBoardsEvictsAnEmptyOneOrRefuses(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, m := newTestHub(t, shared, func(c *config.Config) { c.MaxRooms, c.MaxRoomsPerIP = 2, 2 })
		ra, alice, _ := join(t, h, "a", "alice", nil)
		rb, bob, _ := join(t, h, "b", "bob", nil)
		draw(rb, bob, strokes(1, 2))
		before := bob.waitSeq(t, 4).board
		leave(h, rb, "b", bob)
		// Once the room has handled bob's leave, b is evicted for c.
		rc, carol := acquireWhenRoom(t, h, "c", "carol")
		if got := gauge(m.Rooms); got != 2 {
			t.Fatalf("%v boards open, want 2", got)
		}
		if r, why := h.Acquire("d", nil); r != nil || why == "" {
			t.Fatal("a board opened past MaxRooms with someone on every board")
		}
		leave(h, ra, "a", alice)
		_, dave := acquireWhenRoom(t, h, "b", "dave") // a is evicted, b opens again
		sameBoard(t, "the evicted board opened again", dave.waitSeq(t, 4).board, before)
		draw(rc, carol, strokes(1, 1))
		carol.waitSeq(t, 2)
	})
}

// acquireWhenRoom attaches a newcomer to board name as soon as the hub
// has room for it (a leave is handled by the room's loop, after Leave
// returns) and waits for its Welcome.
func acquireWhenRoom(t *testing.T, h *Hub, name, who string) (*Room, *fakePeer) {
	t.Helper()
	var r *Room
	waitUntil(t, "room for board "+name, func() bool { r, _ = h.Acquire(name, nil); return r != nil })
	p := newPeer(who)
	r.Join(p, &canvas.Hello{Version: canvas.Version, Name: who})
	p.welcome(t)
	return r, p
}

// testAddr is a client address for MaxRoomsPerIP.
type testAddr struct {
	name   string
	shared bool
}

func (a *testAddr) Shared() bool { return a.shared }

// One address may be on at most MaxRoomsPerIP boards at once (a shared
// address, the overflow entry of many, is not limited); leaving one lets
// it open another.
func TestBoardsPerAddress(t *testing.T) {
	h, _, _ := newTestHub(t, false, func(c *config.Config) { c.MaxRoomsPerIP = 2 })
	ip, many := &testAddr{name: "192.0.2.1"}, &testAddr{name: "overflow", shared: true}
	for _, name := range []string{"a", "b", "a"} {
		if r, why := h.Acquire(name, ip); r == nil {
			t.Fatalf("board %s refused: %s", name, why)
		}
	}
	if r, why := h.Acquire("c", ip); r != nil || why == "" {
		t.Fatal("a third board opened for an address limited to 2")
	}
	for _, name := range []string{"c", "d", "e"} {
		if r, _ := h.Acquire(name, many); r == nil {
			t.Fatalf("board %s refused to a shared address", name)
		}
	}
	h.Left("b", ip)
	if r, why := h.Acquire("c", ip); r == nil {
		t.Fatalf("board c refused after leaving b: %s", why)
	}
}

// Every way a connection ends gives up its place on the board exactly
// once: replaced by a newer connection of its author, turned away at the
// board's most people, or leaving. So once the last person has left, the
// board closes after RoomIdle, and not before.
func TestEveryWayOfLeavingLetsTheBoardClose(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, m := newTestHub(t, shared, func(c *config.Config) {
			c.MaxRoomClients, c.RoomIdle = 2, 10*time.Millisecond
		})
		closed := func() bool { return h.OpenRoom("b") == nil && gauge(m.Rooms) == 0 && gauge(m.RoomsClosing) == 0 }
		r, alice, _ := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		carol := newPeer("carol")
		attach(t, h, "b", carol, nil)
		carol.waitClosed(t) // turned away: the board has its most people
		leave(h, r, "b", carol)
		leave(h, r, "b", bob)
		alice2, hello := alice.reconnected("alice again")
		attach(t, h, "b", alice2, &hello)
		alice2.welcome(t)
		alice.waitClosed(t) // replaced
		leave(h, r, "b", alice)
		// alice2 is still on the board: it stays open.
		draw(r, alice2, strokes(1, 1))
		alice2.waitSeq(t, 2)
		if closed() {
			t.Fatal("the board closed with someone on it")
		}
		leave(h, r, "b", alice2)
		waitUntil(t, "the board closed", closed)
	})
}

// A person whose connection dropped without the server noticing yet
// comes back to a board at its most people: the new connection replaces
// the old one, which held the person's place, rather than being turned
// away as one person too many.
func TestReconnectOnABoardAtItsMostPeople(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, func(c *config.Config) { c.MaxRoomClients = 2 })
		r, alice, wa := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		alice2, hello := alice.reconnected("alice again")
		attach(t, h, "b", alice2, &hello)
		if w := alice2.welcome(t); w.Author != wa.Author {
			t.Fatalf("welcome %+v, want author %d", w, wa.Author)
		}
		if code, _ := alice.waitClosed(t); code != canvas.CloseReplaced {
			t.Fatalf("the old connection closed with %d, want %d", code, canvas.CloseReplaced)
		}
		leave(h, r, "b", alice)
		draw(r, alice2, strokes(1, 1))
		bob.waitSeq(t, 2)
	})
}
