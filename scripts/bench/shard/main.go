// Command shard measures what one Redis shard carries (BENCHMARKS.md,
// "One Redis shard, and the scale-out over masters"): the drawn points per
// second a Redis Cluster of 1, 2 or 3 masters sustains with the
// submit-to-acknowledgement p99 at or under a bound (25 ms), and the Redis
// CPU each point costs.
//
// It drives the cluster log (package server/oplog/redis) directly, as a
// replica's rooms do, with no WebSockets and no Sketchpad replica: what is
// measured is Redis and the log's pipeline, not the replicas and clients
// that share this machine's cores. The load is open loop: ops of -points
// points arrive on -boards boards at the offered rate, on a schedule that
// does not wait for acknowledgements; a board, like a room, has one batch
// in flight and sends what arrived meanwhile as its next batch. An op's
// latency runs from when it was due to when its acknowledgement came
// back. Every board is watched (SSUBSCRIBE), so Redis also delivers each
// batch once, as it does to the replica that holds the board.
//
// Rates rise step by step; at each rate the cluster sizes take turns
// (1, 2, 3 masters, then again for each -rounds), so a change in the
// machine's load falls on every size alike. Redis CPU is used_cpu_user +
// used_cpu_sys from INFO, summed over the masters.
//
//	go run ./scripts/bench/shard -masters 1,2,3 -rates 10000,20000,40000,80000,120000,160000 -step 4s -rounds 2
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	sredis "github.com/sketchpad/sketchpad/server/oplog/redis"
)

func main() {
	masters := flag.String("masters", "1,2,3", "cluster sizes (masters, no replicas) measured side by side")
	rates := flag.String("rates", "10000,20000,40000,80000,120000,160000", "offered loads, points per second, in rising order")
	boards := flag.Int("boards", 200, "boards drawn on (spread over the slots)")
	points := flag.Int("points", 4, "points per op (the load generator's default)")
	step := flag.Duration("step", 4*time.Second, "how long each rate is offered to each cluster")
	rounds := flag.Int("rounds", 2, "times every rate is measured on every cluster (alternating)")
	bound := flag.Duration("p99", 25*time.Millisecond, "the latency bound: the knee is the highest rate whose p99 stays within it")
	wait := flag.Int("wait", 0, "--redis-wait-replicas (needs -replicas)")
	replicas := flag.Int("replicas", 0, "replicas per master (3 masters only: redis-cli creates smaller clusters without)")
	flag.Parse()
	o := options{boards: *boards, points: *points, step: *step, rounds: *rounds, bound: *bound, wait: *wait, replicas: *replicas}
	var err error
	if o.masters, err = ints(*masters); err == nil {
		o.rates, err = ints(*rates)
	}
	if err == nil {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shard bench:", err)
		os.Exit(1)
	}
}

type options struct {
	masters, rates         []int
	boards, points, rounds int
	wait, replicas         int
	step, bound            time.Duration
}

func ints(s string) ([]int, error) {
	var v []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q: not a list of positive numbers", s)
		}
		v = append(v, n)
	}
	return v, nil
}

// target is one cluster and the log driving it.
type target struct {
	masters int
	cluster *testenv.RedisCluster
	log     *sredis.Log
	boards  []*board
}

func run(o options) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "shard-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var ts []*target
	defer func() {
		for _, t := range ts {
			_ = t.log.Close()
			t.cluster.Kill()
		}
	}()
	for _, m := range o.masters {
		t, err := start(ctx, dir, m, o)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	// What the masters use doing nothing (cron, the cluster bus): part
	// of every step's figure, most visible at low rates.
	for _, t := range ts {
		idle, err := t.idleCPU(time.Second)
		if err != nil {
			return err
		}
		fmt.Printf("%d master(s) idle: Redis at %.1f%% of a core\n", t.masters, idle*100)
	}
	fmt.Printf("%d boards, %d points per op, %s per step, %d round(s), wait %d, replicas %d; GOMAXPROCS of the machine: 2 cores, shared\n",
		o.boards, o.points, o.step, o.rounds, o.wait, o.replicas)
	fmt.Printf("%-7s %-8s %5s %10s %10s %8s %8s %8s %9s %9s %12s %7s\n", "masters", "offered", "round", "acked/s", "batches/s", "p50 ms", "p99 ms", "max ms", "redis %", "busiest %", "redis us/pt", "lag ms")
	type key struct{ m, rate int }
	all := map[key][]result{}
	for _, rate := range o.rates {
		for round := range o.rounds {
			for _, t := range ts {
				r, err := t.measure(ctx, rate, o)
				if err != nil {
					return err
				}
				all[key{t.masters, rate}] = append(all[key{t.masters, rate}], r)
				fmt.Printf("%-7d %-8d %5d %10.0f %10.0f %8.2f %8.2f %8.1f %9.1f %9.1f %12.2f %7.1f\n", t.masters, rate, round+1,
					r.ackedPoints, r.batches, ms(r.p50), ms(r.p99), ms(r.max), r.redisCPU*100, r.busiest*100, r.usPerPoint, ms(r.lag))
			}
		}
	}
	// The knee: per cluster, the highest offered rate, acknowledged as
	// fast as offered, whose p99 is within the bound in its best round.
	// Other work on the machine only adds latency (the lag column), so
	// a rate that passed once is one the cluster carries; rates below it
	// that failed every round were disturbed, not too fast.
	fmt.Printf("\nknee (best round's p99 <= %s):\n", o.bound)
	for _, t := range ts {
		knee := 0
		for _, rate := range o.rates {
			rs := all[key{t.masters, rate}]
			best := slices.MinFunc(rs, func(a, b result) int { return int(a.p99 - b.p99) })
			if best.p99 <= o.bound && best.ackedPoints >= 0.95*float64(rate) {
				knee = rate
			}
		}
		if knee == 0 {
			fmt.Printf("  %d master(s): none of the rates\n", t.masters)
			continue
		}
		at := all[key{t.masters, knee}]
		fmt.Printf("  %d master(s): %d points/s; there the busiest master at %.0f%% of a core, %.2f us of Redis CPU per point (medians of rounds)\n",
			t.masters, knee, 100*median(at, func(r result) float64 { return r.busiest }), median(at, func(r result) float64 { return r.usPerPoint }))
	}
	// The scale-out: at the same offered load, how much less the busiest
	// master works than the one master does. A shard's capacity is its
	// one core, so this is the factor by which the cluster's capacity
	// grows, measured without needing a driver that saturates it.
	fmt.Printf("\nscale-out (busiest master's CPU with 1 master / with N, medians of rounds):\n")
	for _, rate := range o.rates {
		one := all[key{o.masters[0], rate}]
		if len(one) == 0 {
			continue
		}
		b1 := median(one, func(r result) float64 { return r.busiest })
		fmt.Printf("  %7d points/s:", rate)
		for _, t := range ts {
			bn := median(all[key{t.masters, rate}], func(r result) float64 { return r.busiest })
			fmt.Printf("  %d master(s) %.0f%% (x%.2f)", t.masters, 100*bn, b1/bn)
		}
		fmt.Println()
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(rs []result, f func(result) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func start(ctx context.Context, dir string, masters int, o options) (*target, error) {
	c, err := testenv.StartRedisCluster(ctx, testenv.ClusterOptions{Dir: dir + "/m" + strconv.Itoa(masters), Masters: masters, Replicas: o.replicas})
	if err != nil {
		return nil, err
	}
	if o.replicas > 0 {
		if err := c.WaitReplicated(ctx); err != nil {
			c.Kill()
			return nil, err
		}
	}
	cfg := &config.Config{RedisWaitReplicas: o.wait}
	cfg.Defaults()
	l, err := sredis.Open("redis://"+c.Nodes[0].Addr, cfg, slog.New(slog.DiscardHandler), metrics.New())
	if err != nil {
		c.Kill()
		return nil, err
	}
	t := &target{masters: masters, cluster: c, log: l}
	for i := range o.boards {
		b, err := openBoard(ctx, l, fmt.Sprintf("shard%d-%d", masters, i), o.points)
		if err != nil {
			_ = l.Close()
			c.Kill()
			return nil, err
		}
		t.boards = append(t.boards, b)
	}
	return t, nil
}

// result is one step's figures.
type result struct {
	ackedPoints, batches float64 // per second
	p50, p99, max        time.Duration
	redisCPU             float64       // cores, summed over the masters
	busiest              float64       // cores, the busiest master
	usPerPoint           float64       // Redis CPU per acknowledged point
	lag                  time.Duration // the longest this process waited for a core
}

// measure offers rate points per second for o.step and reports.
func (t *target) measure(ctx context.Context, rate int, o options) (result, error) {
	masters, err := t.cluster.Masters()
	if err != nil {
		return result{}, err
	}
	cpu0, err := redisCPU(masters)
	if err != nil {
		return result{}, err
	}
	var (
		mu      sync.Mutex
		lat     []time.Duration
		batches atomic.Int64
		wg      sync.WaitGroup
	)
	var inTime atomic.Int64 // ops acknowledged before the step ended
	var end time.Time       // set before stop is closed
	record := func(d []time.Duration, at time.Time) {
		mu.Lock()
		lat = append(lat, d...)
		if at.Before(end) {
			inTime.Add(int64(len(d)))
		}
		mu.Unlock()
		batches.Add(1)
	}
	stop := make(chan struct{})
	for _, b := range t.boards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.drive(t.log, stop, record)
		}()
	}
	// The schedule: op k is due at k/opRate seconds from the start, on
	// board k mod boards, whether or not earlier ops were acknowledged.
	opRate := float64(rate) / float64(o.points)
	t0 := time.Now()
	mu.Lock()
	end = t0.Add(o.step)
	mu.Unlock()
	tick := time.NewTicker(time.Millisecond)
	var k int64
	var lag time.Duration
	for now := range tick.C {
		// How late this process got to run: the machine's share, not
		// Redis's, of any latency above it.
		lag = max(lag, time.Since(now))
		el := now.Sub(t0)
		if el >= o.step {
			break
		}
		due := int64(el.Seconds() * opRate)
		for ; k < due; k++ {
			at := t0.Add(time.Duration(float64(k) / opRate * float64(time.Second)))
			t.boards[k%int64(len(t.boards))].offer(at)
		}
	}
	tick.Stop()
	close(stop)
	wg.Wait()
	wall := time.Since(t0)
	cpu1, err := redisCPU(masters)
	if err != nil {
		return result{}, err
	}
	slices.Sort(lat)
	r := result{batches: float64(batches.Load()) / wall.Seconds(), lag: lag}
	if n := len(lat); n > 0 {
		total, busiest := spent(cpu0, cpu1)
		r.p50, r.p99, r.max = lat[n/2], lat[n*99/100], lat[n-1]
		r.ackedPoints = float64(inTime.Load()*int64(o.points)) / o.step.Seconds()
		r.redisCPU, r.busiest = total/wall.Seconds(), busiest/wall.Seconds()
		r.usPerPoint = total * 1e6 / float64(n*o.points)
	}
	_ = ctx
	return r, nil
}

// idleCPU is the masters' CPU (in cores) over d with no load.
func (t *target) idleCPU(d time.Duration) (float64, error) {
	masters, err := t.cluster.Masters()
	if err != nil {
		return 0, err
	}
	c0, err := redisCPU(masters)
	if err != nil {
		return 0, err
	}
	time.Sleep(d)
	c1, err := redisCPU(masters)
	total, _ := spent(c0, c1)
	return total / d.Seconds(), err
}

// spent is the CPU seconds used between two readings of redisCPU: in
// all, and by the busiest server.
func spent(c0, c1 []float64) (total, busiest float64) {
	for i := range c0 {
		if i < len(c1) {
			total += c1[i] - c0[i]
			busiest = max(busiest, c1[i]-c0[i])
		}
	}
	return total, busiest
}

// redisCPU is the CPU seconds each server at addrs has used.
func redisCPU(addrs []string) ([]float64, error) {
	total := make([]float64, len(addrs))
	for i, a := range addrs {
		info, err := testenv.RedisInfo(a, "INFO", "cpu")
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(info, "\n") {
			k, v, _ := strings.Cut(strings.TrimSpace(line), ":")
			if k == "used_cpu_sys" || k == "used_cpu_user" {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, err
				}
				total[i] += f
			}
		}
	}
	return total, nil
}

// board is one board's drawer and its room's submit loop.
type board struct {
	room   string
	epoch  uint64
	author uint32
	points int

	mu      sync.Mutex
	pending []time.Time   // ops due and not yet sent, guarded by mu
	kick    chan struct{} // an op was offered (capacity 1)

	index  uint64
	stroke uint32
	n      int // ops in the current stroke
	tail   []canvas.Point
	reply  chan oplog.SubmitResult
}

type nopListener struct{}

func (nopListener) Published(uint64, uint64, []canvas.SeqOp) bool { return true }
func (nopListener) Resync()                                       {}

func openBoard(ctx context.Context, l *sredis.Log, room string, points int) (*board, error) {
	st, err := l.Open(ctx, room)
	if err != nil {
		return nil, err
	}
	a, err := l.NewAuthors(ctx, room, st.Epoch, 1)
	if err != nil {
		return nil, err
	}
	l.Watch(room, nopListener{})
	return &board{room: room, epoch: st.Epoch, author: a, points: points, kick: make(chan struct{}, 1), reply: make(chan oplog.SubmitResult, 1)}, nil
}

func (b *board) offer(at time.Time) {
	b.mu.Lock()
	b.pending = append(b.pending, at)
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// drive submits what is pending, one batch in flight, until stop; then
// it sends what is left, so every op offered is measured.
func (b *board) drive(l *sredis.Log, stop <-chan struct{}, record func([]time.Duration, time.Time)) {
	stopping := false
	for {
		b.mu.Lock()
		due := b.pending
		b.pending = nil
		b.mu.Unlock()
		if len(due) == 0 {
			if stopping {
				return
			}
			select {
			case <-b.kick:
			case <-stop:
				stopping = true
			}
			continue
		}
		batch := make([]oplog.BatchOp, len(due))
		for i := range due {
			b.index++
			batch[i] = oplog.BatchOp{Author: b.author, Index: b.index, Op: b.nextOp()}
		}
		l.Submit(b.room, b.epoch, batch, b.reply)
		res := <-b.reply
		now := time.Now()
		if res.Err != nil {
			fmt.Fprintln(os.Stderr, "submit:", res.Err)
			continue
		}
		d := make([]time.Duration, len(due))
		for i, at := range due {
			d[i] = now.Sub(at)
		}
		record(d, now)
	}
}

// nextOp is the next op of a drawer's strokes: a Begin, Trace ops of
// b.points points each, an End after 50.
func (b *board) nextOp() []byte {
	p := canvas.Point{X: int32(b.n % 500), Y: int32(b.n % 300)}
	switch {
	case b.n == 0:
		b.stroke++
		b.n++
		b.tail = append(b.tail[:0], p)
		return canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: b.stroke, Color: 0x336699ff, Width: 8, Points: []canvas.Point{p}})
	case b.n >= 50:
		b.n = 0
		return []byte{byte(canvas.OpEnd)}
	}
	b.n++
	ps := make([]canvas.Point, b.points)
	for i := range ps {
		ps[i] = canvas.Point{X: int32(b.n*4 + i), Y: int32(b.n + i)}
	}
	op := canvas.AppendTrace(nil, b.tail, ps)
	b.tail = append(b.tail, ps...)
	b.tail = append(b.tail[:0], b.tail[len(b.tail)-2:]...)
	return op
}
