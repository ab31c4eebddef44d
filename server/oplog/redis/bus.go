package redis

import (
	"context"
	"encoding/binary"
	"errors"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
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
	room := ch[len("sp:{") : len(ch)-1]
	if epoch, first, n, ok := busHeader(p); ok && l.marks.own(room, epoch, first, first+n-1) {
		// This replica's own batch, whose reply is with its room already
		// (pipe.go): dropped unread, as the Listener contract allows. Its
		// numbers still count as published, so a reuse is still seen.
		if reused, news := l.marks.published(room, epoch, first, first+n-1); reused {
			l.reborn(r, room, epoch, first, news)
		}
		return
	}
	epoch, first, ops, err := decodeBusMessage(p)
	if err != nil {
		l.log.Error("bad bus message; the room resyncs from the log", "channel", ch, "err", err)
		r.Resync()
		return
	}
	if reused, news := l.marks.published(room, epoch, first, first+uint64(len(ops))-1); reused {
		l.reborn(r, room, epoch, first, news)
		return
	}
	if !r.Published(epoch, first, ops) {
		l.metrics.BusDrops.Inc()
	}
}

// reborn acts on a published batch that reuses numbers already published
// (the log lost ops): the first time, the board gets a new epoch and the
// room reopens it.
func (l *Log) reborn(r oplog.Listener, room string, epoch, first uint64, news bool) {
	if !news {
		return
	}
	l.done.Add(1)
	go func() { // off the subscriber's loop, which never waits for Redis
		defer l.done.Done()
		_ = l.rebirth(context.Background(), room, epoch, first)
		r.Resync()
	}()
}

// busHeader reads a published batch's epoch, first number and op count
// without decoding its ops (ok false: not a well-formed head of one Ops
// message with at least one op; decodeBusMessage then has its say).
func busHeader(p []byte) (epoch, first, n uint64, ok bool) {
	if len(p) < 10 || p[8] != canvas.MsgOps {
		return 0, 0, 0, false
	}
	epoch = binary.BigEndian.Uint64(p)
	size, k := binary.Uvarint(p[9:])
	if k <= 0 || size != uint64(len(p)-9-k) {
		return 0, 0, 0, false
	}
	body := p[9+k:]
	first, k = binary.Uvarint(body)
	if k <= 0 {
		return 0, 0, 0, false
	}
	n, k2 := binary.Uvarint(body[k:])
	if k2 <= 0 || n == 0 || n > canvas.MaxOpsPerMessage || first == 0 || first+n-1 < first {
		return 0, 0, 0, false
	}
	return epoch, first, n, true
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
