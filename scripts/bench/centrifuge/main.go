// Command centrifuge is the Centrifuge peer of the load generator's
// -compare (scripts/loadtest): a minimal relay on the
// github.com/centrifugal/centrifuge library, the way a Go team would
// build a whiteboard's fan-out on it. One channel per board; clients
// connect anonymously, subscribe to their board's channel and publish to
// it directly (client-side publish, no server-side handling of the data);
// the protobuf protocol. With no -redis it runs on Centrifuge's in-memory
// broker (one node); with -redis, on its Redis broker, and each
// publication is kept in the channel's history (-history), the guarantee
// comparable to Sketchpad's numbered, stored ops.
//
// It is a module of its own so that the server's module graph carries
// none of Centrifuge's dependencies; the load generator builds it (go
// build in this directory) and drives it with the same traces as
// Sketchpad.
//
//	go run . -addr 127.0.0.1:8000 [-redis redis://127.0.0.1:6379] [-history 1000] [-write-delay 10ms]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/centrifugal/centrifuge"
)

func main() {
	addr := flag.String("addr", env("ADDR", "127.0.0.1:8000"), "listen address (loopback)")
	redisURL := flag.String("redis", env("REDIS_URL", ""), "Redis URL: use the Redis broker (else the in-memory one)")
	history := flag.Int("history", 0, "publications kept per channel (0: none; with -redis the load generator asks for 1000)")
	writeDelay := flag.Duration("write-delay", 0, "Centrifuge's WriteDelay: collect messages this long before writing (0: write at once, its default)")
	flag.Parse()

	node, err := centrifuge.New(centrifuge.Config{LogLevel: centrifuge.LogLevelError,
		LogHandler: func(e centrifuge.LogEntry) { log.Printf("%s %v", e.Message, e.Fields) }})
	if err != nil {
		log.Fatal(err)
	}
	if *redisURL != "" {
		shard, err := centrifuge.NewRedisShard(node, centrifuge.RedisShardConfig{Address: *redisURL})
		if err != nil {
			log.Fatal(err)
		}
		broker, err := centrifuge.NewRedisBroker(node, centrifuge.RedisBrokerConfig{Shards: []*centrifuge.RedisShard{shard}})
		if err != nil {
			log.Fatal(err)
		}
		node.SetBroker(broker)
	}
	node.OnConnecting(func(context.Context, centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		return centrifuge.ConnectReply{
			Credentials: &centrifuge.Credentials{UserID: ""}, // anonymous, as a board link is
			WriteDelay:  *writeDelay,
		}, nil
	})
	pub := centrifuge.PublishOptions{}
	if *history > 0 {
		pub.HistorySize, pub.HistoryTTL = *history, 10*time.Minute
	}
	node.OnConnect(func(c *centrifuge.Client) {
		c.OnSubscribe(func(_ centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			cb(centrifuge.SubscribeReply{}, nil)
		})
		c.OnPublish(func(_ centrifuge.PublishEvent, cb centrifuge.PublishCallback) {
			cb(centrifuge.PublishReply{Options: pub}, nil)
		})
	})
	if err := node.Run(); err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/connection/websocket", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		CheckOrigin: func(*http.Request) bool { return true }, // the load generator sends no Origin
	}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	_ = node.Shutdown(sctx)
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
