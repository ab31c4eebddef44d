package server

import (
	"context"

	"github.com/sketchpad/sketchpad/canvas"
)

// BoardOf returns a copy of board name as this replica holds it, for
// tests that compare clients' boards with the server's.
func (a *App) BoardOf(ctx context.Context, name string) (*canvas.Board, error) {
	return a.hub.Board(ctx, name)
}
