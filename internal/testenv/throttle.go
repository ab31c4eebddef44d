package testenv

import (
	"net"
	"time"
)

// Throttle returns c with its reads slowed to rate bytes a second on
// average since the first of them, in reads of at most 16 KiB: the far end
// of a slow link, as a client or a proxy sees it. On a TCP connection it
// also shrinks the receive buffer to 64 KiB, so the kernel does not read
// ahead of the rate (TCP's flow control then slows the sender, as a real
// slow link would). Reads must come from one goroutine.
func Throttle(c net.Conn, rate float64) net.Conn {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(64 << 10)
	}
	return &throttled{Conn: c, rate: rate}
}

type throttled struct {
	net.Conn
	rate  float64
	start time.Time
	n     int64 // read so far
}

func (c *throttled) Read(p []byte) (int, error) {
	if c.start.IsZero() {
		c.start = time.Now()
	}
	if len(p) > 16<<10 {
		p = p[:16<<10]
	}
	n, err := c.Conn.Read(p)
	c.n += int64(n)
	time.Sleep(time.Until(c.start.Add(time.Duration(float64(c.n) / c.rate * float64(time.Second)))))
	return n, err
}
