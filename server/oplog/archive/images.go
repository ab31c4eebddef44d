package archive

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A board's images (oplog.Images) in the images table: by room and hash
// (id). The Redis log copies them here when it archives a board and
// reads them from here once Redis no longer holds them; a hash names its
// bytes for good, so a copy is never updated and an archived image is
// kept while its board is.

// PutImages stores imgs (hash -> bytes) for room; hashes it holds stay.
func (s *Store) PutImages(ctx context.Context, room string, imgs map[string][]byte) error {
	if len(imgs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	for h, data := range imgs {
		b.Queue(`insert into images (room, id, data) values ($1, $2, $3) on conflict (room, id) do nothing`, room, h, data)
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("archive images of board %s: %w", room, err)
	}
	return nil
}

// Image returns room's image hash; oplog.ErrNoImage when the archive has
// none.
func (s *Store) Image(ctx context.Context, room, hash string) ([]byte, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `select data from images where room = $1 and id = $2`, room, hash).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, oplog.ErrNoImage
	}
	return data, err
}

// ImageBytes returns the bytes of all of room's archived images.
func (s *Store) ImageBytes(ctx context.Context, room string) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `select coalesce(sum(length(data)), 0) from images where room = $1`, room).Scan(&n)
	return n, err
}
