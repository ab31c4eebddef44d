// Package redis is the oplog.Log every replica of a service shares: a Lua
// sequencer in Redis numbers each room's ops (lua/), a pipelined submitter
// sends the batches of all the rooms that are ready in one round trip
// (pipe.go), and one pub/sub subscriber hands each room the batches other
// replicas numbered (Watch). With an archive (UseArchive), boards nobody
// uses and history older than Redis keeps move to PostgreSQL
// (archive.go). Rooms relay the news of their people to the other
// replicas with the board open through it as well (relay.go). It also keeps the service's secret (secret.go)
// and reads closed boards for pictures without creating them (read.go).
// The same log runs on one Redis or on a Redis Cluster, discovered from
// REDIS_URL (cluster.go: sharded pub/sub, shard.go), and notices when
// Redis lost ops it had acknowledged (lost.go).
//
// go-redis is imported here and in test helpers only: the rest of the
// server knows this log by the oplog contract.
package redis

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
)

// Log is the room log of Redis mode, shared by every replica.
//
// Per room R (all keys share the hash tag {R}, so a Redis Cluster keeps a
// room on one shard):
//
//	sp:{R}:meta     hash: epoch (8 raw bytes), seq, authors, snapseq
//	sp:{R}:log      stream: entry ID "<seq>-1", field e = the op as an Ops
//	                entry (author uvarint, len uvarint, op bytes)
//	sp:{R}:applied  hash: author id -> ops of that author in the log
//	sp:{R}:snap     string: canonical board encoding at snapseq
//	sp:{R}:ckpts    sorted set: older snapshots (checkpoints), scored by seq
//	sp:{R}:versions sorted set: version records (oplog.AppendVersion), scored by seq
//	channel sp:{R}  pub/sub (a shard channel, SPUBLISH, in a cluster): epoch
//	                (8 bytes) + one canvas Ops message; or 8 zero bytes, the
//	                sending replica's id (8 bytes) and a room's news (relay.go)
//
// One Lua script (submitScript) is the room's sequencer: for a batch of ops
// from one replica it checks the epoch, skips ops already applied (an
// author's op index below its applied count: a resend), assigns the next
// sequence numbers, appends to the log and publishes the batch, all in one
// atomic step. So every replica sees ops in sequence order, and a submission
// retried after an ambiguous failure is applied at most once.
//
// Pub/sub is at-most-once, so replicas never trust it for completeness: a
// room that sees a sequence gap, or whose subscription was re-established,
// or whose inbox was full when a message came, reads what it missed from
// the log (Since). A room whose epoch vanished (Redis flushed, or restarted
// without its data) is opened again under a new epoch.
//
// Redis must not evict these keys: run it with maxmemory-policy noeviction
// (the default) and with the append-only file on if boards must survive a
// Redis restart.
type Log struct {
	rdb     goredis.UniversalClient // a *goredis.Client, or a *goredis.ClusterClient
	cl      *clients                // rdb as what it is (cluster.go)
	log     *slog.Logger
	metrics *metrics.Metrics
	keepOps int // ops kept in the log before the latest snapshot, for replay
	// Ops of history kept before the latest snapshot (with their
	// checkpoints and versions): Redis memory is the bound.
	historyOps int
	interval   time.Duration
	// deadline bounds every call to Redis, within whatever deadline the
	// caller's context carries: a room must notice an outage quickly to
	// tell its clients drawing paused.
	deadline time.Duration

	// publish is the command submit.lua publishes with: PUBLISH, or
	// SPUBLISH (sharded pub/sub) in a cluster.
	publish string
	// waitReplicas: a batch is acknowledged once this many replicas
	// have it (pipe_wait.go).
	waitReplicas int

	subMu  sync.Mutex                // serializes subscribe and unsubscribe calls
	mu     sync.Mutex                // guards rooms, lastID
	ps     *goredis.PubSub           // one Redis: the one subscription connection
	shards *shardSubs                // a cluster: one subscription connection per master
	marks  marks                     // the highest seq seen of each watched board (lost.go)
	rooms  map[string]oplog.Listener // subscribed rooms by channel
	ready  atomic.Bool               // the last health check reached Redis
	lastID string                    // the sentinel value last seen
	stop   chan struct{}
	done   sync.WaitGroup
	id     uint64       // this replica's name on the relay (relay.go), never 0
	relayQ chan relayed // news waiting to be published (relay.go)
	sub    submitter    // pipelines the rooms' submits (pipe.go)

	// The archive of cold boards and old history (archive.go), nil
	// without --archive-url; set before the log serves rooms.
	arch        *archive.Store
	archAfter   time.Duration
	archiveHook func(step string) // tests: called between an archive's steps
}

var _ oplog.Log = (*Log)(nil)

const (
	sentinelKey   = "sp:alive"
	sinceBatch    = 4096
	redisDeadline = 3 * time.Second
)

// Open connects to Redis at url: one Redis, or a Redis Cluster given by
// one or more of its nodes, comma-separated (cluster.go). It does not fail
// when Redis is down: the replica starts, reports not ready, and works
// once Redis answers.
func Open(url string, cfg *config.Config, log *slog.Logger, m *metrics.Metrics) (*Log, error) {
	cl, err := dial(url)
	if err != nil {
		return nil, err
	}
	l := &Log{
		rdb:          cl.rdb,
		cl:           cl,
		publish:      "PUBLISH",
		waitReplicas: cfg.RedisWaitReplicas,
		log:          log,
		metrics:      m,
		keepOps:      cfg.ReplayOps / 2,
		historyOps:   cfg.HistoryOps,
		interval:     cfg.SyncInterval,
		deadline:     redisDeadline,
		rooms:        make(map[string]oplog.Listener),
		stop:         make(chan struct{}),
		sub:          submitter{kick: make(chan struct{}, 1), hold: cfg.RedisHold, gap: time.Second},
		id:           oplog.NewEpoch(),
		relayQ:       make(chan relayed, relayQueue),
	}
	redisLogOnce.Do(func() { goredis.SetLogger(redisLogger{log}) })
	if cl.cluster != nil {
		l.publish = "SPUBLISH"
		l.shards = newShardSubs(l)
		l.done.Add(1)
		go l.shards.regrouper()
	} else {
		l.ps = cl.single.Subscribe(context.Background())
		l.done.Add(1)
		go l.receive()
	}
	l.done.Add(2 + submitWorkers)
	go l.watch()
	go l.relayer()
	for range submitWorkers {
		go l.submitWorker()
	}
	return l, nil
}

var redisLogOnce sync.Once

// redisLogger sends go-redis's own log lines (a line per failed dial while
// Redis is down) to slog at debug level: the replica logs outages itself,
// once, at warn level.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.Log(ctx, slog.LevelDebug, "go-redis: "+fmt.Sprintf(format, v...))
}

func roomKeys(room string) (meta, log, applied, snap, channel string) {
	p := "sp:{" + room + "}"
	return p + ":meta", p + ":log", p + ":applied", p + ":snap", p
}

// Ready reports whether Redis answered the last health check.
func (l *Log) Ready() bool { return l.ready.Load() }

// Shared is true: every replica numbers its rooms' ops in this log.
func (l *Log) Shared() bool { return true }

// Ping checks Redis now.
func (l *Log) Ping(ctx context.Context) error { return l.rdb.Ping(ctx).Err() }

// Close stops the subscriber and closes the connections.
func (l *Log) Close() error {
	close(l.stop)
	var err error
	if l.ps != nil {
		err = l.ps.Close()
	} else {
		l.shards.close()
	}
	l.done.Wait()
	if l.arch != nil {
		l.arch.Close()
	}
	return errors.Join(err, l.rdb.Close())
}

// Watch routes room's channel to ln. Messages published before Redis
// confirms the subscription are not seen, so the confirmation (which comes
// again after every reconnect) makes the room read the log for anything it
// missed (ln.Resync).
func (l *Log) Watch(room string, ln oplog.Listener) {
	_, _, _, _, ch := roomKeys(room)
	l.subMu.Lock()
	defer l.subMu.Unlock()
	l.mu.Lock()
	l.rooms[ch] = ln
	l.mu.Unlock()
	l.marks.watch(room)
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	if l.shards != nil {
		l.shards.watch(ctx, ch)
		return
	}
	if err := l.ps.Subscribe(ctx, ch); err != nil {
		// go-redis remembers the channel and subscribes again when it
		// reconnects; the room polls until then.
		l.log.Warn("subscribe", "room", room, "err", err)
	}
}

// Unwatch stops routing room's channel to ln, unless another listener
// (a newer room of the same name) has taken it over.
func (l *Log) Unwatch(room string, ln oplog.Listener) {
	_, _, _, _, ch := roomKeys(room)
	l.subMu.Lock()
	defer l.subMu.Unlock()
	l.mu.Lock()
	mine := l.rooms[ch] == ln
	if mine {
		delete(l.rooms, ch)
	}
	l.mu.Unlock()
	if !mine {
		return // a newer room of the same name has the channel now
	}
	l.marks.unwatch(room)
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	if l.shards != nil {
		l.shards.unwatch(ctx, ch)
		return
	}
	_ = l.ps.Unsubscribe(ctx, ch)
}

func (l *Log) room(ch string) oplog.Listener {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rooms[ch]
}

func (l *Log) eachRoom(f func(oplog.Listener)) {
	l.mu.Lock()
	rooms := make([]oplog.Listener, 0, len(l.rooms))
	for _, r := range l.rooms {
		rooms = append(rooms, r)
	}
	l.mu.Unlock()
	for _, r := range rooms {
		f(r)
	}
}

// receive reads the subscription connection. It never blocks on a room: a
// message for a room whose inbox is full is dropped and the room is marked
// behind, so it repairs from the log. go-redis reconnects and resubscribes
// by itself after an error; each confirmation makes that room resync.
func (l *Log) receive() {
	defer l.done.Done()
	ctx := context.Background()
	backoff := 50 * time.Millisecond
	for {
		msg, err := l.ps.ReceiveTimeout(ctx, l.interval)
		select {
		case <-l.stop:
			return
		default:
		}
		if err != nil {
			var ne interface{ Timeout() bool }
			if errors.As(err, &ne) && ne.Timeout() {
				// Quiet: ping so a dead connection is noticed (the pong
				// or the error comes through Receive).
				_ = l.ps.Ping(ctx)
				continue
			}
			if errors.Is(err, goredis.ErrClosed) {
				return
			}
			l.metrics.Reconnects.Inc()
			l.ready.Store(false)
			select {
			case <-l.stop:
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		switch m := msg.(type) {
		case *goredis.Message:
			l.deliver(m.Channel, m.Payload)
		case *goredis.Subscription:
			if m.Kind == "subscribe" {
				if r := l.room(m.Channel); r != nil {
					r.Resync()
				}
			}
		}
	}
}

// watch checks Redis every interval: readiness for /readyz, and a sentinel
// key that a flush or a restart without data removes. When the sentinel is
// gone or changed, every room checks its epoch and head.
func (l *Log) watch() {
	defer l.done.Done()
	t := time.NewTicker(l.interval)
	defer t.Stop()
	for {
		l.check()
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
	}
}

func (l *Log) check() {
	ctx, cancel := l.bound(context.Background())
	defer cancel()
	fresh := randomHex()
	id, err := l.rdb.Get(ctx, sentinelKey).Result()
	if errors.Is(err, goredis.Nil) {
		ok, serr := l.rdb.SetNX(ctx, sentinelKey, fresh, 0).Result()
		err = serr
		id = fresh
		if serr == nil && !ok {
			id, err = l.rdb.Get(ctx, sentinelKey).Result()
		}
	}
	if err != nil {
		if l.ready.Swap(false) {
			l.log.Warn("redis unreachable", "err", err)
		}
		return
	}
	if !l.ready.Swap(true) {
		l.log.Info("redis reachable")
	}
	l.mu.Lock()
	changed := l.lastID != "" && l.lastID != id
	l.lastID = id
	l.mu.Unlock()
	if changed {
		l.log.Warn("redis lost its data (flushed or restarted empty): checking every room")
		l.eachRoom(oplog.Listener.Resync)
	}
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatUint(binary.BigEndian.Uint64(b[:]), 16)
}

// submitScript sequences a batch. KEYS meta log applied; ARGV epoch,
// channel, then per op: author, index, entry. Returns {-1} when the epoch
// differs, else {firstSeq, r1, r2, ...} with ri the op's sequence number,
// 0 for a duplicate (index below applied) or -1 for a gap (index above).
var (
	submitLua    = luaSource("submit.lua") // loaded again in a pipeline after a NOSCRIPT (pipe.go)
	submitScript = goredis.NewScript(submitLua)
)

// sinceScript reads the log from a sequence number, no further back than
// keep ops before the snapshot. KEYS meta log; ARGV epoch, from, count,
// keep. Returns {-1} on another epoch, else {seq, entries}.
var sinceScript = script("since.lua")

// compactScript stores a snapshot at seq, keeps the one it replaces as a
// checkpoint, and trims the history before keepFrom.
// KEYS meta log snap checkpoints versions; ARGV epoch, seq, snapshot, keepFrom.
var compactScript = script("compact.lua")

// authorScript reserves the next ARGV[2] author ids and returns the last.
// KEYS meta; ARGV epoch, n.
var authorScript = script("author.lua")

// headScript reports the room's head. KEYS meta; ARGV epoch. Returns -1 on
// another epoch, else {seq, authors}.
var headScript = script("head.lua")

func epochBytes(e uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], e)
	return string(b[:])
}

// bound returns ctx bounded by the log's deadline.
func (l *Log) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, l.deadline)
}

// Since returns the ops from seq on (up to a batch) and the room's head.
func (l *Log) Since(ctx context.Context, room string, epoch, from uint64) ([]oplog.StoredOp, uint64, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, lg, _, _, _ := roomKeys(room)
	v, err := sinceScript.Run(ctx, l.rdb, []string{meta, lg}, epochBytes(epoch), from, sinceBatch, l.keepOps).Slice()
	if err != nil {
		return nil, 0, err
	}
	if len(v) == 1 {
		return nil, 0, oplog.ErrEpoch
	}
	head := uint64(asInt(v[0]))
	if from > head+1 {
		// The caller holds ops the log no longer has (lost.go).
		return nil, head, l.rebirth(ctx, room, epoch, from-1)
	}
	l.marks.note(room, epoch, head)
	entries, _ := v[1].([]any)
	ops, err := parseEntries(entries)
	if err != nil {
		return nil, 0, err
	}
	if from <= head && (len(ops) == 0 || ops[0].Seq != from) {
		return nil, head, oplog.ErrTrimmed
	}
	return ops, head, nil
}

// Head returns the room's last sequence number and author count.
func (l *Log) Head(ctx context.Context, room string, epoch uint64) (seq uint64, authors uint32, err error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, _, _, _, _ := roomKeys(room)
	v, err := headScript.Run(ctx, l.rdb, []string{meta}, epochBytes(epoch)).Int64Slice()
	if err != nil {
		return 0, 0, err
	}
	if len(v) != 2 {
		return 0, 0, oplog.ErrEpoch
	}
	return uint64(v[0]), uint32(v[1]), nil
}

// NewAuthors reserves the room's next count author ids; it returns the last.
func (l *Log) NewAuthors(ctx context.Context, room string, epoch uint64, count uint32) (uint32, error) {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, _, _, _, _ := roomKeys(room)
	n, err := authorScript.Run(ctx, l.rdb, []string{meta}, epochBytes(epoch), count).Int64()
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, oplog.ErrEpoch
	}
	return uint32(n), nil
}

// Compact stores the board at seq as the room's snapshot (the one it
// replaces becomes a checkpoint of the history) and trims the log,
// keeping historyOps ops before it (at least keepOps, so reconnecting
// clients can still be replayed what they missed) with the checkpoints
// and versions they need.
func (l *Log) Compact(ctx context.Context, room string, epoch, seq uint64, snapshot []byte) error {
	ctx, cancel := l.bound(ctx)
	defer cancel()
	meta, lg, _, snap, _ := roomKeys(room)
	cks, versions := historyKeys(room)
	keep, back := uint64(1), uint64(max(l.keepOps, l.historyOps))
	if seq+1 > back {
		keep = seq + 1 - back
	}
	if l.arch != nil {
		keep = l.spill(ctx, room, epoch, keep)
	}
	n, err := compactScript.Run(ctx, l.rdb, []string{meta, lg, snap, cks, versions}, epochBytes(epoch), seq, string(snapshot), keep).Int64()
	if err != nil {
		return err
	}
	if n < 0 {
		return oplog.ErrEpoch
	}
	return nil
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

// parseEntries decodes XRANGE entries: [[id, [field, value]], ...].
func parseEntries(entries []any) ([]oplog.StoredOp, error) {
	ops := make([]oplog.StoredOp, 0, len(entries))
	for _, e := range entries {
		pair, _ := e.([]any)
		if len(pair) != 2 {
			return nil, fmt.Errorf("log: malformed entry %v", e)
		}
		id, _ := pair[0].(string)
		fields, _ := pair[1].([]any)
		seqStr, _, _ := strings.Cut(id, "-")
		seq, err := strconv.ParseUint(seqStr, 10, 64)
		if err != nil || len(fields) != 2 {
			return nil, fmt.Errorf("log: malformed entry id %q", id)
		}
		val, _ := fields[1].(string)
		author, op, err := decodeEntry([]byte(val))
		if err != nil {
			return nil, fmt.Errorf("log entry %d: %w", seq, err)
		}
		ops = append(ops, oplog.StoredOp{Seq: seq, Author: author, Op: op})
	}
	return ops, nil
}

// decodeEntry splits an Ops entry (author uvarint, len uvarint, op).
func decodeEntry(b []byte) (uint32, []byte, error) {
	a, n := binary.Uvarint(b)
	if n <= 0 || a > 1<<32-1 {
		return 0, nil, errors.New("bad author")
	}
	b = b[n:]
	l, n := binary.Uvarint(b)
	if n <= 0 || l != uint64(len(b)-n) {
		return 0, nil, errors.New("bad length")
	}
	return uint32(a), b[n:], nil
}

// The Lua scripts run atomically inside Redis: each reads and writes a
// room's keys in one step, so replicas never interleave inside one. They
// are files of their own (lua/) so that they read, diff and lint as Lua.
//
//go:embed lua/*.lua
var luaFiles embed.FS

func script(name string) *goredis.Script { return goredis.NewScript(luaSource(name)) }

func luaSource(name string) string {
	b, err := luaFiles.ReadFile("lua/" + name)
	if err != nil {
		panic(err) // embedded at build time: a missing file is a build bug
	}
	return string(b)
}
