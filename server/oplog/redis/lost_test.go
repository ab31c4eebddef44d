package redis

import (
	"context"
	"errors"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
)

// Batches published out of order are not taken for numbers seen twice;
// a batch reusing any number already published is.
func TestPublishedNumbersTellReorderFromReuse(t *testing.T) {
	var n numbers
	for _, r := range [][2]uint64{{10, 12}, {16, 17}, {13, 15}, {20, 20}, {18, 19}} {
		if !n.add(r[0], r[1]) {
			t.Fatalf("%v taken for numbers seen twice", r)
		}
	}
	if n.contig != 20 || len(n.ranges) != 0 {
		t.Fatalf("contig %d, ranges %v; want 20 and none", n.contig, n.ranges)
	}
	for _, r := range [][2]uint64{{20, 22}, {5, 5}, {19, 19}} {
		if n.add(r[0], r[1]) {
			t.Errorf("%v reuses published numbers but was taken", r)
		}
	}
	n.add(30, 31)
	if n.add(31, 33) || n.add(28, 30) {
		t.Error("a batch overlapping a range above the hole was taken")
	}
	if !n.add(21, 29) {
		t.Error("the hole's batch was refused")
	}
	// A hole never filled is given up after maxRanges ranges.
	for i := range uint64(maxRanges + 1) {
		n.add(100+2*i, 100+2*i)
	}
	if n.contig < 100 {
		t.Errorf("contig %d: the hole before 100 is never given up", n.contig)
	}
}

// nopListener takes every batch.
type nopListener struct{}

func (nopListener) Published(uint64, uint64, []canvas.SeqOp) bool { return true }
func (nopListener) Resync()                                       {}

// A log that comes back behind what a replica saw of a board (Redis lost
// its last ops: a failover, or an append-only file a second behind) gives
// the board a new epoch, once, whether a submit or a read finds it out:
// the replica's room reopens it instead of numbering ops again under
// numbers its pages already hold.
func TestRedisLogBehindWhatWasSeenStartsANewEpoch(t *testing.T) {
	ctx := context.Background()
	for _, via := range []string{"submit", "since"} {
		t.Run(via, func(t *testing.T) {
			l := testLog(t, 3)
			room := "lost" + randomHex()
			st, err := l.Open(ctx, room)
			if err != nil {
				t.Fatal(err)
			}
			l.Watch(room, nopListener{})
			t.Cleanup(func() { l.Unwatch(room, nopListener{}) })
			if res := oplogtest.Submit(l, room, st.Epoch, oplogtest.Ends(1, 0, 5)...); res.Err != nil {
				t.Fatal(res.Err)
			}
			// Redis loses ops 4 and 5, as a replica promoted before it had
			// them would.
			meta, lg, applied, _, _ := roomKeys(room)
			if err := l.rdb.HSet(ctx, meta, "seq", 3).Err(); err != nil {
				t.Fatal(err)
			}
			l.rdb.XDel(ctx, lg, "4-1", "5-1")
			l.rdb.HSet(ctx, applied, "1", 3)
			switch via {
			case "submit":
				res := oplogtest.Submit(l, room, st.Epoch, oplogtest.Ends(2, 0, 1)...)
				if !errors.Is(res.Err, oplog.ErrEpoch) {
					t.Fatalf("submit to a log behind what was seen: %v, want oplog.ErrEpoch", res.Err)
				}
			case "since":
				if _, _, err := l.Since(ctx, room, st.Epoch, 6); !errors.Is(err, oplog.ErrEpoch) {
					t.Fatalf("since past the head: %v, want oplog.ErrEpoch", err)
				}
			}
			again, err := l.Open(ctx, room)
			if err != nil {
				t.Fatal(err)
			}
			if again.Epoch == st.Epoch {
				t.Fatal("the board kept its epoch")
			}
			if len(again.Ops) != 3 {
				t.Errorf("the new epoch holds %d ops, want the 3 that survived", len(again.Ops))
			}
			if again.Authors < authorGap {
				t.Errorf("authors %d: ids of the lost part could be handed out again", again.Authors)
			}
			// A second replica finding the same out does not change it again.
			if err := l.rebirth(ctx, room, st.Epoch, 5); !errors.Is(err, oplog.ErrEpoch) {
				t.Fatal(err)
			}
			if third, _ := l.Open(ctx, room); third.Epoch != again.Epoch {
				t.Error("a second rebirth from the old epoch changed the new one")
			}
		})
	}
}
