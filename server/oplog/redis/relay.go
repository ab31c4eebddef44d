package redis

import (
	"context"
	"encoding/binary"
	"errors"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// The relay (oplog.Relay): what a room relays to the other replicas with
// the board open (who is on it, cursors, laser trails, views, text
// claims) goes through the board's own channel, sp:{R}, beside its ops:
// the same subscription (in a cluster, the same shard channel on the
// board's slot, on the one connection per master shard.go holds), so a
// replica watching a board hears its news at no cost in connections or
// subscriptions. A relayed message is eight zero bytes where a batch has
// its epoch (never 0, oplog.NewEpoch), the sending replica's id (8
// bytes), and the room's message. Nothing of it is stored.
//
// Rooms call Relay from their loops, which never wait for Redis: messages
// go on a queue, and one goroutine publishes whatever is queued in one
// pipeline (a round trip for every board's news of the moment). A full
// queue drops the message (counted); the rooms announce their people
// again every few seconds, so a lost message is mended.

// relayQueue bounds the messages waiting to be published: a few cursor
// intervals of news from a few thousand boards.
const relayQueue = 8192

// relayBatch bounds one pipeline.
const relayBatch = 512

type relayed struct {
	ch      string
	payload []byte
}

var _ oplog.Relay = (*Log)(nil)

// Relay queues msg for the replicas watching room.
func (l *Log) Relay(room string, msg []byte) {
	_, _, _, _, ch := roomKeys(room)
	p := make([]byte, 16+len(msg))
	binary.BigEndian.PutUint64(p[8:], l.id)
	copy(p[16:], msg)
	select {
	case l.relayQ <- relayed{ch, p}:
	default:
		l.metrics.RelayDrops.Inc()
	}
}

// relayer publishes the queued messages until the log closes, and then
// what is still queued (the rooms' goodbyes as the replica shuts down).
func (l *Log) relayer() {
	defer l.done.Done()
	batch := make([]relayed, 0, relayBatch)
	for {
		select {
		case m := <-l.relayQ:
			batch = append(batch[:0], m)
		case <-l.stop:
			for {
				batch = l.takeRelayed(batch[:0])
				if len(batch) == 0 {
					return
				}
				l.publishRelayed(batch)
			}
		}
		l.publishRelayed(l.takeRelayed(batch))
	}
}

// takeRelayed appends what is queued to batch, up to relayBatch.
func (l *Log) takeRelayed(batch []relayed) []relayed {
	for len(batch) < relayBatch {
		select {
		case m := <-l.relayQ:
			batch = append(batch, m)
		default:
			return batch
		}
	}
	return batch
}

// publishRelayed publishes batch in one pipeline (grouped by master in a
// cluster, by the cluster client).
func (l *Log) publishRelayed(batch []relayed) {
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	_, err := l.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, m := range batch {
			if l.shards != nil {
				p.SPublish(ctx, m.ch, m.payload)
			} else {
				p.Publish(ctx, m.ch, m.payload)
			}
		}
		return nil
	})
	if err != nil {
		l.metrics.RelayDrops.Add(float64(len(batch)))
		l.log.Debug("relay", "messages", len(batch), "err", err)
	}
}

// splitRelayed reports whether p, a message on a board's channel, is
// relayed news rather than a batch of ops, and if so who sent it and
// what. err: news too short to name its sender.
func splitRelayed(p []byte) (news bool, from uint64, msg []byte, err error) {
	if len(p) < 8 || binary.BigEndian.Uint64(p) != 0 {
		return false, 0, nil, nil
	}
	if len(p) < 16 {
		return true, 0, nil, errors.New("relayed message too short")
	}
	from = binary.BigEndian.Uint64(p[8:])
	if from == 0 {
		return true, 0, nil, errors.New("relayed message from replica 0")
	}
	return true, from, p[16:], nil
}

// deliverRelayed hands news from another replica to the room watching
// ch, if it listens for news; a replica's own news come back to it and
// are dropped here.
func (l *Log) deliverRelayed(ln oplog.Listener, ch string, from uint64, msg []byte, err error) {
	if err != nil {
		l.metrics.RelayDrops.Inc()
		l.log.Debug("bad relayed message dropped", "channel", ch, "err", err) // counted: sketchpad_relay_drops_total
		return
	}
	if from == l.id {
		return
	}
	if rl, ok := ln.(oplog.RelayListener); ok {
		rl.Relayed(from, msg)
	}
}
