package redis

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	"github.com/sketchpad/sketchpad/server/oplog/archive/archivetest"
	"github.com/sketchpad/sketchpad/server/oplog/oplogtest"
	"github.com/sketchpad/sketchpad/server/redistest"
)

// The faults an archive must survive: a replica killed between any two
// of its steps (and Redis restarted after), two replicas archiving one
// board at once, and joins racing the archive. Each time the board comes
// back whole and identical, and is never in both stores with different
// contents: when PostgreSQL says archived, Redis holds none of its keys.

// submitAll submits ops on room as a room would: a board archived under
// it (ErrEpoch) is opened again and the batch sent again, resends being
// skipped. It returns the board's epoch.
func submitAll(t *testing.T, l *Log, room string, epoch uint64, ops []oplog.BatchOp) uint64 {
	t.Helper()
	for range 10 {
		res := oplogtest.Submit(l, room, epoch, ops...)
		if res.Err == nil {
			for i, s := range res.Seqs {
				if s < 0 {
					t.Fatalf("op %d refused as a gap: %+v", i, res)
				}
			}
			return epoch
		}
		if !errors.Is(res.Err, oplog.ErrEpoch) {
			t.Fatal(res.Err)
		}
		st, err := l.Open(context.Background(), room)
		if err != nil {
			t.Fatal(err)
		}
		if st.Epoch != epoch {
			t.Fatalf("the board came back under epoch %x, not %x", st.Epoch, epoch)
		}
	}
	t.Fatal("submit kept failing")
	return 0
}

// checkStores fails when PostgreSQL says a board is archived while Redis
// holds keys of it.
func checkStores(t *testing.T, l *Log, room string) {
	t.Helper()
	st, _, err := l.arch.State(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	if st == "archived" && redisHolds(t, l, room) {
		t.Fatal("the board is archived in PostgreSQL and still in Redis")
	}
}

// checkWhole opens room and checks it is ops replayed under epoch.
func checkWhole(t *testing.T, l *Log, room string, epoch uint64, ops []oplog.BatchOp) {
	t.Helper()
	st, err := l.Open(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Epoch != epoch || string(oplogtest.BoardBytes(t, b)) != string(oplogtest.BoardBytes(t, oplogtest.Replay(t, epoch, ops))) {
		t.Fatalf("the board came back at seq %d under epoch %x, not the %d ops drawn under %x", b.Seq, st.Epoch, len(ops), epoch)
	}
}

func TestTwoReplicasArchivingOneBoardAtOnce(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	ls := []*Log{archiveLog(t, r.URL(), pg, time.Millisecond), archiveLog(t, r.URL(), pg, time.Millisecond)}
	ops := oplogtest.RandomOps(rand.New(rand.NewPCG(5, 5)), 3, 200)
	const room = "twice"
	var epoch uint64
	for round := range 20 {
		l := ls[round%2]
		st, err := l.Open(context.Background(), room)
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			epoch = st.Epoch
		}
		submitAll(t, l, room, epoch, ops[round*10:(round+1)*10])
		time.Sleep(3 * time.Millisecond)
		var wg sync.WaitGroup
		start := make(chan struct{})
		done := make([]bool, 2)
		for i, l := range ls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				d, err := l.Archive(context.Background(), room)
				if err != nil {
					t.Error(err)
				}
				done[i] = d
			}()
		}
		close(start)
		wg.Wait()
		if !done[0] && !done[1] {
			t.Fatalf("round %d: neither replica archived the board", round)
		}
		if redisHolds(t, l, room) {
			t.Fatalf("round %d: the board is still in Redis", round)
		}
		checkStores(t, l, room)
	}
	checkWhole(t, ls[0], room, epoch, ops)
}

func TestJoinsRacingTheArchive(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	archiver, joiner := archiveLog(t, r.URL(), pg, time.Millisecond), archiveLog(t, r.URL(), pg, time.Millisecond)
	ops := oplogtest.RandomOps(rand.New(rand.NewPCG(6, 6)), 3, 300)
	const room = "race"
	st, err := joiner.Open(context.Background(), room)
	if err != nil {
		t.Fatal(err)
	}
	epoch := st.Epoch
	archived := 0
	for round := range 30 {
		time.Sleep(time.Duration(1+round%3) * time.Millisecond)
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(time.Duration(rand.IntN(1500)) * time.Microsecond)
			d, err := archiver.Archive(context.Background(), room)
			if err != nil {
				t.Error(err)
			}
			if d {
				archived++
			}
		}()
		go func() {
			defer wg.Done()
			<-start
			time.Sleep(time.Duration(rand.IntN(1500)) * time.Microsecond)
			st, err := joiner.Open(context.Background(), room)
			if err != nil {
				t.Error(err)
				return
			}
			if st.Epoch != epoch {
				t.Errorf("round %d: the board came back under epoch %x, not %x", round, st.Epoch, epoch)
				return
			}
			submitAll(t, joiner, room, epoch, ops[round*10:(round+1)*10])
		}()
		close(start)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		checkStores(t, archiver, room)
	}
	t.Logf("%d of 30 archives won the race", archived)
	checkWhole(t, archiver, room, epoch, ops)
}

// TestArchiveChild is the replica TestArchiveKilledAtEveryStep kills: it
// archives a board and stops dead at the step it is told.
func TestArchiveChild(t *testing.T) {
	step := os.Getenv("SKETCHPAD_ARCHIVE_CHILD_STEP")
	if step == "" {
		t.Skip("run by TestArchiveKilledAtEveryStep")
	}
	l := archiveLog(t, os.Getenv("SKETCHPAD_ARCHIVE_CHILD_REDIS"), os.Getenv("SKETCHPAD_ARCHIVE_CHILD_PG"), time.Millisecond)
	l.archiveHook = func(s string) {
		if s == step {
			fmt.Printf("at %s\n", s)
			select {} // until killed
		}
	}
	done, err := l.Archive(context.Background(), os.Getenv("SKETCHPAD_ARCHIVE_CHILD_ROOM"))
	fmt.Printf("finished: %v %v\n", done, err)
}

// A replica SIGKILLed between any two steps of an archive, and Redis
// (from its append-only file) and PostgreSQL restarted after: the board
// comes back whole and identical, history included, and archives again.
func TestArchiveKilledAtEveryStep(t *testing.T) {
	r := redistest.Start(t, redistest.Options{AOF: true})
	pgs := archivetest.Start(t)
	pg := pgs.URL()
	l := archiveLog(t, r.URL(), pg, time.Millisecond)
	for i, step := range []string{"leased", "read", "committed", "deleted"} {
		room := "killed-" + step
		drawBoard(t, l, room, uint64(i), 50)
		before := readState(t, l, room, true)
		time.Sleep(5 * time.Millisecond)
		cmd := exec.Command(os.Args[0], "-test.run=^TestArchiveChild$", "-test.v")
		cmd.Env = append(os.Environ(), "SKETCHPAD_ARCHIVE_CHILD_STEP="+step, "SKETCHPAD_ARCHIVE_CHILD_REDIS="+r.URL(),
			"SKETCHPAD_ARCHIVE_CHILD_PG="+pg, "SKETCHPAD_ARCHIVE_CHILD_ROOM="+room)
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		reached := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "at "+step) {
				reached = true
				break
			}
			if strings.HasPrefix(sc.Text(), "finished") {
				break
			}
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if !reached {
			t.Fatalf("the child replica never reached %s", step)
		}
		r.Stop()
		r.Restart(t)
		if i%2 == 0 {
			pgs.Restart(t)
		} else {
			pgs.Kill()
			pgs.Restart(t)
		}
		checkStores(t, l, room)
		// Loaded back (or still in Redis): identical.
		if d := before.diff(readState(t, l, room, true)); d != "" {
			t.Fatalf("killed at %s: %s", step, d)
		}
		// And it archives and comes back again.
		time.Sleep(5 * time.Millisecond)
		if done, err := l.Archive(context.Background(), room); err != nil || !done {
			t.Fatalf("killed at %s: archive again: %v, %v", step, done, err)
		}
		if d := before.diff(readState(t, l, room, true)); d != "" {
			t.Fatalf("killed at %s, archived again: %s", step, d)
		}
	}
}

// sameStrokes reports whether two boards hold the same drawing, whatever
// their epochs.
func sameStrokes(t *testing.T, room string, a, b *oplog.StoredRoom) bool {
	t.Helper()
	ba, err := oplog.StoredBoard(room, a, new(canvas.Op), nil)
	if err != nil {
		t.Fatal(err)
	}
	bb, err := oplog.StoredBoard(room, b, new(canvas.Op), nil)
	if err != nil {
		t.Fatal(err)
	}
	ba.Epoch, bb.Epoch = 0, 0
	return string(oplogtest.BoardBytes(t, ba)) == string(oplogtest.BoardBytes(t, bb))
}

// When PostgreSQL cannot be sure its copy is the board (an archiver died
// after removing the keys and the tombstone is gone, or Redis lost a
// board after it was loaded back and drawn on), the board still comes
// back whole as far as PostgreSQL has it, under a new epoch: clients
// holding more of the old one resynchronise from a snapshot instead of
// numbering on over a different board.
func TestAnUncertainCopyComesBackUnderANewEpoch(t *testing.T) {
	r := redistest.Start(t, redistest.Options{})
	pg := archivetest.Database(t)
	l := archiveLog(t, r.URL(), pg, time.Millisecond)
	ctx := context.Background()
	ops := drawBoard(t, l, "unsure", 3, 40)
	archived, err := l.Open(ctx, "unsure")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if done, err := l.Archive(ctx, "unsure"); err != nil || !done {
		t.Fatalf("archive: %v %v", done, err)
	}
	// The archiver "died" before recording the outcome, and the
	// tombstone expired.
	if _, err := l.arch.Put(ctx, mustBoard(t, l, "unsure"), 1<<40); err != nil {
		t.Fatal(err)
	}
	r.Do(t, "DEL", "sp:{unsure}:gone")
	back, err := l.Open(ctx, "unsure")
	if err != nil {
		t.Fatal(err)
	}
	if back.Epoch == archived.Epoch || !sameStrokes(t, "unsure", archived, back) {
		t.Fatalf("tombstone gone: epoch %x (was %x), same drawing: %v", back.Epoch, archived.Epoch, sameStrokes(t, "unsure", archived, back))
	}
	// History goes on under the new epoch.
	if _, vs, err := l.Versions(ctx, "unsure", 0, 100); err != nil || len(vs) == 0 {
		t.Fatalf("versions after: %v %v", vs, err)
	}
	if at, err := l.ReadAt(ctx, "unsure", 10); err != nil || !sameStrokes(t, "unsure", at, &oplog.StoredRoom{Epoch: 1, Snapshot: oplogtest.BoardBytes(t, oplogtest.Replay(t, 1, ops[:10]))}) {
		t.Fatalf("read at 10 after: %v", err)
	}
	// Redis loses the board after more was drawn: PostgreSQL's copy
	// (the board as archived) comes back, under yet another epoch.
	submitAll(t, l, "unsure", back.Epoch, []oplog.BatchOp{{Author: 9, Index: 0, Op: oplogtest.EndOp()}})
	r.Do(t, "FLUSHALL")
	lost, err := l.Open(ctx, "unsure")
	if err != nil {
		t.Fatal(err)
	}
	if lost.Epoch == back.Epoch || !sameStrokes(t, "unsure", archived, lost) {
		t.Fatalf("after Redis lost it: epoch %x (was %x)", lost.Epoch, back.Epoch)
	}
}

// mustBoard reads room's archived row as a Board to write it back in
// state archiving (as an archiver that died before finishing left it).
func mustBoard(t *testing.T, l *Log, room string) *archive.Board {
	t.Helper()
	c, b, gen, err := l.arch.Claim(context.Background(), room, 0, time.Millisecond, 0)
	if err != nil || c != archive.ClaimSame {
		t.Fatalf("claim: %v %v", c, err)
	}
	_ = gen
	return b
}
