// Command history measures a board's history over HTTP (BENCHMARKS.md,
// "Reading history at a million ops"): the time to render
// /b/{room}.svg?at=SEQ on a board of -ops ops (strokes of 10 points: begin,
// points, end; a clear every -clear-every ops, as a long-lived board has),
// at a seq just after a checkpoint, just before the next one, and the head
// (p50, p99 over -requests requests, each at a seq not asked before, so
// that the pictures' cache does not answer); then the latency of
// /api/boards/{room}/history and /history/ops polled at -rate a second,
// alone and while `scripts/loadtest -scenario fanout` draws on another
// board of the same server.
//
// It builds the board by driving the log directly (the embedded mode's
// bolt store, or a redis-server of its own with --history-ops above -ops),
// checkpointing and marking versions as a room does, then starts a real
// server process (./server/cmd/sketchpad) over that store and times real
// HTTP requests to it. It stops by itself.
//
//	go run ./scripts/bench/history -mode both -ops 1000000 -requests 100
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/scripts/cluster/local"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/bolt"
	llog "github.com/sketchpad/sketchpad/server/oplog/local"
	sredis "github.com/sketchpad/sketchpad/server/oplog/redis"
)

type opts struct {
	ops, clearEvery, every, requests int
	rate                             float64
	poll, load                       time.Duration
	profile                          string
}

func main() {
	mode := flag.String("mode", "both", "embedded (bolt), redis, or both")
	var o opts
	flag.IntVar(&o.ops, "ops", 1_000_000, "ops on the board")
	flag.IntVar(&o.clearEvery, "clear-every", 20_000, "ops between clears (0: never; the board then grows to -ops/3 strokes)")
	flag.IntVar(&o.every, "snapshot-every", 2000, "ops between checkpoints (the server's --snapshot-every)")
	flag.IntVar(&o.requests, "requests", 100, "?at= requests per kind of seq")
	flag.Float64Var(&o.rate, "rate", 20, "history API requests a second (each endpoint)")
	flag.DurationVar(&o.poll, "poll", 20*time.Second, "how long the history API is polled without load")
	flag.DurationVar(&o.load, "load", 30*time.Second, "the fanout scenario's -duration (0: skip the loaded phase)")
	flag.StringVar(&o.profile, "profile", "", "write a 10 s CPU profile of the server rendering ?at= near the head to this file (suffixed with the mode)")
	flag.Parse()
	modes := []string{*mode}
	if *mode == "both" {
		modes = []string{"embedded", "redis"}
	}
	for _, m := range modes {
		if err := run(m, o); err != nil {
			fmt.Fprintln(os.Stderr, "history bench:", err)
			os.Exit(1)
		}
	}
}

const room = "hist"

func run(mode string, o opts) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "history-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg := &config.Config{SyncInterval: time.Second, SnapshotEvery: o.every, HistoryOps: o.ops + 10*o.every}
	cfg.Defaults()
	args := []string{"--snapshot-every", strconv.Itoa(o.every), "--rate-http", "100000"}
	var lg oplog.Log
	var closeLog func()
	switch mode {
	case "embedded":
		data := filepath.Join(dir, "data")
		if err := os.MkdirAll(data, 0o700); err != nil {
			return err
		}
		st, err := bolt.Open(filepath.Join(data, "boards.db"))
		if err != nil {
			return err
		}
		lg = llog.New(st, slog.New(slog.DiscardHandler), metrics.New())
		closeLog = func() { _ = st.Close() }
		args = append(args, "--data", data)
	case "redis":
		r, err := testenv.StartRedis(ctx, testenv.RedisOptions{Dir: dir})
		if err != nil {
			return err
		}
		defer r.Kill()
		l, err := sredis.Open(r.URL(), cfg, slog.New(slog.DiscardHandler), metrics.New())
		if err != nil {
			return err
		}
		lg = l
		closeLog = func() { l.Close() }
		args = append(args, "--redis-url", r.URL(), "--history-ops", strconv.Itoa(cfg.HistoryOps), "--data", filepath.Join(dir, "data"))
	default:
		return fmt.Errorf("unknown -mode %q", mode)
	}
	t0 := time.Now()
	head, err := fill(ctx, lg, o)
	closeLog()
	if err != nil {
		return err
	}
	fmt.Printf("== %s: %d ops (strokes of 10 points, a clear every %d, checkpoints every %d) written in %s\n",
		mode, head, o.clearEvery, o.every, time.Since(t0).Round(time.Millisecond))

	root, err := local.ModuleRoot()
	if err != nil {
		return err
	}
	bin, err := local.Build(ctx, root, dir)
	if err != nil {
		return err
	}
	addr, err := testenv.FreeAddr()
	if err != nil {
		return err
	}
	paddr := ""
	if o.profile != "" {
		if paddr, err = testenv.FreeAddr(); err != nil {
			return err
		}
		args = append(args, "--pprof", paddr)
	}
	srv := &testenv.Proc{Name: "sketchpad", Path: bin, Args: append([]string{"--addr", addr}, args...), Dir: dir, LogPath: filepath.Join(dir, "sketchpad.log")}
	if err := srv.Start(); err != nil {
		return err
	}
	defer srv.Stop(syscall.SIGTERM, 10*time.Second)
	base := "http://" + addr
	if err := testenv.WaitHTTP(ctx, base+"/readyz", srv, time.Minute); err != nil {
		return err
	}

	// ?at=: each request at a seq not asked before (the cache keys on it).
	n := uint64(o.requests)
	e := uint64(o.every)
	pairs, err := checkpoints(base)
	if err != nil {
		return err
	}
	if len(pairs) == 0 {
		return fmt.Errorf("no two checkpoints in a row on the board")
	}
	np := uint64(len(pairs))
	kinds := []struct {
		name string
		seq  func(i uint64) uint64
	}{
		{"just after a checkpoint (C+1)", func(i uint64) uint64 { return pairs[i%np][0] + 1 + i/np }},
		{"just before the next checkpoint (C'-1)", func(i uint64) uint64 { return pairs[i%np][1] - 1 - i/np }},
		{"the head, then the ops before it", func(i uint64) uint64 { return head - i }},
	}
	for _, k := range kinds {
		var took []time.Duration
		size := 0
		for i := range n {
			d, b, err := get(base + "/b/" + room + ".svg?at=" + strconv.FormatUint(k.seq(i), 10))
			if err != nil {
				return err
			}
			took = append(took, d)
			size += b
		}
		fmt.Printf("?at= %-45s %s (pictures %d KiB on average)\n", k.name, pct(took), size/int(n)/1024)
	}
	// The same seq again: the cache answers after the log's read.
	var again []time.Duration
	for range n {
		d, _, err := get(base + "/b/" + room + ".svg?at=" + strconv.FormatUint(head, 10))
		if err != nil {
			return err
		}
		again = append(again, d)
	}
	fmt.Printf("?at= %-45s %s\n", "the head again (pictures' cache)", pct(again))
	if paddr != "" {
		if err := profile(base, "http://"+paddr, o.profile+"."+mode, head); err != nil {
			return err
		}
	}

	urls := map[string]string{
		"history":     base + "/api/boards/" + room + "/history",
		"history/ops": base + "/api/boards/" + room + "/history/ops?at=" + strconv.FormatUint(head-e/2, 10) + "&to=" + strconv.FormatUint(head-e/2+500, 10),
	}
	fmt.Printf("history API alone, %s at %.0f/s each:\n", o.poll, o.rate)
	if err := poll(urls, o.rate, o.poll, nil); err != nil {
		return err
	}
	if o.load <= 0 {
		return nil
	}
	fmt.Printf("history API while loadtest -scenario fanout -duration %s runs on another board:\n", o.load)
	lt := exec.Command("go", "run", "./scripts/loadtest", "-scenario", "fanout", "-quiet", "-duration", o.load.String(), "-url", "ws://"+addr)
	lt.Dir = root
	lt.Stdout, lt.Stderr = os.Stdout, os.Stderr
	return poll(urls, o.rate, o.load, lt)
}

// checkpoints returns the board's consecutive checkpoints (C, C') with no
// clear between them, newest first, from its history.
func checkpoints(base string) ([][2]uint64, error) {
	var vs []struct {
		Seq  uint64 `json:"seq"`
		Kind string `json:"kind"`
	}
	u := base + "/api/boards/" + room + "/history?limit=500"
	for {
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		var page struct {
			Versions []struct {
				Seq  uint64 `json:"seq"`
				Kind string `json:"kind"`
			} `json:"versions"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if len(page.Versions) == 0 {
			break
		}
		for _, v := range page.Versions {
			vs = append(vs, struct {
				Seq  uint64 `json:"seq"`
				Kind string `json:"kind"`
			}(v))
		}
		u = base + "/api/boards/" + room + "/history?limit=500&before=" + strconv.FormatUint(vs[len(vs)-1].Seq, 10)
	}
	var out [][2]uint64
	for i := 1; i < len(vs); i++ {
		if vs[i].Kind == "checkpoint" && vs[i-1].Kind == "checkpoint" && vs[i-1].Seq-vs[i].Seq > 2 {
			out = append(out, [2]uint64{vs[i].Seq, vs[i-1].Seq})
		}
	}
	return out, nil
}

// profile writes a 10 s CPU profile of the server while ?at= requests
// near the head (seqs not asked before) keep it busy.
func profile(base, pprof, file string, head uint64) error {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := head - 200; ; seq-- {
			select {
			case <-stop:
				return
			default:
			}
			if _, _, err := get(base + "/b/" + room + ".svg?at=" + strconv.FormatUint(seq, 10)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return
			}
		}
	}()
	resp, err := http.Get(pprof + "/debug/pprof/profile?seconds=10")
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	fmt.Println("CPU profile of ?at= near the head:", file)
	return f.Close()
}

// poll asks each url rate times a second for d and prints p50 and p99.
// With lt, it starts lt first and polls from when its clients are
// connected (after a settling pause) until it ends.
func poll(urls map[string]string, rate float64, d time.Duration, lt *exec.Cmd) error {
	done := make(chan error, 1)
	if lt != nil {
		if err := lt.Start(); err != nil {
			return err
		}
		go func() { done <- lt.Wait() }()
		time.Sleep(5 * time.Second) // build and connect; then the drawing
	}
	var mu sync.Mutex
	res := map[string][]time.Duration{}
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	if lt != nil {
		end = time.Now().Add(d - 5*time.Second)
	}
	for name, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
			defer tick.Stop()
			for time.Now().Before(end) {
				<-tick.C
				took, _, err := get(u)
				if err != nil {
					fmt.Fprintln(os.Stderr, name, err)
					continue
				}
				mu.Lock()
				res[name] = append(res[name], took)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, name := range []string{"history", "history/ops"} {
		fmt.Printf("  %-12s %s\n", name, pct(res[name]))
	}
	if lt != nil {
		return <-done
	}
	return nil
}

func get(u string) (time.Duration, int, error) {
	t0 := time.Now()
	resp, err := http.Get(u)
	if err != nil {
		return 0, 0, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if err != nil {
		return 0, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET %s: %s: %.200s", u, resp.Status, b)
	}
	return took, len(b), nil
}

func pct(d []time.Duration) string {
	if len(d) == 0 {
		return "no answers"
	}
	slices.Sort(d)
	at := func(p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(10 * time.Microsecond)
	}
	return fmt.Sprintf("p50 %s  p99 %s  max %s  (n=%d)", at(0.5), at(0.99), d[len(d)-1].Round(10*time.Microsecond), len(d))
}

// fill writes o.ops ops of 10-point strokes by one author, a clear every
// o.clearEvery ops, a checkpoint (Compact and Mark) every o.every ops and a
// clear version before each clear, as a room does; it returns the head.
// The first stroke after a clear is numbered in a Purge, as a server does
// once a board needs the room swept strokes hold: without it every
// checkpoint would hold every stroke ever drawn (swept strokes stay until
// a Purge), and a million ops of them would not fit in memory.
func fill(ctx context.Context, lg oplog.Log, o opts) (uint64, error) {
	st, err := lg.Open(ctx, room)
	if err != nil {
		return 0, err
	}
	if _, err := lg.NewAuthors(ctx, room, st.Epoch, 1); err != nil {
		return 0, err
	}
	b := canvas.NewBoard(st.Epoch)
	var op canvas.Op
	var index uint64
	var id uint32
	purge := false
	// The last clear a whole cycle before the head: the head's picture is
	// the biggest the board shows.
	nextClear := o.ops%max(o.clearEvery, 1) + o.clearEvery + 10
	names := map[uint32]string{1: "bench"}
	reply := make(chan oplog.SubmitResult, 1)
	for int(b.Seq) < o.ops {
		var batch []oplog.BatchOp
		for len(batch) < 600 && int(b.Seq)+len(batch) < o.ops {
			next := int(b.Seq) + len(batch) + 1
			if o.clearEvery > 0 && next+2 >= nextClear {
				break
			}
			id++
			batch = append(batch, stroke(index+uint64(len(batch)), id, int32(id%2000), purge)...)
			purge = false
		}
		clear := len(batch) == 0
		if clear {
			if err := lg.Mark(ctx, room, st.Epoch, b.Seq, oplog.KindClear, time.Now(), names); err != nil {
				return 0, err
			}
			id++ // a sweep is named from the author's stroke numbers
			nextClear += o.clearEvery
			purge = true
			batch = []oplog.BatchOp{{Author: 1, Index: index, Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpClear, Stroke: id})}}
		}
		for i := range batch {
			batch[i].Author = 1
		}
		lg.Submit(room, st.Epoch, batch, reply)
		if r := <-reply; r.Err != nil {
			return 0, r.Err
		}
		index += uint64(len(batch))
		before := b.Seq
		for _, x := range batch {
			if err := canvas.DecodeOp(x.Op, &op); err != nil {
				return 0, err
			}
			b.Apply(1, &op)
		}
		if b.Seq/uint64(o.every) != before/uint64(o.every) || clear {
			snap, err := b.MarshalBinary()
			if err != nil {
				return 0, err
			}
			if err := lg.Compact(ctx, room, st.Epoch, b.Seq, snap); err != nil {
				return 0, err
			}
			if err := lg.Mark(ctx, room, st.Epoch, b.Seq, oplog.KindCheckpoint, time.Now(), names); err != nil {
				return 0, err
			}
		}
	}
	return b.Seq, nil
}

// stroke returns the ops of one stroke of 10 points, its op indices from
// index: begin (2 points), points (8), end. With purge its begin is
// numbered in a Purge, which drops the strokes a clear swept.
func stroke(index uint64, id uint32, at int32, purge bool) []oplog.BatchOp {
	pts := func(k int) []canvas.Point {
		p := make([]canvas.Point, k)
		for i := range p {
			p[i] = canvas.Point{X: at + int32(i)*3, Y: at/2 - int32(i)*2}
		}
		return p
	}
	return []oplog.BatchOp{
		{Index: index, Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: id, Color: 0x223344ff, Width: 4, Points: pts(2), Purge: purge})},
		{Index: index + 1, Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpPoints, Points: pts(8)})},
		{Index: index + 2, Op: canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd})},
	}
}
