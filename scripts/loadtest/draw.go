package main

import (
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// wire is what a drawer needs of its connection.
type wire interface {
	send(frame []byte) error
}

// encoder turns a drawer's samples into frames of one protocol. n is the
// op's index among the drawer's ops (the peer protocol carries it).
type encoder interface {
	begin(n int64, p canvas.Point) []byte
	points(n int64, ps []canvas.Point) []byte
	end(n int64) []byte
}

type spEnc struct{ spEncoder }

func (e *spEnc) begin(_ int64, p canvas.Point) []byte     { return e.spEncoder.begin(p, 0x1e1e1eff) }
func (e *spEnc) points(_ int64, ps []canvas.Point) []byte { return e.spEncoder.points(ps) }
func (e *spEnc) end(int64) []byte                         { return e.spEncoder.end() }

// drawPlan is how drawers draw: batch samples per op, one op every
// batch/rate seconds (the browser sends what the pointer gave since the
// last animation frame as one op), from start until end (clock ns).
type drawPlan struct {
	rate       float64 // samples (points) per second per drawer
	batch      int
	start, end int64
}

func (p drawPlan) interval() time.Duration {
	return time.Duration(float64(p.batch) / p.rate * float64(time.Second))
}

// newDrawer sizes the drawer's tables for drawing at most span.
func newDrawer(c *client, ord int, p drawPlan, span time.Duration) *drawer {
	ticks := int(float64(span)/float64(p.interval())) + 2
	n := 2*ticks + 16 // a tick sends at most Trace, End, Begin... bounded by two ops on average
	return &drawer{c: c, ord: ord, sent: make([]sentSlot, n), pts: make([]int32, n), done: make(chan struct{})}
}

// op records op n's send time and size, then writes it.
func (d *drawer) op(w wire, frame []byte, pts int) bool {
	n := d.ops.Load()
	if n >= int64(len(d.sent)) {
		return false
	}
	l := d.c.l
	d.pts[n] = int32(pts)
	at := max(l.now(), 1)
	d.sent[n].Store(at)
	d.ops.Store(n + 1)
	if l.counts(at) {
		l.sentPoints.Add(int64(pts))
		l.sentOps.Add(1)
	}
	if err := w.send(frame); err != nil {
		l.fail("send: " + err.Error())
		return false
	}
	return true
}

// run draws until plan.end or stop: smooth strokes back to back, a Begin
// with the stroke's first sample at once, then every tick the samples the
// pointer gave since the last one as one Trace op, and End after the
// stroke's last sample. phase (ns) staggers drawers, as people are.
func (d *drawer) run(w wire, e encoder, plan drawPlan, phase int64, seed uint64) {
	defer close(d.done)
	l := d.c.l
	pen := newPen(seed)
	iv := int64(plan.interval())
	left := 0 // samples left in the current stroke, 0: pen up
	var pending []canvas.Point
	flush := func() bool {
		if len(pending) == 0 {
			return true
		}
		ok := d.op(w, e.points(d.ops.Load(), pending), len(pending))
		pending = pending[:0]
		return ok
	}
	for tick := int64(0); ; tick++ {
		at := plan.start + phase + tick*iv
		if at >= plan.end || d.stop.Load() {
			break
		}
		if wait := at - l.now(); wait > 0 {
			time.Sleep(time.Duration(wait))
		}
		ok := true
		for range plan.batch {
			p := pen.next()
			if left == 0 {
				left = pen.strokeLen() - 1
				if ok = flush() && d.op(w, e.begin(d.ops.Load(), p), 1); !ok {
					break
				}
				continue
			}
			pending = append(pending, p)
			left--
			if left == 0 {
				if ok = flush() && d.op(w, e.end(d.ops.Load()), 0); !ok {
					break
				}
				pen.lift()
			}
		}
		if !ok || !flush() {
			break
		}
	}
	if left > 0 {
		_ = flush() && d.op(w, e.end(d.ops.Load()), 0)
	}
	d.ended.Store(true)
}
