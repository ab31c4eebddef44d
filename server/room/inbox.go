package room

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// roomInbox is a room's queue of events. It is bounded like a buffered
// channel (a sender waits, or gives up, while it is full), but it holds
// memory only for the events actually waiting: a channel of 512 events
// allocated 36 KB for every open room up front, which in rooms of ten was
// a third of what an idle connection cost.
//
// Senders take a slot (a token in slots, whose zero-size elements cost no
// buffer), append under mu and ring notify; the room takes everything
// queued at once and gives the slots back.
type roomInbox struct {
	slots  chan struct{} // one token per queued event; its capacity is the bound
	notify chan struct{} // capacity 1: something was queued since the last take
	mu     sync.Mutex    // guards q and parked
	q      []event
	parked bool             // the room's loop has stopped until the next event
	unpark func()           // starts the loop of a parked room again
	gauge  prometheus.Gauge // parked rooms, changed under mu with parked
}

func newRoomInbox(n int, unpark func(), parkedGauge prometheus.Gauge) *roomInbox {
	return &roomInbox{slots: make(chan struct{}, n), notify: make(chan struct{}, 1), unpark: unpark, gauge: parkedGauge}
}

// put queues ev, waiting while the inbox is full. It returns false, with
// ev not queued, if done or cancel (either may be nil) is closed first.
func (b *roomInbox) put(ev event, done, cancel <-chan struct{}) bool {
	select {
	case b.slots <- struct{}{}:
	case <-done:
		return false
	case <-cancel:
		return false
	}
	b.push(ev)
	return true
}

// tryPut queues ev unless the inbox is full.
func (b *roomInbox) tryPut(ev event) bool {
	select {
	case b.slots <- struct{}{}:
	default:
		return false
	}
	b.push(ev)
	return true
}

func (b *roomInbox) push(ev event) {
	b.mu.Lock()
	b.q = append(b.q, ev)
	wake := b.parked
	if wake {
		b.parked = false
		b.gauge.Dec()
	}
	b.mu.Unlock()
	select {
	case b.notify <- struct{}{}:
	default:
	}
	if wake {
		b.unpark()
	}
}

// park marks the room's loop stopped, unless an event is waiting (then it
// returns false and the loop must go on). The next event queued calls
// unpark. Only the room's goroutine calls it.
func (b *roomInbox) park() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.q) > 0 {
		return false
	}
	b.q = nil // the last burst's memory
	b.parked = true
	b.gauge.Inc()
	return true
}

// take returns every queued event, in the order they were queued, reusing
// spare (the slice the previous take returned, done with) for the next
// ones. Only the room's goroutine calls it, after notify.
func (b *roomInbox) take(spare []event) []event {
	clear(spare) // drop what the handled events referenced
	if cap(spare) > 256 {
		spare = nil // a burst is over: do not keep its memory
	}
	b.mu.Lock()
	evs := b.q
	b.q = spare[:0]
	b.mu.Unlock()
	for range evs {
		<-b.slots
	}
	return evs
}

// queued counts the events of kind waiting to be taken.
func (b *roomInbox) queued(kind eventKind) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return countKind(b.q, kind)
}

// countKind counts the events of kind in evs.
func countKind(evs []event, kind eventKind) int {
	n := 0
	for i := range evs {
		if evs[i].kind == kind {
			n++
		}
	}
	return n
}
