// Command cluster runs Sketchpad scaled out on this machine without a
// container engine: the topology of docker-compose.yml as local processes.
//
//	go run ./scripts/cluster                 # Redis + PostgreSQL + 3 replicas + nginx on http://127.0.0.1:8080
//	go run ./scripts/cluster -replicas 5 -port 9000 -v
//	go run ./scripts/cluster -redis-cluster 3  # a Redis Cluster: 3 masters, a replica each
//
// It builds ./server/cmd/sketchpad, starts a redis-server on a free port
// (append-only file on, data in a temporary directory unless -dir is given),
// a PostgreSQL for the archive of cold boards (Debian's postgresql package,
// run as the postgres user; -archive-url uses yours, -no-archive none),
// the replicas in Redis mode on 127.0.77.1, 127.0.77.2, ... and nginx with the
// compose load balancer's configuration rendered for these addresses
// (checked with `nginx -t` first). It installs Debian's nginx package if nginx
// is missing, and says so. It prints the URL, runs until Ctrl-C, then stops
// everything. The package scripts/cluster/local does the work; the tests
// beside this file use it to kill and restart replicas.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/sketchpad/sketchpad/scripts/cluster/local"
)

func main() {
	replicas := flag.Int("replicas", 3, "number of sketchpad replicas")
	port := flag.Int("port", 8080, "port of the load balancer on 127.0.0.1")
	dir := flag.String("dir", "", "keep binaries, Redis data and logs here (default: a temporary directory, removed on exit)")
	redisURL := flag.String("redis-url", "", "use this Redis instead of starting one")
	archiveURL := flag.String("archive-url", "", "archive cold boards to this PostgreSQL instead of starting one")
	noArchive := flag.Bool("no-archive", false, "run without the archive (Redis keeps every board)")
	redisCluster := flag.Int("redis-cluster", 0, "start a Redis Cluster of this many masters (at least 3), each with a replica, instead of one Redis")
	verbose := flag.Bool("v", false, "print every process' log lines too")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./scripts/cluster [flags]\n\n"+
			"Runs Redis, N sketchpad replicas and nginx as local processes, as docker-compose.yml does in containers.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, "cluster: "+format+"\n", args...) }
	o := local.Options{Replicas: *replicas, Port: *port, Dir: *dir, RedisURL: *redisURL, RedisCluster: *redisCluster,
		ArchiveURL: *archiveURL, NoArchive: *noArchive, Logf: logf, InstallNginx: true}
	if *verbose {
		o.Echo = os.Stderr
	}
	c, err := local.Start(ctx, o)
	if err != nil {
		logf("%s", strings.TrimPrefix(err.Error(), "cluster: "))
		os.Exit(1)
	}
	fmt.Printf("\nSketchpad is running on %s (open it in a browser)\n\n", c.URL)
	fmt.Printf("  load balancer  nginx, %s (config %s)\n", c.URL, c.NginxConf)
	for _, r := range c.Replicas {
		fmt.Printf("  replica %-6d %s\n", r.Index+1, r.URL)
	}
	fmt.Printf("  redis          %s\n", c.RedisURL)
	if c.ArchiveURL != "" {
		fmt.Printf("  postgres       %s\n", c.ArchiveURL)
	}
	fmt.Printf("  logs           %s\n\nCtrl-C stops everything.\n", c.Dir)
	<-ctx.Done()
	logf("stopping")
	c.Close()
}
