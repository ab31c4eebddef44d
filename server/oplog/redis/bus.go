package redis

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/sketchpad/sketchpad/canvas"
)

// The bus: a batch the sequencer numbered is published on its board's
// channel (sp:{R}) as the epoch (8 bytes) and one canvas Ops message (or,
// with eight zero bytes there, it is news a room relayed: relay.go), and
// the subscriber (receive for one Redis, shard.go's for a cluster) hands it
// to the board's room here.

// deliver hands a published batch to its room. A batch that numbers again
// what was already published lost ops (lost.go): the board gets a new
// epoch and the room reopens it.
func (l *Log) deliver(ch, payload string) {
	r := l.room(ch)
	if r == nil {
		return
	}
	p := []byte(payload) // one copy, for the news or for the batch
	if news, from, msg, err := splitRelayed(p); news {
		l.deliverRelayed(r, ch, from, msg, err) // relay.go
		return
	}
	epoch, first, ops, err := decodeBusMessage(p)
	if err != nil {
		l.log.Error("bad bus message; the room resyncs from the log", "channel", ch, "err", err)
		r.Resync()
		return
	}
	room := ch[len("sp:{") : len(ch)-1]
	if reused, news := l.marks.published(room, epoch, first, first+uint64(len(ops))-1); reused {
		if news {
			l.done.Add(1)
			go func() { // off the subscriber's loop, which never waits for Redis
				defer l.done.Done()
				_ = l.rebirth(context.Background(), room, epoch, first)
				r.Resync()
			}()
		}
		return
	}
	if !r.Published(epoch, first, ops) {
		l.metrics.BusDrops.Inc()
	}
}

// decodeBusMessage splits a published message into its epoch and ops.
func decodeBusMessage(p []byte) (epoch, first uint64, ops []canvas.SeqOp, err error) {
	if len(p) < 8 {
		return 0, 0, nil, errors.New("bus message too short")
	}
	epoch = binary.BigEndian.Uint64(p)
	n := 0
	err = canvas.DecodeServerFrame(p[8:], func(m *canvas.ServerMsg) error {
		n++
		if m.Type != canvas.MsgOps || n > 1 {
			return errors.New("bus message is not one Ops message")
		}
		first, ops = m.FirstSeq, append(ops, m.Ops...)
		return nil
	})
	if err == nil && n != 1 {
		err = errors.New("bus message is not one Ops message")
	}
	return epoch, first, ops, err
}
