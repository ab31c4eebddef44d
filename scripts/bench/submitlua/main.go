// Command submitlua measures what Redis spends per op numbered by a
// submit script, alone (BENCHMARKS.md, "Cluster: a round trip's worth"):
// a redis-server of its own (with the append-only file unless -aof=false),
// two subscribers on every board's channel (two replicas), and one
// client that sends one-op batches of -boards boards, -depth batches a
// pipeline, one pipeline after another. Redis CPU is used_cpu_user +
// used_cpu_sys from INFO over -ops ops.
//
//	go run ./scripts/bench/submitlua -script server/oplog/redis/lua/submit.lua -depth 1
//
// A script of another layout gets the keys meta, log and applied and the
// arguments of today's (pipe.go's submitArgs).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sketchpad/sketchpad/internal/testenv"
)

func cpu(ctx context.Context, c *goredis.Client) float64 {
	s := c.Info(ctx, "cpu").Val()
	var t float64
	for _, l := range strings.Split(s, "\r\n") {
		k, v, _ := strings.Cut(l, ":")
		if k == "used_cpu_user" || k == "used_cpu_sys" {
			f, _ := strconv.ParseFloat(v, 64)
			t += f
		}
	}
	return t
}

func main() {
	script := flag.String("script", "", "submit.lua")
	depth := flag.Int("depth", 1, "batches per pipeline")
	boards := flag.Int("boards", 100, "boards")
	ops := flag.Int("ops", 40000, "ops")
	aof := flag.Bool("aof", true, "append-only file")
	flag.Parse()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "submitlua-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	r, err := testenv.StartRedis(ctx, testenv.RedisOptions{Dir: dir, AOF: *aof})
	if err != nil {
		panic(err)
	}
	defer r.Proc.Kill()
	src, err := os.ReadFile(*script)
	if err != nil {
		panic(err)
	}
	c := goredis.NewClient(&goredis.Options{Addr: r.Addr})
	sc := goredis.NewScript(string(src))
	epoch := "\x01\x02\x03\x04\x05\x06\x07\x08"
	var chans []string
	for b := range *boards {
		p := fmt.Sprintf("sp:{b%d}", b)
		c.HSet(ctx, p+":meta", "epoch", epoch, "seq", 0, "authors", 1, "snapseq", 0)
		chans = append(chans, p)
	}
	for range 2 {
		ps := c.Subscribe(ctx, chans...)
		go func() {
			for range ps.Channel(goredis.WithChannelSize(10000)) {
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	entry := string(make([]byte, 40))
	idx := make([]int, *boards)
	sc.Load(ctx, c)
	b := 0
	send := func(n int) {
		for i := 0; i < n; i += *depth {
			p := c.Pipeline()
			for k := 0; k < *depth; k++ {
				pre := fmt.Sprintf("sp:{b%d}", b)
				sc.EvalSha(ctx, p, []string{pre + ":meta", pre + ":log", pre + ":applied"}, epoch, pre, "PUBLISH", 0, 1, idx[b], entry)
				idx[b]++
				b = (b + 1) % *boards
			}
			if _, err := p.Exec(ctx); err != nil {
				panic(err)
			}
		}
	}
	send(2000)
	t0, w0 := cpu(ctx, c), time.Now()
	send(*ops)
	t1, w1 := cpu(ctx, c), time.Now()
	fmt.Printf("depth %d aof %v: %.2f us Redis CPU per op, %.0f ops/s\n", *depth, *aof, (t1-t0)/float64(*ops)*1e6, float64(*ops)/w1.Sub(w0).Seconds())
}
