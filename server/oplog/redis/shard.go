package redis

import (
	"context"
	"errors"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The subscriber of a Redis Cluster: sharded pub/sub (SSUBSCRIBE) on one
// connection per master, however many boards this replica has open.
//
// A shard channel can only be subscribed to on the node that serves its
// slot, so the boards are grouped by master: shardSubs keeps a go-redis
// PubSub per master address (on a client of its own to that address, so
// the connection never wanders off to another node) and remembers which
// one each board's channel is on. Centrifuge's Redis broker groups its
// shard channels into a fixed number of partitions; here the groups are
// the masters themselves, so a replica holds exactly as many subscription
// connections as the cluster has masters with boards it watches.
//
// Slots move (a resharding, a failover), and then a board's channel must
// move with them. The nodes say so in three ways, and each one makes the
// regrouper (regroup) ask the cluster where every slot is now and move
// the channels that are on the wrong connection:
//
//   - a master that gives a slot away unsubscribes its channels itself
//     (a pushed sunsubscribe for a channel this replica still watches);
//   - an SSUBSCRIBE sent to a node that no longer serves the slot is
//     answered -MOVED (or -ASK while the slot migrates);
//   - a connection that fails (the master died: its replica takes over).
//
// It also looks every sync interval, for whatever went unsaid. Every
// (re)subscription is confirmed by the node, and the confirmation makes
// the board read the log for what it may have missed meanwhile, as a
// reconnection does with one Redis: moving never loses an op, and nobody
// is disconnected for it.
type shardSubs struct {
	l    *Log
	kick chan struct{} // a regroup is due (capacity 1)

	// mu guards nodes, where and slots. Held while subscribing (writes
	// on a PubSub, which never wait for the node's answer).
	mu    sync.Mutex
	nodes map[string]*nodeSub // by master address
	where map[string]*nodeSub // channel -> the connection it is subscribed on
	slots *slotMap            // who served each slot when last asked
	shut  bool                // closed: no new connections
}

// nodeSub is the subscription connection to one master.
type nodeSub struct {
	addr string
	c    *goredis.Client
	ps   *goredis.PubSub
	n    int // channels subscribed here (shardSubs.mu)
}

func newShardSubs(l *Log) *shardSubs {
	return &shardSubs{l: l, kick: make(chan struct{}, 1),
		nodes: make(map[string]*nodeSub), where: make(map[string]*nodeSub)}
}

func (s *shardSubs) regroupSoon() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// watch subscribes ch on its slot's master.
func (s *shardSubs) watch(ctx context.Context, ch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.where[ch] != nil {
		return // the same board again (a newer room of the name): the subscription stands
	}
	if s.slots == nil {
		m, err := s.l.loadSlots(ctx)
		if err != nil {
			s.l.log.Warn("ssubscribe: cluster slots unknown; the room polls until the regrouper subscribes it", "err", err)
			s.regroupSoon()
			return
		}
		s.slots = m
	}
	if !s.subscribeOn(ctx, ch, s.slots[slotOf(ch)]) {
		s.regroupSoon()
	}
}

// subscribeOn subscribes ch on the master at addr. It is false when no
// one serves the slot now ("") or its master does not answer: the channel
// is an orphan until a regroup. s.mu must be held.
func (s *shardSubs) subscribeOn(ctx context.Context, ch, addr string) bool {
	if addr == "" || s.shut {
		return false
	}
	n := s.nodes[addr]
	if n == nil {
		o := s.l.cl.node
		o.Addr = addr
		c := goredis.NewClient(&o)
		// A master that does not answer (dead, not yet replaced) gets no
		// connection: the channel waits for the next regroup, rather than
		// every Watch waiting for a dial timeout.
		pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		err := c.Ping(pctx).Err()
		cancel()
		if err != nil {
			_ = c.Close()
			return false
		}
		n = &nodeSub{addr: addr, c: c, ps: c.SSubscribe(context.Background())}
		s.nodes[addr] = n
		s.l.done.Add(1)
		go s.receive(n)
	}
	n.n++
	s.where[ch] = n
	if err := n.ps.SSubscribe(ctx, ch); err != nil {
		// go-redis remembers the channel and subscribes again when it
		// reconnects; the regrouper moves it if the node is gone.
		s.l.log.Debug("ssubscribe", "channel", ch, "node", addr, "err", err)
	}
	return true
}

// unwatch unsubscribes ch.
func (s *shardSubs) unwatch(ctx context.Context, ch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop(ctx, ch)
}

// drop unsubscribes ch from its connection, closing a connection left
// with none. s.mu must be held.
func (s *shardSubs) drop(ctx context.Context, ch string) {
	n := s.where[ch]
	if n == nil {
		return
	}
	delete(s.where, ch)
	n.n--
	_ = n.ps.SUnsubscribe(ctx, ch)
	if n.n == 0 {
		if s.nodes[n.addr] == n {
			delete(s.nodes, n.addr)
		}
		_ = n.ps.Close()
		_ = n.c.Close()
	}
}

// broken forgets n and its channels (they are orphans until the next
// regroup) and closes it.
func (s *shardSubs) broken(n *nodeSub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nodes[n.addr] == n {
		delete(s.nodes, n.addr)
	}
	for ch, x := range s.where {
		if x == n {
			delete(s.where, ch)
		}
	}
	_ = n.ps.Close()
	_ = n.c.Close()
	s.regroupSoon()
}

// on reports whether ch is subscribed on n (it may have moved away).
func (s *shardSubs) on(ch string, n *nodeSub) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.where[ch] == n
}

// regroup asks the cluster who serves each slot and moves every channel
// subscribed on a connection to another master.
func (s *shardSubs) regroup(ctx context.Context) error {
	m, err := s.l.loadSlots(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slots = m
	for ch, n := range s.where {
		if want := m[slotOf(ch)]; want != n.addr && want != "" {
			s.drop(ctx, ch)
			_ = s.subscribeOn(ctx, ch, want)
		}
	}
	// Channels whose slot nobody served when they were watched.
	s.l.mu.Lock()
	var orphans []string
	for ch := range s.l.rooms {
		if s.where[ch] == nil {
			orphans = append(orphans, ch)
		}
	}
	s.l.mu.Unlock()
	for _, ch := range orphans {
		_ = s.subscribeOn(ctx, ch, m[slotOf(ch)])
	}
	return nil
}

// regrouper runs regroup when asked and every interval, until the log
// closes. Slot moves are rare; asking the cluster is one CLUSTER SLOTS.
func (s *shardSubs) regrouper() {
	defer s.l.done.Done()
	t := time.NewTicker(s.l.interval)
	defer t.Stop()
	for {
		select {
		case <-s.l.stop:
			return
		case <-s.kick:
			// A burst of sunsubscribes for one migrated slot is one regroup.
			select {
			case <-s.l.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		case <-t.C:
		}
		ctx, cancel := s.l.bound(context.Background())
		if s.l.cl.cluster != nil {
			s.l.cl.cluster.ReloadState(ctx)
		}
		if err := s.regroup(ctx); err != nil {
			s.l.log.Debug("regroup shard subscriptions", "err", err)
		}
		cancel()
	}
}

// close closes every connection.
func (s *shardSubs) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shut = true
	for addr, n := range s.nodes {
		_ = n.ps.Close()
		_ = n.c.Close()
		delete(s.nodes, addr)
	}
}

// receive reads one master's subscription connection until it is closed.
// It never blocks on a room (deliver); it only notices what makes a
// regroup due.
func (s *shardSubs) receive(n *nodeSub) {
	defer s.l.done.Done()
	ctx := context.Background()
	for {
		msg, err := n.ps.ReceiveTimeout(ctx, s.l.interval)
		if err != nil {
			var ne interface{ Timeout() bool }
			switch {
			case errors.Is(err, goredis.ErrClosed):
				return
			case errors.As(err, &ne) && ne.Timeout():
				_ = n.ps.Ping(ctx)
				continue
			case isRedirect(err):
				// An SSUBSCRIBE went to a node that no longer serves the
				// slot: the connection is fine, the grouping is not.
				s.regroupSoon()
				continue
			}
			// The connection failed (the master died, or a link is
			// down). go-redis would reconnect and subscribe every channel
			// in one SSUBSCRIBE, which a cluster refuses when they are in
			// different slots (CROSSSLOT): the regrouper subscribes them
			// again one by one, on whichever master serves them by then.
			s.l.metrics.Reconnects.Inc()
			s.broken(n)
			return
		}
		switch m := msg.(type) {
		case *goredis.Message:
			s.l.deliver(m.Channel, m.Payload)
		case *goredis.Subscription:
			switch {
			case !s.on(m.Channel, n):
				// Unsubscribed here on purpose (Unwatch, or moved away).
			case m.Kind == "ssubscribe":
				if r := s.l.room(m.Channel); r != nil {
					r.Resync()
				}
			case m.Kind == "sunsubscribe":
				// The node gave the slot away (a resharding) and dropped
				// its subscribers: the board is subscribed again where the
				// slot is now.
				s.mu.Lock()
				s.drop(ctx, m.Channel)
				s.mu.Unlock()
				s.regroupSoon()
			}
		}
	}
}
