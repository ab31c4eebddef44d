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
