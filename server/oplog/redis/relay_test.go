package redis

import (
	"bytes"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
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
	a, b := testLog(t, 3), testLog(t, 3)
	room := "relay" + randomHex()
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
