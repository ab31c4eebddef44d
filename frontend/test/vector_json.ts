// Converters from decoded messages to the JSON shapes of
// canvas/testdata/vectors.json, so a decoded frame can be compared with the
// meaning the vector file gives it.

import type { Board } from '../src/protocol/board';
import type { ServerMsg } from '../src/protocol/server';
import type { ClientMsg, Op, Point } from '../src/protocol/types';

type J = unknown;

function pointsJSON(pts: readonly Point[], pressure: boolean): J[] {
  return pts.map((p) => (pressure ? [p.x, p.y, p.p] : [p.x, p.y]));
}

export function opJSON(op: Op): J {
  switch (op.type) {
    case 'begin':
      return {
        type: 'begin',
        stroke: op.stroke,
        tool: op.tool,
        pressure: op.pressure,
        color: op.color,
        width: op.width,
        points: pointsJSON(op.points, op.pressure),
      };
    case 'points':
      return { type: 'points', pressure: op.pressure, points: pointsJSON(op.points, op.pressure) };
    case 'trace':
      return { type: 'trace', residuals: op.residuals.map((r) => [r.x, r.y]) };
    case 'erase':
    case 'restore':
      return { type: op.type, strokes: op.strokes.map((s) => [s.author, s.stroke]) };
    case 'end':
      return { type: op.type };
    case 'clear':
      return { type: 'clear', n: op.n };
    case 'unsweep':
      return { type: 'unsweep', by: op.by, n: op.n };
    case 'remove':
      return { type: 'remove', n: op.n, author: op.author, since: op.since };
    case 'purge':
      return { type: 'purge', op: opJSON(op.op) };
    case 'shape':
      return {
        type: 'shape',
        stroke: op.stroke,
        tool: op.tool,
        filled: op.filled,
        color: op.color,
        width: op.width,
        from: [op.x0, op.y0],
        to: [op.x1, op.y1],
      };
    case 'text':
      return { type: 'text', stroke: op.stroke, color: op.color, size: op.size, at: [op.x, op.y], text: op.text };
    case 'image':
      return { type: 'image', stroke: op.stroke, color: op.color, from: [op.x0, op.y0], to: [op.x1, op.y1], hash: op.hash };
    case 'move':
      return { type: 'move', strokes: op.strokes.map((s) => [s.author, s.stroke]), dx: op.dx, dy: op.dy };
    case 'restyle':
      return { type: 'restyle', strokes: op.strokes.map((s) => [s.author, s.stroke]), parts: op.parts, color: op.color, width: op.width, filled: op.filled };
    case 'transform':
      return { type: 'transform', strokes: op.strokes.map((s) => [s.author, s.stroke]), sx: op.sx, sy: op.sy, dx: op.dx, dy: op.dy };
    case 'rotate':
      return { type: 'rotate', strokes: op.strokes.map((s) => [s.author, s.stroke]), angle: op.angle, pivot: [op.px, op.py] };
    case 'order':
      return { type: 'order', strokes: op.strokes.map((s) => [s.author, s.stroke]), where: op.where, anchor: [op.anchor.author, op.anchor.stroke] };
    case 'textEdit':
      return { type: 'textEdit', text: [op.text.author, op.text.stroke], content: op.content };
    case 'textWrap':
      return { type: 'textWrap', text: [op.text.author, op.text.stroke], wrap: op.wrap };
  }
}

export function clientJSON(m: ClientMsg): J {
  switch (m.type) {
    case 'hello':
      return {
        type: 'hello',
        version: m.version,
        epoch: m.epoch.toString(),
        lastSeq: m.lastSeq,
        author: m.author,
        name: m.name,
        color: m.color,
      };
    case 'cursor':
      return { type: 'cursor', x: m.x, y: m.y };
    case 'laser':
      return { type: 'laser', points: m.points.map((p) => [p.x, p.y]) };
    case 'view':
      return { type: 'view', x: m.x, y: m.y, w: m.w, h: m.h };
    case 'name':
      return { type: 'name', name: m.name, color: m.color };
    case 'editing':
      return { type: 'editing', text: [m.text.author, m.text.stroke] };
    default:
      return opJSON(m);
  }
}

export function boardJSON(b: Board): J {
  return {
    epoch: b.epoch.toString(),
    seq: b.seq,
    authors: b.authorIds().map((id) => [id, b.author(id).applied, b.author(id).open]),
    strokes: b.strokes.map((s) => ({
      author: s.author,
      stroke: s.stroke,
      tool: s.tool,
      pressure: s.pressure,
      hidden: s.hidden,
      filled: s.filled,
      color: s.color,
      width: s.width,
      points: s.points.map((p) => [p.x, p.y, p.p]),
      ...(s.tool === 7 || s.tool === 8 ? { text: s.text } : {}),
      ...(s.wrap ? { wrap: s.wrap } : {}),
      seq: s.seq,
      ...(s.sweptN !== 0 ? { swept: [s.sweptBy, s.sweptN], removed: s.removed } : {}),
      ...(s.rot ? { rot: s.rot } : {}),
    })),
  };
}

export function serverJSON(m: ServerMsg): J {
  switch (m.type) {
    case 'welcome':
      return {
        type: 'welcome',
        version: m.version,
        epoch: m.epoch.toString(),
        author: m.author,
        applied: m.applied,
        head: m.head,
      };
    case 'ops':
      return { type: 'ops', firstSeq: m.firstSeq, ops: m.ops.map((o) => ({ author: o.author, op: opJSON(o.op) })) };
    case 'snapshot':
      return { type: 'snapshot', board: boardJSON(m.board) };
    case 'presence':
      return { type: 'presence', author: m.author, name: m.name, color: m.color };
    case 'leave':
      return { type: 'leave', author: m.author };
    case 'cursors':
      return { type: 'cursors', cursors: m.cursors.map((c) => [c.author, c.x, c.y]) };
    case 'lasers':
      return { type: 'lasers', lasers: m.lasers.map((l) => ({ author: l.author, points: l.points.map((p) => [p.x, p.y]) })) };
    case 'views':
      return { type: 'views', views: m.views.map((v) => [v.author, v.x, v.y, v.w, v.h]) };
    case 'notice':
      return { type: 'notice', code: m.code, message: m.message };
    case 'editors':
      return { type: 'editors', editors: m.editors.map((e) => [e.editor, e.text.author, e.text.stroke]) };
  }
}
