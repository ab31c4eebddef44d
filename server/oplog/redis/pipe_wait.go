package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// --redis-wait-replicas N: a batch is acknowledged to its room (and so to
// its authors) only once N replicas of its master have it. Redis
// replicates asynchronously, so without it a master that dies a moment
// after numbering an op can be replaced by a replica that never got it,
// and the op is lost although its author was told it was kept (the board
// then starts a new epoch and its pages reload: lost.go).
//
// WAIT cannot run inside a script, and it counts the writes of the
// connection it is sent on: so it is the last command of the pipeline the
// scripts went in, on the same connection (pipe.go's sendTo), one WAIT
// for every batch of the pipeline. The price is the replication round
// trip, once per pipeline, not once per board (BENCHMARKS.md).
//
// Nor are the batches published before replicas have them: a room learns
// its own ops from its channel as readily as from its reply, so a batch
// published at once would reach its authors' pages before WAIT answered.
// The script returns the message instead of publishing it, and the
// submitter publishes the confirmed ones after WAIT, in one more pipeline
// on the same master. (Batches of one board from two replicas may then
// be published out of order; a room takes a gap for a gap and reads the
// log, as it does for any lost message. Such a read, or a page opening
// the board, can still see ops numbered a moment ago whose WAIT has not
// answered yet: if those are lost in a failover after all, the board's
// new epoch reloads the pages that saw them.)
//
// A replica that does not confirm within waitTimeout fails the batches:
// their rooms pause drawing and send them again (a resend is not numbered
// twice); another WAIT on the same connection then covers the numbered
// writes. Ops numbered but not yet confirmed may already have reached
// other replicas' pages through pub/sub; if they are lost after all, the
// board's new epoch reloads those pages.

// waitTimeout bounds one WAIT: well under the log's deadline, well over a
// replication round trip.
const waitTimeout = time.Second

// publishIn is submit.lua's publish argument: the command, or "" when
// the submitter publishes after WAIT.
func (l *Log) publishIn() string {
	if l.waitReplicas > 0 {
		return ""
	}
	return l.publish
}

// heldMsg is a batch's message, published once replicas confirmed it.
type heldMsg struct{ room, msg string }

// publishHeld publishes confirmed batches, in one pipeline on conn (the
// boards' master: a shard channel is published where its slot is).
func (l *Log) publishHeld(ctx context.Context, conn *goredis.Conn, msgs []heldMsg) {
	if len(msgs) == 0 {
		return
	}
	pipe := conn.Pipeline()
	for _, m := range msgs {
		_, _, _, _, ch := roomKeys(m.room)
		pipe.Do(ctx, l.publish, ch, m.msg)
	}
	// A message not published is a message lost, which pub/sub allows:
	// the rooms repair from the log when they see the gap.
	_, _ = pipe.Exec(ctx)
}

// appendWait queues WAIT after the scripts of pipe when replicas must
// confirm (nil otherwise).
func (l *Log) appendWait(ctx context.Context, pipe goredis.Pipeliner) *goredis.Cmd {
	if l.waitReplicas <= 0 {
		return nil
	}
	return pipe.Do(ctx, "wait", l.waitReplicas, waitTimeout.Milliseconds())
}

// waited checks WAIT's answer; when too few replicas confirmed in time it
// asks once more on the same connection (the writes are still counted
// there) while the deadline allows.
func (l *Log) waited(ctx context.Context, conn *goredis.Conn, wait *goredis.Cmd) error {
	if wait == nil {
		return nil
	}
	n, err := wait.Int64()
	for err == nil && n < int64(l.waitReplicas) {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < waitTimeout+100*time.Millisecond {
			break
		}
		n, err = conn.Wait(ctx, l.waitReplicas, waitTimeout).Result()
	}
	if err != nil {
		return fmt.Errorf("wait for %d replicas: %w", l.waitReplicas, err)
	}
	if n < int64(l.waitReplicas) {
		return fmt.Errorf("wait for %d replicas: %d confirmed", l.waitReplicas, n)
	}
	return nil
}
