package server

import (
	"context"
	"errors"

	"github.com/sketchpad/sketchpad/canvas"
)

// BoardOf returns a copy of board name as this replica holds it open, for
// tests that compare clients' boards with the server's.
func (a *App) BoardOf(ctx context.Context, name string) (*canvas.Board, error) {
	r := a.hub.OpenRoom(name)
	if r == nil {
		return nil, errors.New("board " + name + " is not open on this replica")
	}
	b, ok, err := a.hub.Peek(ctx, r)
	if err == nil && !ok {
		err = errors.New("board " + name + " closed")
	}
	return b, err
}
