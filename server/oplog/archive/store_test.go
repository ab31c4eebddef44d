package archive_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
)

func open(t *testing.T, url string) *archive.Store {
	t.Helper()
	s, err := archive.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Replicas starting together migrate the schema once, and record it.
func TestSchemaIsMigratedOnceByReplicasStartingTogether(t *testing.T) {
	url := archivetest.Database(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := archive.Open(context.Background(), url)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, v int
	if err := conn.QueryRow(context.Background(), `select count(*), max(version) from sketchpad_schema`).Scan(&n, &v); err != nil || n != 1 || v != archive.SchemaVersion {
		t.Fatalf("schema table: %d rows, version %d, %v", n, v, err)
	}
	// A database a newer build migrated is refused, not written.
	if _, err := conn.Exec(context.Background(), `update sketchpad_schema set version = version + 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := archive.Open(context.Background(), url); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Fatalf("open a newer schema: %v", err)
	}
}

// A URL that is not PostgreSQL's, or names nothing reachable, fails at
// start with a message naming it (and never its password).
func TestOpenRefusesABadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range []struct{ url, want string }{
		{"redis://127.0.0.1:6379/0", "want postgres://"},
		{"postgres://", "want postgres://"},
		{"not a url at all %%", "want postgres://"},
		{"postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2", "cannot reach"},
		{"postgres://postgres@127.0.0.1:5432/no_such_database_here", "cannot reach"},
	} {
		_, err := archive.Open(ctx, c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("open %q: %v, want an error saying %q", c.url, err, c.want)
		}
	}
}

func board(room string, seq uint64) *archive.Board {
	b := &archive.Board{Room: room, Epoch: 7, Seq: seq, Authors: 2, Applied: map[uint32]uint64{1: seq}}
	for s := uint64(1); s <= seq; s++ {
		b.Ops = append(b.Ops, oplog.StoredOp{Seq: s, Author: 1, Op: []byte{byte(s)}})
	}
	return b
}

// Generations only grow: a slow archiver arriving after a faster one
// never writes its older board over the newer.
func TestPutRefusesAnOlderGeneration(t *testing.T) {
	s := open(t, archivetest.Database(t))
	ctx := context.Background()
	if _, err := s.Put(ctx, board("r", 5), 2); err != nil {
		t.Fatal(err)
	}
	if cur, err := s.Put(ctx, board("r", 3), 1); !errors.Is(err, archive.ErrStale) || cur != 2 {
		t.Fatalf("older generation: %d, %v", cur, err)
	}
	if _, head, err := s.Head(ctx, "r"); err != nil || head != 5 {
		t.Fatalf("head %d, %v", head, err)
	}
}

// A row is loaded back under its epoch only when it is certainly the
// board: archived, or archiving with Redis's tombstone naming it.
func TestClaimSaysHowABoardComesBack(t *testing.T) {
	s := open(t, archivetest.Database(t))
	ctx := context.Background()
	if c, _, _, err := s.Claim(ctx, "none", 0, time.Second, 3); err != nil || c != archive.ClaimNone {
		t.Fatalf("no row: %v %v", c, err)
	}
	for _, c := range []struct {
		name     string
		finish   *bool
		tomb     uint64
		want     archive.Claim
		wantSeq  uint64
		restored bool
	}{
		{"archived", ptr(true), 0, archive.ClaimSame, 6, true},
		{"archiving, tombstone names it", nil, 1, archive.ClaimSame, 6, true},
		{"archiving, no tombstone", nil, 0, archive.ClaimNew, 6, true},
		{"live", ptr(false), 0, archive.ClaimNew, 6, true},
		{"restoring, lease held", ptr(true), 0, archive.ClaimBusy, 0, false},
	} {
		room := strings.ReplaceAll(c.name, " ", "")
		if _, err := s.Put(ctx, board(room, 6), 1); err != nil {
			t.Fatal(err)
		}
		if c.finish != nil {
			if err := s.Finish(ctx, room, 1, *c.finish); err != nil {
				t.Fatal(err)
			}
		}
		if c.want == archive.ClaimBusy {
			if _, _, _, err := s.Claim(ctx, room, 0, time.Minute, 3); err != nil {
				t.Fatal(err)
			}
		}
		got, b, gen, err := s.Claim(ctx, room, c.tomb, time.Minute, 3)
		if err != nil || got != c.want {
			t.Fatalf("%s: claim %v, %v; want %v", c.name, got, err, c.want)
		}
		if !c.restored {
			continue
		}
		if b.Seq != c.wantSeq || len(b.Ops) == 0 || b.Ops[len(b.Ops)-1].Seq != 6 || gen != 2 {
			t.Fatalf("%s: board at %d, %d ops, gen %d", c.name, b.Seq, len(b.Ops), gen)
		}
		if err := s.Restored(ctx, room, gen, b.Epoch); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := s.State(ctx, room); st != "live" {
			t.Fatalf("%s: restored row is %s", c.name, st)
		}
	}
}

// A replica that died while loading a board back holds it for its lease
// only; then another loads it, under a new epoch (the first may have
// loaded it into a Redis that lost it since).
func TestARestoreLeaseRunsOut(t *testing.T) {
	s := open(t, archivetest.Database(t))
	ctx := context.Background()
	if _, err := s.Put(ctx, board("r", 4), 1); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(ctx, "r", 1, true); err != nil {
		t.Fatal(err)
	}
	if c, _, _, err := s.Claim(ctx, "r", 0, time.Second, 3); err != nil || c != archive.ClaimSame {
		t.Fatalf("first claim: %v %v", c, err)
	}
	if c, _, _, err := s.Claim(ctx, "r", 0, time.Minute, 3); err != nil || c != archive.ClaimBusy {
		t.Fatalf("claim within the lease: %v %v", c, err)
	}
	time.Sleep(1100 * time.Millisecond)
	if c, b, _, err := s.Claim(ctx, "r", 0, time.Minute, 3); err != nil || c != archive.ClaimNew || b.Seq != 4 {
		t.Fatalf("claim after the lease: %v %v", c, err)
	}
}

func ptr[T any](v T) *T { return &v }
