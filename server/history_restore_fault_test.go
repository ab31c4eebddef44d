package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// A restore whose log fails while it writes the copy (the log refusing
// the batch, or Redis stopped in the middle of the restore) answers a
// JSON error the client can retry on and leaves no board, not even part
// of one, under any new name; the original is untouched.

// faultLog is a Log that records the boards opened through it and, when
// a batch comes, runs midway (Redis stopped, say); with fail set, it
// takes batches only until okOps ops went through, and refuses every
// batch after with fail (as a log that goes down partway through a copy:
// a copy written a stroke at a time would leave okOps ops behind).
type faultLog struct {
	oplog.Log
	midway func()
	fail   error
	okOps  int
	sent   int

	mu     sync.Mutex
	opened []string
}

func (l *faultLog) Open(ctx context.Context, room string) (*oplog.StoredRoom, error) {
	l.mu.Lock()
	l.opened = append(l.opened, room)
	l.mu.Unlock()
	return l.Log.Open(ctx, room)
}

func (l *faultLog) Submit(room string, epoch uint64, batch []oplog.BatchOp, reply chan<- oplog.SubmitResult) {
	if l.midway != nil {
		l.midway()
	}
	if l.fail != nil {
		l.mu.Lock()
		ok := l.sent+len(batch) <= l.okOps
		if ok {
			l.sent += len(batch)
		}
		l.mu.Unlock()
		if !ok {
			reply <- oplog.SubmitResult{Epoch: epoch, Err: l.fail}
			return
		}
	}
	l.Log.Submit(room, epoch, batch, reply)
}

// strokeOps draws n short pen strokes.
func strokeOps(n int) func(uint32) [][]byte {
	return func(uint32) [][]byte {
		var out [][]byte
		for k := 1; k <= n; k++ {
			out = append(out,
				canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: uint32(k), Tool: canvas.ToolPen, Color: 0x1e1e1eff, Width: 8,
					Points: []canvas.Point{{X: int32(10 * k), Y: 20}, {X: 5, Y: 5}}}),
				canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: []canvas.Point{{X: 3, Y: -2}, {X: 1, Y: 4}}}),
				canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
		}
		return out
	}
}

func TestARestoreWhoseLogFailsLeavesNoBoard(t *testing.T) {
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Run("embedded", func(t *testing.T) {
		a, err := New(&config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, RateHTTP: 1e6}, discard)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { shutdown(t, a) })
		checkFailedRestore(t, a, func(fl *faultLog) { fl.fail, fl.okOps = errors.New("injected: the store is down"), 5 })
	})
	t.Run("redis", func(t *testing.T) {
		rd := redistest.Start(t, redistest.Options{AOF: true})
		a, err := New(&config.Config{RedisURL: rd.URL(), RoomIdle: time.Minute, RateHTTP: 1e6}, discard)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { shutdown(t, a) })
		// Redis stops once the new board is opened and its author
		// reserved, as the copy goes to it; it comes back before the
		// board is looked for.
		checkFailedRestore(t, a, func(fl *faultLog) {
			fl.midway = func() { rd.Stop() }
		})
		rd.Restart(t)
		checkNoNewBoard(t, a, a.history.(*faultLog))
	})
}

func shutdown(t *testing.T, a *App) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// checkFailedRestore draws a board, restores it through a log broken by
// breakLog, and checks the answer and, where the log still answers, that
// no new board exists.
func checkFailedRestore(t *testing.T, a *App, breakLog func(*faultLog)) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const orig = "faultorig"
	if err := writeCopy(ctx, a.history, orig, "Ana", strokeOps(6)); err != nil {
		t.Fatalf("drawing the original: %v", err)
	}
	head, _, err := a.history.Versions(ctx, orig, 0, 10)
	if err != nil || head != 18 {
		t.Fatalf("the original: head %d, %v; want 18", head, err)
	}
	restore := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/api/boards/"+orig+"/restore", strings.NewReader(fmt.Sprintf(`{"at": %d}`, head)))
		req.Header.Set("Content-Type", "application/json")
		a.Handler().ServeHTTP(rec, req)
		return rec
	}
	// While the log works, a restore makes a whole board whose history
	// names who drew it (and the checks below would see it).
	rec := restore()
	var ok RestoreResponse
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &ok) != nil {
		t.Fatalf("a restore while the log works: HTTP %d %s", rec.Code, rec.Body.String())
	}
	// Six strokes, each a Begin with all its points and an End.
	h, vs, err := a.history.Versions(ctx, ok.Board, 0, 10)
	if err != nil || h != 12 || len(vs) == 0 || len(vs[0].Authors) != 1 || vs[0].Authors[0].Name != "Restored from version 18" {
		t.Fatalf("the restored board: head %d, versions %+v, %v; want 12 ops by \"Restored from version 18\"", h, vs, err)
	}

	fl := &faultLog{Log: a.history}
	breakLog(fl)
	a.history = fl
	rec = restore()
	var he HTTPError
	if rec.Code != http.StatusServiceUnavailable || json.Unmarshal(rec.Body.Bytes(), &he) != nil || he.Error.Code != "unavailable" ||
		rec.Header().Get("Retry-After") == "" {
		t.Fatalf("a restore whose log failed: HTTP %d %q (Retry-After %q), want 503 unavailable with a retry hint",
			rec.Code, rec.Body.String(), rec.Header().Get("Retry-After"))
	}
	if fl.fail != nil {
		checkNoNewBoard(t, a, fl)
	}
}

// checkNoNewBoard checks that every board the restore opened, the
// original aside, has no history and shows nothing.
func checkNoNewBoard(t *testing.T, a *App, fl *faultLog) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fl.mu.Lock()
	opened := append([]string(nil), fl.opened...)
	fl.mu.Unlock()
	if len(opened) == 0 {
		t.Fatal("the restore opened no new board: the test proves nothing")
	}
	for _, name := range opened {
		var err error
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			_, _, err = fl.Log.Versions(ctx, name, 0, 10)
			if errors.Is(err, oplog.ErrNoBoard) || err == nil || time.Now().After(deadline) {
				break // else Redis is still coming back
			}
		}
		if !errors.Is(err, oplog.ErrNoBoard) {
			t.Errorf("board %s after a failed restore: history %v, want none", name, err)
		}
		if _, err := fl.Log.ReadAt(ctx, name, 1); !errors.Is(err, oplog.ErrNoBoard) && !errors.Is(err, oplog.ErrAhead) {
			t.Errorf("board %s after a failed restore: op 1 read %v, want none", name, err)
		}
	}
	// The original is untouched.
	if head, _, err := fl.Log.Versions(ctx, "faultorig", 0, 10); err != nil || head != 18 {
		t.Errorf("the original after a failed restore: head %d, %v; want 18", head, err)
	}
}
