package redis

import (
	"context"
	"crypto/sha1"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// pipeCounter is a go-redis hook that counts the round trips that carry
// submitScript (pipelines, and single commands) and can hold pipelines at
// a gate until the test opens it.
type pipeCounter struct {
	mu        sync.Mutex
	pipelines int // pipelines with at least one EVALSHA/EVAL
	scripts   int // EVALSHA/EVAL commands in them
	single    int // EVALSHA/EVAL sent on their own (not pipelined)
	gate      chan struct{}
}

func (p *pipeCounter) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (p *pipeCounter) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		if isScriptCall(cmd) {
			p.mu.Lock()
			p.single++
			p.mu.Unlock()
		}
		return next(ctx, cmd)
	}
}

func (p *pipeCounter) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		n := 0
		for _, c := range cmds {
			if isScriptCall(c) {
				n++
			}
		}
		if n > 0 {
			p.mu.Lock()
			p.pipelines++
			p.scripts += n
			gate := p.gate
			p.mu.Unlock()
			if gate != nil {
				<-gate
			}
		}
		return next(ctx, cmds)
	}
}

func (p *pipeCounter) counts() (pipelines, scripts, single int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pipelines, p.scripts, p.single
}

// isScriptCall reports whether c runs submitScript.
func isScriptCall(c goredis.Cmder) bool {
	args := c.Args()
	if len(args) < 2 {
		return false
	}
	body, _ := args[1].(string)
	switch strings.ToLower(c.Name()) {
	case "evalsha":
		return body == submitScript.Hash()
	case "eval":
		return fmt.Sprintf("%x", sha1.Sum([]byte(body))) == submitScript.Hash()
	}
	return false
}

// testLogAt opens a Log on url whose round trips pc counts; close
// closes it (once; the test's end does too).
func testLogAt(t *testing.T, url string) (l *Log, pc *pipeCounter, close func()) {
	t.Helper()
	cfg := &config.Config{SyncInterval: 100 * time.Millisecond}
	cfg.Defaults()
	l, err := Open(url, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), metrics.New())
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	close = func() { once.Do(func() { _ = l.Close() }) }
	t.Cleanup(close)
	pc = &pipeCounter{}
	l.rdb.AddHook(pc)
	return l, pc, close
}

// histogram reads a histogram's sample count and sum.
func histogram(t *testing.T, h interface{ Write(*dto.Metric) error }) (count uint64, sum float64) {
	t.Helper()
	var m dto.Metric
	if err := h.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetHistogram().GetSampleCount(), m.GetHistogram().GetSampleSum()
}

// Many rooms submitting at once share round trips: while the submitter's
// workers are held in a round trip, the batches of every other room queue
// up and then go together, and each room gets its own reply: its numbers
// in its own sequence, dups and gaps marked.
func TestRedisSubmitterPipelinesManyRooms(t *testing.T) {
	// A Redis of the test's own: it has no script cached yet, so the first
	// pipeline meets NOSCRIPT and must recover from it.
	rd := redistest.Start(t, redistest.Options{})
	l, pc, _ := testLogAt(t, rd.URL())
	const rooms = 60
	names := make([]string, rooms)
	epochs := make([]uint64, rooms)
	for i := range names {
		names[i] = "pipe" + randomHex()
		st, err := l.Open(context.Background(), names[i])
		if err != nil {
			t.Fatal(err)
		}
		epochs[i] = st.Epoch
	}
	op := endOp()
	// Room i submits i%5+1 ops of author 1 from index base, then a resend
	// of the first and an op past a gap.
	batch := func(i int, base uint64) []oplog.BatchOp {
		var subs []oplog.BatchOp
		for k := range i%5 + 1 {
			subs = append(subs, oplog.BatchOp{Author: 1, Index: base + uint64(k), Op: op})
		}
		return append(subs,
			oplog.BatchOp{Author: 1, Index: base, Op: op},       // resend: 0
			oplog.BatchOp{Author: 1, Index: base + 100, Op: op}) // gap: -1
	}
	check := func(i int, firstSeq int64, res oplog.SubmitResult) {
		t.Helper()
		if res.Err != nil {
			t.Fatalf("room %d: %v", i, res.Err)
		}
		n := i%5 + 1
		if res.Epoch != epochs[i] || res.First != firstSeq || len(res.Seqs) != n+2 {
			t.Fatalf("room %d: reply %+v, want epoch %d, first %d, %d results", i, res, epochs[i], firstSeq, n+2)
		}
		for k := range n {
			if res.Seqs[k] != firstSeq+int64(k) {
				t.Fatalf("room %d: results %v, want %d.. in order", i, res.Seqs, firstSeq)
			}
		}
		if res.Seqs[n] != 0 || res.Seqs[n+1] != -1 {
			t.Fatalf("room %d: results %v: the resend must be 0 and the gap -1", i, res.Seqs)
		}
	}

	for round := range 2 {
		gate := make(chan struct{})
		pc.mu.Lock()
		pc.gate = gate
		pc.mu.Unlock()
		p0, s0, _ := pc.counts()
		replies := make([]chan oplog.SubmitResult, rooms)
		for i := range replies {
			replies[i] = make(chan oplog.SubmitResult, 1)
			base := uint64(round * (i%5 + 1)) // round 1 goes on after round 0's ops
			l.Submit(names[i], epochs[i], batch(i, base), replies[i])
		}
		// Every batch is queued or held in a round trip: let them go.
		time.Sleep(20 * time.Millisecond)
		pc.mu.Lock()
		pc.gate = nil
		pc.mu.Unlock()
		close(gate)
		for i, ch := range replies {
			select {
			case res := <-ch:
				first := int64(1)
				if round == 1 {
					first = int64(i%5 + 2) // after the first round's n ops
				}
				check(i, first, res)
			case <-time.After(10 * time.Second):
				t.Fatalf("round %d: room %d got no reply", round, i)
			}
		}
		p1, s1, _ := pc.counts()
		// At most one round trip per worker held at the gate, then the
		// rest together. Round 0 also retries the NOSCRIPT batches.
		limit := submitWorkers + 1
		if round == 0 {
			limit = 2 * (submitWorkers + 1)
		}
		if p := p1 - p0; p > limit {
			t.Errorf("round %d: %d rooms took %d round trips, want at most %d", round, rooms, p, limit)
		}
		if round == 1 && s1-s0 != rooms {
			t.Errorf("round %d: %d script calls for %d rooms, want one each", round, s1-s0, rooms)
		}
		t.Logf("round %d: %d rooms in %d round trips (%d script calls)", round, rooms, p1-p0, s1-s0)
	}
	if _, _, single := pc.counts(); single != 0 {
		t.Errorf("%d submits went outside a pipeline", single)
	}
	// The metric counts the same round trips and rooms.
	pipes, scripts, _ := pc.counts()
	if n, sum := histogram(t, l.metrics.PipelineRooms); n != uint64(pipes) || int(sum) != scripts {
		t.Errorf("sketchpad_redis_pipeline_rooms: %d round trips of %v rooms; the client saw %d of %d", n, sum, pipes, scripts)
	}

	// SCRIPT FLUSH between pipelines: the next one recovers again.
	rd.Do(t, "SCRIPT", "FLUSH")
	// Room 0 has 2 ops of author 1 numbered, room 2 has 6.
	_, res, err := l.submitWait(names[0], epochs[0], []oplog.BatchOp{{Author: 1, Index: 2, Op: op}})
	if err != nil || len(res) != 1 || res[0] != 3 {
		t.Fatalf("submit after SCRIPT FLUSH: %v %v", res, err)
	}
	// Another epoch is errEpoch for that room only.
	reply := make(chan oplog.SubmitResult, 2)
	l.Submit(names[1], epochs[1]+1, []oplog.BatchOp{{Author: 1, Index: 2, Op: op}}, reply)
	l.Submit(names[2], epochs[2], []oplog.BatchOp{{Author: 1, Index: 6, Op: op}}, reply)
	for range 2 {
		r := <-reply
		switch r.Epoch {
		case epochs[1] + 1:
			if r.Err != oplog.ErrEpoch {
				t.Errorf("submit under another epoch: %v", r.Err)
			}
		case epochs[2]:
			if r.Err != nil || len(r.Seqs) != 1 || r.Seqs[0] != 7 {
				t.Errorf("submit next to another room's epoch error: %+v", r)
			}
		}
	}
}

// With Redis gone every queued room gets an error (and no reply is lost);
// after Close, submits fail at once rather than wait.
func TestRedisSubmitterFailsEveryRoomWhenRedisIsDown(t *testing.T) {
	rd := redistest.Start(t, redistest.Options{})
	l, _, closeLog := testLogAt(t, rd.URL())
	st, err := l.Open(context.Background(), "down"+randomHex())
	if err != nil {
		t.Fatal(err)
	}
	rd.Kill()
	reply := make(chan oplog.SubmitResult, 1)
	for i := range 20 {
		l.Submit("down"+strconv.Itoa(i), st.Epoch, []oplog.BatchOp{{Author: 1, Index: 0, Op: endOp()}}, reply)
		select {
		case r := <-reply:
			if r.Err == nil {
				t.Fatalf("room %d: submit with Redis down succeeded", i)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("room %d: no reply with Redis down", i)
		}
	}
	closeLog()
	l.Submit("closed", st.Epoch, nil, reply)
	if r := <-reply; r.Err == nil {
		t.Fatal("submit after Close succeeded")
	}
}

// submitRooms opens n rooms and submits a one-op batch to each at once,
// without waiting; their replies come on the returned channel.
func submitRooms(t *testing.T, l *Log, n int) <-chan oplog.SubmitResult {
	t.Helper()
	replies := make(chan oplog.SubmitResult, n)
	type opened struct {
		name  string
		epoch uint64
	}
	rooms := make([]opened, n)
	for i := range rooms {
		rooms[i].name = "hold" + randomHex()
		st, err := l.Open(context.Background(), rooms[i].name)
		if err != nil {
			t.Fatal(err)
		}
		rooms[i].epoch = st.Epoch
	}
	for _, r := range rooms {
		l.Submit(r.name, r.epoch, []oplog.BatchOp{{Author: 1, Index: 0, Op: endOp()}}, replies)
	}
	return replies
}

// waitReplies takes n replies, failing the test on an error or when one
// does not come within the wait.
func waitReplies(t *testing.T, replies <-chan oplog.SubmitResult, n int, what string) {
	t.Helper()
	for i := range n {
		select {
		case r := <-replies:
			if r.Err != nil || r.First != 1 {
				t.Fatalf("%s: reply %d: %+v", what, i, r)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: %d of %d replies came", what, i, n)
		}
	}
}

// On a busy replica (batches come more often than the hold) a batch waits
// for other boards' batches, and they go in one round trip; a queue of
// gatherRooms boards goes at once, whatever is left of the hold.
func TestRedisSubmitterHoldsABusyReplicasBatchesForOneRoundTrip(t *testing.T) {
	l, pc, _ := testLogAt(t, redistest.Shared(t))
	waitReplies(t, submitRooms(t, l, 1), 1, "a first batch") // Redis has the script cached after it
	l.sub.mu.Lock()
	l.sub.hold, l.sub.gap = 2*time.Second, 0
	l.sub.mu.Unlock()
	before, _, _ := pc.counts()
	waitReplies(t, submitRooms(t, l, 5), 5, "five boards")
	if p, _, _ := pc.counts(); p-before != 1 {
		t.Errorf("five boards' batches took %d round trips, want 1", p-before)
	}
	l.sub.mu.Lock()
	l.sub.hold = time.Hour
	l.sub.mu.Unlock()
	waitReplies(t, submitRooms(t, l, gatherRooms), gatherRooms, "a full queue held an hour")
}

// On a quiet replica (batches come further apart than the hold) a batch
// is not held at all; a batch held when the log closes is failed, not
// lost.
func TestRedisSubmitterHoldsNothingOnAQuietReplica(t *testing.T) {
	l, _, closeLog := testLogAt(t, redistest.Shared(t))
	l.sub.mu.Lock()
	l.sub.hold = time.Hour
	l.sub.mu.Unlock()
	for i := range 3 {
		l.sub.mu.Lock()
		l.sub.gap = 2 * time.Hour // as if the last batch came long ago
		l.sub.mu.Unlock()
		waitReplies(t, submitRooms(t, l, 1), 1, fmt.Sprintf("quiet batch %d held an hour", i))
	}
	l.sub.mu.Lock()
	l.sub.gap = 0
	l.sub.mu.Unlock()
	replies := submitRooms(t, l, 1)
	closeLog()
	select {
	case r := <-replies:
		if r.Err == nil {
			t.Fatalf("a batch held as the log closed succeeded: %+v", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a batch held as the log closed got no reply")
	}
}
