package redis

import (
	"context"
	"encoding/binary"
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

const (
	submitWorkers = 2
	maxPipeRooms  = 512
	maxPipeOps    = 16384
)

// submitReq is one room's batch, waiting for a pipeline.
type submitReq struct {
	room  string
	epoch uint64
	subs  []oplog.BatchOp // read only: the room does not touch it until the reply
	reply chan<- oplog.SubmitResult
}

type submitter struct {
	mu      sync.Mutex
	queue   []submitReq
	stopped bool
	kick    chan struct{} // a request is queued (capacity 1: one wake-up pending is enough)
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
		q.wake() // more than one pipeline's worth: another worker (or this one) goes on
	}
	return buf
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
	for {
		select {
		case <-l.stop:
			l.sub.stop()
			return
		case <-l.sub.kick:
		}
		reqs = l.sub.take(reqs)
		if len(reqs) > 0 {
			l.pipeline(reqs)
			clear(reqs)
		}
	}
}

// pipeline numbers the batches of reqs in one round trip and replies to
// each. A script Redis does not have cached (NOSCRIPT: restarted, or
// SCRIPT FLUSH) did not run; those batches go again in one more round
// trip, after a SCRIPT LOAD in the same pipeline.
func (l *Log) pipeline(reqs []submitReq) {
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	start := time.Now()
	l.metrics.PipelineRooms.Observe(float64(len(reqs)))
	keys := make([][]string, len(reqs))
	args := make([][]any, len(reqs))
	cmds := make([]*goredis.Cmd, len(reqs))
	pipe := l.rdb.Pipeline()
	for i, q := range reqs {
		keys[i], args[i] = submitArgs(q.room, q.epoch, q.subs)
		cmds[i] = submitScript.EvalSha(ctx, pipe, keys[i], args[i]...)
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error
	var again []int
	for i, c := range cmds {
		if c.Err() != nil && goredis.HasErrorPrefix(c.Err(), "NOSCRIPT") {
			again = append(again, i)
		}
	}
	if len(again) > 0 {
		l.metrics.PipelineRooms.Observe(float64(len(again)))
		pipe = l.rdb.Pipeline()
		pipe.ScriptLoad(ctx, submitLua)
		for _, i := range again {
			cmds[i] = submitScript.EvalSha(ctx, pipe, keys[i], args[i]...)
		}
		_, _ = pipe.Exec(ctx)
	}
	l.metrics.PipelineTime.Observe(time.Since(start).Seconds())
	for i, q := range reqs {
		first, res, err := submitReply(cmds[i], len(q.subs))
		q.reply <- oplog.SubmitResult{Epoch: q.epoch, First: first, Seqs: res, Err: err}
	}
}

// submitArgs are submitScript's keys and arguments for a batch.
func submitArgs(room string, epoch uint64, subs []oplog.BatchOp) ([]string, []any) {
	meta, lg, applied, _, ch := roomKeys(room)
	args := make([]any, 0, 2+3*len(subs))
	args = append(args, epochBytes(epoch), ch)
	var entry []byte
	for _, s := range subs {
		entry = binary.AppendUvarint(entry[:0], uint64(s.Author))
		entry = binary.AppendUvarint(entry, uint64(len(s.Op)))
		entry = append(entry, s.Op...)
		args = append(args, s.Author, s.Index, string(entry))
	}
	return []string{meta, lg, applied}, args
}

// submitReply reads submitScript's reply to a batch of n ops.
func submitReply(c *goredis.Cmd, n int) (first int64, res []int64, err error) {
	v, err := c.Int64Slice()
	if err != nil {
		return 0, nil, err
	}
	if len(v) == 1 && v[0] == -1 {
		return 0, nil, oplog.ErrEpoch
	}
	if len(v) != 1+n {
		return 0, nil, fmt.Errorf("submit: unexpected reply length %d", len(v))
	}
	return v[0], v[1:], nil
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
