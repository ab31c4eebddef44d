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
// same per-IP table as the WebSocket limits (ws.Handler.TakeHTTP). A request beyond
// the budget is refused at once with 429 and Retry-After; unlike a
// drawing op it is not waited for, since a waiting HTTP request would hold
// a connection and a goroutine for the offender. Static assets and the
// health and metrics endpoints cost nothing worth limiting and are left out
// (a page load must not be refused because of its own script files).

// budget is the Echo middleware that applies the per-address HTTP budget
// (cfg.RateHTTP) to a route.
func (a *App) budget(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		wait := a.ws.TakeHTTP(c.RealIP(), time.Now())
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
