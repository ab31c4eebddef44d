// Command archive measures cold boards leaving Redis (BENCHMARKS.md,
// "Cold boards"): Redis memory (INFO used_memory) with -boards boards of
// which -live are in use, without and with the archive; the time to bring
// an archived board of -points points back (p50, p99 over -trials); and
// PostgreSQL's storage per million ops. It starts redis-servers of its
// own and uses a database it creates (and drops) on -pg, drives the Redis
// log directly (no WebSockets: what is measured is the log and its
// stores), and stops by itself.
//
//	go run ./scripts/bench/archive -boards 10000 -live 100 -ops 100 -points 100000 -trials 30
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	sredis "github.com/sketchpad/sketchpad/server/oplog/redis"
)

func main() {
	boards := flag.Int("boards", 10000, "boards created")
	live := flag.Int("live", 100, "boards in use (kept open by this replica)")
	ops := flag.Int("ops", 100, "ops per board (strokes of 10 points: begin, points, end)")
	points := flag.Int("points", 100000, "points of the board brought back")
	trials := flag.Int("trials", 30, "times the big board is archived and brought back")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server to create the benchmark's database on")
	flag.Parse()
	if err := run(*boards, *live, *ops, *points, *trials, *pg); err != nil {
		fmt.Fprintln(os.Stderr, "archive bench:", err)
		os.Exit(1)
	}
}

type nopListener struct{}

func (nopListener) Published(uint64, uint64, []canvas.SeqOp) bool { return true }
func (nopListener) Resync()                                       {}

func run(boards, live, opsPer, points, trials int, admin string) error {
	ctx := context.Background()
	dbURL, drop, err := createDB(ctx, admin)
	if err != nil {
		return err
	}
	defer drop()
	fmt.Printf("boards %d, in use %d, ops per board %d (Redis keeps --history-ops 10000, snapshot every 2000)\n", boards, live, opsPer)

	// Without the archive.
	without, err := memory(ctx, boards, live, opsPer, "", nil)
	if err != nil {
		return err
	}
	fmt.Printf("without archive: used_memory +%s over an empty Redis (%s per board); dataset %s; the boards' keys %s (%s per board)\n",
		mib(without.total), kib(without.total/int64(boards)), mib(without.dataset), mib(without.boardKeys), kib(without.boardKeys/int64(boards)))

	// With it.
	store, err := archive.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	with, err := memory(ctx, boards, live, opsPer, dbURL, store)
	if err != nil {
		return err
	}
	perLive := without.dataset / int64(boards)
	fmt.Printf("with archive, %d archived: used_memory +%s (%.1f%% of without); dataset %s: %s per archived board (tombstone, for an hour)\n",
		boards-live, mib(with.total), 100*float64(with.total)/float64(without.total), mib(with.dataset),
		kib(max(with.dataset-int64(live)*perLive, 0)/int64(boards-live)))
	fmt.Printf("with archive, tombstones gone: used_memory +%s (%.1f%% of without); dataset %s: %s per live board\n",
		mib(with.noTomb), 100*float64(with.noTomb)/float64(without.total), mib(with.datasetNoTomb), kib(with.datasetNoTomb/int64(live)))
	fmt.Printf("with archive, by key: the %d live boards' keys %s (%s per live board), tombstones %s (%s per archived board)\n",
		live, mib(with.boardKeys), kib(with.boardKeys/int64(live)), mib(with.tombKeys), kib(with.tombKeys/int64(boards-live)))
	fmt.Printf("postgres: %d ops archived in %s: %s per million ops (tables and indexes)\n", with.archivedOps, time.Duration(with.archiveTook).Round(time.Millisecond),
		mib(with.pgBytes*1_000_000/max(with.archivedOps, 1)))

	return bringBack(ctx, dbURL, points, trials)
}

type mem struct {
	total, noTomb, pgBytes, archivedOps int64 // used_memory over an empty Redis's
	dataset, datasetNoTomb              int64 // used_memory_dataset
	boardKeys, tombKeys                 int64 // MEMORY USAGE of the boards' keys, of the tombstones
	archiveTook                         int64
}

// keyBytes sums MEMORY USAGE over the keys matching pattern.
func keyBytes(ctx context.Context, rdb *goredis.Client, pattern string) (int64, error) {
	var sum int64
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	p := rdb.Pipeline()
	var cmds []*goredis.IntCmd
	for iter.Next(ctx) {
		cmds = append(cmds, p.MemoryUsage(ctx, iter.Val()))
	}
	if err := iter.Err(); err != nil {
		return 0, err
	}
	if len(cmds) == 0 {
		return 0, nil
	}
	if _, err := p.Exec(ctx); err != nil {
		return 0, err
	}
	for _, c := range cmds {
		sum += c.Val()
	}
	return sum, nil
}

func newLog(ctx context.Context, url string, store *archive.Store, after time.Duration) (*sredis.Log, error) {
	cfg := &config.Config{SyncInterval: time.Second}
	cfg.Defaults()
	l, err := sredis.Open(url, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		return nil, err
	}
	if store != nil {
		l.UseArchive(store, after)
	}
	return l, nil
}

func startRedis(ctx context.Context) (*testenv.Redis, func(), error) {
	dir, err := os.MkdirTemp("", "archive-bench-")
	if err != nil {
		return nil, nil, err
	}
	r, err := testenv.StartRedis(ctx, testenv.RedisOptions{Dir: dir})
	if err != nil {
		return nil, nil, err
	}
	return r, func() { r.Kill(); _ = os.RemoveAll(dir) }, nil
}

// usedMemory is INFO's used_memory: everything Redis allocated, the
// replica's connections and the script cache included.
func usedMemory(ctx context.Context, rdb *goredis.Client) (int64, error) {
	return infoField(ctx, rdb, "used_memory")
}

// datasetMemory is INFO's used_memory_dataset: the keys and values alone.
func datasetMemory(ctx context.Context, rdb *goredis.Client) (int64, error) {
	return infoField(ctx, rdb, "used_memory_dataset")
}

func infoField(ctx context.Context, rdb *goredis.Client, field string) (int64, error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in INFO", field)
}

// stroke returns the ops of one stroke of n points (n >= 2) by author,
// its op indices from index: begin, points ops of up to 16, end.
func stroke(author uint32, n uint32, index uint64, id uint32, at int32) []oplog.BatchOp {
	pts := func(k int) []canvas.Point {
		p := make([]canvas.Point, k)
		for i := range p {
			p[i] = canvas.Point{X: at + int32(i), Y: at - int32(i)}
		}
		return p
	}
	out := []oplog.BatchOp{{Author: author, Index: index, Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: id, Color: 0x223344ff, Width: 4, Points: pts(2)})}}
	for left := int(n) - 2; left > 0; left -= 16 {
		out = append(out, oplog.BatchOp{Author: author, Index: index + uint64(len(out)), Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts(min(left, 16))})})
	}
	return append(out, oplog.BatchOp{Author: author, Index: index + uint64(len(out)), Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd})})
}

func submit(l *sredis.Log, room string, epoch uint64, batch []oplog.BatchOp) error {
	reply := make(chan oplog.SubmitResult, 1)
	l.Submit(room, epoch, batch, reply)
	return (<-reply).Err
}

// fill draws opsPer ops of 10-point strokes on room, compacting as a room
// does.
func fill(ctx context.Context, l *sredis.Log, room string, opsPer int) error {
	st, err := l.Open(ctx, room)
	if err != nil {
		return err
	}
	var batch []oplog.BatchOp
	for id := uint32(1); len(batch) < opsPer; id++ {
		batch = append(batch, stroke(1, 10, uint64(len(batch)), id, int32(id))...)
	}
	return submit(l, room, st.Epoch, batch[:opsPer])
}

func memory(ctx context.Context, boards, live, opsPer int, dbURL string, store *archive.Store) (mem, error) {
	var m mem
	r, stop, err := startRedis(ctx)
	if err != nil {
		return m, err
	}
	defer stop()
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr})
	defer rdb.Close()
	empty, err := usedMemory(ctx, rdb)
	if err != nil {
		return m, err
	}
	// Archive after a second: the boards kept open are touched every
	// 250 ms and stay; the others go as soon as they are filled.
	l, err := newLog(ctx, r.URL(), store, time.Second)
	if err != nil {
		return m, err
	}
	defer l.Close()
	for i := range live {
		l.Watch(fmt.Sprintf("b%d", i), nopListener{})
	}
	start := time.Now()
	for i := range boards {
		if err := fill(ctx, l, fmt.Sprintf("b%d", i), opsPer); err != nil {
			return m, err
		}
	}
	if store != nil {
		// The replica's own sweeper archives the boards nobody is on.
		for {
			n, err := rdb.ZCard(ctx, "sp:archive:used").Result()
			if err != nil {
				return m, err
			}
			if n <= int64(live) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		m.archiveTook = int64(time.Since(start))
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			return m, err
		}
		defer conn.Close(ctx)
		if err := conn.QueryRow(ctx, `select (select count(*) from ops), pg_total_relation_size('boards') + pg_total_relation_size('ops') +
			pg_total_relation_size('checkpoints') + pg_total_relation_size('versions')`).Scan(&m.archivedOps, &m.pgBytes); err != nil {
			return m, err
		}
	}
	used, err := usedMemory(ctx, rdb)
	if err != nil {
		return m, err
	}
	m.total = used - empty
	if m.dataset, err = datasetMemory(ctx, rdb); err != nil {
		return m, err
	}
	all, err := keyBytes(ctx, rdb, "sp:{*")
	if err != nil {
		return m, err
	}
	if m.tombKeys, err = keyBytes(ctx, rdb, "sp:{*}:gone"); err != nil {
		return m, err
	}
	m.boardKeys = all - m.tombKeys
	if store != nil {
		keys, err := rdb.Keys(ctx, "sp:{*}:gone").Result()
		if err != nil {
			return m, err
		}
		for _, k := range keys {
			rdb.Del(ctx, k)
		}
		used, err := usedMemory(ctx, rdb)
		if err != nil {
			return m, err
		}
		m.noTomb = used - empty
		if m.datasetNoTomb, err = datasetMemory(ctx, rdb); err != nil {
			return m, err
		}
	}
	return m, nil
}

// bringBack archives a board of points points and times loading it back.
func bringBack(ctx context.Context, dbURL string, points, trials int) error {
	r, stop, err := startRedis(ctx)
	if err != nil {
		return err
	}
	defer stop()
	store, err := archive.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	l, err := newLog(ctx, r.URL(), store, 50*time.Millisecond)
	if err != nil {
		return err
	}
	defer l.Close()
	rdb := goredis.NewClient(&goredis.Options{Addr: r.Addr})
	defer rdb.Close()
	const room = "big"
	st, err := l.Open(ctx, room)
	if err != nil {
		return err
	}
	b := canvas.NewBoard(st.Epoch)
	var op canvas.Op
	var index uint64
	nops := 0
	for id := uint32(1); int(id)*100 <= points; id++ {
		batch := stroke(1, 100, index, id, int32(id%1000))
		index += uint64(len(batch))
		if err := submit(l, room, st.Epoch, batch); err != nil {
			return err
		}
		for _, o := range batch {
			_ = canvas.DecodeOp(o.Op, &op)
			b.Apply(1, &op)
		}
		nops += len(batch)
		if nops%2000 < len(batch) {
			snap, _ := b.MarshalBinary()
			if err := l.Compact(ctx, room, st.Epoch, b.Seq, snap); err != nil {
				return err
			}
		}
	}
	snap, _ := b.MarshalBinary()
	fmt.Printf("bring back: a board of %d points in %d ops (snapshot %s)\n", b.Points(), nops, kib(int64(len(snap))))
	var took []time.Duration
	for range trials {
		for rdb.Exists(ctx, "sp:{big}:meta").Val() == 1 {
			time.Sleep(20 * time.Millisecond)
		}
		t0 := time.Now()
		got, err := l.Open(ctx, room)
		if err != nil {
			return err
		}
		took = append(took, time.Since(t0))
		if got.Epoch != st.Epoch {
			return fmt.Errorf("came back under another epoch")
		}
	}
	slices.Sort(took)
	fmt.Printf("bring back (Open of an archived board, %d trials): p50 %s, p99 %s, max %s\n", trials,
		took[len(took)/2].Round(time.Microsecond), took[(len(took)*99)/100].Round(time.Microsecond), took[len(took)-1].Round(time.Microsecond))
	return nil
}

func createDB(ctx context.Context, admin string) (string, func(), error) {
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "sketchpad_bench_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("PostgreSQL at %s: %w", admin, err)
	}
	if _, err := conn.Exec(ctx, "create database "+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = conn.Exec(context.Background(), "drop database if exists "+name+" with (force)")
		conn.Close(context.Background())
	}, nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
func kib(n int64) string { return fmt.Sprintf("%.2f KiB", float64(n)/1024) }
