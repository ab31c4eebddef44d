// Command sketchpad runs a Sketchpad replica: the web app, the board
// WebSocket endpoint and the board store.
//
//	go run ./server/cmd/sketchpad --addr :8080 --data ./data
//	REDIS_URL=redis://localhost:6379/0 go run ./server/cmd/sketchpad
//	go run ./server/cmd/sketchpad token --board NAME --can draw --name Ada --ttl 2h
//
// Every flag has an environment twin (SKETCHPAD_ADDR, SKETCHPAD_DATA, ...);
// `sketchpad -h` lists them.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/sketchpad/sketchpad/internal/sysmon"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/config"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(os.Args[1:], log); err != nil {
		if !errors.Is(err, errUsage) {
			log.Error("sketchpad stopped", "err", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(args []string, log *slog.Logger) error {
	if len(args) > 0 && args[0] == "token" {
		return token(args[1:], os.Stdout, os.Stderr)
	}
	cfg, err := config.LoadConfig(args, os.Getenv, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sketchpad:", err)
		return errUsage
	}
	if cfg.SysmonAwake {
		// Before anything starts: on success the program starts over
		// from main in this same process, with the setting.
		if err := sysmon.KeepAwake(); err != nil {
			log.Warn("sysmon-awake: could not re-execute with "+sysmon.Setting+" in GODEBUG; running without it", "err", err)
		}
	}
	app, err := server.New(cfg, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		_ = app.Shutdown(context.Background())
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.PprofAddr != "" {
		pl, err := net.Listen("tcp", cfg.PprofAddr)
		if err != nil {
			return fmt.Errorf("pprof listen on %s: %w", cfg.PprofAddr, err)
		}
		log.Info("pprof listening", "addr", pl.Addr().String())
		go func() { _ = http.Serve(pl, pprofMux()) }()
	}
	srv := app.HTTPServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if cfg.RedisURL != "" {
		log.Info("sketchpad listening", "addr", ln.Addr().String(), "mode", "redis")
	} else {
		log.Info("sketchpad listening", "addr", ln.Addr().String(), "mode", "embedded", "data", cfg.DataDir)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case sig := <-stop:
		log.Info("shutting down", "signal", sig.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// Stop accepting, then let every room flush and tell its clients to
	// reconnect (WebSockets are hijacked, so srv.Shutdown does not wait
	// for them).
	_ = srv.Shutdown(ctx)
	if err := app.Shutdown(ctx); err != nil {
		return err
	}
	log.Info("stopped cleanly")
	return nil
}
