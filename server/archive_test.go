package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

func archiveReplica(t *testing.T, redisURL, pgURL string) *testServer {
	t.Helper()
	return startWith(t, &config.Config{RedisURL: redisURL, ArchiveURL: pgURL, ArchiveAfter: 300 * time.Millisecond,
		RoomIdle: 100 * time.Millisecond, SyncInterval: 200 * time.Millisecond, IPRateFactor: 1000, RateHTTP: 1e4})
}

// A board everyone left leaves Redis once --archive-after has passed on
// every replica, its history and picture read the same meanwhile, and the
// next person to open it, on another replica, gets it whole.
func TestAColdBoardLeavesRedisAndComesBackWhole(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	rs := []*testServer{archiveReplica(t, rd.URL(), pg), archiveReplica(t, rd.URL(), pg)}
	room := roomName(t)
	ctx := ctxT(t)
	a := connect(t, rs[0], room, "A")
	// Someone stays on another board all along, on the other replica.
	busy := roomName(t) + "busy"
	c := connect(t, rs[1], busy, "C")
	if _, err := c.Stroke(2, 4, spiral(20, 0), 4); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := a.Stroke(1, 4, spiral(40, float64(i)), 4); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	drawn := a.BoardBytes()
	_, history, _ := get(t, rs[0].URL+"/api/boards/"+room+"/history")
	_, picture, _ := get(t, rs[0].URL+"/b/"+room+".svg")
	_, pictureAt, _ := get(t, rs[0].URL+"/b/"+room+".svg?at=20")
	if !strings.Contains(history, `"head"`) || !strings.Contains(picture, "<svg") || !strings.Contains(pictureAt, "<svg") {
		t.Fatalf("before archiving: history %s, picture %.40s, picture at 20 %.40s", history, picture, pictureAt)
	}
	a.Close()

	rdb := goredis.NewClient(&goredis.Options{Addr: rd.Addr})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Exists(context.Background(), "sp:{"+room+"}:meta").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the board nobody is on is still in Redis after 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if keys := rdb.Keys(context.Background(), "sp:{"+room+"}:*").Val(); len(keys) != 1 || !strings.HasSuffix(keys[0], ":gone") {
		t.Fatalf("Redis keys left of an archived board: %v", keys)
	}
	for _, r := range rs {
		if _, h, _ := get(t, r.URL+"/api/boards/"+room+"/history"); h != history {
			t.Fatalf("history of the archived board:\n%s\nwas\n%s", h, history)
		}
		if _, p, _ := get(t, r.URL+"/b/"+room+".svg"); p != picture {
			t.Fatal("the archived board's picture differs")
		}
		if _, p, _ := get(t, r.URL+"/b/"+room+".svg?at=20"); p != pictureAt {
			t.Fatal("the archived board's picture at 20 differs")
		}
	}
	if rdb.Exists(context.Background(), "sp:{"+busy+"}:meta").Val() != 1 {
		t.Fatal("a board someone is on left Redis")
	}
	b := connect(t, rs[1], room, "B")
	if err := b.WaitSeq(ctx, 1); err != nil {
		t.Fatal(err)
	}
	sameBoard(t, drawn, b)
	// Operators see the moves.
	archived, restored := 0.0, 0.0
	for _, r := range rs {
		archived += metric(t, r, "sketchpad_boards_archived_total")
		restored += metric(t, r, "sketchpad_boards_restored_total")
	}
	if archived < 1 || restored < 1 {
		t.Errorf("metrics: %v boards archived, %v restored", archived, restored)
	}
}

// A replica with an archive is ready only while it reaches PostgreSQL.
func TestReadyzFollowsTheArchive(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{})
	pg := archivetest.Start(t)
	r := archiveReplica(t, rd.URL(), pg.URL())
	// within returns /readyz once it answers want, or after 10 s: a load
	// balancer probes every few seconds, and the replica's state must follow
	// PostgreSQL's within that. (PostgreSQL's backends are sessions of their
	// own: the one serving the replica's idle connection outlives a killed
	// postmaster until it notices, so a probe right after the kill may still
	// be answered.)
	within := func(want int) (int, string) {
		for end := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			code, body, _ := get(t, r.URL+"/readyz")
			if code == want || time.Now().After(end) {
				return code, body
			}
		}
	}
	if s, _ := within(http.StatusOK); s != http.StatusOK {
		t.Fatalf("/readyz = %d with PostgreSQL up", s)
	}
	pg.Kill()
	if code, body := within(http.StatusServiceUnavailable); code != http.StatusServiceUnavailable || !strings.Contains(body, "archive_unreachable") {
		t.Fatalf("/readyz 10 s after PostgreSQL was killed: %d %s", code, body)
	}
	pg.Restart(t)
	if s, body := within(http.StatusOK); s != http.StatusOK {
		t.Fatalf("/readyz 10 s after PostgreSQL came back: %d %s", s, body)
	}
}

// A bad --archive-url stops the replica at start with a message saying
// what is wrong, before it serves anything.
func TestABadArchiveURLFailsAtStart(t *testing.T) {
	rd := redistest.Shared(t)
	for _, c := range []struct{ url, want string }{
		{"postgres://postgres@127.0.0.1:1/x?connect_timeout=2", "cannot reach the archive's PostgreSQL"},
		{"postgres://postgres@127.0.0.1:5432/no_such_db_sketchpad", "cannot reach the archive's PostgreSQL"},
		{"postgres://", "want postgres://"},
	} {
		_, err := server.New(&config.Config{RedisURL: rd, ArchiveURL: c.url}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("archive URL %q: %v, want %q", c.url, err, c.want)
		}
	}
	for _, env := range []map[string]string{
		{"SKETCHPAD_ARCHIVE_URL": "redis://127.0.0.1:6379/0", "REDIS_URL": rd},
		{"SKETCHPAD_ARCHIVE_URL": "postgres://h/db"},
		{"SKETCHPAD_ARCHIVE_AFTER": "soon"},
	} {
		if _, err := config.LoadConfig(nil, func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("%v: accepted", env)
		}
	}
}
