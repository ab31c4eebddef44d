package local

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
)

// gatedStore is a MemoryStore whose Append waits for gate and fails while
// fail is above zero (counting it down).
type gatedStore struct {
	*MemoryStore
	gate chan struct{}
	fail atomic.Int32
}

func (g *gatedStore) Append(ctx context.Context, room string, epoch uint64, ops []oplog.StoredOp) error {
	<-g.gate
	if g.fail.Add(-1) >= 0 {
		return errors.New("disk full")
	}
	return g.MemoryStore.Append(ctx, room, epoch, ops)
}

// The local log replies only once the store has the ops (nothing is
// acknowledged before it is durable), and retries a failing store rather
// than reply with an error: the batch's numbers are assigned already.
func TestLocalLogRepliesOnlyOnceStored(t *testing.T) {
	g := &gatedStore{MemoryStore: NewMemoryStore(), gate: make(chan struct{})}
	g.fail.Store(2)
	l := New(g, slog.New(slog.DiscardHandler), metrics.New())
	st, err := l.Open(context.Background(), "r")
	if err != nil {
		t.Fatal(err)
	}
	reply := make(chan oplog.SubmitResult, 1)
	l.Submit("r", st.Epoch, oplogtest.Ends(1, 0, 2), reply)
	select {
	case res := <-reply:
		t.Fatalf("replied before the store took the ops: %+v", res)
	case <-time.After(50 * time.Millisecond):
	}
	close(g.gate) // the store answers: twice an error, then it takes them
	res := <-reply
	if res.Err != nil || !oplogtest.EqualInts(res.Seqs, 1, 2) {
		t.Fatalf("reply: %+v", res)
	}
	if stored, _ := g.Load(context.Background(), "r"); len(stored.Ops) != 2 || stored.Epoch != st.Epoch {
		t.Fatalf("stored %d ops under epoch %x, want 2 under %x", len(stored.Ops), stored.Epoch, st.Epoch)
	}
}

func TestLocalLogOverMemoryConforms(t *testing.T) {
	oplogtest.Run(t, func(t *testing.T) oplog.Log {
		return New(NewMemoryStore(), slog.New(slog.DiscardHandler), metrics.New())
	})
}

func TestMemoryStoreKeepsImages(t *testing.T) { oplogtest.RunImages(t, NewMemoryStore()) }
