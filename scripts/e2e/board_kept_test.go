package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// keptBoardJS reads the board this browser keeps for the page's board in
// IndexedDB (page/board_cache.ts): its seq and its bytes in base64, or
// null while none is kept.
const keptBoardJS = `new Promise((resolve) => {
	const q = indexedDB.open('sketchpad');
	q.onerror = () => resolve(null);
	q.onsuccess = () => {
		const db = q.result;
		if (!db.objectStoreNames.contains('boards')) { db.close(); return resolve(null); }
		const g = db.transaction('boards').objectStore('boards').get(location.pathname.split('/').pop());
		g.onerror = () => { db.close(); resolve(null); };
		g.onsuccess = () => {
			db.close();
			const r = g.result;
			if (!r) return resolve(null);
			let s = '';
			for (let i = 0; i < r.board.length; i += 8192) s += String.fromCharCode(...r.board.subarray(i, i + 8192));
			resolve({Seq: r.seq, B64: btoa(s)});
		};
	};
})`

// While a page stays open, what it keeps on this device (for a board link
// opened offline, or before the room's snapshot arrives) catches up with
// the board within seconds, without waiting for the page to be closed,
// and is exactly the board: the same bytes as the board another client
// holds at that sequence number. A board of 1,500 strokes is encoded in
// several steps over the page's idle time; a stroke drawn meanwhile
// starts the save again, never mixing two boards.
func TestAnOpenPageKeepsExactlyTheBoardWhileItChanges(t *testing.T) {
	// A builder faster than a person may draw.
	base := startApp(t, &config.Config{DataDir: t.TempDir(), RateDraw: 100000})
	room := "e2e-kept"
	p := newPerson(t, "P")
	p.open(base + "/b/" + room)
	p.waitFor("the room", `window.sketchpad.status() === 'live'`)

	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws/" + room
	c := client.New(ws, client.Options{Name: "builder", NoLog: true})
	t.Cleanup(c.Close)
	r := rand.New(rand.NewPCG(8, 1))
	draw := func(n int) {
		t.Helper()
		err := withTimeout(60*time.Second, func(ctx context.Context) error {
			for range n {
				if _, err := c.Stroke(0x1e1e1eff, 6, strokeWithin(r, 20, 0, 0, 3000, 2000), 20); err != nil {
					return err
				}
			}
			return c.WaitAcked(ctx)
		})
		if err != nil {
			t.Fatalf("drawing: %v", err)
		}
		p.waitFor("the page has the board", `window.sketchpad.seq() >= `+itoa(int(c.Seq())))
	}
	if err := withTimeout(10*time.Second, c.Connect); err != nil {
		t.Fatal(err)
	}
	// Drawn in two parts, the second while the first may be being kept.
	draw(1000)
	time.Sleep(1500 * time.Millisecond)
	draw(500)

	want := c.BoardBytes()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var kept *struct {
			Seq int
			B64 string
		}
		p.evalAsync(keptBoardJS, &kept)
		if kept != nil && uint64(kept.Seq) == c.Seq() {
			got, err := base64.StdEncoding.DecodeString(kept.B64)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("the board kept at seq %d is %d bytes that differ from the board's canonical encoding (%d bytes)", kept.Seq, len(got), len(want))
			}
			return
		}
		if time.Now().After(deadline) {
			seq := -1
			if kept != nil {
				seq = kept.Seq
			}
			t.Fatalf("30 s after the last stroke the page keeps the board at seq %d; the board is at %d", seq, c.Seq())
		}
		time.Sleep(200 * time.Millisecond)
	}
}
