package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// startRedisReplica starts a replica in Redis mode on redisURL.
func startRedisReplica(t *testing.T, redisURL string) string {
	t.Helper()
	return startApp(t, &config.Config{RedisURL: redisURL, DataDir: t.TempDir(), RoomIdle: time.Minute})
}

// roomFor returns a board name of its own for this run: the shared Redis
// may hold boards of other tests and runs.
func roomFor(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

// waitWithin is waitFor with a deadline of its own.
func (p *person) waitWithin(what, js string, d time.Duration) {
	p.t.Helper()
	p.run("wait for "+what, chromedp.Poll(js, nil, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d)))
}

// sameBoard fails the test unless every page holds the board x holds.
func sameBoard(t *testing.T, x *person, others ...*person) {
	t.Helper()
	var want string
	x.eval(`window.sketchpad.boardHex()`, &want)
	if len(want) < 100 {
		t.Fatalf("the board holds no stroke (%d hex chars)", len(want))
	}
	for i, o := range others {
		var got string
		o.eval(`window.sketchpad.boardHex()`, &got)
		if got != want {
			t.Fatalf("page %d holds a different board (%d vs %d hex chars)", i+2, len(got), len(want))
		}
	}
}

// pausedShownJS is a page expression: the page says drawing is paused, in
// its API and in a status indicator a person can see.
const pausedShownJS = `(() => {
	if (!window.sketchpad.paused()) return false;
	const el = document.querySelector('[data-testid="status"]');
	if (!el || !el.textContent.startsWith('Drawing paused')) return false;
	const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
	return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight &&
		r.left >= 0 && r.right <= innerWidth && cs.visibility !== 'hidden' && cs.display !== 'none';
})()`

func TestADragOnOneReplicaAppearsOnAnother(t *testing.T) {
	redisURL := redistest.Shared(t)
	r1, r2 := startRedisReplica(t, redisURL), startRedisReplica(t, redisURL)
	room := roomFor(t, "e2e-replicas")
	a, b := newPerson(t, "A"), newPerson(t, "B")
	a.open(r1 + "/b/" + room)
	b.open(r2 + "/b/" + room)

	dragAndSeeOn(t, a, b) // B is on the other replica
	sameBoard(t, a, b)
}

func TestDrawingPausesWhileRedisIsDownAndResumesWhenItIsBack(t *testing.T) {
	rs := redistest.Start(t, redistest.Options{AOF: true})
	base := startRedisReplica(t, rs.URL())
	url := base + "/b/" + roomFor(t, "e2e-paused")
	a := newPerson(t, "A")
	a.open(url)
	a.waitFor("A unpaused", `!window.sketchpad.paused()`)

	// A first stroke while Redis is up: stored before Redis goes away.
	a.drag(wave(30))
	a.waitFor("the first stroke acknowledged", `window.sketchpad.pendingOps() === 0 && window.sketchpad.seq() > 2`)

	rs.Stop()
	path := wave(60)
	for i := range path {
		path[i][1] -= 150 // a second stroke, above the first
	}
	mid := path[30]
	a.drag(path)
	a.waitWithin("A to show that drawing is paused", pausedShownJS, 15*time.Second)
	var pending int
	a.eval(`window.sketchpad.pendingOps()`, &pending)
	if pending == 0 {
		t.Fatal("paused, yet the stroke drawn meanwhile is acknowledged")
	}
	var status string
	a.eval(`window.sketchpad.status()`, &status)
	if status != "live" {
		t.Errorf("status() = %q while paused; want live (the connection is fine, the storage is not)", status)
	}
	if !a.inkAt(mid[0], mid[1]) {
		t.Error("the stroke drawn while paused is not shown on A's canvas")
	}
	if dir := os.Getenv("SKETCHPAD_E2E_SHOTS"); dir != "" {
		a.screenshot(dir + "/paused.png")
	}

	rs.Restart(t)
	a.waitWithin("the pause to clear and A's stroke to be acknowledged",
		`!window.sketchpad.paused() && window.sketchpad.pendingOps() === 0 && !window.sketchpad.statusText().startsWith('Drawing paused')`,
		15*time.Second)
	var seqA int
	a.eval(`window.sketchpad.seq()`, &seqA)

	b := newPerson(t, "B")
	b.open(url)
	b.waitFor("B to load the board", `window.sketchpad.seq() >= `+itoa(seqA))
	b.waitFor("the stroke drawn while paused on B's canvas", inkJS(mid[0], mid[1]))
	sameBoard(t, a, b)
}
