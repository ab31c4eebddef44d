package redis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The replica's submitter: rooms hand it their batches of ops to number
// (submitAsync) and go on with their loop; it sends the batches of every
// room that is waiting in one go-redis pipeline (one EVALSHA of
// submitScript per room, one round trip for all of them) and hands each
// room its reply on the room's own channel.
//
// A room has at most one batch in flight (it submits again only after its
// reply came back), so an author's ops reach the sequencer in order, the
// queue never holds more than one request per room, and a reply channel of
// capacity one never blocks the submitter. A room never waits for the
// submitter either: queueing is an append under a mutex.
//
// submitWorkers goroutines take turns: each takes everything queued (up to
// maxPipeRooms rooms and about maxPipeOps ops), sends it, and distributes
// the replies. While they are busy new requests accumulate, so the busier
// the replica, the more rooms share a round trip.
//
// A round trip's system calls are most of what Redis spends on a batch
// of a few ops: reading the pipeline, writing the replies, writing each
// subscribed replica its messages, appending to the append-only file.
// Round trips are short, so a replica whose boards' batches come at
// different moments would send nearly every batch alone, and Redis would
// spend about twice per op what it does at four batches a round trip
// (BENCHMARKS.md). So the oldest batch queued may wait up to hold
// (--redis-hold) for others, but only while batches come at least that
// often (gap, averaged): where none is likely to follow within the hold,
// waiting would add latency and gather nothing. Waiting only while a
// round trip is in flight (group commit) was tried instead: on a quiet
// machine a round trip is too short to gather much, and on a busy one it
// gathered less than the hold, so it saved less CPU at no better tail
// (BENCHMARKS.md).

const (
	submitWorkers = 2
	maxPipeRooms  = 512
	maxPipeOps    = 16384
	// gatherRooms: a queue of this many rooms goes at once, hold or not.
	gatherRooms = 32
)

// submitReq is one room's batch, waiting for a pipeline.
type submitReq struct {
	room  string
	epoch uint64
	subs  []oplog.BatchOp // read only: the room does not touch it until the reply
	reply chan<- oplog.SubmitResult
}

type submitter struct {
	mu      sync.Mutex // guards the fields below but kick and hold
	queue   []submitReq
	since   time.Time     // when the oldest request queued came
	last    time.Time     // when the last request came
	gap     time.Duration // between requests, a moving average (from 1s: quiet)
	holding bool          // a worker waits out the hold for the queue
	stopped bool
	kick    chan struct{} // a request is queued (capacity 1: one wake-up pending is enough)
	hold    time.Duration // how long the oldest request may wait for others; <= 0: never
}

// Submit queues a room's batch; its result arrives on reply, which must
// have room for it (capacity 1, one request in flight per room).
func (l *Log) Submit(room string, epoch uint64, subs []oplog.BatchOp, reply chan<- oplog.SubmitResult) {
	q := &l.sub
	q.mu.Lock()
	if q.stopped {
		q.mu.Unlock()
		reply <- oplog.SubmitResult{Epoch: epoch, Err: goredis.ErrClosed}
		return
	}
	now := time.Now()
	q.gap += (min(now.Sub(q.last), time.Second) - q.gap) / 8 // a long quiet spell counts as 1s: the average is soon back
	q.last = now
	if len(q.queue) == 0 {
		q.since = now
	}
	q.queue = append(q.queue, submitReq{room: room, epoch: epoch, subs: subs, reply: reply})
	q.mu.Unlock()
	q.wake()
}

func (q *submitter) wake() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// take removes the next pipeline's worth of requests from the queue.
func (q *submitter) take(buf []submitReq) []submitReq {
	q.mu.Lock()
	defer q.mu.Unlock()
	n, ops := 0, 0
	for n < len(q.queue) && n < maxPipeRooms && (n == 0 || ops+len(q.queue[n].subs) <= maxPipeOps) {
		ops += len(q.queue[n].subs)
		n++
	}
	buf = append(buf[:0], q.queue[:n]...)
	rest := copy(q.queue, q.queue[n:])
	clear(q.queue[rest:])
	q.queue = q.queue[:rest]
	if rest > 0 {
		q.since = time.Time{} // what is left waited long enough already: it goes next
		q.wake()              // more than one pipeline's worth: another worker (or this one) goes on
	}
	return buf
}

// holdFor says how long a worker woken for the queue should wait before
// it takes it: 0 to take it now, -1 to leave it to the worker already
// waiting for it.
func (q *submitter) holdFor() time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.hold <= 0 || q.gap > q.hold || len(q.queue) == 0 || len(q.queue) >= gatherRooms {
		return 0
	}
	if q.holding {
		return -1
	}
	wait := time.Until(q.since.Add(q.hold))
	if wait > 0 {
		q.holding = true
	}
	return max(wait, 0)
}

// held ends a worker's hold.
func (q *submitter) held() {
	q.mu.Lock()
	q.holding = false
	q.mu.Unlock()
}

// stop fails whatever is queued and refuses what comes later.
func (q *submitter) stop() {
	q.mu.Lock()
	reqs := q.queue
	q.queue, q.stopped = nil, true
	q.mu.Unlock()
	for _, r := range reqs {
		r.reply <- oplog.SubmitResult{Epoch: r.epoch, Err: goredis.ErrClosed}
	}
}

// submitWorker sends pipelines until the log is closed.
func (l *Log) submitWorker() {
	defer l.done.Done()
	var reqs []submitReq
	hold := time.NewTimer(time.Hour)
	hold.Stop()
	for {
		select {
		case <-l.stop:
			l.sub.stop()
			return
		case <-l.sub.kick:
		}
		switch wait := l.sub.holdFor(); {
		case wait < 0:
			continue
		case wait > 0:
			hold.Reset(wait)
			select {
			case <-l.stop:
				l.sub.held()
				l.sub.stop()
				return
			case <-hold.C:
			}
			l.sub.held()
		}
		reqs = l.sub.take(reqs)
		if len(reqs) > 0 {
			l.pipeline(reqs)
			clear(reqs)
		}
	}
}

// pipeline numbers the batches of reqs in one round trip per Redis
// master (one, unless in a cluster) and replies to each. With
// --redis-wait-replicas N a WAIT N follows the scripts on the same
// connection, and the batches count as numbered only once N replicas have
// them (pipe_wait.go). A batch redirected by a resharding or a failover
// (MOVED, ASK, TRYAGAIN, CLUSTERDOWN: the script did not run) goes again
// once the client knows where its slot is now, within the log's deadline.
func (l *Log) pipeline(reqs []submitReq) {
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	start := time.Now()
	res := make([]oplog.SubmitResult, len(reqs))
	todo := make([]int, len(reqs))
	for i := range reqs {
		todo[i] = i
	}
	for attempt := 0; ; attempt++ {
		l.sendGroups(ctx, reqs, todo, res)
		again := todo[:0:0]
		for _, i := range todo {
			if isRedirect(res[i].Err) {
				again = append(again, i)
			}
		}
		if len(again) == 0 || ctx.Err() != nil {
			break
		}
		// Where the slots are now: go-redis reloads its map in the
		// background; a resharding moves a slot in milliseconds.
		if l.cl.cluster != nil {
			l.cl.cluster.ReloadState(ctx)
		}
		select {
		case <-ctx.Done():
		case <-time.After(min(time.Duration(attempt+1)*20*time.Millisecond, 200*time.Millisecond)):
		}
		todo = again
	}
	l.metrics.PipelineTime.Observe(time.Since(start).Seconds())
	if l.cl.cluster != nil {
		for i := range res {
			if res[i].Err != nil {
				// A master may have died: go-redis learns who replaced it
				// only when asked (the pipelines go to its node directly).
				l.cl.cluster.ReloadState(ctx)
				break
			}
		}
	}
	for i, q := range reqs {
		r := res[i]
		r.Epoch = q.epoch
		if errors.Is(r.Err, errLost) {
			r.Err = l.rebirth(context.Background(), q.room, q.epoch, l.marks.get(q.room, q.epoch))
		}
		if r.Err == nil {
			last, resent := uint64(0), false
			for _, s := range r.Seqs {
				last = max(last, uint64(max(s, 0)))
				resent = resent || s == 0
			}
			l.marks.note(q.room, q.epoch, last)
			if resent {
				// Numbered by an earlier try whose reply was lost (or
				// whose WAIT failed, and whose batch was then never
				// published): the room reads the log for it.
				_, _, _, _, ch := roomKeys(q.room)
				if ln := l.room(ch); ln != nil {
					ln.Resync()
				}
			}
		}
		q.reply <- r
		if r.Err == nil && r.First > 0 {
			// Only now, with the reply on the room's channel, may bus.go
			// drop the batch's message (oplog.Listener).
			n := uint64(0)
			for _, s := range r.Seqs {
				if s > 0 {
					n++
				}
			}
			if n > 0 {
				l.marks.replied(q.room, q.epoch, uint64(r.First), uint64(r.First)+n-1)
			}
		}
	}
}

// sendGroups sends the batches todo of reqs, one pipeline per master at
// once, and fills in their results.
func (l *Log) sendGroups(ctx context.Context, reqs []submitReq, todo []int, res []oplog.SubmitResult) {
	if l.cl.cluster == nil {
		l.sendTo(ctx, l.cl.single, reqs, todo, res)
		return
	}
	groups := make(map[*goredis.Client][]int)
	for _, i := range todo {
		meta, _, _, _, _ := roomKeys(reqs[i].room)
		c, err := l.cl.cluster.MasterForKey(ctx, meta)
		if err != nil {
			res[i] = oplog.SubmitResult{Err: err}
			continue
		}
		groups[c] = append(groups[c], i)
	}
	var wg sync.WaitGroup
	for c, idx := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.sendTo(ctx, c, reqs, idx, res)
		}()
	}
	wg.Wait()
}

// sendTo numbers the batches idx of reqs on one Redis (a master) in one
// pipeline on one connection, followed by WAIT when replicas must confirm.
// A script Redis does not have cached (NOSCRIPT: restarted, failed over,
// or SCRIPT FLUSH) did not run; those batches go again in one more round
// trip, after a SCRIPT LOAD in the same pipeline.
func (l *Log) sendTo(ctx context.Context, c *goredis.Client, reqs []submitReq, idx []int, res []oplog.SubmitResult) {
	// A pipeline goes on one pooled connection. With WAIT the scripts,
	// WAIT and the publishes after it must share one (WAIT counts the
	// writes of its connection), so the connection is held for all of
	// them; without it a pipeline is all there is, and holding a
	// connection would only cost a Conn for every round trip.
	var conn *goredis.Conn
	newPipe := c.Pipeline
	if l.waitReplicas > 0 {
		conn = c.Conn()
		defer conn.Close()
		newPipe = conn.Pipeline
	}
	keys := make([][]string, len(idx))
	args := make([][]any, len(idx))
	cmds := make([]*goredis.Cmd, len(idx))
	l.metrics.PipelineRooms.Observe(float64(len(idx)))
	pipe := newPipe()
	for k, i := range idx {
		q := reqs[i]
		keys[k], args[k] = submitArgs(q.room, q.epoch, q.subs, l.publishIn(), l.marks.get(q.room, q.epoch))
		cmds[k] = submitScript.EvalSha(ctx, pipe, keys[k], args[k]...)
	}
	wait := l.appendWait(ctx, pipe)
	_, _ = pipe.Exec(ctx) // each command carries its own error
	var again []int
	for k, cmd := range cmds {
		if cmd.Err() != nil && goredis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
			again = append(again, k)
		}
	}
	if len(again) > 0 {
		l.metrics.PipelineRooms.Observe(float64(len(again)))
		pipe = newPipe()
		pipe.ScriptLoad(ctx, submitLua)
		for _, k := range again {
			cmds[k] = submitScript.EvalSha(ctx, pipe, keys[k], args[k]...)
		}
		wait = l.appendWait(ctx, pipe)
		_, _ = pipe.Exec(ctx)
	}
	waitErr := l.waited(ctx, conn, wait)
	held := wait != nil
	var msgs []heldMsg
	for k, i := range idx {
		first, seqs, msg, err := submitReply(cmds[k], len(reqs[i].subs), held)
		if err == nil && waitErr != nil {
			err = waitErr
		}
		if err == nil && msg != "" {
			msgs = append(msgs, heldMsg{reqs[i].room, msg})
		}
		res[i] = oplog.SubmitResult{First: first, Seqs: seqs, Err: err}
	}
	l.publishHeld(ctx, conn, msgs)
}

// submitArgs are submitScript's keys and arguments for a batch: publish
// is the command that publishes it (PUBLISH, or SPUBLISH in a cluster),
// seen the highest seq this replica saw of the board (lost.go).
func submitArgs(room string, epoch uint64, subs []oplog.BatchOp, publish string, seen uint64) ([]string, []any) {
	meta, lg, applied, _, ch := roomKeys(room)
	args := make([]any, 0, 4+3*len(subs))
	args = append(args, epochBytes(epoch), ch, publish, seen)
	var entry []byte
	for _, s := range subs {
		entry = binary.AppendUvarint(entry[:0], uint64(s.Author))
		entry = binary.AppendUvarint(entry, uint64(len(s.Op)))
		entry = append(entry, s.Op...)
		args = append(args, s.Author, s.Index, string(entry))
	}
	return []string{meta, lg, applied}, args
}

// errLost: the log is behind what this replica saw of the board (lost.go).
var errLost = errors.New("board log behind what was seen of it")

// submitReply reads submitScript's reply to a batch of n ops; msg is the
// message to publish when the script left that to the caller.
func submitReply(c *goredis.Cmd, n int, held bool) (first int64, res []int64, msg string, err error) {
	v, err := c.Slice()
	if err != nil {
		return 0, nil, "", err
	}
	if len(v) == 1 {
		switch asInt(v[0]) {
		case -1:
			return 0, nil, "", oplog.ErrEpoch
		case -2:
			return 0, nil, "", errLost
		}
	}
	if held {
		if len(v) != 2+n {
			return 0, nil, "", fmt.Errorf("submit: unexpected reply length %d", len(v))
		}
		msg, _ = v[len(v)-1].(string)
		v = v[:len(v)-1]
	}
	if len(v) != 1+n {
		return 0, nil, "", fmt.Errorf("submit: unexpected reply length %d", len(v))
	}
	res = make([]int64, n)
	for i := range res {
		x, ok := v[1+i].(int64)
		if !ok {
			return 0, nil, "", fmt.Errorf("submit: unexpected reply %v", v)
		}
		res[i] = x
	}
	return asInt(v[0]), res, msg, nil
}

// submitWait sequences ops through the submitter (in the next pipeline)
// and waits for the result: the sequence number of each op (0: a
// duplicate, -1: an index gap) and the first number assigned, or errEpoch.
func (l *Log) submitWait(room string, epoch uint64, subs []oplog.BatchOp) (first int64, res []int64, err error) {
	reply := make(chan oplog.SubmitResult, 1)
	l.Submit(room, epoch, subs, reply)
	r := <-reply
	return r.First, r.Seqs, r.Err
}
