package room

import (
	"bytes"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The people of a board on several replicas (remote.go), with hubs that
// share one fake log, each through a relayLog that relays to the others
// as the Redis log does.

// fakeBus is the relay the replicas of a test share.
type fakeBus struct {
	mu    sync.Mutex
	rooms map[string]map[uint64]oplog.Listener // by room, by replica
	muted map[uint64]bool                      // replicas whose news is lost
	sent  []relayKind                          // every message's kind, in order
}

// relayLog is one replica's view of the shared fake log and bus.
type relayLog struct {
	*fakeLog
	id  uint64
	bus *fakeBus
}

var _ oplog.Relay = (*relayLog)(nil)

func (l *relayLog) Watch(room string, ln oplog.Listener) {
	l.fakeLog.Watch(room, ln)
	l.bus.mu.Lock()
	if l.bus.rooms[room] == nil {
		l.bus.rooms[room] = make(map[uint64]oplog.Listener)
	}
	l.bus.rooms[room][l.id] = ln
	l.bus.mu.Unlock()
	ln.Resync() // as Redis confirms a subscription
}

func (l *relayLog) Unwatch(room string, ln oplog.Listener) {
	l.fakeLog.Unwatch(room, ln)
	l.bus.mu.Lock()
	if l.bus.rooms[room][l.id] == ln {
		delete(l.bus.rooms[room], l.id)
	}
	l.bus.mu.Unlock()
}

func (l *relayLog) Relay(room string, msg []byte) {
	l.bus.mu.Lock()
	defer l.bus.mu.Unlock()
	l.bus.sent = append(l.bus.sent, relayKind(msg[0]))
	if l.bus.muted[l.id] {
		return
	}
	for id, ln := range l.bus.rooms[room] {
		if id != l.id {
			ln.(oplog.RelayListener).Relayed(l.id, bytes.Clone(msg))
		}
	}
}

// mute loses every message replica id sends from now on, as if it died.
func (b *fakeBus) mute(id uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.muted[id] = true
}

// unmute lets replica id's messages through again.
func (b *fakeBus) unmute(id uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.muted, id)
}

func (b *fakeBus) kinds() []relayKind {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]relayKind(nil), b.sent...)
}

// replicaHubs returns n hubs over one shared fake log, relaying through
// one bus, and the hubs' metrics.
func replicaHubs(t *testing.T, n int, set func(*config.Config)) ([]*Hub, *fakeBus, *fakeLog, []*metrics.Metrics) {
	t.Helper()
	l := newFakeLog(true)
	bus := &fakeBus{rooms: make(map[string]map[uint64]oplog.Listener), muted: make(map[uint64]bool)}
	var hs []*Hub
	var ms []*metrics.Metrics
	for i := range n {
		m := metrics.New()
		h := NewHub(testConfig(set), &relayLog{fakeLog: l, id: uint64(i + 1), bus: bus}, slog.New(slog.DiscardHandler), m)
		t.Cleanup(h.Close)
		hs, ms = append(hs, h), append(ms, m)
	}
	return hs, bus, l, ms
}

func (p *fakePeer) waitPerson(t *testing.T, author uint32, here bool) peerView {
	t.Helper()
	what := map[bool]string{true: "person arriving", false: "person leaving"}[here]
	return p.waitFor(t, what, func(v *peerView) bool { _, ok := v.people[author]; return ok == here })
}

func TestPeopleOnAnotherReplicaAreSeenWithTheirCursorsAndClaims(t *testing.T) {
	hs, _, _, _ := replicaHubs(t, 2, nil)
	r1, alice, wa := join(t, hs[0], "b", "alice", nil)
	r2, bob, wb := join(t, hs[1], "b", "bob", nil)
	alice.waitPerson(t, wb.Author, true)
	if v := bob.waitPerson(t, wa.Author, true); v.people[wa.Author].Name != "alice" {
		t.Fatalf("bob sees alice as %+v", v.people[wa.Author])
	}

	r2.Cursor(bob, canvas.Cursor{X: 12, Y: 34})
	alice.waitFor(t, "bob's cursor", func(v *peerView) bool {
		for _, c := range v.cursors {
			if c == (canvas.AuthorCursor{Author: wb.Author, X: 12, Y: 34}) {
				return true
			}
		}
		return false
	})
	text := canvas.StrokeID{Author: wa.Author, N: 1}
	r2.Editing(bob, text)
	alice.waitFor(t, "bob's claim", func(v *peerView) bool { return v.editors[wb.Author] == text })
	r2.Rename(bob, &canvas.Name{Name: "Bob B.", Color: 0x2f9e44ff})
	alice.waitFor(t, "bob's new name", func(v *peerView) bool { return v.people[wb.Author].Name == "Bob B." })

	// A late joiner on alice's replica gets everyone and the claim in
	// its first frame.
	_, carol, wc := join(t, hs[0], "b", "carol", nil)
	v := carol.view()
	if len(v.people) != 3 || v.people[wb.Author].Name != "Bob B." || v.editors[wb.Author] != text {
		t.Fatalf("carol's first frame: people %v, editors %v; want alice, Bob B. and carol, and bob's claim", v.people, v.editors)
	}
	bob.waitPerson(t, wc.Author, true)

	leave(hs[1], r2, "b", bob)
	alice.waitPerson(t, wb.Author, false)
	if v := carol.waitPerson(t, wb.Author, false); v.editors[wb.Author] != (canvas.StrokeID{}) {
		t.Fatalf("bob's claim outlived him: %v", v.editors)
	}
	_ = r1
}

// One author on two replicas at once (a page reconnected elsewhere
// before its old connection was noticed dead) is on the board until both
// connections left.
func TestSameAuthorOnTwoReplicasStaysUntilBothLeft(t *testing.T) {
	hs, _, _, _ := replicaHubs(t, 2, nil)
	r1, alice, wa := join(t, hs[0], "b", "alice", nil)
	_, bob, wb := join(t, hs[0], "b", "bob", nil)
	alice2, again := alice.reconnected("alice")
	r2 := attach(t, hs[1], "b", alice2, &again)
	if w2 := alice2.welcome(t); w2.Author != wa.Author {
		t.Fatalf("alice resumed as %d, want %d", w2.Author, wa.Author)
	}
	// Wait until replica 1 heard of alice on replica 2 (a cursor of
	// hers from there reaches bob).
	// Replica 2 knows replica 1 once alice there sees bob (until then
	// it has no one to relay her news to).
	alice2.waitPerson(t, wb.Author, true)
	r2.Cursor(alice2, canvas.Cursor{X: 1, Y: 2})
	bob.waitFor(t, "alice's cursor from replica 2", func(v *peerView) bool { return len(v.cursors) > 0 })

	leave(hs[1], r2, "b", alice2)
	// Dave's join is relayed after alice's leave there: once bob sees
	// dave, his replica has heard that she left replica 2.
	_, _, wd := join(t, hs[1], "b", "dave", nil)
	if v := bob.waitPerson(t, wd.Author, true); len(v.leaves) != 0 {
		t.Fatalf("bob was told that %v left while alice is still on his replica", v.leaves)
	}
	leave(hs[0], r1, "b", alice)
	if v := bob.waitPerson(t, wa.Author, false); len(v.leaves) != 1 {
		t.Fatalf("bob was told %v left, want alice once", v.leaves)
	}
}

// A replica that closes the board says so: its people leave the others'
// lists at once (no expiry could have done it: it is an hour here).
func TestReplicaClosingTheBoardSaysItsPeopleLeft(t *testing.T) {
	hs, _, _, _ := replicaHubs(t, 2, func(c *config.Config) { c.SyncInterval = time.Hour })
	_, alice, _ := join(t, hs[0], "b", "alice", nil)
	_, _, wb := join(t, hs[1], "b", "bob", nil)
	alice.waitPerson(t, wb.Author, true)
	hs[1].Close()
	alice.waitPerson(t, wb.Author, false)
}

// A replica not heard from (dead, or cut off from Redis) loses its people
// on the others once its announcements stop.
func TestReplicaNotHeardFromLosesItsPeople(t *testing.T) {
	hs, bus, _, _ := replicaHubs(t, 2, func(c *config.Config) { c.SyncInterval = 5 * time.Millisecond })
	_, alice, wa := join(t, hs[0], "b", "alice", nil)
	_, bob, wb := join(t, hs[1], "b", "bob", nil)
	alice.waitPerson(t, wb.Author, true)
	bob.waitPerson(t, wa.Author, true)
	bus.mute(2)
	alice.waitPerson(t, wb.Author, false)
	// Bob is still on the board for those on his replica, and they still
	// see alice, whose replica goes on announcing her.
	if v := bob.view(); len(v.people) != 2 {
		t.Fatalf("bob sees %v, want himself and alice", v.people)
	}
}

// A board open on one replica only relays nothing but its ask: news cost
// Redis nothing until another replica opens the board.
func TestBoardOnOneReplicaRelaysNothingButItsAsk(t *testing.T) {
	hs, bus, _, _ := replicaHubs(t, 1, nil)
	r, alice, _ := join(t, hs[0], "b", "alice", nil)
	_, bob, _ := join(t, hs[0], "b", "bob", nil)
	r.Cursor(alice, canvas.Cursor{X: 5, Y: 5})
	r.Editing(alice, canvas.StrokeID{Author: 1, N: 1})
	bob.waitFor(t, "alice's cursor", func(v *peerView) bool { return len(v.cursors) > 0 })
	// Welcomed after the cursor went out: every flush before it ran.
	join(t, hs[0], "b", "carol", nil)
	if k := bus.kinds(); !reflect.DeepEqual(k, []relayKind{relayAsk}) {
		t.Fatalf("relayed %v, want only the ask at opening", k)
	}
}

// A malformed message from another replica is dropped whole and
// counted; the room goes on.
func TestBadRelayedMessageIsDroppedAndCounted(t *testing.T) {
	hs, _, _, ms := replicaHubs(t, 1, nil)
	r, alice, _ := join(t, hs[0], "b", "alice", nil)
	good := canvas.AppendPresence([]byte{byte(relayNews)}, &canvas.Presence{Author: 900, Name: "x"})
	for _, bad := range [][]byte{
		{},
		{99},
		append([]byte{byte(relayNews)}, 0x83, 0x7f), // a Presence cut short
		append(bytes.Clone(good), canvas.AppendLeave(nil, 900)[:1]...),
		canvas.AppendOps([]byte{byte(relayNews)}, 1, nil), // ops never come this way
		{byte(relayBye), 0x84, 0x01, 0x05},
	} {
		r.Relayed(7, bad)
	}
	r.Relayed(8, good)
	v := alice.waitPerson(t, 900, true)
	if len(v.people) != 2 {
		t.Fatalf("alice sees %v: a bad message got through", v.people)
	}
	var m dto.Metric
	if err := ms[0].RelayDrops.Write(&m); err != nil {
		t.Fatal(err)
	}
	if n := m.GetCounter().GetValue(); n != 6 {
		t.Fatalf("relay drops counted %v, want 6", n)
	}
}

// FuzzDecodeRelay: whatever another replica sends, decoding never
// panics, and what decodes re-encodes to a message decoding the same.
func FuzzDecodeRelay(f *testing.F) {
	msg := canvas.AppendPresence([]byte{byte(relayFull)}, &canvas.Presence{Author: 3, Name: "ann", Color: 0xff})
	msg = canvas.AppendEditors(msg, []canvas.Editor{{Editor: 3, Text: canvas.StrokeID{Author: 1, N: 2}}})
	f.Add(msg)
	news := canvas.AppendCursors([]byte{byte(relayNews)}, []canvas.AuthorCursor{{Author: 3, X: -4, Y: 9}})
	news = canvas.AppendLasers(news, []canvas.AuthorLaser{{Author: 3, Points: []canvas.Cursor{{X: 1, Y: 1}}}})
	news = canvas.AppendViews(news, []canvas.AuthorView{{Author: 3, View: canvas.View{W: 10, H: 10}}})
	f.Add(canvas.AppendLeave(news, 4))
	f.Add([]byte{byte(relayBye)})
	f.Add([]byte{byte(relayAsk)})
	f.Fuzz(func(t *testing.T, p []byte) {
		m, err := decodeRelay(p, 16)
		if err != nil {
			return
		}
		again := encodeRelay(m)
		m2, err := decodeRelay(again, 16)
		if err != nil || !reflect.DeepEqual(m, m2) {
			t.Fatalf("%x decodes to %+v; its re-encoding %x to %+v (%v)", p, m, again, m2, err)
		}
	})
}

// encodeRelay encodes m as the rooms do (each list as one message).
func encodeRelay(m *relayMsg) []byte {
	b := []byte{byte(m.kind)}
	for i := range m.people {
		b = canvas.AppendPresence(b, &m.people[i])
	}
	for _, a := range m.leaves {
		b = canvas.AppendLeave(b, a)
	}
	if len(m.cursors) > 0 {
		b = canvas.AppendCursors(b, m.cursors)
	}
	if len(m.lasers) > 0 {
		b = canvas.AppendLasers(b, m.lasers)
	}
	if len(m.views) > 0 {
		b = canvas.AppendViews(b, m.views)
	}
	if len(m.editors) > 0 {
		b = canvas.AppendEditors(b, m.editors)
	}
	return b
}

// A quiet board open on two replicas parks on both, and its people stay
// on each other's lists however long it sleeps: the hub's ticker wakes
// it to announce them, and it parks again.
func TestQuietBoardOnTwoReplicasParksAndKeepsItsPeople(t *testing.T) {
	hs, _, _, ms := replicaHubs(t, 2, func(c *config.Config) {
		c.SyncInterval = 100 * time.Millisecond // announcements every 300 ms, expiry after 1.05 s
		c.RoomPark = 40 * time.Millisecond
		c.FlushInterval = 10 * time.Millisecond
	})
	_, alice, _ := join(t, hs[0], "b", "alice", nil)
	_, bob, wb := join(t, hs[1], "b", "bob", nil)
	alice.waitPerson(t, wb.Author, true)
	for i, m := range ms {
		waitGauge(t, m.RoomsParked, 1, "replica "+string(rune('1'+i))+"'s board parked")
	}
	// Many expiry periods of sleep.
	time.Sleep(3 * 1050 * time.Millisecond)
	if v := alice.view(); len(v.leaves) != 0 || len(v.people) != 2 {
		t.Fatalf("alice, on a parked board, sees %v and was told %v left; want bob still there", v.people, v.leaves)
	}
	if v := bob.view(); len(v.leaves) != 0 || len(v.people) != 2 {
		t.Fatalf("bob sees %v and was told %v left", v.people, v.leaves)
	}
	waitGauge(t, ms[0].RoomsParked, 1, "replica 1's board parked again")
}

// waitGauge waits until g reads want.
func waitGauge(t *testing.T, g interface{ Write(*dto.Metric) error }, want float64, what string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		var m dto.Metric
		if err := g.Write(&m); err != nil {
			t.Fatal(err)
		}
		if m.GetGauge().GetValue() == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, waitTimeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
