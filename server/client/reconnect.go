package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff says how Reconnect retries. The zero value means the defaults.
type Backoff struct {
	// Base is the ceiling of the first wait; it doubles after every failed
	// attempt up to Max. Defaults 100ms and 5s.
	Base, Max time.Duration
	// Attempt bounds one attempt (dial, Hello, Welcome and catch-up), so a
	// connection that dies during the handshake is retried. Default 5s.
	Attempt time.Duration
	// OnRetry, if set, is told of each failed attempt and the wait before
	// the next one.
	OnRetry func(attempt int, err error, wait time.Duration)
}

// Reconnect connects again after the connection was lost, retrying Connect
// with exponential backoff and full jitter (each wait is uniformly random
// between zero and the current ceiling) until it succeeds or ctx ends. The
// jitter matters when a replica dies: all of its clients lose their
// connection at the same moment, and without it they would come back in
// lockstep waves. Like the browser app, the first attempt waits too.
//
// On success the client has resumed: the room sent what it missed (or a
// snapshot) and the ops it had sent that the room lacked were sent again.
// A connection that is still open is cut first.
func (c *Client) Reconnect(ctx context.Context, b Backoff) error {
	if b.Base <= 0 {
		b.Base = 100 * time.Millisecond
	}
	if b.Max <= 0 {
		b.Max = 5 * time.Second
	}
	if b.Attempt <= 0 {
		b.Attempt = 5 * time.Second
	}
	c.Drop()
	ceiling := b.Base
	wait := time.Duration(rand.Int64N(int64(ceiling) + 1))
	for attempt := 1; ; attempt++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		actx, cancel := context.WithTimeout(ctx, b.Attempt)
		err := c.Connect(actx)
		cancel()
		if err == nil {
			return nil
		}
		if perr := c.Err(); perr != nil {
			return perr // the server broke the protocol: retrying cannot help
		}
		if ctx.Err() != nil {
			return errors.Join(ctx.Err(), err)
		}
		c.Drop() // a connection left half-open by the failed attempt
		ceiling = min(2*ceiling, b.Max)
		wait = time.Duration(rand.Int64N(int64(ceiling) + 1))
		if b.OnRetry != nil {
			b.OnRetry(attempt, err, wait)
		}
	}
}
