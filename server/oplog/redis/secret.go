package redis

import (
	"context"
	"errors"

	goredis "github.com/redis/go-redis/v9"
)

// The service's secret (view links, embed tokens) lives in Redis when the
// replicas share it, so they all sign alike without being told a secret.

// Secret returns the shared secret kept in Redis, storing fresh() first
// if none is there (the first replica to ask wins).
func (l *Log) Secret(ctx context.Context, fresh func() string) ([]byte, error) {
	return secret(ctx, l.rdb, fresh)
}

// OpenSecret is Secret for a tool that has no Log open (`sketchpad
// token`): it connects to url; close releases the connection.
func OpenSecret(url string, fresh func() string) (load func(context.Context) ([]byte, error), close func(), err error) {
	cl, err := dial(url)
	if err != nil {
		return nil, nil, err
	}
	rdb := cl.rdb
	return func(ctx context.Context) ([]byte, error) { return secret(ctx, rdb, fresh) }, func() { _ = rdb.Close() }, nil
}

func secret(ctx context.Context, rdb goredis.UniversalClient, fresh func() string) ([]byte, error) {
	if _, err := rdb.SetNX(ctx, "sp:secret", fresh(), 0).Result(); err != nil {
		return nil, err
	}
	s, err := rdb.Get(ctx, "sp:secret").Bytes()
	if err == nil && len(s) < 32 {
		err = errors.New("sp:secret in Redis is shorter than 32 bytes")
	}
	return s, err
}
