package server

import (
	"context"
	"fmt"
	"os"

	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/oplog/redis"
)

// LinksFor returns the view links and embed tokens of the service cfg
// describes, with its secret from cfg.Secret, the data directory or Redis:
// for tools such as `sketchpad token`. close releases what it opened.
func LinksFor(cfg *config.Config) (links *access.Links, close func(), err error) {
	cfg.Defaults()
	switch {
	case cfg.Secret != "":
		return access.NewLinks(func(context.Context) ([]byte, error) { return []byte(cfg.Secret), nil }), func() {}, nil
	case cfg.RedisURL != "":
		load, close, err := redis.OpenSecret(cfg.RedisURL, access.NewSecret)
		if err != nil {
			return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		return access.NewLinks(load), close, nil
	default:
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return nil, nil, err
		}
		return access.NewLinks(access.FileSecret(cfg.DataDir)), func() {}, nil
	}
}
