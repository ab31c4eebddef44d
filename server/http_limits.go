package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Per-address budgets on HTTP work. Every endpoint that makes a replica do
// work (read a board, render a picture, build a page, mint a token, upgrade
// a WebSocket) takes a token from one bucket per client address, in the
// same per-IP table as the WebSocket limits (ipLimits). A request beyond
// the budget is refused at once with 429 and Retry-After; unlike a
// drawing op it is not waited for, since a waiting HTTP request would hold
// a connection and a goroutine for the offender. Static assets and the
// health and metrics endpoints cost nothing worth limiting and are left out
// (a page load must not be refused because of its own script files).

// overflowHTTPFactor: once the per-IP table is full, addresses not in it
// share one bucket (the overflow entry) worth this many addresses. Sharing
// keeps an attacker with many addresses (an IPv6 prefix) bounded, at the
// price of new visitors sharing a budget while the table is full; entries
// idle for ipForgetAfter leave the table.
const overflowHTTPFactor = 10

// tryTake takes one token if there is one. Unlike take it records no debt:
// a refused request costs the client nothing, so one that stops asking gets
// its budget back at the bucket's rate. It returns how long until a token
// is there (0: taken).
func (b *bucket) tryTake(now time.Time, rate, burst float64) time.Duration {
	if b.last.IsZero() {
		b.tokens, b.last = burst, now
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// takeHTTP takes a token from ip's HTTP bucket (rate per second, burst
// twice that) and returns how long the client must wait when there is
// none (0: go ahead).
func (l *ipLimits) takeHTTP(ip string, rate float64, now time.Time) time.Duration {
	e := l.entry(ip, now)
	if e == l.overflow {
		rate *= overflowHTTPFactor
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seen = now
	return e.http.tryTake(now, rate, 2*rate)
}

// budget is the Echo middleware that applies the per-address HTTP budget
// (cfg.RateHTTP) to a route.
func (a *App) budget(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		wait := a.ws.ips.takeHTTP(c.RealIP(), a.cfg.RateHTTP, time.Now())
		if wait == 0 {
			return next(c)
		}
		a.metrics.LimitHits.WithLabelValues("http").Inc()
		secs := max(1, int(math.Ceil(wait.Seconds())))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		return apiError(http.StatusTooManyRequests, "rate_limited",
			fmt.Sprintf("too many requests from this address (at most %g a second); retry after %d s", a.cfg.RateHTTP, secs))
	}
}
