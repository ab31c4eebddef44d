package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/client"
)

var modMeta = regexp.MustCompile(`<meta name="sketchpad-mod-link" content="/b/(m\.[A-Za-z0-9_-]+)">`)

// modID reads the moderator link an edit page offers for room.
func modID(t *testing.T, ts *testServer, room string) string {
	t.Helper()
	code, page, _ := get(t, ts.URL+"/b/"+room)
	m := modMeta.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("edit page (%d) offers no moderator link", code)
	}
	return m[1]
}

func visibleCount(b *canvas.Board) int {
	n := 0
	for _, s := range b.Strokes() {
		if s.Visible() {
			n++
		}
	}
	return n
}

// A moderator link is sealed like a view link: it names the board without
// giving its name away, a view link is none, and only an edit page offers
// it. Over it a connection may remove someone's work and undo that; over
// the board's name (an editor) the same op is refused with a Notice 403,
// an End numbered in its place, and the board is unchanged.
func TestOnlyAModeratorLinkRemovesSomeonesWork(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ctx := ctxT(t)
	room := "moderated-board"
	mod := modID(t, ts, room)
	if strings.Contains(mod, room) || mod == modID(t, ts, "another-board") || modID(t, ts, room) != mod {
		t.Fatalf("moderator id %q gives the board away, is shared or changes", mod)
	}
	view := viewID(t, ts, room)
	if code, _, _ := get(t, ts.URL+"/b/m."+strings.TrimPrefix(view, "v.")); code != 404 {
		t.Fatalf("a view id passed off as a moderator id: %d, want 404", code)
	}
	if _, page, _ := get(t, ts.URL+"/b/"+view); modMeta.MatchString(page) {
		t.Fatal("a view page offers the moderator link")
	}
	if _, page, _ := get(t, ts.URL+"/b/"+mod); !strings.Contains(page, `name="sketchpad-moderator"`) {
		t.Fatal("a moderator page does not say it moderates")
	}

	a := connect(t, ts, room, "A")
	troll := connect(t, ts, room, "troll")
	m := client.New(ts.wsURL(mod), client.Options{Name: "mod"})
	if err := m.Connect(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	if _, err := a.Stroke(1, 4, spiral(10, 0), 4); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := troll.Stroke(2, 4, spiral(10, float64(i+1)), 4); err != nil {
			t.Fatal(err)
		}
	}
	converge(t, ctx, a, troll, m)

	// An editor may not.
	_ = a.Send(&canvas.Op{Type: canvas.OpRemove, Stroke: 100, Sweep: canvas.StrokeID{Author: troll.Author()}})
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, troll, m)
	if !hasNotice(a, canvas.NoticeForbidden) || hasNotice(troll, canvas.NoticeForbidden) || visibleCount(m.Board()) != 4 {
		t.Fatalf("an editor's removal: told %v, %d strokes shown, want it refused and 4", hasNotice(a, canvas.NoticeForbidden), visibleCount(m.Board()))
	}
	// The moderator may, and undoes it; the troll cannot undo it.
	_ = m.Send(&canvas.Op{Type: canvas.OpRemove, Stroke: 1, Sweep: canvas.StrokeID{Author: troll.Author()}})
	if err := m.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, troll, m)
	if n := visibleCount(a.Board()); n != 1 {
		t.Fatalf("after the removal A sees %d strokes, want its own 1", n)
	}
	_ = troll.Send(&canvas.Op{Type: canvas.OpUnsweep, Sweep: canvas.StrokeID{Author: m.Author(), N: 1}})
	if err := troll.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, troll, m)
	if n := visibleCount(a.Board()); n != 1 || !hasNotice(troll, canvas.NoticeForbidden) {
		t.Fatalf("the troll undid the removal: %d strokes shown", n)
	}
	_ = m.Send(&canvas.Op{Type: canvas.OpUnsweep, Sweep: canvas.StrokeID{Author: m.Author(), N: 1}})
	if err := m.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, a, troll, m)
	if n := visibleCount(a.Board()); n != 4 {
		t.Fatalf("after the moderator's undo A sees %d strokes, want 4", n)
	}
}

// An embed token with can "moderate" moderates; one with "draw" does not.
func TestAModerateTokenModerates(t *testing.T) {
	ts := embedServer(t)
	ctx := ctxT(t)
	modTok := mint(t, ts, server.TokenRequest{Board: "embedded-mod", Can: access.CanModerate, Name: "Host mod"})
	drawTok := mint(t, ts, server.TokenRequest{Board: "embedded-mod", Can: access.CanDraw})
	board := strings.TrimPrefix(strings.SplitN(modTok.Embed, "?", 2)[0], "/embed/")
	_, page, _ := get(t, ts.URL+modTok.Embed)
	if !strings.Contains(page, `name="sketchpad-moderator"`) {
		t.Error("the embed page of a moderate token does not say it moderates")
	}
	d, err := tokenClient(t, ts, board, drawTok.Token, "drawer")
	if err != nil {
		t.Fatal(err)
	}
	mc, err := tokenClient(t, ts, board, modTok.Token, "mod")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Stroke(1, 4, spiral(10, 0), 4); err != nil {
		t.Fatal(err)
	}
	_ = d.Send(&canvas.Op{Type: canvas.OpRemove, Stroke: 9, Sweep: canvas.StrokeID{Author: d.Author()}})
	// The stroke is numbered before the moderator's Remove is sent: ops of
	// two connections have no order of their own.
	if err := d.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	_ = mc.Send(&canvas.Op{Type: canvas.OpRemove, Stroke: 1, Sweep: canvas.StrokeID{Author: d.Author()}})
	if err := mc.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	converge(t, ctx, d, mc)
	if !hasNotice(d, canvas.NoticeForbidden) || hasNotice(mc, canvas.NoticeForbidden) || visibleCount(d.Board()) != 0 {
		t.Fatalf("draw token told %v, moderate token told %v, %d strokes shown", hasNotice(d, canvas.NoticeForbidden), hasNotice(mc, canvas.NoticeForbidden), visibleCount(d.Board()))
	}
}

// A client that sends a Purge (numbered by servers only) or version 3's
// clear without a number is closed as malformed: neither reaches the board.
func TestAPurgeOrAnUnnumberedClearFromAClientIsMalformed(t *testing.T) {
	ts := startServer(t, t.TempDir())
	for name, frame := range map[string][]byte{
		"purge":            canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: 1, Width: 1, Points: []canvas.Point{{}}, Purge: true}),
		"unnumbered clear": {byte(canvas.OpClear)},
	} {
		c := connect(t, ts, "hostile", name)
		_ = c.SendRaw(frame)
		if code, reason, err := c.WaitClosed(ctxT(t)); err != nil || code != uint16(canvas.CloseMalformed) {
			t.Errorf("%s: close %d %q %v, want %d", name, code, reason, err, uint16(canvas.CloseMalformed))
		}
	}
}
