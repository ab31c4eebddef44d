package server

import (
	"context"
	"encoding/binary"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
)

// GET /api/boards/{room}/history/ops: a stretch of a board's history in
// the wire encoding the page already decodes (PROTOCOL.md "Server
// messages"), so the history panel can show the board at any point and
// replay it op by op with the page's own board model and renderer.
//
//	?at=A&to=T     the board after op A (a Snapshot message), then ops
//	               A+1 through T (Ops messages)
//	?after=A&to=T  only ops A+1 through T: the next page of a replay
//
// to defaults to the head. One response holds at most ?limit ops (default
// and most historyOpsMax) and, beyond the first snapshot, about historyOpsBytes: the header
// X-Sketchpad-Through says the last op it holds, and the client asks
// again with after= it. The header X-Sketchpad-Head is the board's head.
//
// A log keeps the ops a checkpoint covers, but reads them only as "the
// nearest checkpoint at or before S and the ops after it" (ReadAt), so a
// stretch that crosses a checkpoint C holds the Snapshot at C in place of
// op C: applying op C to the board at C-1 gives exactly that board, so a
// replay that takes a Snapshot as "the board is now this" shows every
// sequence number exactly as it was.
const (
	historyOpsMax   = 5000
	historyOpsBytes = 4 << 20
)

// historyOpsType is the body's media type: server messages back to back,
// as in a server frame.
const historyOpsType = "application/vnd.sketchpad.frame"

// opsSegment is a run of ops numbered first, first+1, ... preceded, when
// snap is not nil, by the board (a snapshot encoding) at first-1.
type opsSegment struct {
	snap  []byte
	first uint64
	ops   []canvas.SeqOp
}

func (a *App) boardHistoryOps(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	at, hasAt, err := seqParam(c, "at")
	if err != nil {
		return err
	}
	after, hasAfter, err := seqParam(c, "after")
	if err != nil {
		return err
	}
	to, hasTo, err := seqParam(c, "to")
	if err != nil {
		return err
	}
	switch {
	case hasAt && hasAfter:
		return apiError(http.StatusBadRequest, "bad_at", "give at (the board, then ops) or after (ops only), not both")
	case !hasAt && !hasAfter:
		return apiError(http.StatusBadRequest, "bad_at", "at (the board after op at, then the ops after it) or after (the ops after it) is required")
	}
	from := at
	if hasAfter {
		from = after
	}
	if hasTo && to < from {
		return apiError(http.StatusBadRequest, "bad_to", "to must not be before "+map[bool]string{true: "at", false: "after"}[hasAt])
	}
	limit := uint64(historyOpsMax)
	if c.QueryParams().Has("limit") {
		n, err := strconv.ParseUint(c.QueryParam("limit"), 10, 32)
		if err != nil || n < 1 || n > historyOpsMax {
			return apiError(http.StatusBadRequest, "bad_limit", "limit must be a whole number from 1 to "+strconv.Itoa(historyOpsMax))
		}
		limit = n
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 10*time.Second)
	defer cancel()
	head, _, err := a.history.Versions(ctx, acc.room, 0, 1)
	if err != nil {
		return historyError(err)
	}
	if !hasTo {
		to = head
	}
	if from > head || to > head {
		return historyError(oplog.ErrAhead)
	}
	end := min(to, from+limit)
	base, segs, err := readStretch(ctx, a.history, acc.room, from, end, hasAt)
	if err != nil {
		return historyError(err)
	}
	var body []byte
	if base != nil {
		body = canvas.AppendSnapshot(body, base)
	}
	through := from
	full := func() bool { return through > from && len(body) >= historyOpsBytes }
emit:
	for _, s := range segs {
		if s.snap != nil {
			if full() {
				break
			}
			body = appendSnapshotBytes(body, s.snap)
			through = s.first - 1
		}
		for ops := s.ops; len(ops) > 0; {
			if full() {
				break emit
			}
			// Take ops while they fit (at least one: the client must get on).
			n, size := 0, len(body)
			for n < len(ops) && n < canvas.MaxOpsPerMessage && (n == 0 || size < historyOpsBytes) {
				size += len(ops[n].Op) + 8
				n++
			}
			body = canvas.AppendOps(body, through+1, ops[:n])
			through += uint64(n)
			ops = ops[n:]
		}
	}
	h := c.Response().Header()
	h.Set("X-Sketchpad-Head", strconv.FormatUint(head, 10))
	h.Set("X-Sketchpad-Through", strconv.FormatUint(through, 10))
	h.Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, historyOpsType, body)
}

// readStretch reads the board's ops from+1 through end as segments, in
// order, from the log's checkpoints back (see boardHistoryOps), and with
// withBase the board after op from.
func readStretch(ctx context.Context, lg oplog.Log, room string, from, end uint64, withBase bool) (*canvas.Board, []opsSegment, error) {
	var segs []opsSegment // newest first until reversed
	var last *oplog.StoredRoom
	for cur := end; cur > from; {
		st, err := lg.ReadAt(ctx, room, cur)
		if err != nil {
			return nil, nil, err
		}
		ck := checkpointSeq(st, cur)
		if ck <= from {
			segs = append(segs, opsSegment{first: from + 1, ops: seqOps(st.Ops, from)})
			last = st
			break
		}
		// The snapshot stands for op ck (see boardHistoryOps).
		segs = append(segs, opsSegment{snap: st.Snapshot, first: ck + 1, ops: seqOps(st.Ops, ck)})
		cur = ck - 1
		if cur == from {
			// Op ck followed from directly: the snapshot stands for it.
			break
		}
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	if !withBase {
		return nil, segs, nil
	}
	if last == nil {
		st, err := lg.ReadAt(ctx, room, from)
		if err != nil {
			return nil, nil, err
		}
		last = st
	}
	var ops []oplog.StoredOp
	for _, so := range last.Ops {
		if so.Seq <= from {
			ops = append(ops, so)
		}
	}
	b, err := oplog.StoredBoard(room, &oplog.StoredRoom{Epoch: last.Epoch, Snapshot: last.Snapshot, Ops: ops}, new(canvas.Op), nil)
	if err != nil {
		return nil, nil, err
	}
	if b.Seq != from {
		return nil, nil, oplog.ErrTrimmed
	}
	return b, segs, nil
}

// checkpointSeq is the sequence number of the checkpoint a read at seq
// started from: 0 without one.
func checkpointSeq(st *oplog.StoredRoom, seq uint64) uint64 {
	switch {
	case st.Snapshot == nil:
		return 0
	case len(st.Ops) > 0:
		return st.Ops[0].Seq - 1
	}
	return seq
}

// seqOps returns the ops after seq, as an Ops message carries them.
func seqOps(ops []oplog.StoredOp, seq uint64) []canvas.SeqOp {
	out := make([]canvas.SeqOp, 0, len(ops))
	for _, so := range ops {
		if so.Seq > seq {
			out = append(out, canvas.SeqOp{Author: so.Author, Op: so.Op})
		}
	}
	return out
}

// appendSnapshotBytes appends a Snapshot message holding a stored board
// encoding as it is.
func appendSnapshotBytes(b, snap []byte) []byte {
	b = append(b, canvas.MsgSnapshot)
	b = binary.AppendUvarint(b, uint64(len(snap)))
	return append(b, snap...)
}
