package room

import (
	"fmt"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// hello is a new person's Hello with color (alpha 0: asks for one).
func hello(who string, color uint32) *canvas.Hello {
	return &canvas.Hello{Version: canvas.Version, Name: who, Color: color}
}

// colorOf returns author's presence color as p sees it.
func colorOf(t *testing.T, p *fakePeer, author uint32) uint32 {
	t.Helper()
	v := p.waitFor(t, fmt.Sprintf("person %d", author), func(v *peerView) bool { _, ok := v.people[author]; return ok })
	return v.people[author].Color
}

func TestRoomHandsOutTheLeastUsedColorAndKeepsAPickedOne(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, _, _ := newTestHub(t, shared, nil)
		pc := canvas.PersonColors
		ask := func(c uint32) uint32 { return c &^ 0xff }
		r, alice, wa := join(t, h, "b", "alice", hello("alice", canvas.ColorAsk))
		// Bob prefers alice's color: taken, so the least used, first in the palette.
		_, bob, wb := join(t, h, "b", "bob", hello("bob", ask(pc[0])))
		// Carol picked bob's color by hand: she keeps it.
		_, carol, wc := join(t, h, "b", "carol", hello("carol", pc[1]))
		// Dave prefers a free color: he gets it.
		_, dave, wd := join(t, h, "b", "dave", hello("dave", ask(pc[5])))
		// Erin prefers nothing: the least used, first in the palette.
		_, erin, we := join(t, h, "b", "erin", hello("erin", canvas.ColorAsk))
		// A viewer (view link) gets a color too, marked as a viewer's.
		viewer := newPeer("vic")
		viewer.viewer = true
		attach(t, h, "b", viewer, hello("vic", ask(pc[2])))
		wv := viewer.welcome(t)
		want := map[uint32]uint32{wa.Author: pc[0], wb.Author: pc[1], wc.Author: pc[1], wd.Author: pc[5], we.Author: pc[2], wv.Author: pc[3] &^ 0xff}
		for _, p := range []*fakePeer{alice, bob, carol, dave, erin, viewer} {
			for a, c := range want {
				if got := colorOf(t, p, a); got != c {
					t.Errorf("%s sees person %d in %#08x, want %#08x", p.name, a, got, c)
				}
			}
		}
		// A rename keeps a handed-out color; a color picked later is kept.
		r.Rename(bob, &canvas.Name{Name: "Bob B.", Color: canvas.ColorAsk})
		alice.waitFor(t, "bob's new name", func(v *peerView) bool { return v.people[wb.Author].Name == "Bob B." })
		if got := colorOf(t, alice, wb.Author); got != pc[1] {
			t.Errorf("bob renamed is %#08x, want his color %#08x kept", got, pc[1])
		}
		r.Rename(erin, &canvas.Name{Name: "erin", Color: pc[0]})
		alice.waitFor(t, "erin's picked color", func(v *peerView) bool { return v.people[we.Author].Color == pc[0] })
		// Alice leaves: her color is the least used again (with erin's
		// old one), and the first in the palette goes to the next.
		leave(h, r, "b", alice)
		_, frank, wf := join(t, h, "b", "frank", hello("frank", canvas.ColorAsk))
		if got := colorOf(t, frank, wf.Author); got != pc[2] {
			t.Errorf("frank got %#08x, want %#08x (fewest: %#08x none, %#08x erin left it)", got, pc[2], pc[2], pc[0])
		}
	})
}

// Two replicas that hand out a color at the same moment, each not yet
// knowing the other's newcomer, settle as soon as they hear of each other:
// the smaller author keeps the color, the other moves.
func TestColorsHandedOutOnTwoReplicasAtOnceSettleApart(t *testing.T) {
	hs, bus, _, _ := replicaHubs(t, 3, nil)
	bus.mute(1)
	bus.mute(2)
	_, alice, wa := join(t, hs[0], "b", "alice", hello("alice", canvas.ColorAsk))
	_, bob, wb := join(t, hs[1], "b", "bob", hello("bob", canvas.ColorAsk))
	pc := canvas.PersonColors
	if a, b := colorOf(t, alice, wa.Author), colorOf(t, bob, wb.Author); a != pc[0] || b != pc[0] {
		t.Fatalf("apart, alice got %#08x and bob %#08x; want both %#08x", a, b, pc[0])
	}
	bus.unmute(1)
	bus.unmute(2)
	// Carol's replica opens the board and asks: the others answer to
	// every replica, and so hear of each other.
	_, carol, wc := join(t, hs[2], "b", "carol", hello("carol", canvas.ColorAsk))
	authors := []uint32{wa.Author, wb.Author, wc.Author}
	for _, p := range []*fakePeer{alice, bob, carol} {
		v := p.waitFor(t, "three people in three colors", func(v *peerView) bool {
			seen := map[uint32]bool{}
			for _, a := range authors {
				q, ok := v.people[a]
				if !ok || seen[q.Color] {
					return false
				}
				seen[q.Color] = true
			}
			return true
		})
		if c := v.people[wa.Author].Color; c != pc[0] {
			t.Errorf("%s sees alice (the first author) in %#08x, want her color %#08x kept", p.name, c, pc[0])
		}
	}
}

// When every color is already shared, hearing of the people on another
// replica moves nobody, and tells nobody anything: a move would only
// trade one clash for another (or land on the same color), and each one
// told to everyone made a crowd of thousands reconnecting hear its roster
// again and again, one Presence per person per newcomer.
func TestEveryColorSharedNobodyMovesOrIsToldAgain(t *testing.T) {
	hs, bus, _, _ := replicaHubs(t, 3, nil)
	bus.mute(1)
	bus.mute(2)
	// Each replica hands out every color once, each not knowing the other's.
	for i := range canvas.PersonColors {
		join(t, hs[0], "b", fmt.Sprintf("a%d", i), hello(fmt.Sprintf("a%d", i), canvas.ColorAsk))
		join(t, hs[1], "b", fmt.Sprintf("b%d", i), hello(fmt.Sprintf("b%d", i), canvas.ColorAsk))
	}
	bus.unmute(1)
	bus.unmute(2)
	n := 2*len(canvas.PersonColors) + 1
	_, carol, _ := join(t, hs[2], "b", "carol", hello("carol", canvas.ColorAsk))
	carol.waitFor(t, "everyone", func(v *peerView) bool { return len(v.people) == n })
	time.Sleep(500 * time.Millisecond) // what would be told again, told
	v := carol.waitFor(t, "the people", func(*peerView) bool { return true })
	told := map[uint32][]uint32{}
	for _, p := range v.presence {
		told[p.Author] = append(told[p.Author], p.Color)
	}
	// A newcomer is told twice (in its room's first frame and as the
	// room's news); before, carol was told again for every batch of news.
	for a, cs := range told {
		if len(cs) > 2 {
			t.Errorf("%s (author %d) told %d times (colors %#08x) on a board where every color is shared", v.people[a].Name, a, len(cs), cs)
		}
	}
	uses := map[uint32]int{}
	for _, p := range v.people {
		uses[p.Color]++
	}
	for _, c := range canvas.PersonColors {
		if uses[c] < 2 || uses[c] > 3 {
			t.Errorf("%#08x shown by %d of %d people, want 2 or 3", c, uses[c], n)
		}
	}
}
