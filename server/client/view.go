package client

import (
	"context"

	"github.com/sketchpad/sketchpad/canvas"
)

// SendView says which board rectangle this client shows (follow the
// leader); the server relays it to the others with the cursors.
func (c *Client) SendView(v canvas.View) error {
	return c.SendRaw(canvas.AppendView(nil, v))
}

// WaitView waits until the last view received from author is want.
func (c *Client) WaitView(ctx context.Context, author uint32, want canvas.View) error {
	return c.wait(ctx, "view", func() bool {
		got, ok := c.views[author]
		return ok && got == want
	})
}

// View is the last view received from author, and whether there was one.
func (c *Client) View(author uint32) (canvas.View, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.views[author]
	return v, ok
}
