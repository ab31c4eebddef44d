package canvas

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"testing"
)

// How the shared vectors write ops, frames and boards as JSON (vectors_test.go).

type obj = map[string]any

func u64s(v uint64) string { return strconv.FormatUint(v, 10) }

func pointsJSON(pts []Point, pressure bool) []any {
	out := make([]any, 0, len(pts))
	for _, p := range pts {
		if pressure {
			out = append(out, []any{p.X, p.Y, p.P})
		} else {
			out = append(out, []any{p.X, p.Y})
		}
	}
	return out
}

func opJSON(o *Op) obj {
	if o.Purge {
		inner := *o
		inner.Purge = false
		return obj{"type": "purge", "op": opJSON(&inner)}
	}
	switch o.Type {
	case OpBegin:
		return obj{"type": "begin", "stroke": o.Stroke, "tool": o.Tool, "pressure": o.HasPressure(),
			"color": o.Color, "width": o.Width, "points": pointsJSON(o.Points, o.HasPressure())}
	case OpPoints, OpPointsP:
		return obj{"type": "points", "pressure": o.HasPressure(), "points": pointsJSON(o.Points, o.HasPressure())}
	case OpTrace:
		return obj{"type": "trace", "residuals": pointsJSON(o.Points, false)}
	case OpEnd:
		return obj{"type": "end"}
	case OpErase, OpRestore:
		ids := []any{}
		for _, s := range o.Strokes {
			ids = append(ids, []any{s.Author, s.N})
		}
		name := "erase"
		if o.Type == OpRestore {
			name = "restore"
		}
		return obj{"type": name, "strokes": ids}
	case OpClear:
		return obj{"type": "clear", "n": o.Stroke}
	case OpUnsweep:
		return obj{"type": "unsweep", "by": o.Sweep.Author, "n": o.Sweep.N}
	case OpRemove:
		return obj{"type": "remove", "n": o.Stroke, "author": o.Sweep.Author, "since": o.Since}
	case OpShape:
		return obj{"type": "shape", "stroke": o.Stroke, "tool": o.Tool, "filled": o.Flags&FlagFilled != 0,
			"color": o.Color, "width": o.Width, "from": []any{o.Points[0].X, o.Points[0].Y}, "to": []any{o.Points[1].X, o.Points[1].Y}}
	case OpText:
		return obj{"type": "text", "stroke": o.Stroke, "color": o.Color, "size": o.Width,
			"at": []any{o.Points[0].X, o.Points[0].Y}, "text": o.Text}
	case OpImage:
		return obj{"type": "image", "stroke": o.Stroke, "color": o.Color,
			"from": []any{o.Points[0].X, o.Points[0].Y}, "to": []any{o.Points[1].X, o.Points[1].Y}, "hash": o.Text}
	case OpMove:
		ids := []any{}
		for _, s := range o.Strokes {
			ids = append(ids, []any{s.Author, s.N})
		}
		return obj{"type": "move", "strokes": ids, "dx": o.DX, "dy": o.DY}
	case OpRestyle, OpOrder:
		ids := []any{}
		for _, s := range o.Strokes {
			ids = append(ids, []any{s.Author, s.N})
		}
		if o.Type == OpOrder {
			return obj{"type": "order", "strokes": ids, "where": o.Where, "anchor": []any{o.Anchor.Author, o.Anchor.N}}
		}
		return obj{"type": "restyle", "strokes": ids, "parts": o.Parts, "color": o.Color, "width": o.Width, "filled": o.Flags&FlagFilled != 0}
	case OpTransform:
		ids := []any{}
		for _, s := range o.Strokes {
			ids = append(ids, []any{s.Author, s.N})
		}
		return obj{"type": "transform", "strokes": ids, "sx": o.SX, "sy": o.SY, "dx": o.DX, "dy": o.DY}
	case OpRotate:
		ids := []any{}
		for _, s := range o.Strokes {
			ids = append(ids, []any{s.Author, s.N})
		}
		return obj{"type": "rotate", "strokes": ids, "angle": o.Angle, "pivot": []any{o.Pivot.X, o.Pivot.Y}}
	case OpTextEdit:
		return obj{"type": "textEdit", "text": []any{o.Anchor.Author, o.Anchor.N}, "content": o.Text}
	case OpTextWrap:
		return obj{"type": "textWrap", "text": []any{o.Anchor.Author, o.Anchor.N}, "wrap": o.Width}
	}
	return obj{"type": "unknown"}
}

func clientJSON(f *ClientFrame) obj {
	switch f.Type {
	case MsgHello:
		h := f.Hello
		return obj{"type": "hello", "version": h.Version, "epoch": u64s(h.Epoch), "lastSeq": h.LastSeq,
			"author": h.Author, "name": h.Name, "color": h.Color}
	case MsgCursor:
		return obj{"type": "cursor", "x": f.Cursor.X, "y": f.Cursor.Y}
	case MsgLaser:
		return obj{"type": "laser", "points": laserJSON(f.Laser.Points)}
	case MsgName:
		return obj{"type": "name", "name": f.Name.Name, "color": f.Name.Color}
	case MsgView:
		v := f.View
		return obj{"type": "view", "x": v.X, "y": v.Y, "w": v.W, "h": v.H}
	case MsgEditing:
		return obj{"type": "editing", "text": []any{f.Editing.Author, f.Editing.N}}
	}
	return opJSON(&f.Op)
}

func laserJSON(ps []Cursor) []any {
	out := []any{}
	for _, p := range ps {
		out = append(out, []any{p.X, p.Y})
	}
	return out
}

func boardJSON(b *Board) obj {
	authors := []any{}
	for _, a := range sortedAuthors(b) {
		s := b.Author(a)
		authors = append(authors, []any{a, s.Applied, s.Open})
	}
	strokes := []any{}
	for _, s := range b.Strokes() {
		so := obj{"author": s.ID.Author, "stroke": s.ID.N, "tool": s.Tool,
			"pressure": s.Pressure, "hidden": s.Hidden, "filled": s.Filled, "color": s.Color, "width": s.Width,
			"points": pointsJSON(s.Points, true)}
		if s.Tool == ToolText || s.Tool == ToolImage {
			so["text"] = s.Text
			if s.Wrap != 0 {
				so["wrap"] = s.Wrap
			}
		}
		so["seq"] = s.Seq
		if s.Swept != (StrokeID{}) {
			so["swept"] = []any{s.Swept.Author, s.Swept.N}
			so["removed"] = s.Removed
		}
		if s.Rot != 0 {
			so["rot"] = s.Rot
		}
		strokes = append(strokes, so)
	}
	return obj{"epoch": u64s(b.Epoch), "seq": b.Seq, "authors": authors, "strokes": strokes}
}

func sortedAuthors(b *Board) []uint32 {
	ids := slices.Collect(maps.Keys(b.authors))
	slices.Sort(ids)
	return ids
}

func serverJSON(t testing.TB, frame []byte) []obj {
	var out []obj
	err := DecodeServerFrame(frame, func(m *ServerMsg) error {
		switch m.Type {
		case MsgWelcome:
			w := m.Welcome
			out = append(out, obj{"type": "welcome", "version": w.Version, "epoch": u64s(w.Epoch),
				"author": w.Author, "applied": w.Applied, "head": w.Head})
		case MsgOps:
			ops := []any{}
			for _, so := range m.Ops {
				var o Op
				if err := DecodeOp(so.Op, &o); err != nil {
					return err
				}
				ops = append(ops, obj{"author": so.Author, "op": opJSON(&o)})
			}
			out = append(out, obj{"type": "ops", "firstSeq": m.FirstSeq, "ops": ops})
		case MsgSnapshot:
			out = append(out, obj{"type": "snapshot", "board": boardJSON(m.Board)})
		case MsgPresence:
			p := m.Presence
			out = append(out, obj{"type": "presence", "author": p.Author, "name": p.Name, "color": p.Color})
		case MsgLeave:
			out = append(out, obj{"type": "leave", "author": m.Leave})
		case MsgCursors:
			cs := []any{}
			for _, c := range m.Cursors {
				cs = append(cs, []any{c.Author, c.X, c.Y})
			}
			out = append(out, obj{"type": "cursors", "cursors": cs})
		case MsgLasers:
			ls := []any{}
			for _, l := range m.Lasers {
				ls = append(ls, obj{"author": l.Author, "points": laserJSON(l.Points)})
			}
			out = append(out, obj{"type": "lasers", "lasers": ls})
		case MsgViews:
			vs := []any{}
			for _, v := range m.Views {
				vs = append(vs, []any{v.Author, v.X, v.Y, v.W, v.H})
			}
			out = append(out, obj{"type": "views", "views": vs})
		case MsgEditors:
			es := []any{}
			for _, e := range m.Editors {
				es = append(es, []any{e.Editor, e.Text.Author, e.Text.N})
			}
			out = append(out, obj{"type": "editors", "editors": es})
		case MsgNotice:
			out = append(out, obj{"type": "notice", "code": m.Notice.Code, "message": m.Notice.Message})
		}
		return nil
	})
	if err != nil {
		t.Fatalf("decode server frame: %v", err)
	}
	return out
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buildVectors makes the vectors from Go values: the source of the file.
