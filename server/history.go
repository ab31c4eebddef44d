package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// A board's history over HTTP: its versions (GET
// /api/boards/{room}/history) and its picture at any sequence number (GET
// /b/{room}.svg?at=SEQ). Both read the board's log (oplog.Log: Versions,
// ReadAt), never a room: history is what the log keeps, whether the board
// is open on this replica, on another, or on none. Whoever may see a
// board may see its history: a board name, a view link, or an embed token
// for the board (resolveAccess); nothing here writes.

// History pages: versions per response unless ?limit says otherwise, and
// the most one response may hold.
const (
	historyPage    = 50
	historyPageMax = 500
)

// historyJSON is the body of /api/boards/{room}/history.
type historyJSON struct {
	Head     uint64        `json:"head"`
	Versions []versionJSON `json:"versions"`
}

type versionJSON struct {
	Seq     uint64       `json:"seq"`
	Time    string       `json:"time"` // RFC 3339, UTC
	Authors []authorJSON `json:"authors"`
	Ops     uint64       `json:"ops"` // since the previous version
	Kind    string       `json:"kind"`
}

type authorJSON struct {
	Author uint32 `json:"author"`
	Name   string `json:"name"`
}

// seqParam parses the query parameter name as a sequence number; ok is
// false when it is absent.
func seqParam(c echo.Context, name string) (seq uint64, ok bool, err error) {
	if !c.QueryParams().Has(name) {
		return 0, false, nil
	}
	v := c.QueryParam(name)
	seq, perr := strconv.ParseUint(v, 10, 64)
	if perr != nil {
		return 0, true, apiError(http.StatusBadRequest, "bad_"+name,
			name+" must be a sequence number (a whole number from 0), not "+strconv.Quote(truncate(v, 40)))
	}
	return seq, true, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// historyError maps a log's history errors to responses.
func historyError(err error) error {
	switch {
	case errors.Is(err, oplog.ErrNoBoard):
		return apiError(http.StatusNotFound, "no_board", "nothing has been drawn on this board")
	case errors.Is(err, oplog.ErrAhead):
		return apiError(http.StatusNotFound, "not_drawn_yet", "the board has not reached that sequence number (see head in its history)")
	case errors.Is(err, oplog.ErrTrimmed):
		return apiError(http.StatusGone, "history_trimmed", "this part of the board's history is no longer kept")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return apiError(http.StatusServiceUnavailable, "unavailable", "the board's history took too long to read; try again")
	}
	return apiError(http.StatusServiceUnavailable, "unavailable", "the board's history cannot be read right now: "+err.Error())
}

// boardHistory serves GET /api/boards/{room}/history?before=SEQ&limit=N:
// the versions before SEQ (all, without before), newest first, at most N.
// The next page is before the last seq of this one.
func (a *App) boardHistory(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	before, hasBefore, err := seqParam(c, "before")
	if err != nil {
		return err
	}
	if hasBefore && before == 0 {
		return apiError(http.StatusBadRequest, "bad_before", "before must be a sequence number from 1 (no version is before 0)")
	}
	limit := historyPage
	if c.QueryParams().Has("limit") {
		n, err := strconv.Atoi(c.QueryParam("limit"))
		if err != nil || n < 1 || n > historyPageMax {
			return apiError(http.StatusBadRequest, "bad_limit", "limit must be a whole number from 1 to "+strconv.Itoa(historyPageMax))
		}
		limit = n
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 10*time.Second)
	defer cancel()
	head, vs, err := a.history.Versions(ctx, acc.room, before, limit)
	if err != nil {
		return historyError(err)
	}
	out := historyJSON{Head: head, Versions: make([]versionJSON, len(vs))}
	for i, v := range vs {
		authors := make([]authorJSON, len(v.Authors))
		for j, au := range v.Authors {
			authors[j] = authorJSON{Author: au.Author, Name: au.Name}
		}
		out.Versions[i] = versionJSON{Seq: v.Seq, Time: v.Time.UTC().Format(time.RFC3339Nano), Authors: authors, Ops: v.Ops, Kind: v.Kind.String()}
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, out)
}

// boardSVGAt serves /b/{room}.svg?at=SEQ: the board as it was after op
// SEQ, read from the log (the nearest checkpoint and the ops after it)
// and rendered once per (board, epoch, seq) in the pictures' cache, which
// the live picture at that seq shares: a board at a sequence number never
// changes.
func (a *App) boardSVGAt(c echo.Context, segment string) error {
	acc, err := a.resolveAccess(c, segment)
	if err != nil {
		return err
	}
	seq, _, err := seqParam(c, "at")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 10*time.Second)
	defer cancel()
	pic, err := a.pictures.at(ctx, a.history, acc.room, seq)
	if err != nil {
		return historyError(err)
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=3600") // what a board was never changes
	return a.pictures.send(c, pic, etagMatches(c.Request().Header.Get("If-None-Match"), pic.etag))
}

// at returns the picture of room after op seq. Reading and replaying take
// a build slot, as a picture read from storage does: at most a checkpoint
// and SnapshotEvery ops of replay, but a core's worth each.
func (p *pictures) at(ctx context.Context, lg oplog.Log, room string, seq uint64) (picture, error) {
	select {
	case p.builds <- struct{}{}:
		defer func() { <-p.builds }()
	case <-ctx.Done():
		return picture{}, ctx.Err()
	}
	st, err := lg.ReadAt(ctx, room, seq)
	if err != nil {
		return picture{}, err
	}
	k := pictureKey{room, st.Epoch, seq}
	if svg, ok := p.cache.get(k); ok {
		return picture{svg: svg, etag: pictureETag(st.Epoch, seq), key: k}, nil
	}
	b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
	if err != nil {
		return picture{}, err
	}
	if b.Seq != seq {
		return picture{}, oplog.ErrTrimmed
	}
	return p.render(ctx, k, b), nil
}
