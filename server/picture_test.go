package server_test

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/redistest"
	bolt "go.etcd.io/bbolt"
)

// Pictures (/b/{room}.svg) read boards without opening them: over real
// HTTP, in embedded and Redis mode.

func randomNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		var b [8]byte
		_, _ = rand.Read(b[:])
		out[i] = prefix + hex.EncodeToString(b[:])
	}
	return out
}

// getAllEmpty requests the picture of every name from a few goroutines and
// fails the test on anything but the empty picture.
func getAllEmpty(t *testing.T, ts *testServer, names []string) {
	t.Helper()
	empty := string(canvas.NewBoard(0).SVG())
	var wg sync.WaitGroup
	var mu sync.Mutex
	bad := 0
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(names); i += 8 {
				resp, err := http.Get(ts.URL + "/b/" + names[i] + ".svg")
				if err != nil {
					t.Error(err)
					return
				}
				body, _ := readAll(resp)
				if resp.StatusCode != http.StatusOK || string(body) != empty || resp.Header.Get("ETag") == "" {
					mu.Lock()
					if bad++; bad == 1 {
						t.Errorf("picture of %s: HTTP %d, ETag %q, %d bytes, want 200 and the empty picture", names[i], resp.StatusCode, resp.Header.Get("ETag"), len(body))
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
}

func TestPicturesOfBoardsNeverDrawnOpenNothingAndStoreNothing(t *testing.T) {
	const n = 2000
	t.Run("embedded", func(t *testing.T) {
		dir := t.TempDir()
		ts := startWith(t, &config.Config{DataDir: dir, RoomIdle: time.Minute, RateHTTP: 1e6})
		getAllEmpty(t, ts, randomNames("pic", n))
		if r := metric(t, ts, "sketchpad_rooms"); r != 0 {
			t.Errorf("sketchpad_rooms = %v after %d pictures of boards never drawn, want 0", r, n)
		}
		ts.stop(t)
		db, err := bolt.Open(filepath.Join(dir, "boards.db"), 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_ = db.View(func(tx *bolt.Tx) error {
			if b := tx.Bucket([]byte("rooms")); b != nil {
				if k := b.Stats().KeyN; k != 0 {
					t.Errorf("the store holds %d boards after pictures of boards never drawn, want 0", k)
				}
			}
			return nil
		})
	})
	t.Run("redis", func(t *testing.T) {
		rd := redistest.Start(t, redistest.Options{}) // of its own: DBSIZE counts only this test
		ts := startWith(t, &config.Config{RedisURL: rd.URL(), RoomIdle: time.Minute, SyncInterval: 100 * time.Millisecond, RateHTTP: 1e6})
		waitReady(t, ts)
		rdb := redis.NewClient(&redis.Options{Addr: rd.Addr})
		defer rdb.Close()
		ctx := ctxT(t)
		// /readyz only pings Redis; the replica's own sentinel key (sp:alive)
		// comes from its first check, which may land after. Count from there.
		for deadline := time.Now().Add(10 * time.Second); rdb.Exists(ctx, "sp:alive").Val() == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the replica never set its sentinel key sp:alive in Redis")
			}
		}
		before, err := rdb.DBSize(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		getAllEmpty(t, ts, randomNames("pic", n))
		if r := metric(t, ts, "sketchpad_rooms"); r != 0 {
			t.Errorf("sketchpad_rooms = %v after %d pictures of boards never drawn, want 0", r, n)
		}
		after, _ := rdb.DBSize(ctx).Result()
		keys, _, _ := rdb.Scan(ctx, 0, "sp:{pic*", 10000).Result()
		if after != before || len(keys) != 0 {
			t.Errorf("Redis held %d keys before and %d after (board keys: %q), want no new key", before, after, keys)
		}
		if chans, _ := rdb.PubSubChannels(ctx, "sp:{pic*").Result(); len(chans) != 0 {
			t.Errorf("%d board channels subscribed after pictures, want 0", len(chans))
		}
	})
}

func waitReady(t *testing.T, ts *testServer) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if code, _, _ := get(t, ts.URL+"/readyz"); code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("replica not ready")
		}
	}
}

// picture GETs a board's picture, with If-None-Match when etag is set.
func picture(t *testing.T, ts *testServer, room, etag string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/b/"+room+".svg", nil)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := readAll(resp)
	return resp.StatusCode, string(body), resp.Header.Get("ETag")
}

func waitRooms(t *testing.T, ts *testServer, want float64) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); metric(t, ts, "sketchpad_rooms") != want; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("sketchpad_rooms = %v, want %v", metric(t, ts, "sketchpad_rooms"), want)
		}
	}
}

func TestPictureOfABoardIsLiveWhileOpenAndTheSameOnceClosed(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		// A short --room-idle so the board closes within the test (and a
		// park interval longer than it, so only the idle timer decides).
		ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: 300 * time.Millisecond, RoomPark: time.Minute, SnapshotEvery: 10})
		ctx := ctxT(t)
		a := connect(t, ts, "drawn", "A")
		drawSpirals(t, a, 3, 40, 8)
		if err := a.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		// Open: the live board.
		code, open, etag := picture(t, ts, "drawn", "")
		if code != 200 || open != string(a.Board().SVG()) {
			t.Fatalf("picture of the open board: HTTP %d, not the board's SVG", code)
		}
		drawSpirals(t, a, 1, 30, 8)
		if err := a.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		code, open, etag2 := picture(t, ts, "drawn", etag)
		if code != 200 || open != string(a.Board().SVG()) || etag2 == etag {
			t.Fatalf("picture after another stroke: HTTP %d, ETag %s then %s, want the new board", code, etag, etag2)
		}
		if r := metric(t, ts, "sketchpad_rooms"); r != 1 {
			t.Errorf("sketchpad_rooms = %v with the board open, want 1", r)
		}
		a.Close()
		waitRooms(t, ts, 0)

		// Closed: the same picture, read from the store; nothing opened.
		code, closed, etag3 := picture(t, ts, "drawn", "")
		if code != 200 || closed != open || etag3 != etag2 {
			t.Errorf("picture of the closed board: HTTP %d, ETag %s (open %s), same as open: %v", code, etag3, etag2, closed == open)
		}
		if code, body, _ := picture(t, ts, "drawn", etag3); code != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match with its ETag: HTTP %d and %d bytes, want 304 and none", code, len(body))
		}
		if code, body, _ := picture(t, ts, "drawn", `"other", `+strings.TrimPrefix(etag3, "W/")); code != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match listing its ETag without W/: HTTP %d, want 304", code)
		}
		if code, again, _ := picture(t, ts, "drawn", `"old"`); code != 200 || again != open {
			t.Errorf("If-None-Match with another ETag: HTTP %d, want 200 and the picture", code)
		}
		if r := metric(t, ts, "sketchpad_rooms"); r != 0 {
			t.Errorf("sketchpad_rooms = %v after pictures of a closed board, want 0", r)
		}
	})
	t.Run("redis", func(t *testing.T) {
		url := redistest.Shared(t)
		var rs []*testServer
		for range 2 { // snapshots every few ops: the read joins a snapshot and the ops after it
			rs = append(rs, startWith(t, &config.Config{RedisURL: url, RoomIdle: time.Minute, SnapshotEvery: 10}))
		}
		room := roomName(t)
		ctx := ctxT(t)
		a := connect(t, rs[0], room, "A")
		drawSpirals(t, a, 3, 40, 8)
		if err := a.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		code, open, etag := picture(t, rs[0], room, "")
		if code != 200 || open != string(a.Board().SVG()) {
			t.Fatalf("picture on the replica with the board open: HTTP %d, not the board's SVG", code)
		}
		// The other replica has never opened it: it reads Redis.
		code, closed, etag2 := picture(t, rs[1], room, "")
		if code != 200 || closed != open || etag2 != etag {
			t.Errorf("picture on a replica without the board: HTTP %d, ETag %s (open %s), same: %v", code, etag2, etag, closed == open)
		}
		if code, _, _ := picture(t, rs[1], room, etag2); code != http.StatusNotModified {
			t.Errorf("If-None-Match on the other replica: HTTP %d, want 304", code)
		}
		drawSpirals(t, a, 1, 30, 8)
		if err := a.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
		code, closed, etag3 := picture(t, rs[1], room, etag2)
		if code != 200 || closed != string(a.Board().SVG()) || etag3 == etag2 {
			t.Errorf("after another stroke the other replica serves HTTP %d, ETag %s (was %s), the new board: %v", code, etag3, etag2, closed == string(a.Board().SVG()))
		}
		if r := metric(t, rs[1], "sketchpad_rooms"); r != 0 {
			t.Errorf("sketchpad_rooms = %v on the replica serving pictures only, want 0", r)
		}
	})
}

func readAll(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
