package client

import (
	"context"
	"sync"
	"time"

	"github.com/lxzan/gws"
)

// Liveness: a link that dies silently (a host cut off, a cable pulled)
// closes no TCP connection; nothing tells the client but the silence. The
// server pings every connection at half its --idle-timeout, so a client
// that hears nothing, not even a ping, for ReadTimeout takes the
// connection for dead. With Reconnect set it then reconnects by itself,
// trying the URLs it knows in turn (another replica serving the board, or
// the same load balancer again), and resumes as after any Reconnect.

// Liveness options for New; the zero value is a client that never gives
// up on a connection by itself and never reconnects by itself.
type Liveness struct {
	// ReadTimeout: a connection that delivered nothing (a frame or a
	// ping) for this long is dropped. Make it longer than half the
	// server's --idle-timeout (its ping period), with room for delays.
	ReadTimeout time.Duration
	// Reconnect, when set, makes the client reconnect by itself (with
	// this backoff) whenever a connection it had been welcomed on ends
	// other than by Close.
	Reconnect *Backoff
	// URLs are the WebSocket URLs the client tries in turn when it
	// reconnects by itself, from the one after its current URL; empty
	// means the current URL only.
	URLs []string
}

// auto is the self-reconnecting state, guarded by Client.mu.
type auto struct {
	running bool          // a reconnect loop is under way
	stop    chan struct{} // closed by Close: no more reconnects
	once    sync.Once
}

// heard extends the read deadline of conn after it delivered something.
func (c *Client) heard(conn *gws.Conn) {
	if c.liveness.ReadTimeout > 0 {
		_ = conn.SetReadDeadline(time.Now().Add(c.liveness.ReadTimeout))
	}
}

// lost is called (c.mu held) when a connection that had been welcomed
// ends; it starts the reconnect loop unless one runs or Close was called.
func (c *Client) lost() {
	if c.liveness.Reconnect == nil || c.auto.running {
		return
	}
	select {
	case <-c.auto.stop:
		return
	default:
	}
	c.auto.running = true
	go c.reconnectLoop()
}

// reconnectLoop reconnects, each attempt on the next URL, until it is
// live again or Close is called.
func (c *Client) reconnectLoop() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-c.auto.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	b := *c.liveness.Reconnect
	prev := b.OnRetry
	c.nextURL()
	b.OnRetry = func(attempt int, err error, wait time.Duration) {
		c.nextURL()
		if prev != nil {
			prev(attempt, err, wait)
		}
	}
	err := c.Reconnect(ctx, b)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.auto.running = false
	if err != nil && c.err == nil && ctx.Err() == nil {
		c.err = err
	}
	c.notify()
	if err == nil && !c.live {
		// The connection died between its Welcome and now, while this
		// loop still ran: nobody else will notice.
		c.lost()
	}
}

// nextURL points the client at the URL after its current one in URLs.
func (c *Client) nextURL() {
	c.mu.Lock()
	defer c.mu.Unlock()
	us := c.liveness.URLs
	if len(us) == 0 {
		return
	}
	i := 0
	for j, u := range us {
		if u == c.url {
			i = j + 1
			break
		}
	}
	c.url = us[i%len(us)]
}

// URL is the WebSocket URL the client uses (or will use next).
func (c *Client) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url
}

// Live reports whether the client is welcomed on a connection now.
func (c *Client) Live() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// stopAuto ends self-reconnecting for good (Close).
func (c *Client) stopAuto() {
	c.auto.once.Do(func() { close(c.auto.stop) })
}
