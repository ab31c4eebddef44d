package server_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// A board's history over real HTTP, in embedded and Redis mode: versions
// (GET /api/boards/{room}/history) and the board at any sequence number
// (GET /b/{room}.svg?at=SEQ).

type historyBody struct {
	Head     uint64 `json:"head"`
	Versions []struct {
		Seq     uint64 `json:"seq"`
		Time    string `json:"time"`
		Authors []struct {
			Author uint32 `json:"author"`
			Name   string `json:"name"`
		} `json:"authors"`
		Ops  uint64 `json:"ops"`
		Kind string `json:"kind"`
	} `json:"versions"`
}

// historyModes runs f against a fresh replica in each mode, checkpoints
// taken every 7 ops so that a short board has several.
func historyModes(t *testing.T, f func(t *testing.T, ts *testServer)) {
	t.Run("embedded", func(t *testing.T) {
		f(t, startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, SnapshotEvery: 7, RateHTTP: 1e6,
			AdminKey: adminKey}))
	})
	t.Run("redis", func(t *testing.T) {
		ts := startWith(t, &config.Config{RedisURL: redistest.Shared(t), RoomIdle: time.Minute, SnapshotEvery: 7, RateHTTP: 1e6,
			SyncInterval: 100 * time.Millisecond, AdminKey: adminKey})
		waitReady(t, ts)
		f(t, ts)
	})
}

func getHistory(t *testing.T, ts *testServer, path string) (int, historyBody, server.HTTPError) {
	t.Helper()
	code, body, h := get(t, ts.URL+path)
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: Content-Type %q, want JSON (%d %s)", path, ct, code, body)
	}
	var hb historyBody
	var he server.HTTPError
	if code == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &hb); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	} else if err := json.Unmarshal([]byte(body), &he); err != nil || he.Error.Code == "" || he.Error.Message == "" {
		t.Fatalf("GET %s: HTTP %d with body %q, want a JSON error", path, code, body)
	}
	return code, hb, he
}

// waitHistory reads room's history until ok says it is complete (the
// test's deadline bounds the wait).
func waitHistory(t *testing.T, ts *testServer, room string, ok func(historyBody) bool) historyBody {
	t.Helper()
	ctx := ctxT(t)
	for {
		code, h, he := getHistory(t, ts, "/api/boards/"+room+"/history?limit=500")
		if code == http.StatusOK && ok(h) {
			return h
		}
		select {
		case <-ctx.Done():
			t.Fatalf("history of %s: HTTP %d %v, last %+v", room, code, he.Error, h)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// drawRandom has two people draw n random ops (strokes, erasures, moves,
// restores and clears) on room and returns the board's log as the first
// of them received it: every op, numbered.
func drawRandom(t *testing.T, ts *testServer, room string, seed uint64, n int) []client.Entry {
	t.Helper()
	return drawRandomOn(t, ts, ts, room, seed, n)
}

// drawRandomOn is drawRandom with Ann on one replica and Bob on another.
func drawRandomOn(t *testing.T, annOn, bobOn *testServer, room string, seed uint64, n int) []client.Entry {
	t.Helper()
	ann := connect(t, annOn, room, "Ann")
	bob := connect(t, bobOn, room, "Bob")
	// RandomOps' authors 1 and 2 are Ann and Bob, whatever ids the
	// replicas handed them (each replica reserves a block of its own).
	people := map[uint32]*client.Client{1: ann, 2: bob}
	id := map[uint32]uint32{1: ann.Author(), 2: bob.Author()}
	var op canvas.Op
	for _, b := range oplogtest.RandomOps(rand.New(rand.NewPCG(seed, 99)), 2, n) {
		if err := canvas.DecodeOp(b.Op, &op); err != nil {
			t.Fatal(err)
		}
		for i := range op.Strokes {
			op.Strokes[i].Author = id[op.Strokes[i].Author]
		}
		if err := people[b.Author].Send(&op); err != nil {
			t.Fatal(err)
		}
	}
	ctx := ctxT(t)
	for _, c := range people {
		if err := c.WaitAcked(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := ann.WaitSeq(ctx, uint64(n)); err != nil {
		t.Fatal(err)
	}
	log := ann.Log()
	if len(log) != n || log[0].Seq != 1 {
		t.Fatalf("the board's log has %d ops, want %d from 1", len(log), n)
	}
	ann.Close()
	bob.Close()
	return log
}

// waitClosed waits until ts has closed every board and each has stored
// what it held (its last versions included).
func waitClosed(t *testing.T, ts *testServer) {
	t.Helper()
	waitRooms(t, ts, 0)
	for deadline := time.Now().Add(20 * time.Second); metric(t, ts, "sketchpad_rooms_closing") != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("boards still closing")
		}
	}
}

// History is exact: for random boards, the picture at every sequence
// number is the picture of ops 1..SEQ replayed from empty, in both modes;
// and the versions are the checkpoints and the board before each clear,
// with who drew since the version before, newest first, in pages.
func TestHistoryIsExactAtEverySeq(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		for _, seed := range []uint64{1, 2, 3} {
			room := randomNames("hist", 1)[0]
			log := drawRandom(t, ts, room, seed, 120)
			b := canvas.NewBoard(0)
			var op canvas.Op
			clears := map[uint64]bool{}
			for seq := uint64(0); seq <= uint64(len(log)); seq++ {
				if seq > 0 {
					e := log[seq-1]
					if err := canvas.DecodeOp(e.Op, &op); err != nil {
						t.Fatal(err)
					}
					b.Apply(e.Author, &op)
					if op.Type == canvas.OpClear && seq > 1 {
						clears[seq-1] = true
					}
				}
				code, svg, _ := get(t, fmt.Sprintf("%s/b/%s.svg?at=%d", ts.URL, room, seq))
				if code != http.StatusOK || svg != string(b.SVG()) {
					t.Fatalf("seed %d: the picture at %d (HTTP %d) is not ops 1..%d replayed", seed, seq, code, seq)
				}
			}
			// A clear's version is there before anyone sees the clear; a
			// checkpoint is marked after its frame went out: wait for
			// the last one (taken when the ops crossed a multiple of 7).
			all := waitHistory(t, ts, room, func(h historyBody) bool {
				return len(h.Versions) > 0 && h.Versions[0].Seq >= uint64(len(log))/7*7
			})
			if all.Head != uint64(len(log)) || len(all.Versions) == 0 {
				t.Fatalf("history: head %d, %d versions", all.Head, len(all.Versions))
			}
			var sum uint64
			for i, v := range all.Versions {
				if i > 0 && v.Seq >= all.Versions[i-1].Seq {
					t.Fatalf("versions not newest first: %d after %d", v.Seq, all.Versions[i-1].Seq)
				}
				if when, err := time.Parse(time.RFC3339, v.Time); err != nil || time.Since(when) > time.Minute {
					t.Errorf("version %d time %q", v.Seq, v.Time)
				}
				if want := map[bool]string{true: "clear", false: "checkpoint"}[clears[v.Seq]]; v.Kind != want {
					t.Errorf("version %d is a %s, want a %s", v.Seq, v.Kind, want)
				}
				if v.Kind == "clear" {
					delete(clears, v.Seq)
				}
				for _, a := range v.Authors {
					if want := map[uint32]string{1: "Ann", 2: "Bob"}[a.Author]; a.Name != want {
						t.Errorf("version %d: author %d named %q, want %q", v.Seq, a.Author, a.Name, want)
					}
				}
				sum += v.Ops
			}
			if sum != all.Versions[0].Seq {
				t.Errorf("the versions' ops add up to %d, want %d (the newest version)", sum, all.Versions[0].Seq)
			}
			if len(clears) > 0 {
				t.Errorf("no version for the board before the clears after %v", clears)
			}
			// The same list in pages of 2.
			var paged []uint64
			for before := uint64(0); ; {
				q := "?limit=2"
				if before > 0 {
					q += fmt.Sprintf("&before=%d", before)
				}
				_, page, _ := getHistory(t, ts, "/api/boards/"+room+"/history"+q)
				if len(page.Versions) == 0 {
					break
				}
				for _, v := range page.Versions {
					paged = append(paged, v.Seq)
				}
				before = page.Versions[len(page.Versions)-1].Seq
			}
			if len(paged) != len(all.Versions) {
				t.Fatalf("pages of 2 list %d versions, one page %d", len(paged), len(all.Versions))
			}
			for i, s := range paged {
				if s != all.Versions[i].Seq {
					t.Fatalf("page walk %v differs from the list at %d", paged, i)
				}
			}
			if code, _, he := getHistory(t, ts, fmt.Sprintf("/b/%s.svg?at=%d", room, len(log)+1)); code != http.StatusNotFound || he.Error.Code != "not_drawn_yet" {
				t.Errorf("at past the head: HTTP %d %q, want 404 not_drawn_yet", code, he.Error.Code)
			}
		}
	})
}

// Wrong history requests get a clear JSON error, never a page or a panic.
func TestHistoryRefusesBadRequestsWithJSONErrors(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		room := randomNames("hbad", 1)[0]
		drawRandom(t, ts, room, 7, 10)
		never := randomNames("hnever", 1)[0]
		for _, c := range []struct {
			path string
			code int
			err  string
		}{
			{"/api/boards/" + never + "/history", 404, "no_board"},
			{"/b/" + never + ".svg?at=0", 404, "no_board"},
			{"/api/boards/" + room + "/history?before=abc", 400, "bad_before"},
			{"/api/boards/" + room + "/history?before=-1", 400, "bad_before"},
			{"/api/boards/" + room + "/history?before=0", 400, "bad_before"},
			{"/api/boards/" + room + "/history?before=99999999999999999999999", 400, "bad_before"},
			{"/api/boards/" + room + "/history?limit=0", 400, "bad_limit"},
			{"/api/boards/" + room + "/history?limit=501", 400, "bad_limit"},
			{"/api/boards/" + room + "/history?limit=ten", 400, "bad_limit"},
			{"/b/" + room + ".svg?at=", 400, "bad_at"},
			{"/b/" + room + ".svg?at=abc", 400, "bad_at"},
			{"/b/" + room + ".svg?at=-3", 400, "bad_at"},
			{"/b/" + room + ".svg?at=1.5", 400, "bad_at"},
			{"/b/" + room + ".svg?at=" + url.QueryEscape("1 OR 1=1"), 400, "bad_at"},
			{"/b/" + room + ".svg?at=11", 404, "not_drawn_yet"},
			{"/b/" + room + ".svg?at=18446744073709551615", 404, "not_drawn_yet"},
			{"/api/boards/bad%20name!/history", 400, "bad_room"},
			{"/api/boards/v.forged/history", 404, "bad_link"},
			{"/b/v.forged.svg?at=1", 404, "bad_link"},
			{"/api/boards/" + room + "/history?token=nonsense", 401, "token_invalid"},
		} {
			code, _, he := getHistory(t, ts, c.path)
			if code != c.code || he.Error.Code != c.err {
				t.Errorf("GET %s: HTTP %d %q, want %d %q", c.path, code, he.Error.Code, c.code, c.err)
			}
		}
		// The reads created nothing.
		if code, _, _ := getHistory(t, ts, "/api/boards/"+never+"/history"); code != http.StatusNotFound {
			t.Errorf("a board asked about became a board: HTTP %d", code)
		}
	})
}

// A view link and an embed token for the board see its history as its
// name does; a token for another board does not.
func TestHistoryThroughViewLinksAndEmbedTokens(t *testing.T) {
	historyModes(t, func(t *testing.T, ts *testServer) {
		room := randomNames("hview", 1)[0]
		drawRandom(t, ts, room, 11, 30)
		byName := waitHistory(t, ts, room, func(h historyBody) bool { return len(h.Versions) > 0 && h.Versions[0].Seq >= 28 })
		view := viewID(t, ts, room)
		code, byView, _ := getHistory(t, ts, "/api/boards/"+view+"/history")
		if code != http.StatusOK || byView.Head != byName.Head || len(byView.Versions) != len(byName.Versions) {
			t.Fatalf("through the view link: HTTP %d, %+v, want %+v", code, byView, byName)
		}
		_, atName, _ := get(t, ts.URL+"/b/"+room+".svg?at=20")
		if code, atView, _ := get(t, ts.URL+"/b/"+view+".svg?at=20"); code != http.StatusOK || atView != atName {
			t.Errorf("picture at 20 through the view link: HTTP %d, same %v", code, atView == atName)
		}
		tok := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanView})
		if code, byTok, _ := getHistory(t, ts, "/api/boards/"+view+"/history?token="+url.QueryEscape(tok.Token)); code != http.StatusOK || byTok.Head != byName.Head {
			t.Errorf("with an embed token: HTTP %d, head %d", code, byTok.Head)
		}
		if code, _, _ := get(t, ts.URL+"/b/"+view+".svg?at=20&token="+url.QueryEscape(tok.Token)); code != http.StatusOK {
			t.Errorf("picture at 20 with an embed token: HTTP %d", code)
		}
		other := mint(t, ts, server.TokenRequest{Board: "someone-else", Can: access.CanDraw})
		if code, _, he := getHistory(t, ts, "/api/boards/"+view+"/history?token="+url.QueryEscape(other.Token)); code != http.StatusForbidden || he.Error.Code != "token_wrong_board" {
			t.Errorf("a token for another board: HTTP %d %q, want 403 token_wrong_board", code, he.Error.Code)
		}
		if code, _, _ := get(t, ts.URL+"/b/"+view+".svg?at=20&token="+url.QueryEscape(other.Token)); code != http.StatusForbidden {
			t.Errorf("picture with a token for another board: HTTP %d, want 403", code)
		}
	})
}

// everything reads a board's whole history: its versions and its picture
// at every sequence number.
func everything(t *testing.T, ts *testServer, room string, head uint64) (string, []string) {
	t.Helper()
	_, list, _ := get(t, ts.URL+"/api/boards/"+room+"/history?limit=500")
	pics := make([]string, head+1)
	for seq := range pics {
		code, svg, _ := get(t, fmt.Sprintf("%s/b/%s.svg?at=%d", ts.URL, room, seq))
		if code != http.StatusOK {
			t.Fatalf("picture at %d: HTTP %d", seq, code)
		}
		pics[seq] = svg
	}
	return list, pics
}

// History is the board's, not a replica's: two replicas on one Redis,
// Ann on one and Bob on the other, read the same versions (each clear
// marked once, by the replica that numbered it) and the same pictures;
// and an embedded replica restarted on its data reads what it read before.
func TestHistoryIsTheSameOnEveryReplicaAndAfterARestart(t *testing.T) {
	t.Run("redis", func(t *testing.T) {
		url := redistest.Shared(t)
		var rs []*testServer
		for range 2 {
			// A short --room-idle: the boards close once Ann and Bob
			// leave, and then every version has been marked.
			ts := startWith(t, &config.Config{RedisURL: url, RoomIdle: 200 * time.Millisecond, RoomPark: time.Minute,
				SnapshotEvery: 7, RateHTTP: 1e6, SyncInterval: 100 * time.Millisecond})
			waitReady(t, ts)
			rs = append(rs, ts)
		}
		room := randomNames("hrep", 1)[0]
		log := drawRandomOn(t, rs[0], rs[1], room, 5, 90)
		clears := 0
		var op canvas.Op
		for _, e := range log[1:] {
			if canvas.DecodeOp(e.Op, &op) == nil && op.Type == canvas.OpClear {
				clears++
			}
		}
		waitClosed(t, rs[0])
		waitClosed(t, rs[1])
		waitHistory(t, rs[0], room, func(h historyBody) bool {
			n := 0
			for _, v := range h.Versions {
				if v.Kind == "clear" {
					n++
				}
			}
			return n == clears && len(h.Versions) > 0 && h.Versions[0].Seq >= uint64(len(log))/7*7
		})
		list0, pics0 := everything(t, rs[0], room, uint64(len(log)))
		list1, pics1 := everything(t, rs[1], room, uint64(len(log)))
		if list0 != list1 {
			t.Errorf("the replicas list different versions:\n%s\n%s", list0, list1)
		}
		for seq := range pics0 {
			if pics0[seq] != pics1[seq] {
				t.Fatalf("the replicas' pictures at %d differ", seq)
			}
		}
	})
	t.Run("embedded restart", func(t *testing.T) {
		dir := t.TempDir()
		cfg := func() *config.Config {
			return &config.Config{DataDir: dir, RoomIdle: time.Minute, SnapshotEvery: 7, RateHTTP: 1e6}
		}
		ts := startWith(t, cfg())
		room := randomNames("hrestart", 1)[0]
		log := drawRandom(t, ts, room, 9, 80)
		waitHistory(t, ts, room, func(h historyBody) bool {
			return len(h.Versions) > 0 && h.Versions[0].Seq >= uint64(len(log))/7*7
		})
		list, pics := everything(t, ts, room, uint64(len(log)))
		ts.stop(t) // stores the board: a last checkpoint, and its version
		again := startWith(t, cfg())
		_, after, _ := getHistory(t, again, "/api/boards/"+room+"/history?limit=500")
		var before historyBody
		if err := json.Unmarshal([]byte(list), &before); err != nil {
			t.Fatal(err)
		}
		// The versions from before the restart, in the same order, and
		// at most the one the shutdown took in front of them.
		if len(after.Versions) < len(before.Versions) || len(after.Versions) > len(before.Versions)+1 {
			t.Fatalf("after the restart %d versions, before %d", len(after.Versions), len(before.Versions))
		}
		extra := len(after.Versions) - len(before.Versions)
		for i, v := range before.Versions {
			if w := after.Versions[i+extra]; w.Seq != v.Seq || w.Kind != v.Kind || w.Ops != v.Ops || w.Time != v.Time {
				t.Errorf("version %d after the restart: %+v, before %+v", i, w, v)
			}
		}
		_, picsAfter := everything(t, again, room, uint64(len(log)))
		for seq := range pics {
			if pics[seq] != picsAfter[seq] {
				t.Fatalf("the picture at %d changed across the restart", seq)
			}
		}
	})
}
