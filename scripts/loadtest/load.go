package main

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// The bookkeeping every scenario shares. One process holds the drawers and
// the receivers, so latency needs no clock sync: a drawer notes when it
// sent op i (its op index, the position among its own ops) in its sent
// table just before writing it, and a receiver that sees op i of that
// author looks the time up. Each receiver counts, per drawer, the ops it
// saw, which gives the op's index (rooms are fresh, so every count starts
// at 0) and, at the end, ops lost or duplicated.

// clock is the run's monotonic clock, in nanoseconds.
type clock struct{ start time.Time }

func (c *clock) now() int64 { return int64(time.Since(c.start)) }

// load is the state of one run that connections touch concurrently.
type load struct {
	clock
	lat  histogram // op send to peer receipt
	self histogram // op send to its echo back to the author (sketchpad's ack)
	// With more than one replica, lat split by where the peer is: on its
	// drawer's replica (the sequencer's reply) or on another (pub/sub).
	latNear, latFar histogram

	// Progress counters, summed into the report at the end too.
	peerPoints atomic.Int64 // points delivered to clients other than their author
	selfPoints atomic.Int64 // points echoed back to their author
	sentPoints atomic.Int64
	sentOps    atomic.Int64
	bytesUp    atomic.Int64 // frames sent by clients, WebSocket framing included
	bytesDown  atomic.Int64 // frames received by clients, WebSocket framing included
	framesUp   atomic.Int64
	framesDown atomic.Int64
	measuring  atomic.Bool  // byte and frame counters count only while set
	from       atomic.Int64 // deliveries and latencies count for ops sent from then (clock ns)
	errs       atomic.Int64
	firstErr   atomic.Pointer[string]
}

// counts reports whether an op sent at sent (clock ns) is in the measured
// window: its deliveries and latency count, whenever it arrives.
func (l *load) counts(sent int64) bool {
	f := l.from.Load()
	return f > 0 && sent >= f
}

func (l *load) fail(msg string) {
	l.errs.Add(1)
	l.firstErr.CompareAndSwap(nil, &msg)
}

type sentSlot = atomic.Int64

// room is one board (or Socket.IO room) of the run.
type room struct {
	name    string
	drawers []*drawer
	clients []*client
	idx     atomic.Pointer[roomIndex] // published once every client is in
}

// roomIndex maps author ids to the room's drawers. It is published
// atomically before drawing starts: read goroutines exist before it does.
type roomIndex struct {
	byAuthor map[uint32]*drawer
	drawers  int
}

// drawerOf returns the drawer that is author a (nil if none) and makes
// sure c.counts is sized. Read goroutine only.
func (c *client) drawerOf(a uint32) *drawer {
	ix := c.room.idx.Load()
	if ix == nil {
		return nil
	}
	if c.counts == nil {
		c.counts = make([]uint64, ix.drawers)
	}
	return ix.byAuthor[a]
}

// drawer is the sending side of a client that draws.
type drawer struct {
	c     *client
	ord   int          // index in room.drawers
	sent  []sentSlot   // send time of op i (clock ns), 0 if not sent
	pts   []int32      // points in op i, written before the op is sent
	ops   atomic.Int64 // ops sent
	stop  atomic.Bool
	done  chan struct{}
	ended atomic.Bool // drawing stopped (the last op, if any, was sent)
}

// client is one connection's counters (owned by its read goroutine unless
// atomic) and its protocol state.
type client struct {
	l       *load
	room    *room
	id      int    // index in the run
	author  uint32 // sketchpad: from Welcome; peer: id+1
	replica int    // index of the replica it is connected to
	d       *drawer

	counts   []uint64 // ops seen per drawer of the room (by drawer ord)
	lastSeq  uint64   // sketchpad: last sequence number seen
	ops      uint64   // ops received (any author)
	dups     uint64   // ops received twice
	gaps     uint64   // ops skipped (sequence or per-sender numbering gaps)
	foreign  uint64   // ops from an author that is not a drawer of the run
	acked    atomic.Int64
	hash     uint64       // FNV-1a over every op received, in order
	seen     atomic.Int64 // ops received, for progress and the drain
	closed   atomic.Bool
	byUs     atomic.Bool // we closed it (a close the server did not start)
	byServer atomic.Bool // it was closed before we closed it
	closeMsg atomic.Pointer[string]
	done     chan struct{} // closed by the read goroutine when it ends
}

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func fnvU32(h uint64, v uint32) uint64 {
	for range 4 {
		h ^= uint64(v & 0xff)
		h *= fnvPrime
		v >>= 8
	}
	return h
}

func fnv(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// histogram is a log-linear latency histogram of microseconds, 32 buckets
// per power of two (about 3% resolution), lock-free.
type histogram struct {
	b     [40 * 32]atomic.Uint64
	n     atomic.Uint64
	sumUs atomic.Uint64
	maxUs atomic.Uint64
}

func bucketOf(us uint64) int {
	if us < 32 {
		return int(us)
	}
	e := bits.Len64(us) - 6 // us >= 32: 5 mantissa bits after the leading 1
	i := (e+1)*32 + int(us>>uint(e)&31)
	return min(i, 40*32-1)
}

func bucketFloor(i int) uint64 {
	if i < 32 {
		return uint64(i)
	}
	e := i/32 - 1
	return (32 + uint64(i%32)) << uint(e)
}

func (h *histogram) add(ns int64) {
	if ns < 0 {
		ns = 0
	}
	us := uint64(ns / 1000)
	h.b[bucketOf(us)].Add(1)
	h.n.Add(1)
	h.sumUs.Add(us)
	for {
		m := h.maxUs.Load()
		if us <= m || h.maxUs.CompareAndSwap(m, us) {
			break
		}
	}
}

// quantile returns the q-quantile in milliseconds (the upper edge of its
// bucket), or NaN without samples.
func (h *histogram) quantile(q float64) float64 {
	n := h.n.Load()
	if n == 0 {
		return math.NaN()
	}
	rank := uint64(math.Ceil(q * float64(n)))
	var seen uint64
	for i := range h.b {
		seen += h.b[i].Load()
		if seen >= rank {
			hi := bucketFloor(i + 1)
			return math.Min(float64(hi), float64(h.maxUs.Load())) / 1000
		}
	}
	return float64(h.maxUs.Load()) / 1000
}

func (h *histogram) mean() float64 {
	n := h.n.Load()
	if n == 0 {
		return math.NaN()
	}
	return float64(h.sumUs.Load()) / float64(n) / 1000
}

// latencyStats summarises a histogram for the report.
type latencyStats struct {
	N    uint64  `json:"n"`
	Mean float64 `json:"mean_ms"`
	P50  float64 `json:"p50_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p999_ms"`
	Max  float64 `json:"max_ms"`
}

func (h *histogram) stats() latencyStats {
	return latencyStats{N: h.n.Load(), Mean: h.mean(), P50: h.quantile(0.5), P99: h.quantile(0.99),
		P999: h.quantile(0.999), Max: float64(h.maxUs.Load()) / 1000}
}

// wsHeader is the size of a WebSocket frame header for a payload of n
// bytes: 2, 4 or 10 bytes, plus the 4-byte mask on frames a client sends.
func wsHeader(n int, masked bool) int {
	h := 2
	switch {
	case n > 65535:
		h = 10
	case n > 125:
		h = 4
	}
	if masked {
		h += 4
	}
	return h
}
