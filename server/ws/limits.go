package ws

import (
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// Rate limits. Every client frame belongs to a class; each class has a
// token bucket per connection and one per client IP (shared by that IP's
// connections). A frame beyond its budget is not dropped but waited for:
// the connection's read loop sleeps until the bucket refills, so the
// offender is slowed down by TCP backpressure while everyone else is not.
// The client is told how long with a Notice (code 429); if it keeps
// sending faster than its budget for longer than maxDebt, it is closed with
// 4429. Cursor, laser and view updates are the exception: beyond budget
// they are dropped (a newer one is coming, and a laser trail only fades),
// never waited for.

type rateClass uint8

const (
	classDraw        rateClass = iota // strokes, shapes, text, moves
	classDestructive                  // erase, restore, clear, undo of a clear, remove
	classPresence                     // cursor, laser, view, name
	numClasses
)

func classOf(typ byte) rateClass {
	switch canvas.OpType(typ) {
	case canvas.OpErase, canvas.OpRestore, canvas.OpClear, canvas.OpUnsweep, canvas.OpRemove:
		return classDestructive
	}
	if canvas.IsOp(typ) {
		return classDraw
	}
	return classPresence
}

// dropsOverBudget reports whether a frame of type typ beyond its budget is
// dropped rather than waited for.
func dropsOverBudget(typ byte) bool {
	return typ == canvas.MsgCursor || typ == canvas.MsgLaser || typ == canvas.MsgView
}

// drawsOnBoard reports whether a frame of type typ needs the right to draw:
// ops, the laser pointer, which a view link's page has no tool for, and
// the claim on a text to type into. A viewer's View is relayed: it shows
// no one anything they could not see, and a presenter on a view link can
// be followed.
func drawsOnBoard(typ byte) bool {
	return canvas.IsOp(typ) || typ == canvas.MsgLaser || typ == canvas.MsgEditing
}

// maxDebt is how far (in time) a connection may run ahead of its budget
// before it is closed instead of slowed down.
const maxDebt = 5 * time.Second

// bucket is a token bucket: rate tokens per second, up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

// take takes one token at now and returns how long the caller must wait
// for it (0: at once). The debt is recorded: waiting it out is the caller's
// part.
func (b *bucket) take(now time.Time, rate, burst float64) time.Duration {
	if b.last.IsZero() {
		b.tokens, b.last = burst, now
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / rate * float64(time.Second))
}

// Burst is how many frames of a class a connection may send at once, its
// bucket full, for a class of rate frames per second. The board page is
// told the drawing class's (server.drawBurstMeta), so that a paste it
// would have to slow down is refused up front.
func Burst(rate float64) float64 { return 2 * rate }

// ClassRate is one class's budget.
type ClassRate struct {
	PerSecond float64
	Burst     float64
}

// limiter holds a connection's buckets. Used by its read goroutine only.
type limiter struct {
	conn [numClasses]bucket
	ip   *ipEntry
}

// ipLimits holds per-IP buckets and connection counts for every client IP
// seen recently. Its size is bounded: entries with no connection are
// forgotten after a quiet period, and when the table is full new IPs share
// one overflow entry, so many distinct IPs cannot grow it without bound.
type ipLimits struct {
	mu       sync.Mutex
	entries  map[string]*ipEntry
	overflow *ipEntry
	max      int
	lastGC   time.Time
}

type ipEntry struct {
	mu      sync.Mutex
	buckets [numClasses]bucket
	http    bucket // HTTP requests that make the replica work (http_limits.go)
	conns   int
	seen    time.Time
	// A connection from this IP was closed for its rate (4429) before
	// this: new connections until then get no fresh burst.
	noBurstUntil time.Time
	shared       bool // the overflow entry: never penalized for one IP
}

// Shared reports whether e stands for many addresses (the overflow
// entry), or none: such an entry is not limited by room.Hub's boards per
// address.
func (e *ipEntry) Shared() bool { return e == nil || e.shared }

func newIPLimits(max int) *ipLimits {
	return &ipLimits{entries: make(map[string]*ipEntry), overflow: &ipEntry{shared: true}, max: max}
}

// noBurstFor is how long after a close for rate (4429) an IP's new
// connections start with empty op buckets. A flooder that reconnects at
// once would otherwise get a full burst (two seconds' worth of its rate)
// with every connection: about 350 ops a second reached its room instead
// of 250 (RELIABILITY.md, test 4). A person behind the same address loses
// only the burst, never the rate.
const noBurstFor = time.Minute

// penalize records that a connection from this IP was closed for its rate.
func (e *ipEntry) penalize(now time.Time) {
	if e.shared {
		return
	}
	e.mu.Lock()
	e.noBurstUntil = now.Add(noBurstFor)
	e.mu.Unlock()
}

// opened prepares a new connection's limiter: its op buckets start empty,
// not full, if its IP was penalized lately.
func (lm *limiter) opened(now time.Time) {
	if lm.ip == nil {
		return
	}
	lm.ip.mu.Lock()
	penalized := now.Before(lm.ip.noBurstUntil)
	lm.ip.mu.Unlock()
	if penalized {
		for _, c := range []rateClass{classDraw, classDestructive} {
			lm.conn[c] = bucket{tokens: 0, last: now}
		}
	}
}

const ipForgetAfter = 10 * time.Minute

// connect counts a new connection from ip; it fails when ip already has
// limit connections (limit 0: no limit).
func (l *ipLimits) connect(ip string, limit int) (*ipEntry, bool) {
	now := time.Now()
	e := l.entry(ip, now)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seen = now
	if limit > 0 && e.conns >= limit && e != l.overflow {
		return nil, false
	}
	e.conns++
	return e, true
}

// entry returns ip's entry, adding it (or, when the table is full, the
// shared overflow entry), and forgets idle entries once a minute.
func (l *ipLimits) entry(ip string, now time.Time) *ipEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastGC) > time.Minute {
		l.lastGC = now
		for k, e := range l.entries {
			e.mu.Lock()
			idle := e.conns == 0 && now.Sub(e.seen) > ipForgetAfter
			e.mu.Unlock()
			if idle {
				delete(l.entries, k)
			}
		}
	}
	e := l.entries[ip]
	if e == nil {
		if len(l.entries) >= l.max {
			e = l.overflow
		} else {
			e = &ipEntry{}
			l.entries[ip] = e
		}
	}
	return e
}

func (e *ipEntry) disconnect() {
	e.mu.Lock()
	e.conns--
	e.seen = time.Now()
	e.mu.Unlock()
}

// wait returns how long a frame of class c must wait: the longer of the
// connection's and the IP's debts.
func (lm *limiter) wait(c rateClass, now time.Time, conn, ip ClassRate) time.Duration {
	d := lm.conn[c].take(now, conn.PerSecond, conn.Burst)
	if lm.ip != nil {
		lm.ip.mu.Lock()
		d = max(d, lm.ip.buckets[c].take(now, ip.PerSecond, ip.Burst))
		lm.ip.mu.Unlock()
	}
	return d
}

// takeHTTP takes a token from ip's HTTP bucket (rate per second, burst
// twice that) and returns how long the client must wait when there is
// none (0: go ahead).
func (l *ipLimits) takeHTTP(ip string, rate float64, now time.Time) time.Duration {
	e := l.entry(ip, now)
	if e == l.overflow {
		rate *= overflowHTTPFactor
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seen = now
	return e.http.tryTake(now, rate, 2*rate)
}

// overflowHTTPFactor: once the per-IP table is full, addresses not in it
// share one bucket (the overflow entry) worth this many addresses. Sharing
// keeps an attacker with many addresses (an IPv6 prefix) bounded, at the
// price of new visitors sharing a budget while the table is full; entries
// idle for ipForgetAfter leave the table.
const overflowHTTPFactor = 10

// tryTake takes one token if there is one. Unlike take it records no debt:
// a refused request costs the client nothing, so one that stops asking gets
// its budget back at the bucket's rate. It returns how long until a token
// is there (0: taken).
func (b *bucket) tryTake(now time.Time, rate, burst float64) time.Duration {
	if b.last.IsZero() {
		b.tokens, b.last = burst, now
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}
