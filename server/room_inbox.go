package server

import "sync"

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
	mu     sync.Mutex    // guards q
	q      []event
}

func newRoomInbox(n int) *roomInbox {
	return &roomInbox{slots: make(chan struct{}, n), notify: make(chan struct{}, 1)}
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
	b.mu.Unlock()
	select {
	case b.notify <- struct{}{}:
	default:
	}
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
	n := 0
	for i := range b.q {
		if b.q[i].kind == kind {
			n++
		}
	}
	return n
}
