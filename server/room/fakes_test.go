package room

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// waitTimeout bounds every wait of these tests. It is only reached when a
// test fails: the tests wait for what a person would see, never for time
// to pass, so a slow or busy machine makes them slower, not flaky.
const waitTimeout = 20 * time.Second

// fakePeer is a connection that keeps what the room sends it, decodes it
// as a client would and keeps a client's view of the board: every frame
// must decode, and the ops it carries must follow the board's sequence
// with nothing skipped and nothing twice.
type fakePeer struct {
	name      string
	moderator bool // Moderates: set before it joins
	viewer    bool // ViewOnly: set before it joins

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever something arrives
	frames  [][]byte
	code    canvas.CloseCode
	reason  string
	closed  bool

	// The client's view, built from the frames.
	welcomes  []canvas.Welcome
	board     *canvas.Board // nil until a snapshot, or the board of a reconnect
	ops       []seqOp       // every op applied from Ops messages, in order
	snapshots int
	presence  []canvas.Presence
	leaves    []uint32
	cursors   []canvas.AuthorCursor
	notices   []canvas.Notice
	errs      []string                   // what a real client would close the connection for
	people    map[uint32]canvas.Presence // who is on the board, as a page keeps it
	editors   map[uint32]canvas.StrokeID // who edits which text
}

// seqOp is an op a client applied and its number.
type seqOp struct {
	Seq    uint64
	Author uint32
	Op     []byte
}

func newPeer(name string) *fakePeer {
	return &fakePeer{name: name, changed: make(chan struct{})}
}

// reconnected returns a new connection of the client p was: it starts
// from p's board (a clone) and knows what Hello p's client sends.
func (p *fakePeer) reconnected(name string) (*fakePeer, canvas.Hello) {
	p.mu.Lock()
	defer p.mu.Unlock()
	np := newPeer(name)
	h := canvas.Hello{Version: canvas.Version, Name: name}
	if p.board != nil {
		np.board = p.board.Clone()
		h.Epoch, h.LastSeq = p.board.Epoch, p.board.Seq
	}
	if len(p.welcomes) > 0 {
		h.Author = p.welcomes[len(p.welcomes)-1].Author
	}
	return np, h
}

func (p *fakePeer) Send(frame []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	f := bytes.Clone(frame) // the room may share frame; a real session writes it
	p.frames = append(p.frames, f)
	if err := canvas.DecodeServerFrame(f, p.take); err != nil {
		p.errs = append(p.errs, "bad frame: "+err.Error())
	}
	p.ring()
}

func (p *fakePeer) SendParts(head, shared, tail []byte) {
	p.Send(append(append(append([]byte(nil), head...), shared...), tail...))
}

func (p *fakePeer) Close(code canvas.CloseCode, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed, p.code, p.reason = true, code, reason
		p.ring()
	}
}

func (p *fakePeer) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

func (p *fakePeer) ring() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// take applies one decoded message to the client's view. p.mu is held.
func (p *fakePeer) take(m *canvas.ServerMsg) error {
	switch m.Type {
	case canvas.MsgWelcome:
		p.welcomes = append(p.welcomes, m.Welcome)
		if p.board != nil && p.board.Epoch != m.Welcome.Epoch {
			p.board = nil // another history: a snapshot follows
		}
	case canvas.MsgSnapshot:
		p.snapshots++
		p.board = m.Board
	case canvas.MsgOps:
		if p.board == nil {
			p.errs = append(p.errs, "ops before any snapshot")
			return nil
		}
		var o canvas.Op
		first := canvas.NextSeq(m.FirstSeq, p.board.Seq)
		for i, so := range m.Ops {
			seq := first + uint64(i)
			switch {
			case seq <= p.board.Seq:
				p.errs = append(p.errs, fmt.Sprintf("op %d again (board at %d)", seq, p.board.Seq))
				continue
			case seq > p.board.Seq+1:
				p.errs = append(p.errs, fmt.Sprintf("op %d past a gap (board at %d)", seq, p.board.Seq))
				return nil
			}
			if err := canvas.DecodeOp(so.Op, &o); err != nil {
				p.errs = append(p.errs, fmt.Sprintf("op %d: %v", seq, err))
				return nil
			}
			p.board.Apply(so.Author, &o)
			p.ops = append(p.ops, seqOp{Seq: seq, Author: so.Author, Op: bytes.Clone(so.Op)})
		}
	case canvas.MsgPresence:
		p.presence = append(p.presence, m.Presence)
		if p.people == nil {
			p.people = make(map[uint32]canvas.Presence)
		}
		p.people[m.Presence.Author] = m.Presence
	case canvas.MsgLeave:
		p.leaves = append(p.leaves, m.Leave)
		delete(p.people, m.Leave)
		delete(p.editors, m.Leave)
	case canvas.MsgEditors:
		if p.editors == nil {
			p.editors = make(map[uint32]canvas.StrokeID)
		}
		for _, e := range m.Editors {
			if e.Text == (canvas.StrokeID{}) {
				delete(p.editors, e.Editor)
			} else {
				p.editors[e.Editor] = e.Text
			}
		}
	case canvas.MsgCursors:
		p.cursors = append(p.cursors, m.Cursors...)
	case canvas.MsgNotice:
		p.notices = append(p.notices, m.Notice)
	}
	return nil
}

// peerView is a copy of what a client saw, for assertions.
type peerView struct {
	welcomes  []canvas.Welcome
	board     *canvas.Board
	ops       []seqOp
	snapshots int
	presence  []canvas.Presence
	leaves    []uint32
	cursors   []canvas.AuthorCursor
	notices   []canvas.Notice
	errs      []string
	people    map[uint32]canvas.Presence
	editors   map[uint32]canvas.StrokeID
	closed    bool
	code      canvas.CloseCode
	reason    string
	frames    int
}

// viewLocked returns the client's view; its board is the client's own,
// not a copy, unless clone (p.mu is held, and the board may only be read
// while it is).
func (p *fakePeer) viewLocked(clone bool) peerView {
	v := peerView{
		welcomes: append([]canvas.Welcome(nil), p.welcomes...), ops: append([]seqOp(nil), p.ops...),
		snapshots: p.snapshots, presence: append([]canvas.Presence(nil), p.presence...),
		leaves: append([]uint32(nil), p.leaves...), cursors: append([]canvas.AuthorCursor(nil), p.cursors...), notices: append([]canvas.Notice(nil), p.notices...),
		errs: append([]string(nil), p.errs...), people: maps.Clone(p.people), editors: maps.Clone(p.editors), closed: p.closed, code: p.code, reason: p.reason, frames: len(p.frames),
	}
	v.board = p.board
	if clone && p.board != nil {
		v.board = p.board.Clone()
	}
	return v
}

// view returns what the client has seen so far.
func (p *fakePeer) view() peerView {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.viewLocked(true)
}

// fakeLog is an oplog.Log in memory that numbers as the real ones do (the
// next number, resends below an author's applied count skipped, gaps above
// it refused), keeps a snapshot and the ops after it, and lets a test act
// as another replica writing to the same log (appendAs, publish), hold
// the log's replies (hold), or make it fail (fail).
type fakeLog struct {
	shared bool

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every call
	rooms     map[string]*fakeRoom
	listeners map[string][]oplog.Listener
	down      error         // while not nil, calls fail with it
	holdDown  bool          // down: Submit waits for up instead of failing, as the local log retries its store
	up        chan struct{} // closed when the log is back
	gate      chan struct{} // not nil: Submit replies only once it is closed
	replyGate chan struct{} // not nil: Submit numbers and publishes, and replies only once it is closed
	openGate  chan struct{} // not nil: Open answers only once it is closed
	sincePage int           // Since returns at most this many ops (0: all of them)
	noEcho    bool          // shared: the room's own batches are not published back (pub/sub lost them)
	submits   int           // Submit calls
	sinces    int           // Since calls
	compacts  int           // Compact calls that stored a snapshot
	marks     []fakeMark    // versions marked, in order
}

// fakeRoom is one board in the log.
type fakeRoom struct {
	epoch   uint64
	snap    []byte // nil: none
	snapSeq uint64
	ops     []oplog.StoredOp // after the snapshot
	seq     uint64
	applied map[uint32]uint64
	authors uint32
}

var _ oplog.Log = (*fakeLog)(nil)

func newFakeLog(shared bool) *fakeLog {
	return &fakeLog{shared: shared, changed: make(chan struct{}), rooms: make(map[string]*fakeRoom),
		listeners: make(map[string][]oplog.Listener), sincePage: 2}
}

func (l *fakeLog) ring() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// roomLocked returns room if it is open under epoch.
func (l *fakeLog) roomLocked(room string, epoch uint64) (*fakeRoom, error) {
	if l.down != nil {
		return nil, l.down
	}
	fr := l.rooms[room]
	if fr == nil || fr.epoch != epoch {
		return nil, oplog.ErrEpoch
	}
	return fr, nil
}

func (l *fakeLog) Open(_ context.Context, room string) (*oplog.StoredRoom, error) {
	l.mu.Lock()
	if gate := l.openGate; gate != nil {
		l.mu.Unlock()
		<-gate
		l.mu.Lock()
	}
	defer l.mu.Unlock()
	defer l.ring()
	if l.down != nil {
		return nil, l.down
	}
	fr := l.rooms[room]
	if fr == nil {
		fr = &fakeRoom{epoch: oplog.NewEpoch(), applied: make(map[uint32]uint64)}
		l.rooms[room] = fr
	}
	return &oplog.StoredRoom{Epoch: fr.epoch, Snapshot: bytes.Clone(fr.snap), Ops: slices.Clone(fr.ops), Authors: fr.authors}, nil
}

func (l *fakeLog) Submit(room string, epoch uint64, batch []oplog.BatchOp, reply chan<- oplog.SubmitResult) {
	l.mu.Lock()
	l.submits++
	gate := l.gate
	l.ring()
	l.mu.Unlock()
	go func() {
		if gate != nil {
			<-gate
		}
		for {
			l.mu.Lock()
			if l.down != nil {
				if l.holdDown {
					up := l.up
					l.mu.Unlock()
					<-up
					continue
				}
				err := l.down
				l.mu.Unlock()
				reply <- oplog.SubmitResult{Epoch: epoch, Err: err}
				return
			}
			res, first, pub := l.numberLocked(room, epoch, batch)
			lns := slices.Clone(l.listeners[room])
			noEcho := l.noEcho
			l.ring()
			l.mu.Unlock()
			if l.shared && !noEcho && len(pub) > 0 {
				// A shared log publishes every batch, to the replica
				// that submitted it too (a real one: possibly after the
				// reply; the room takes either order).
				for _, ln := range lns {
					ln.Published(epoch, first, pub)
				}
			}
			l.mu.Lock()
			replyGate := l.replyGate
			l.mu.Unlock()
			if replyGate != nil {
				<-replyGate
			}
			reply <- res
			return
		}
	}()
}

// numberLocked numbers batch as the real logs do and keeps what it
// numbered; it returns the result and the numbered ops, from first on.
func (l *fakeLog) numberLocked(room string, epoch uint64, batch []oplog.BatchOp) (oplog.SubmitResult, uint64, []canvas.SeqOp) {
	fr := l.rooms[room]
	if fr == nil || fr.epoch != epoch {
		return oplog.SubmitResult{Epoch: epoch, Err: oplog.ErrEpoch}, 0, nil
	}
	first := fr.seq + 1
	res := oplog.SubmitResult{Epoch: epoch, First: int64(first), Seqs: make([]int64, len(batch))}
	var pub []canvas.SeqOp
	for i, op := range batch {
		switch applied := fr.applied[op.Author]; {
		case op.Index == applied:
			fr.seq++
			fr.applied[op.Author]++
			fr.ops = append(fr.ops, oplog.StoredOp{Seq: fr.seq, Author: op.Author, Op: bytes.Clone(op.Op)})
			res.Seqs[i] = int64(fr.seq)
			pub = append(pub, canvas.SeqOp{Author: op.Author, Op: bytes.Clone(op.Op)})
		case op.Index < applied:
			res.Seqs[i] = 0
		default:
			res.Seqs[i] = -1
		}
	}
	return res, first, pub
}

func (l *fakeLog) Since(_ context.Context, room string, epoch, from uint64) ([]oplog.StoredOp, uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.ring()
	l.sinces++
	fr, err := l.roomLocked(room, epoch)
	if err != nil {
		return nil, 0, err
	}
	if from <= fr.snapSeq && from <= fr.seq {
		return nil, fr.seq, oplog.ErrTrimmed
	}
	var ops []oplog.StoredOp
	for _, so := range fr.ops {
		if so.Seq >= from && (l.sincePage == 0 || len(ops) < l.sincePage) {
			ops = append(ops, oplog.StoredOp{Seq: so.Seq, Author: so.Author, Op: bytes.Clone(so.Op)})
		}
	}
	return ops, fr.seq, nil
}

func (l *fakeLog) Head(_ context.Context, room string, epoch uint64) (uint64, uint32, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fr, err := l.roomLocked(room, epoch)
	if err != nil {
		return 0, 0, err
	}
	return fr.seq, fr.authors, nil
}

func (l *fakeLog) NewAuthors(_ context.Context, room string, epoch uint64, n uint32) (uint32, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.ring()
	fr, err := l.roomLocked(room, epoch)
	if err != nil {
		return 0, err
	}
	fr.authors += n
	return fr.authors, nil
}

func (l *fakeLog) Compact(_ context.Context, room string, epoch, seq uint64, snapshot []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.ring()
	fr, err := l.roomLocked(room, epoch)
	if err != nil {
		return err
	}
	if seq < fr.snapSeq || seq > fr.seq {
		return fmt.Errorf("fake log: compact at %d, snapshot at %d, head %d", seq, fr.snapSeq, fr.seq)
	}
	fr.snap, fr.snapSeq = bytes.Clone(snapshot), seq
	i := 0
	for i < len(fr.ops) && fr.ops[i].Seq <= seq {
		i++
	}
	fr.ops = slices.Clone(fr.ops[i:])
	l.compacts++
	return nil
}

func (l *fakeLog) Watch(room string, ln oplog.Listener) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listeners[room] = append(l.listeners[room], ln)
	l.ring()
}

func (l *fakeLog) Unwatch(room string, ln oplog.Listener) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listeners[room] = slices.DeleteFunc(l.listeners[room], func(x oplog.Listener) bool { return x == ln })
	l.ring()
}

func (l *fakeLog) Ready() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.down == nil
}

func (l *fakeLog) Shared() bool { return l.shared }

// Mark records a version: the room marks one at each compaction and
// before each clear. The fake keeps their kinds and numbers.
func (l *fakeLog) Mark(_ context.Context, room string, epoch, seq uint64, kind oplog.VersionKind, _ time.Time, _ map[uint32]string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fr := l.rooms[room]; fr == nil || fr.epoch != epoch {
		return oplog.ErrEpoch
	}
	l.marks = append(l.marks, fakeMark{room: room, seq: seq, kind: kind})
	l.ring()
	return nil
}

type fakeMark struct {
	room string
	seq  uint64
	kind oplog.VersionKind
}

// Versions and ReadAt are the history's read side, which a room never
// calls.
func (l *fakeLog) Versions(context.Context, string, uint64, int) (uint64, []oplog.Version, error) {
	return 0, nil, errors.New("fake log: no history reads")
}

func (l *fakeLog) ReadAt(context.Context, string, uint64) (*oplog.StoredRoom, error) {
	return nil, errors.New("fake log: no history reads")
}
