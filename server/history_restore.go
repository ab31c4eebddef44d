package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/room"
)

// POST /api/boards/{room}/restore {"at": SEQ}: a new board (a new random
// name, as / makes) whose content is the board as it was after op SEQ;
// the original is untouched. The copy is drawn the way a person would
// draw it, an op per stroke by one more author ("Restored from version
// SEQ"), so the new board is numbered and kept by its log like any other,
// in every mode, and its own history begins with the restore; but all of
// it goes to the log as one batch before any room holds the new board, so
// a restore is all or nothing (drawCopy). Who may see a board may read its past,
// but only who may draw on it may restore it: a view link or a view token
// gets 403. A restore opens a board as a page does, so it counts against
// the client address's --max-rooms-per-ip while it draws (429 over it).

// restoreRequest is the body of POST /api/boards/{room}/restore.
type restoreRequest struct {
	At *uint64 `json:"at"`
}

// RestoreResponse is the answer to a restore: the new board and its edit
// link.
type RestoreResponse struct {
	Board string `json:"board"`
	URL   string `json:"url"`
	At    uint64 `json:"at"`
}

// restoreTimeout bounds a restore: reading the board and drawing it anew.
const restoreTimeout = 30 * time.Second

func (a *App) restoreBoard(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	if acc.readOnly {
		return apiError(http.StatusForbidden, "read_only", "this link can only view the board: restoring a version needs the edit link")
	}
	if !a.originAllowed(c.Request()) {
		return apiError(http.StatusForbidden, "origin_forbidden", "this origin may not restore boards")
	}
	var req restoreRequest
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, 1<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return apiError(http.StatusBadRequest, "bad_request", `the body must be JSON like {"at": 42}: `+err.Error())
	}
	if req.At == nil {
		return apiError(http.StatusBadRequest, "bad_at", `at (the sequence number of the version to restore) is required: {"at": 42}`)
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), restoreTimeout)
	defer cancel()
	st, err := a.history.ReadAt(ctx, acc.room, *req.At)
	if err != nil {
		return historyError(err)
	}
	b, err := oplog.StoredBoard(acc.room, st, new(canvas.Op), nil)
	if err != nil {
		return historyError(err)
	}
	if b.Seq != *req.At {
		return historyError(oplog.ErrTrimmed)
	}
	name := newBoardID()
	if err := a.copyImages(ctx, acc.room, name, b.Images()); err != nil {
		a.log.Warn("restore images", "board", acc.room, "at", *req.At, "err", err)
		return apiError(http.StatusServiceUnavailable, "unavailable", "the version's images could not be copied to a new board right now; try again")
	}
	draw := func(author uint32) [][]byte { return restoreOps(b, author) }
	by := a.ws.Address(c.RealIP())
	if err := a.drawCopy(ctx, name, fmt.Sprintf("Restored from version %d", *req.At), by, draw); err != nil {
		var full errRefused
		if errors.As(err, &full) {
			return apiError(http.StatusTooManyRequests, "too_many_boards", "the new board could not be opened: "+string(full))
		}
		a.log.Warn("restore", "board", acc.room, "at", *req.At, "err", err)
		// Nothing of the copy was kept (drawCopy): the same request may
		// simply be sent again.
		c.Response().Header().Set("Retry-After", "5")
		return apiError(http.StatusServiceUnavailable, "unavailable", "the version could not be copied to a new board right now (nothing was kept); try again in a few seconds")
	}
	return c.JSON(http.StatusCreated, RestoreResponse{Board: name, URL: "/b/" + name, At: *req.At})
}

// restoreOps returns the ops that draw b's visible strokes, in z-order,
// on an empty board as author (strokes numbered from 1): the same picture
// under new stroke names.
func restoreOps(b *canvas.Board, author uint32) [][]byte {
	var out [][]byte
	var n uint32
	for _, s := range b.Strokes() {
		if !s.Visible() || len(s.Points) == 0 {
			continue
		}
		n++
		switch {
		case canvas.IsFreehand(s.Tool):
			out = appendFreehand(out, canvas.StrokeID{Author: author, N: n}, s)
		case canvas.IsShape(s.Tool) && len(s.Points) == 2:
			var flags uint8
			if s.Filled {
				flags = canvas.FlagFilled
			}
			out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpShape, Stroke: n, Tool: s.Tool, Flags: flags,
				Color: s.Color, Width: s.Width, Points: s.Points}))
		case s.Tool == canvas.ToolText:
			out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpText, Stroke: n, Color: s.Color, Width: s.Width,
				Points: s.Points[:1], Text: s.Text}))
		case s.Tool == canvas.ToolImage && len(s.Points) == 2:
			// The copy is a new board: its images are copied to it first (drawCopy).
			out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpImage, Stroke: n, Color: s.Color,
				Points: s.Points, Text: s.Text}))
		default:
			n-- // a kind this version cannot draw: nothing took the number
		}
	}
	return out
}

// appendFreehand appends a Begin, Points ops and an End drawing s as
// stroke id, every point as held (pressure included, where a stroke
// without the Begin's pressure flag got some from PointsP ops). A Begin's
// first point is a delta from (0, 0) within the protocol's bound, so a
// stroke that Moves took further away is drawn near the origin and moved
// there. Later points are deltas from the one before; points only ever
// come that far apart by the same bound (or Trace residuals: a jump past
// it, millions of pixels, is shortened to the bound).
func appendFreehand(out [][]byte, id canvas.StrokeID, s *canvas.Stroke) [][]byte {
	pts := s.Points
	var off canvas.Point
	if abs32(pts[0].X) > canvas.MaxPointDelta || abs32(pts[0].Y) > canvas.MaxPointDelta {
		off = canvas.Point{X: pts[0].X, Y: pts[0].Y}
	}
	prev := off
	deltas := func(pts []canvas.Point) []canvas.Point {
		d := make([]canvas.Point, len(pts))
		for i, p := range pts {
			dx := clampDelta(int64(p.X) - int64(prev.X))
			dy := clampDelta(int64(p.Y) - int64(prev.Y))
			prev = canvas.Point{X: prev.X + dx, Y: prev.Y + dy}
			d[i] = canvas.Point{X: dx, Y: dy, P: p.P}
		}
		return d
	}
	var flags uint8
	if s.Pressure {
		flags = canvas.FlagPressure
	}
	// A Begin without the pressure flag drops pressure: it takes the
	// points up to the first that has some.
	k := 1
	for k < len(pts) && k < canvas.MaxPointsPerOp && (s.Pressure || pts[k].P == 0) {
		k++
	}
	out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpBegin, Stroke: id.N, Tool: s.Tool, Flags: flags,
		Color: s.Color, Width: s.Width, Points: deltas(pts[:k])}))
	for pts = pts[k:]; len(pts) > 0; {
		chunk := pts[:min(len(pts), canvas.MaxPointsPerOp)]
		typ := canvas.OpPoints
		if s.Pressure || slices.ContainsFunc(chunk, func(p canvas.Point) bool { return p.P != 0 }) {
			typ = canvas.OpPointsP
		}
		out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: typ, Points: deltas(chunk)}))
		pts = pts[len(chunk):]
	}
	out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd}))
	if off != (canvas.Point{}) {
		out = append(out, canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpMove, Strokes: []canvas.StrokeID{id}, DX: off.X, DY: off.Y}))
	}
	return out
}

func abs32(v int32) int64 { return max(int64(v), -int64(v)) }

func clampDelta(d int64) int32 {
	return int32(max(-canvas.MaxPointDelta, min(canvas.MaxPointDelta, d)))
}

// errRefused: the hub would not open the board (the client address is on
// its most boards, or the replica on its most); the hub's words.
type errRefused string

func (e errRefused) Error() string { return string(e) }

// errNameTaken: the new random name already had a board (never expected;
// the copy is not written over it).
var errNameTaken = errors.New("the new board's name is already taken")

// drawCopy writes the copy of a board onto the new board name, on behalf
// of client address by (counted against its --max-rooms-per-ip while it
// writes), as one more author named who. The whole copy is one batch the
// log commits at once (one Lua call in Redis, one transaction in the
// embedded store), written before any room holds the board: a restore
// that fails (the log down, the replica killed) leaves no part of the copy
// under a name nobody was given, and one that answers has all of it.
func (a *App) drawCopy(ctx context.Context, name, who string, by room.Address, draw func(author uint32) [][]byte) error {
	if why := a.hub.Hold(name, by); why != "" {
		return errRefused(why)
	}
	defer a.hub.Left(name, by)
	return writeCopy(ctx, a.history, name, who, draw)
}

// writeCopy writes the ops draw makes for a new author of board name to
// lg as one batch and waits until lg has committed it. The board's history
// begins with the copy, a version naming who.
func writeCopy(ctx context.Context, lg oplog.Log, name, who string, draw func(author uint32) [][]byte) error {
	st, err := lg.Open(ctx, name)
	if err != nil {
		return err
	}
	if st.Snapshot != nil || len(st.Ops) > 0 {
		return errNameTaken
	}
	author, err := lg.NewAuthors(ctx, name, st.Epoch, 1)
	if err != nil {
		return err
	}
	ops := draw(author)
	if len(ops) == 0 {
		return nil
	}
	batch := make([]oplog.BatchOp, len(ops))
	for i, op := range ops {
		batch[i] = oplog.BatchOp{Author: author, Index: uint64(i), Op: op}
	}
	reply := make(chan oplog.SubmitResult, 1)
	lg.Submit(name, st.Epoch, batch, reply)
	var res oplog.SubmitResult
	select {
	case res = <-reply:
	case <-ctx.Done():
		return ctx.Err()
	}
	if res.Err != nil {
		return res.Err
	}
	for i, seq := range res.Seqs {
		if seq <= 0 {
			return fmt.Errorf("op %d of the copy was not numbered (%d)", i, seq)
		}
	}
	if len(res.Seqs) != len(batch) {
		return fmt.Errorf("the log numbered %d of the copy's %d ops", len(res.Seqs), len(batch))
	}
	// The copy is committed: the version only names who drew it in the
	// board's history, so failing to mark it does not undo the restore.
	_ = lg.Mark(ctx, name, st.Epoch, uint64(res.Seqs[len(res.Seqs)-1]), oplog.KindCheckpoint, time.Now(), map[uint32]string{author: who})
	return nil
}
