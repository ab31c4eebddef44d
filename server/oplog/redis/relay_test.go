package redis

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// relayListener keeps the news a log hands it.
type relayListener struct {
	mu   sync.Mutex
	got  []string // "from:msg"
	more chan struct{}
}

func (l *relayListener) Published(uint64, uint64, []canvas.SeqOp) bool { return true }
func (l *relayListener) Resync()                                       {}
func (l *relayListener) Relayed(from uint64, msg []byte) {
	l.mu.Lock()
	l.got = append(l.got, string(binary.BigEndian.AppendUint64(nil, from))+string(msg))
	l.mu.Unlock()
	select {
	case l.more <- struct{}{}:
	default:
	}
}

func (l *relayListener) news() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

// News one replica relays for a board reaches the other replicas that
// watch it, named by its sender, and not the sender itself; a batch of
// ops on the same channel is still a batch.
func TestRelayReachesTheOtherReplicasOnly(t *testing.T) {
	relayBetween(t, testLog(t, 3), testLog(t, 3), "relay"+randomHex())
}

// The same on a Redis Cluster, for boards on each of its masters: news
// goes on the board's shard channel, over the replicas' one subscription
// connection per master.
func TestRedisClusterRelayReachesTheOtherReplicasOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	c := redistest.StartCluster(t, redistest.ClusterOptions{Masters: 3})
	a, b := clusterLog(t, "redis://"+c.Nodes[0].Addr, 0), clusterLog(t, "redis://"+c.Nodes[1].Addr, 0)
	for i := range 6 {
		relayBetween(t, a, b, "relay"+randomHex()+strconv.Itoa(i))
	}
	a.shards.mu.Lock()
	n := len(a.shards.nodes)
	a.shards.mu.Unlock()
	if n > 3 {
		t.Fatalf("%d subscription connections for 3 masters", n)
	}
}

func relayBetween(t *testing.T, a, b *Log, room string) {
	t.Helper()
	la := &relayListener{more: make(chan struct{}, 1)}
	lb := &relayListener{more: make(chan struct{}, 1)}
	a.Watch(room, la)
	b.Watch(room, lb)
	defer a.Unwatch(room, la)
	defer b.Unwatch(room, lb)
	// Until b's subscription is confirmed, news may pass it by: relay
	// until one arrives.
	deadline := time.After(10 * time.Second)
	for len(lb.news()) == 0 {
		a.Relay(room, []byte("hello"))
		select {
		case <-lb.more:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatal("b never heard a's news")
		}
	}
	b.Relay(room, []byte("back"))
	for len(la.news()) == 0 {
		select {
		case <-la.more:
		case <-deadline:
			t.Fatal("a never heard b's news")
		}
	}
	want := string(binary.BigEndian.AppendUint64(nil, a.id)) + "hello"
	for _, n := range lb.news() {
		if n != want {
			t.Fatalf("b heard %q, want %q", n, want)
		}
	}
	if got, want := la.news(), string(binary.BigEndian.AppendUint64(nil, b.id))+"back"; len(got) != 1 || got[0] != want {
		t.Fatalf("a heard %q, want only b's %q (never its own)", got, want)
	}
}

// FuzzSplitRelayed: any message on a board's channel is either a batch
// (left to decodeBusMessage), news with its sender, or refused; news
// splits into what Relay put together.
func FuzzSplitRelayed(f *testing.F) {
	var hdr [16]byte
	binary.BigEndian.PutUint64(hdr[8:], 77)
	f.Add(append(hdr[:], 1, 2, 3))
	f.Add(hdr[:12])
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 1, 0x81})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, p []byte) {
		news, from, msg, err := splitRelayed(p)
		if !news || err != nil {
			return
		}
		if from == 0 {
			t.Fatal("news from replica 0")
		}
		again := binary.BigEndian.AppendUint64(make([]byte, 8), from)
		if again = append(again, msg...); !bytes.Equal(again, p) {
			t.Fatalf("%x splits into %d, %x", p, from, msg)
		}
	})
}
