package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// People on one board connected to different replicas see each other as
// if they were on one: who is there (names and colors), cursors, laser
// trails, views and who edits which text, through Redis, never stored. The
// same table runs on a Redis Cluster (relay_cluster_test.go).

func TestRedisPeopleOnDifferentReplicasSeeEachOther(t *testing.T) {
	rs := replicas(t, redistest.Shared(t), 2)
	seeEachOther(t, rs)
}

func TestRedisPeopleOfADeadReplicaDisappear(t *testing.T) {
	url := redistest.Shared(t)
	deadReplicaPeopleGo(t, url, replicas(t, url, 1)[0])
}

func TestRedisReplicaClosingABoardSaysItsPeopleLeft(t *testing.T) {
	closingSaysLeft(t, replicas(t, redistest.Shared(t), 2))
}

// closingSaysLeft: B's replica shuts down; A, on the other, sees B leave
// at once, not only after the expiry.
func closingSaysLeft(t *testing.T, rs []*testServer) {
	room := roomName(t)
	ctx := ctxT(t)
	a := connect(t, rs[0], room, "A")
	b := connect(t, rs[1], room, "B")
	waitPerson(t, ctx, a, b.Author(), "B")
	// Shutting down tells the clients to go elsewhere; B's page would
	// come back through another replica, this one does not come back.
	start := time.Now()
	rs[1].stop(t)
	waitGone(t, ctx, a, b.Author())
	if d := time.Since(start); d > relayExpiry/2 {
		t.Errorf("B disappeared %v after its replica shut down: the replica did not say so, A waited for the expiry", d)
	}
}

// relayExpiry is how long a replica not heard from keeps its people on
// the others with the test replicas' --sync-interval of 200ms: three
// and a half announcements of 3 intervals each (server/room/remote.go).
const relayExpiry = 2100 * time.Millisecond

func seeEachOther(t *testing.T, rs []*testServer) {
	room := roomName(t)
	ctx := ctxT(t)
	a := client.New(rs[0].wsURL(room), client.Options{Name: "A", Color: 0xe03131ff})
	b := client.New(rs[1].wsURL(room), client.Options{Name: "B", Color: 0x1971c2ff})
	for _, c := range []*client.Client{a, b} {
		if err := c.Connect(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
	}
	// Each sees the other, with the name and the color the other picked
	// (kept as sent: colors_test.go has the colors the server hands out).
	waitPerson(t, ctx, a, b.Author(), "B")
	waitPerson(t, ctx, b, a.Author(), "A")
	if p := a.People()[b.Author()]; p.Color != 0x1971c2ff {
		t.Errorf("A sees B's color as %#x, want %#x", p.Color, 0x1971c2ff)
	}
	if p := b.People()[a.Author()]; p.Color != 0xe03131ff {
		t.Errorf("B sees A's color as %#x, want %#x", p.Color, 0xe03131ff)
	}

	// Cursors, both ways.
	if err := b.SendCursor(51, -7); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitCursor(ctx, b.Author(), 51, -7); err != nil {
		t.Fatalf("A never saw B's cursor: %v", err)
	}
	if err := a.SendCursor(3, 4); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitCursor(ctx, a.Author(), 3, 4); err != nil {
		t.Fatalf("B never saw A's cursor: %v", err)
	}
	// A laser trail and a view (follow the leader).
	trail := []canvas.Cursor{{X: 1, Y: 1}, {X: 5, Y: 2}, {X: 9, Y: 4}}
	if err := a.SendLaser(trail...); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitLaser(ctx, a.Author(), trail...); err != nil {
		t.Fatalf("B never saw A's laser: %v", err)
	}
	view := canvas.View{X: -120, Y: 40, W: 800, H: 600}
	if err := b.SendView(view); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitView(ctx, b.Author(), view); err != nil {
		t.Fatalf("A never saw B's view: %v", err)
	}
	// A text A wrote, which B opens for typing: A sees the claim.
	if err := a.SendRaw(canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpText, Stroke: 1, Color: 0xff, Width: 20, Points: []canvas.Point{{X: 0, Y: 0}}, Text: "hi"})); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	text := canvas.StrokeID{Author: a.Author(), N: 1}
	if err := b.WaitSeq(ctx, a.Seq()); err != nil {
		t.Fatal(err)
	}
	if err := b.SendEditing(text); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitEditing(ctx, b.Author(), text); err != nil {
		t.Fatalf("A never saw that B edits the text: %v", err)
	}

	// Late joiners on either replica get everyone, and the claim, in
	// their first frames.
	for i, ts := range rs[:2] {
		late := connect(t, ts, room, "late"+itoa(i))
		wctx, cancel := context.WithTimeout(ctx, time.Second)
		if err := late.WaitPeople(wctx, 3+i); err != nil {
			t.Errorf("a late joiner on replica %d sees %d people, want %d: %v", i+1, len(late.People()), 3+i, err)
		}
		if err := late.WaitEditing(wctx, b.Author(), text); err != nil {
			t.Errorf("a late joiner on replica %d was not told that B edits the text: %v", i+1, err)
		}
		cancel()
	}
	for _, c := range []*client.Client{a, b} {
		if err := c.WaitPeople(ctx, 4); err != nil {
			t.Fatalf("%v", err)
		}
	}

	// B stops editing and leaves: A sees both.
	if err := b.SendEditing(canvas.StrokeID{}); err != nil {
		t.Fatal(err)
	}
	if err := a.WaitEditing(ctx, b.Author(), canvas.StrokeID{}); err != nil {
		t.Fatalf("A still sees B editing: %v", err)
	}
	b.Close()
	waitGone(t, ctx, a, b.Author())
}

// deadReplicaPeopleGo: a person on a replica process killed without a
// word (SIGKILL) disappears from the people on another replica (ts)
// within the expiry, and A's cursor no longer has anyone to show it to.
func deadReplicaPeopleGo(t *testing.T, redisURL string, ts *testServer) {
	p := replicaProcess(t, redisURL)
	room := roomName(t)
	ctx := ctxT(t)
	a := connect(t, ts, room, "A")
	b := client.New("ws"+p.url[len("http"):]+"/ws/"+room, client.Options{Name: "B"})
	if err := b.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	waitPerson(t, ctx, a, b.Author(), "B")
	waitPerson(t, ctx, b, a.Author(), "A")
	p.proc.Kill()
	start := time.Now()
	waitGone(t, ctx, a, b.Author())
	if d := time.Since(start); d > relayExpiry+time.Second {
		t.Errorf("B disappeared %v after its replica died, want within %v", d, relayExpiry)
	}
}

// waitPerson waits until c sees author, named name, on the board.
func waitPerson(t *testing.T, ctx context.Context, c *client.Client, author uint32, name string) {
	t.Helper()
	for {
		if p, ok := c.People()[author]; ok && p.Name == name {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d never saw %s (author %d); sees %v", c.Author(), name, author, c.People())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitGone waits until c no longer sees author.
func waitGone(t *testing.T, ctx context.Context, c *client.Client, author uint32) {
	t.Helper()
	for {
		if _, ok := c.People()[author]; !ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d still sees author %d: %v", c.Author(), author, c.People())
		case <-time.After(10 * time.Millisecond):
		}
	}
}
