package room

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A frame for everyone is written to each session in turn: on a board of
// a few hundred people that is a few hundred system calls, and while the
// room's goroutine makes them it takes no op. A frame to more than
// fanSplitMin sessions is split instead: the room hands contiguous shares
// of its sessions to the hub's fanout workers, writes the first share
// itself, takes back any share no worker has started yet, and waits for
// the shares a worker took. So a frame's writes run on every core at once
// rather than in series on one, and the room is back to its inbox
// sooner.
//
// Why this shape:
//   - The workers are few (GOMAXPROCS − 1) and live as long as the hub,
//     shared by every room of the replica: a goroutine per frame, or a
//     writer per connection, would pay a goroutine start or a wake-up per
//     write, which is what the write path (server/ws) was built to avoid.
//   - The room waits for its frame. A session must get the room's frames
//     (and its notices, a joiner's view, its close) in the order the room
//     sent them and never from two goroutines at once; since the room
//     touches no peer before every share of the frame is written, each
//     peer is written by one goroutine at a time and in the room's order,
//     as when the room wrote them all itself. (Not waiting would leave the
//     room's loop, the log's goroutines and the writes contending for the
//     same cores, which measured worse: BENCHMARKS.md, issue 19.)
//   - A share nobody has started is taken back: when the workers are busy
//     with other rooms' frames the room writes its frame itself and waits
//     for nobody, never longer than writing it alone.
//
// Send never blocks (Peer), so a worker is never held up by one slow
// client: what a socket does not take goes to that session's own queue.

// fanSplitMin is the fewest sessions a frame goes to for its writes to be
// split, and fanShareMin the fewest a share holds: below them a hand-off
// costs more than the writes it spreads.
const (
	fanSplitMin = 48
	fanShareMin = 32
)

// fanout is the hub's pool of fanout workers (nil with one core).
type fanout struct {
	workers int
	jobs    chan *fanJob  // shares waiting for a worker
	quit    chan struct{} // closed to end the workers (once: a hub may be closed twice)
	stopped sync.Once
	wg      sync.WaitGroup
}

// fanJob is one share of a frame's sessions.
type fanJob struct {
	frame []byte
	peers []Peer
	// taken is set by whoever writes the share: a worker, or the room
	// taking it back. Only the one who set it reads peers.
	taken atomic.Bool
	done  *sync.WaitGroup // the frame's shares still being written
}

// newFanout starts the workers: one fewer than the cores Go runs on (the
// room's goroutine is the other writer), none on one core.
func newFanout() *fanout { return startFanout(runtime.GOMAXPROCS(0) - 1) }

// startFanout starts n workers (none, and nil, for n < 1).
func startFanout(n int) *fanout {
	if n < 1 {
		return nil
	}
	f := &fanout{workers: n, jobs: make(chan *fanJob, 64*n), quit: make(chan struct{})}
	f.wg.Add(n)
	for range n {
		go f.work()
	}
	return f
}

func (f *fanout) work() {
	defer f.wg.Done()
	for {
		select {
		case j := <-f.jobs:
			j.run()
		case <-f.quit:
			return
		}
	}
}

// run writes the share unless someone took it first.
func (j *fanJob) run() {
	if !j.taken.CompareAndSwap(false, true) {
		return // the room took it back; peers may already hold another frame's sessions
	}
	for _, p := range j.peers {
		p.Send(j.frame)
	}
	j.done.Done()
}

// stop ends the workers. A frame sent after it is still written whole:
// its room takes back every share (send).
func (f *fanout) stop() {
	if f == nil {
		return
	}
	f.stopped.Do(func() { close(f.quit) })
	f.wg.Wait()
}

// send writes frame to every peer and returns when every write is done.
// peers is the caller's; it may reuse it once send returns.
func (f *fanout) send(frame []byte, peers []Peer) {
	shares := 1
	if f != nil && len(peers) > fanSplitMin {
		shares = min(f.workers+1, len(peers)/fanShareMin)
	}
	if shares < 2 {
		for _, p := range peers {
			p.Send(frame)
		}
		return
	}
	var done sync.WaitGroup
	jobs := make([]fanJob, shares-1)
	size := len(peers) / shares
	own := peers[:len(peers)-size*(shares-1)] // the room's share, with the remainder
	rest := peers[len(own):]
	done.Add(len(jobs))
	for i := range jobs {
		j := &jobs[i]
		j.frame, j.peers, j.done = frame, rest[i*size:(i+1)*size], &done
		select {
		case f.jobs <- j:
		default: // the workers are far behind: the room writes it below
		}
	}
	for _, p := range own {
		p.Send(frame)
	}
	for i := range jobs {
		jobs[i].run() // the shares no worker started yet
	}
	done.Wait()
}
