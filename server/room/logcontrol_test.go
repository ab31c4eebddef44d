package room

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The fake log's controls: what a test does to the log (fail it, hold its
// answers) and what another replica sharing it does (reserve authors,
// number and publish ops, compact, lose the history).

// fail makes every call fail with err until recover; with hold, Submit
// waits instead (as the local log does while its store fails: it retries
// until the store takes the batch).
func (l *fakeLog) fail(err error, hold bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down, l.holdDown, l.up = err, hold, make(chan struct{})
}

// recover ends a failure.
func (l *fakeLog) recover() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = nil
	close(l.up)
	l.ring()
}

// hold makes Submit's replies wait until the returned release is called.
func (l *fakeLog) hold() (release func()) { return l.closeGate(&l.gate) }

// holdReplies makes Submit number and publish batches but hold its
// replies until the returned release is called: a replica's own ops back
// through pub/sub before the reply.
func (l *fakeLog) holdReplies() (release func()) { return l.closeGate(&l.replyGate) }

// holdOpen makes Open wait until the returned release is called.
func (l *fakeLog) holdOpen() (release func()) { return l.closeGate(&l.openGate) }

// closeGate sets *gate (one of the log's gates, guarded by l.mu) to a new
// closed gate; release opens it, once.
func (l *fakeLog) closeGate(gate *chan struct{}) (release func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := make(chan struct{})
	*gate = g
	return sync.OnceFunc(func() {
		l.mu.Lock()
		*gate = nil
		l.mu.Unlock()
		close(g)
	})
}

// waitFor waits until cond holds of the log (l.mu held while it runs).
func (l *fakeLog) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		l.mu.Lock()
		ok, ch := cond(), l.changed
		l.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("fake log: no %s within %v", what, waitTimeout)
		}
	}
}

// compactAs stores a snapshot of room at its head, as another replica
// does, and drops the ops it covers.
func (l *fakeLog) compactAs(t testing.TB, room string) {
	t.Helper()
	b := l.board(t, room)
	snap, _ := b.MarshalBinary()
	if err := l.Compact(context.Background(), room, b.Epoch, b.Seq, snap); err != nil {
		t.Fatal(err)
	}
}

// board returns room's board as the log holds it (what a client of
// another replica has).
func (l *fakeLog) board(t testing.TB, room string) *canvas.Board {
	t.Helper()
	l.mu.Lock()
	fr := l.rooms[room]
	st := &oplog.StoredRoom{Epoch: fr.epoch, Snapshot: fr.snap, Ops: fr.ops}
	l.mu.Unlock()
	b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lose makes the log lose room's history (a Redis flush): it starts again
// under a new epoch.
func (l *fakeLog) lose(room string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rooms[room] = &fakeRoom{epoch: oplog.NewEpoch(), applied: make(map[uint32]uint64)}
	l.ring()
}

// submitCount returns how many batches were submitted.
func (l *fakeLog) submitCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.submits
}

// epoch returns room's epoch in the log (0: never opened).
func (l *fakeLog) epoch(room string) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fr := l.rooms[room]; fr != nil {
		return fr.epoch
	}
	return 0
}

// head returns room's last sequence number.
func (l *fakeLog) head(room string) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fr := l.rooms[room]; fr != nil {
		return fr.seq
	}
	return 0
}

// newAuthorAs reserves an author id as another replica would.
func (l *fakeLog) newAuthorAs(t testing.TB, room string) uint32 {
	t.Helper()
	a, err := l.NewAuthors(context.Background(), room, l.epoch(room), 1)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// appendAs numbers ops of author (from its next index) as another
// replica's submit would, without publishing them, and returns the batch
// as the log publishes it.
func (l *fakeLog) appendAs(t testing.TB, room string, author uint32, ops [][]byte) (epoch, first uint64, batch []canvas.SeqOp) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.ring()
	fr := l.rooms[room]
	if fr == nil {
		t.Fatalf("fake log: %s never opened", room)
	}
	sub := make([]oplog.BatchOp, len(ops))
	for i, op := range ops {
		sub[i] = oplog.BatchOp{Author: author, Index: fr.applied[author] + uint64(i), Op: op}
	}
	res, first, batch := l.numberLocked(room, fr.epoch, sub)
	if res.Err != nil || len(batch) != len(ops) {
		t.Fatalf("fake log: append as %d: %+v", author, res)
	}
	return fr.epoch, first, batch
}

// publish hands a batch to the rooms watching room, as the log's
// subscriber does, and reports whether every one took it.
func (l *fakeLog) publish(room string, epoch, first uint64, batch []canvas.SeqOp) bool {
	l.mu.Lock()
	lns := slices.Clone(l.listeners[room])
	l.mu.Unlock()
	ok := true
	for _, ln := range lns {
		ok = ln.Published(epoch, first, slices.Clone(batch)) && ok
	}
	return ok
}
