package ws

import (
	"log/slog"
	"sync"
	"time"
)

// limitedLog lets through at most perMinute per-connection log lines a
// minute and counts the rest, so one noisy client cannot flood the logs.
type limitedLog struct {
	perMinute int

	mu         sync.Mutex // guards the fields below
	windowFrom time.Time
	used       int
	suppressed int
}

func newLimitedLog(perMinute int) *limitedLog { return &limitedLog{perMinute: perMinute} }

func (l *limitedLog) Log(log *slog.Logger, msg string, args ...any) {
	l.mu.Lock()
	now := time.Now()
	if now.Sub(l.windowFrom) >= time.Minute {
		if l.suppressed > 0 {
			log.Warn("suppressed noisy connection logs", "count", l.suppressed)
		}
		l.windowFrom, l.used, l.suppressed = now, 0, 0
	}
	ok := l.used < l.perMinute
	if ok {
		l.used++
	} else {
		l.suppressed++
	}
	l.mu.Unlock()
	if ok {
		log.Info(msg, args...)
	}
}
