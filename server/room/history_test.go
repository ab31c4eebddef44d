package room

import (
	"testing"

	"github.com/sketchpad/sketchpad/server/oplog"
)

// The board before a clear is a version in its history, marked by the
// room whose submit numbered the clear.
func TestAClearMarksTheBoardBeforeItAsAVersion(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		r, alice, _ := join(t, h, "b", "alice", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		draw(r, alice, strokes(1, 2)) // ops 1..4
		draw(r, alice, [][]byte{clearOp()})
		bob.waitSeq(t, 5)
		l.waitFor(t, "the clear's version", func() bool {
			for _, m := range l.marks {
				if m.room == "b" && m.kind == oplog.KindClear && m.seq == 4 {
					return true
				}
			}
			return false
		})
	})
}

// The board before a moderator's removal of someone's work is a version
// too; a removal the room refused (not a moderator's) marks nothing.
func TestAModeratorsRemovalMarksTheBoardBeforeItAsAVersion(t *testing.T) {
	eachMode(t, func(t *testing.T, shared bool) {
		h, l, _ := newTestHub(t, shared, nil)
		r, troll, wt := join(t, h, "b", "troll", nil)
		_, bob, _ := join(t, h, "b", "bob", nil)
		mod := newPeer("mod")
		mod.moderator = true
		attach(t, h, "b", mod, nil)
		mod.welcome(t)
		draw(r, troll, strokes(1, 2))                     // 1..4
		draw(r, bob, [][]byte{removeOp(1, wt.Author, 0)}) // 5: refused, an End
		draw(r, mod, [][]byte{removeOp(1, wt.Author, 0)}) // 6
		bob.waitSeq(t, 6)
		removal := func(seq uint64) bool { // l.mu must be held
			for _, m := range l.marks {
				if m.room == "b" && m.kind == oplog.KindRemoval && m.seq == seq {
					return true
				}
			}
			return false
		}
		l.waitFor(t, "the removal's version", func() bool { return removal(5) })
		l.mu.Lock()
		refused := removal(4)
		l.mu.Unlock()
		if refused {
			t.Error("the refused removal marked a version")
		}
	})
}
