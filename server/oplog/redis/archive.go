package redis

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
)

// Cold boards leave Redis (with --archive-url). A board nobody has been on
// for --archive-after, on any replica, is written to PostgreSQL (package
// archive) and its keys are removed only after PostgreSQL committed it;
// the next Open loads it back. Any replica may archive any board; a lease
// in the board's meta hash decides which one does, and every step is
// checked so that no interleaving of replicas, joins and crashes loses a
// board or leaves two different boards under one epoch:
//
//  1. lease (lease.lua): only for a board whose last use is older than
//     --archive-after and that no live lease holds; a new generation,
//     which only grows.
//  2. read (archread.lua): all of the board and its fingerprint, while
//     the lease holds.
//  3. PostgreSQL commits it in state archiving under the generation
//     (archive.Store.Put refuses an older generation than it holds).
//  4. remove (archdel.lua): the keys go, and a tombstone naming the
//     generation stays a while, only if the lease still holds and the
//     fingerprint is unchanged.
//  5. PostgreSQL records the outcome: archived, or live again.
//
// A use of the board (a join's Open, or a replica that has it open
// touching it every archiveTick) marks it used and calls off a lease
// (claim.lua), so a join racing the archive wins: step 4 then leaves the
// keys. A replica killed at any step leaves either the keys in Redis
// (which are the board whenever they exist: Open reads PostgreSQL only
// for a board Redis does not hold) or a row PostgreSQL knows for the
// board, the tombstone saying so until step 5 is done by whoever comes
// next. Open loads a row back under its own epoch only when it is
// certainly the board; otherwise under a new epoch (see package archive).
//
// Keys (beside those log.go lists):
//
//	sp:{R}:meta     fields used (ms of the last use), arch and archexp (the
//	                lease: its generation and when it ends), archgen (the
//	                last generation handed out), pgseq (history up to here
//	                is kept in PostgreSQL: compaction may trim it)
//	sp:{R}:gone     tombstone: the generation whose archive removed the
//	                keys, for tombstoneTTL
//	sp:archive:used sorted set: boards by last use, the index archivers
//	                read. It is only a hint; the lease decides.

const (
	usedIndex = "sp:archive:used"
	// archiveLease bounds one archive: another replica may archive the
	// board after it.
	archiveLease = 30 * time.Second
	// restoreLease bounds one load back: replicas opening the board wait
	// for it (restoreWait is longer), and after it one of them loads the
	// board itself (under a new epoch: the first may have loaded it and
	// Redis lost it since).
	restoreLease = 10 * time.Second
	// tombstoneTTL is how long a removed board's tombstone stays: far
	// longer than the steps between 4 and 5.
	tombstoneTTL = time.Hour
	// restoreWait is how long an Open waits for another replica's
	// restore of the same board.
	restoreWait = 15 * time.Second
	sweepBatch  = 64
)

var (
	claimScript      = script("claim.lua")
	leaseScript      = script("lease.lua")
	archReadScript   = script("archread.lua")
	archDelScript    = script("archdel.lua")
	archAbortScript  = script("archabort.lua")
	restoreScript    = script("restore.lua")
	unindexScript    = script("unindex.lua")
	errArchiveLeased = errors.New("lease gone")
)

func archiveKeys(room string) []string {
	meta, lg, applied, snap, _ := roomKeys(room)
	cks, versions := historyKeys(room)
	return []string{meta, lg, applied, snap, cks, versions, "sp:{" + room + "}:gone"}
}

// UseArchive makes the log keep cold boards and old history in a
// (which it then owns: Close closes it), archiving boards unused for
// after. Call it once, before the log serves rooms.
func (l *Log) UseArchive(a *archive.Store, after time.Duration) {
	l.arch, l.archAfter = a, after
	l.done.Add(3)
	go l.every(l.touchOpen)
	go l.every(l.sweep)
	go l.backfill()
}

// backfillKey marks a Redis whose boards were all put in the index: the
// boards it held before the archive was configured are in none, and a
// replica (one, the first to set it) adds them once.
const backfillKey = "sp:archive:backfilled"

// backfill adds every board Redis holds to the index, once per Redis,
// with a last use of 0: the first sweep to see one starts its idle time
// (lease.lua), so it is archived --archive-after later if nobody uses it.
func (l *Log) backfill() {
	defer l.done.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-l.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	if ok, err := l.rdb.SetNX(ctx, backfillKey, "1", 0).Result(); err != nil || !ok {
		return
	}
	// Every node's keys: a Redis Cluster's are spread over its masters.
	scan := func(ctx context.Context, c *goredis.Client) error {
		iter := c.Scan(ctx, 0, "sp:{*}:meta", 1000).Iterator()
		for iter.Next(ctx) {
			room := strings.TrimSuffix(strings.TrimPrefix(iter.Val(), "sp:{"), "}:meta")
			_ = l.rdb.ZAddNX(ctx, usedIndex, goredis.Z{Score: 0, Member: room}).Err()
		}
		return iter.Err()
	}
	var err error
	switch c := any(l.rdb).(type) {
	case *goredis.ClusterClient:
		err = c.ForEachMaster(ctx, scan)
	case *goredis.Client:
		err = scan(ctx, c)
	}
	if err != nil {
		// Another replica may try again after this one's next start.
		_ = l.rdb.Del(context.Background(), backfillKey).Err()
		l.log.Warn("index boards for the archive", "err", err)
	}
}

// ArchiveReady checks the archive now (nil without one).
func (l *Log) ArchiveReady(ctx context.Context) error {
	if l.arch == nil {
		return nil
	}
	return l.arch.Ping(ctx)
}

// archiveTick is how often a replica touches the boards it has open and
// looks for boards to archive.
func (l *Log) archiveTick() time.Duration {
	return min(max(l.archAfter/4, 50*time.Millisecond), 30*time.Second)
}

// every runs f each archiveTick until Close. Touching the open boards
// and sweeping the cold ones run in loops of their own: a long sweep
// (a backlog of thousands of boards) must not hold back the touches
// that keep boards in use out of it.
func (l *Log) every(f func()) {
	defer l.done.Done()
	t := time.NewTicker(l.archiveTick())
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		f()
	}
}

// touchOpen marks every board this replica has open as used now.
func (l *Log) touchOpen() {
	l.mu.Lock()
	rooms := make([]string, 0, len(l.rooms))
	for ch := range l.rooms {
		if r, ok := strings.CutPrefix(ch, "sp:{"); ok {
			rooms = append(rooms, strings.TrimSuffix(r, "}"))
		}
	}
	l.mu.Unlock()
	if len(rooms) == 0 {
		return
	}
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	now := time.Now().UnixMilli()
	p := l.rdb.Pipeline()
	for _, r := range rooms {
		k := archiveKeys(r)
		claimScript.Run(ctx, p, []string{k[0], k[6]}, now)
		p.ZAdd(ctx, usedIndex, goredis.Z{Score: float64(now), Member: r})
	}
	if _, err := p.Exec(ctx); err != nil && !errors.Is(err, goredis.Nil) {
		l.log.Warn("touch open boards", "err", err)
	}
}

// sweep archives the boards the index says nobody used lately, a batch
// at a time, in random order so replicas sweeping together spread out.
func (l *Log) sweep() {
	for {
		select {
		case <-l.stop:
			return
		default:
		}
		ctx, cancel := l.bound(context.Background())
		cutoff := time.Now().Add(-l.archAfter).UnixMilli()
		rooms, err := l.rdb.ZRangeArgs(ctx, goredis.ZRangeArgs{Key: usedIndex, ByScore: true, Start: "-inf", Stop: strconv.FormatInt(cutoff, 10), Count: sweepBatch}).Result()
		cancel()
		if err != nil || len(rooms) == 0 {
			return
		}
		rand.Shuffle(len(rooms), func(i, j int) { rooms[i], rooms[j] = rooms[j], rooms[i] })
		progress := false
		for _, r := range rooms {
			done, err := l.Archive(context.Background(), r)
			if err != nil {
				l.metrics.ArchiveErrors.Inc()
				l.log.Warn("archive board", "room", r, "err", err)
				continue
			}
			progress = progress || done
		}
		if !progress {
			return
		}
	}
}

// Archive moves room to the archive if nobody has used it for the
// archive-after time and no other replica is archiving it; done reports
// whether its keys left Redis (or were gone already).
func (l *Log) Archive(ctx context.Context, room string) (done bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, archiveLease)
	defer cancel()
	k := archiveKeys(room)
	now := time.Now()
	gen, err := leaseScript.Run(ctx, l.rdb, k[:1], now.UnixMilli(), now.Add(-l.archAfter).UnixMilli(), now.Add(archiveLease).UnixMilli()).Int64()
	switch {
	case err != nil:
		return false, err
	case gen < 0:
		l.unindex(ctx, room, now)
		return true, nil
	case gen == 0:
		// In use (or being archived by another replica): the index
		// learns when it was last used, so sweeps look past it.
		if used, err := l.rdb.HGet(ctx, k[0], "used").Int64(); err == nil && used > 0 {
			_ = l.rdb.ZAddXX(ctx, usedIndex, goredis.Z{Score: float64(used), Member: room}).Err()
		}
		return false, nil
	}
	l.archiveStep("leased")
	b, fp, err := l.archRead(ctx, room, uint64(gen))
	if errors.Is(err, errArchiveLeased) {
		return false, nil
	}
	if err != nil {
		return false, l.abort(room, uint64(gen), 0, err)
	}
	l.archiveStep("read")
	if err := l.archiveImages(ctx, room); err != nil {
		return false, l.abort(room, uint64(gen), 0, err)
	}
	if cur, err := l.arch.Put(ctx, b, uint64(gen)); err != nil {
		return false, l.abort(room, uint64(gen), cur, err)
	}
	l.archiveStep("committed")
	n, err := archDelScript.Run(ctx, l.rdb, append(k, imageKey(room)), gen, fp, tombstoneTTL.Milliseconds()).Int64()
	if err != nil {
		// Unknown whether the keys went: the row stays archiving, which
		// the tombstone (if the keys went) or Redis (if not) resolves.
		return false, err
	}
	l.archiveStep("deleted")
	if err := l.arch.Finish(ctx, room, uint64(gen), n == 1); err != nil {
		return n == 1, err
	}
	if n == 1 {
		l.metrics.Archived.Inc()
		l.unindex(ctx, room, now)
	}
	return n == 1, nil
}

// archiveStep calls the test hook between the steps of an archive.
func (l *Log) archiveStep(step string) {
	if l.archiveHook != nil {
		l.archiveHook(step)
	}
}

// abort calls off the archive of generation gen and returns why.
func (l *Log) abort(room string, gen, minGen uint64, why error) error {
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	if err := archAbortScript.Run(ctx, l.rdb, archiveKeys(room)[:1], gen, minGen).Err(); err != nil {
		return errors.Join(why, err)
	}
	if errors.Is(why, archive.ErrStale) {
		return nil // the next lease outnumbers PostgreSQL's
	}
	return why
}

// unindex drops room from the index unless it was used since before.
func (l *Log) unindex(ctx context.Context, room string, before time.Time) {
	_ = unindexScript.Run(ctx, l.rdb, []string{usedIndex}, room, before.UnixMilli()).Err()
}

// archRead reads room for its archive under the lease of generation gen.
func (l *Log) archRead(ctx context.Context, room string, gen uint64) (*archive.Board, string, error) {
	v, err := archReadScript.Run(ctx, l.rdb, archiveKeys(room)[:6], gen).Slice()
	if err != nil {
		return nil, "", err
	}
	if len(v) == 0 {
		return nil, "", errArchiveLeased
	}
	if len(v) != 10 {
		return nil, "", fmt.Errorf("archive read: unexpected reply of %d items", len(v))
	}
	ep, _ := v[0].(string)
	if len(ep) != 8 {
		return nil, "", fmt.Errorf("archive read: bad epoch in redis for room %s", room)
	}
	b := &archive.Board{Room: room, Epoch: binary.BigEndian.Uint64([]byte(ep)), Seq: uint64(asInt(v[1])),
		Authors: uint32(asInt(v[2])), SnapSeq: uint64(asInt(v[3])), Applied: map[uint32]uint64{}}
	if s, ok := v[4].(string); ok {
		b.Snapshot = []byte(s)
	}
	applied, _ := v[5].([]any)
	for i := 0; i+1 < len(applied); i += 2 {
		a, _ := applied[i].(string)
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil {
			return nil, "", fmt.Errorf("archive read: bad author %q", a)
		}
		b.Applied[uint32(n)] = uint64(asInt(applied[i+1]))
	}
	cks, _ := v[6].([]any)
	for i := 0; i+1 < len(cks); i += 2 {
		s, _ := cks[i].(string)
		b.Checkpoints = append(b.Checkpoints, archive.Snapshot{Seq: uint64(asInt(cks[i+1])), Board: []byte(s)})
	}
	vers, _ := v[7].([]any)
	for i := 0; i+1 < len(vers); i += 2 {
		s, _ := vers[i].(string)
		b.Versions = append(b.Versions, archive.Record{Seq: uint64(asInt(vers[i+1])), Record: []byte(s)})
	}
	entries, _ := v[8].([]any)
	if b.Ops, err = parseEntries(entries); err != nil {
		return nil, "", err
	}
	fp, _ := v[9].(string)
	return b, fp, nil
}

// bringBack loads room back into Redis from the archive when Redis does
// not hold it and the archive does; else it leaves Redis as it is (Open
// then creates the board: fresh, and Open marks it used after). It marks
// the board used.
func (l *Log) bringBack(ctx context.Context, room string) (fresh bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, restoreWait)
	defer cancel()
	k := archiveKeys(room)
	for {
		v, err := claimScript.Run(ctx, l.rdb, []string{k[0], k[6]}, time.Now().UnixMilli()).Slice()
		if err != nil {
			return false, fmt.Errorf("open board %s: %w", room, err)
		}
		if asInt(v[0]) == 1 {
			l.index(ctx, room)
			return false, nil
		}
		var tomb uint64
		if len(v) > 1 {
			tomb = uint64(asInt(v[1]))
		}
		c, b, gen, err := l.arch.Claim(ctx, room, tomb, restoreLease, l.keepOps)
		if err != nil {
			return false, fmt.Errorf("open board %s: %w", room, err)
		}
		switch c {
		case archive.ClaimNone:
			l.index(ctx, room)
			return true, nil
		case archive.ClaimBusy:
			select {
			case <-ctx.Done():
				return false, fmt.Errorf("open board %s: another replica is loading it back: %w", room, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
			continue
		case archive.ClaimNew:
			if err := reEpoch(b); err != nil {
				return false, fmt.Errorf("open board %s: %w", room, err)
			}
		}
		if err := l.restore(ctx, b, gen); err != nil {
			return false, fmt.Errorf("open board %s: load it back: %w", room, err)
		}
		l.metrics.Restored.Inc()
		l.index(ctx, room)
		return false, l.arch.Restored(ctx, room, gen, b.Epoch)
	}
}

// touch marks room used now.
func (l *Log) touch(ctx context.Context, room string) error {
	k := archiveKeys(room)
	return claimScript.Run(ctx, l.rdb, []string{k[0], k[6]}, time.Now().UnixMilli()).Err()
}

func (l *Log) index(ctx context.Context, room string) {
	_ = l.rdb.ZAdd(ctx, usedIndex, goredis.Z{Score: float64(time.Now().UnixMilli()), Member: room}).Err()
}

// reEpoch turns b, the newest board the archive can build, into a board
// of its own under a new epoch: its snapshot at its head, nothing after.
func reEpoch(b *archive.Board) error {
	board, err := oplog.StoredBoard(b.Room, &oplog.StoredRoom{Epoch: b.Epoch, Snapshot: b.Snapshot, Ops: b.Ops}, new(canvas.Op), nil)
	if err != nil {
		return err
	}
	board.Epoch = oplog.NewEpoch()
	snap, err := board.MarshalBinary()
	if err != nil {
		return err
	}
	_, _, applied, err := canvas.SnapshotHead(snap)
	if err != nil {
		return err
	}
	b.Epoch, b.Seq, b.SnapSeq, b.Snapshot, b.Ops, b.Applied, b.Versions = board.Epoch, board.Seq, board.Seq, snap, nil, applied, nil
	b.Authors = max(b.Authors, board.MaxAuthor())
	return nil
}

// restore writes b into Redis unless Redis holds the board already.
func (l *Log) restore(ctx context.Context, b *archive.Board, gen uint64) error {
	hasSnap := "0"
	if b.Snapshot != nil {
		hasSnap = "1"
	}
	args := []any{epochBytes(b.Epoch), b.Seq, b.Authors, b.SnapSeq, string(b.Snapshot), hasSnap, time.Now().UnixMilli(), gen, len(b.Applied)}
	for a, n := range b.Applied {
		args = append(args, a, n)
	}
	args = append(args, len(b.Versions))
	for _, v := range b.Versions {
		args = append(args, v.Seq, string(v.Record))
	}
	var entry []byte
	for _, so := range b.Ops {
		entry = binary.AppendUvarint(entry[:0], uint64(so.Author))
		entry = binary.AppendUvarint(entry, uint64(len(so.Op)))
		entry = append(entry, so.Op...)
		args = append(args, so.Seq, string(entry))
	}
	return restoreScript.Run(ctx, l.rdb, archiveKeys(b.Room), args...).Err()
}
