package redis

import (
	"bytes"
	"encoding/binary"
	"sync"
	"testing"

	"github.com/sketchpad/sketchpad/canvas"
)

// batchListener keeps the batches a log hands it.
type batchListener struct {
	mu  sync.Mutex
	got [][2]uint64 // first, last of each batch handed over
}

func (l *batchListener) Published(_, first uint64, ops []canvas.SeqOp) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, [2]uint64{first, first + uint64(len(ops)) - 1})
	return true
}
func (l *batchListener) Resync() {}

func busMessage(epoch, first uint64, n int) string {
	ops := make([]canvas.SeqOp, n)
	for i := range ops {
		ops[i] = canvas.SeqOp{Author: 1, Op: endOp()}
	}
	return string(canvas.AppendOps(binary.BigEndian.AppendUint64(nil, epoch), first, ops))
}

// A published batch of this replica's own, whose reply went to its room,
// is not handed to the room again, while its numbers still count as seen
// (so ops the log loses later are still caught); another replica's batch,
// or one of another epoch, is handed over whole.
func TestBusDropsOwnBatchesReplied(t *testing.T) {
	l := testLog(t, 3)
	room := "bus" + randomHex()
	_, _, _, _, ch := roomKeys(room)
	ln := &batchListener{}
	l.Watch(room, ln)
	defer l.Unwatch(room, ln)
	l.marks.note(room, 7, 0)
	l.marks.replied(room, 7, 1, 3)
	l.marks.replied(room, 7, 6, 7)
	l.deliver(ch, busMessage(7, 1, 3)) // ours: dropped
	l.deliver(ch, busMessage(7, 4, 2)) // another replica's: handed over
	l.deliver(ch, busMessage(7, 6, 2)) // ours: dropped
	l.deliver(ch, busMessage(9, 1, 1)) // another epoch: handed over (the room sorts it out)
	if got := l.marks.get(room, 7); got != 7 {
		t.Fatalf("after batches up to 7 the replica's mark is %d, want 7", got)
	}
	ln.mu.Lock()
	defer ln.mu.Unlock()
	want := [][2]uint64{{4, 5}, {1, 1}}
	if len(ln.got) != len(want) || ln.got[0] != want[0] || ln.got[1] != want[1] {
		t.Fatalf("batches handed over %v, want %v", ln.got, want)
	}
}

// FuzzBusHeader: what busHeader reads of a message that decodes is what
// decoding it finds.
func FuzzBusHeader(f *testing.F) {
	f.Add([]byte(busMessage(42, 7, 2)))
	f.Add([]byte(busMessage(1, 1<<40, 1)))
	f.Add(append(bytes.Repeat([]byte{0}, 7), 1, 0x81, 0x02, 0x01, 0x00))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, p []byte) {
		epoch, first, n, ok := busHeader(p)
		epoch2, first2, ops, err := decodeBusMessage(p)
		if !ok || err != nil {
			return
		}
		if epoch != epoch2 || first != first2 || n != uint64(len(ops)) {
			t.Fatalf("message %x: head says epoch %d, first %d, %d ops; decoding says %d, %d, %d", p, epoch, first, n, epoch2, first2, len(ops))
		}
	})
}
