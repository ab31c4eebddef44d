package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// People whose color is not picked (a client's Color 0 asks) get the least
// used colors of the palette from the server, distinct while the palette
// lasts; a picked color is kept as sent, even when someone shows it.
func TestJoinersGetDistinctColorsAndAPickedOneIsKept(t *testing.T) {
	ts := startServer(t, t.TempDir())
	room := roomName(t)
	pc := canvas.PersonColors
	var cs []*client.Client
	for _, name := range []string{"A", "B", "C"} {
		cs = append(cs, join(t, ts, room, name, canvas.ColorAsk))
	}
	picker := join(t, ts, room, "D", pc[1])
	cs = append(cs, picker)
	want := map[uint32]uint32{cs[0].Author(): pc[0], cs[1].Author(): pc[1], cs[2].Author(): pc[2], picker.Author(): pc[1]}
	for _, c := range cs {
		waitColors(t, c, want)
	}
}

// Across two replicas the server counts everyone on the board: people
// joining through either get distinct colors.
func TestRedisJoinersOnTwoReplicasGetDistinctColors(t *testing.T) {
	rs := replicas(t, redistest.Shared(t), 2)
	room := roomName(t)
	var cs []*client.Client
	for i, name := range []string{"A", "B", "C"} {
		cs = append(cs, join(t, rs[i%2], room, name, canvas.ColorAsk))
	}
	ctx := ctxT(t)
	pc := canvas.PersonColors
	for _, c := range cs {
		for {
			seen := map[uint32]bool{}
			people := c.People()
			for _, o := range cs {
				if p, ok := people[o.Author()]; ok {
					seen[p.Color] = true
				}
			}
			if len(seen) == len(cs) {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("%d sees %v: want three people in three colors", c.Author(), people)
			case <-time.After(10 * time.Millisecond):
			}
		}
		if got := c.People()[cs[0].Author()].Color; got != pc[0] {
			t.Errorf("%d sees A, the first, in %#x; want %#x", c.Author(), got, pc[0])
		}
	}
}

// join connects a client named name with color (alpha 0: asks for one).
func join(t *testing.T, ts *testServer, room, name string, color uint32) *client.Client {
	t.Helper()
	c := client.New(ts.wsURL(room), client.Options{Name: name, Color: color})
	if err := c.Connect(ctxT(t)); err != nil {
		t.Fatalf("%s connect: %v", name, err)
	}
	t.Cleanup(c.Close)
	return c
}

// waitColors waits until c sees every author of want in its color.
func waitColors(t *testing.T, c *client.Client, want map[uint32]uint32) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		people := c.People()
		ok := true
		for a, color := range want {
			if people[a].Color != color {
				ok = false
			}
		}
		if ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d sees %v; want colors %v", c.Author(), people, want)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
