package server_test

import (
	"bytes"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// waitParked waits until ts reports want parked rooms.
func waitParked(t *testing.T, ts *testServer, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := metric(t, ts, "sketchpad_rooms_parked")
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("sketchpad_rooms_parked is %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// roomLoops counts the goroutines running a room's loop in this process
// (the test's replicas run in it).
func roomLoops(t *testing.T) int {
	t.Helper()
	var b bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&b, 2); err != nil {
		t.Fatal(err)
	}
	return strings.Count(b.String(), "server.(*Room).loop(")
}

// A board whose people are all quiet parks: its room holds no goroutine.
// Whatever happens next wakes it: a stroke reaches the others, a late
// joiner gets the whole board, the SVG is drawn, and a restart while it is
// parked keeps every stroke.
func TestAQuietRoomParksAndWakesOnTheNextEvent(t *testing.T) {
	dir := t.TempDir()
	cfg := func() *config.Config {
		return &config.Config{DataDir: dir, RoomIdle: time.Minute, RoomPark: 50 * time.Millisecond}
	}
	ts := startWith(t, cfg())
	ctx := ctxT(t)
	a := connect(t, ts, "nap", "A")
	b := connect(t, ts, "nap", "B")
	drawSpirals(t, a, 2, 50, 4)
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	waitParked(t, ts, 1)
	// The parked loop's goroutine may still be returning.
	for deadline := time.Now().Add(5 * time.Second); roomLoops(t) != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d room loops run while the only room is parked", roomLoops(t))
		}
	}

	// A stroke wakes it and reaches the other person.
	if _, err := b.Stroke(9, 4, spiral(30, 7), 4); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitSeq(ctx, b.Seq()); err != nil {
		t.Fatal(err)
	}
	sameBoard(t, b.BoardBytes(), a)
	if n := len(a.Board().Strokes()); n != 3 {
		t.Fatalf("A sees %d strokes after the wake, want 3", n)
	}

	// Parked again, a late joiner gets the whole board.
	waitParked(t, ts, 1)
	c := connect(t, ts, "nap", "C")
	sameBoard(t, a.BoardBytes(), c)

	// Parked again, the SVG is drawn from the room.
	waitParked(t, ts, 1)
	if code, body, _ := get(t, ts.URL+"/b/nap.svg"); code != 200 || strings.Count(body, "<path") != 3 {
		t.Fatalf("SVG of a parked board: %d, %d paths, want 200 and 3", code, strings.Count(body, "<path"))
	}

	// A restart while parked: the hub's close wakes the room, which
	// stores what it holds and tells its people to reconnect.
	waitParked(t, ts, 1)
	want := a.BoardBytes()
	ts.stop(t)
	ts2 := startWith(t, cfg())
	d := connect(t, ts2, "nap", "D")
	sameBoard(t, want, d)
}

// In Redis mode a parked room is woken by what another replica publishes.
func TestRedisParkedRoomWakesOnAnotherReplicasStroke(t *testing.T) {
	url := redistest.Shared(t)
	start := func() *testServer {
		return startWith(t, &config.Config{RedisURL: url, RoomIdle: time.Minute, RoomPark: 50 * time.Millisecond, IPRateFactor: 1000})
	}
	r0, r1 := start(), start()
	room := roomName(t)
	ctx := ctxT(t)
	a := connect(t, r0, room, "A")
	b := connect(t, r1, room, "B")
	drawSpirals(t, a, 1, 40, 4)
	converge(t, ctx, a, b)
	waitParked(t, r0, 1)
	waitParked(t, r1, 1)
	if _, err := a.Stroke(5, 4, spiral(40, 3), 4); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, b)
	if n := len(b.Board().Strokes()); n != 2 {
		t.Fatalf("B sees %d strokes, want 2", n)
	}
}
