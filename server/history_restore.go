package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/room"
)

// POST /api/boards/{room}/restore {"at": SEQ}: a new board (a new random
// name, as / makes) whose content is the board as it was after op SEQ;
// the original is untouched. The copy is drawn the way a person would
// draw it: the server joins the new board as one more peer ("Restored
// from version SEQ") and sends an op per stroke, so the new board is
// numbered and kept by its log like any other, in every mode, and its own
// history begins with the restore. Who may see a board may read its past,
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
		return apiError(http.StatusServiceUnavailable, "unavailable", "the version could not be copied to a new board right now; try again")
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

// drawCopy joins board name as a peer of the server's own, on behalf of
// client address by, sends the ops draw makes for the author id the board
// gave it, and waits until the board has numbered every one of them (they
// are then kept as every acknowledged op is), then leaves.
func (a *App) drawCopy(ctx context.Context, name, who string, by room.Address, draw func(author uint32) [][]byte) error {
	r, why := a.hub.Acquire(name, by)
	if r == nil {
		return errRefused(why)
	}
	defer a.hub.Left(name, by)
	p := &copyPeer{changed: make(chan struct{}, 1)}
	r.Join(p, &canvas.Hello{Version: canvas.Version, Name: who, Color: 0x6b7280ff})
	defer r.Leave(p)
	if err := p.wait(ctx, func() bool { return p.welcomed }); err != nil {
		return err
	}
	p.mu.Lock()
	ops := draw(p.author)
	p.mu.Unlock()
	for _, op := range ops {
		r.Op(p, op)
	}
	return p.wait(ctx, func() bool { return p.acked >= len(ops) })
}

// copyPeer is the server's own peer on a board it draws a copy on: it
// reads what the room sends it for its Welcome (its author id) and its own
// ops coming back.
type copyPeer struct {
	mu       sync.Mutex // guards the fields below
	welcomed bool
	author   uint32
	acked    int // own ops seen numbered
	closed   error
	changed  chan struct{} // a value when the fields changed
}

var _ room.Peer = (*copyPeer)(nil)

func (p *copyPeer) Send(frame []byte) { p.read(frame) }

func (p *copyPeer) SendParts(head, shared, tail []byte) {
	p.read(append(append(append([]byte(nil), head...), shared...), tail...))
}

func (p *copyPeer) read(frame []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it := canvas.NewFrameIter(frame)
	for it.Next() {
		switch it.Type() {
		case canvas.MsgWelcome:
			var w canvas.Welcome
			if canvas.DecodeWelcome(it.Body(), &w) == nil {
				p.welcomed, p.author = true, w.Author
			}
		case canvas.MsgOps:
			if !p.welcomed {
				continue
			}
			ops := canvas.NewOpsIter(it.Body())
			for ops.Next() {
				if ops.Author() == p.author {
					p.acked++
				}
			}
		}
	}
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

func (p *copyPeer) Close(code canvas.CloseCode, reason string) {
	p.mu.Lock()
	p.closed = fmt.Errorf("closed by the board (%d): %s", code, reason)
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
}

func (p *copyPeer) Closed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed != nil
}

// wait waits until done (called with p.mu held) or the board closed p.
func (p *copyPeer) wait(ctx context.Context, done func() bool) error {
	for {
		p.mu.Lock()
		ok, closed := done(), p.closed
		p.mu.Unlock()
		switch {
		case ok:
			return nil
		case closed != nil:
			return closed
		}
		select {
		case <-p.changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
