// Freehand strokes sent as Trace ops (PROTOCOL.md "Trace block"), what apply does
// with them, and how the editor and the outbox make them (beyond the shared
// vectors, which hold the bytes both codecs must agree on).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board, type Stroke } from '../src/protocol/board';
import { fromHex, toHex } from '../src/protocol/bytes';
import { decodeClientFrame, encodeClientMsg } from '../src/protocol/client';
import { tracePoints, traceResiduals, type XY } from '../src/protocol/delta';
import { decodeOp, encodeOp } from '../src/protocol/op';
import { decodeServerFrame, encodeServerFrame } from '../src/protocol/server';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { COORD_LIMIT, MAX_STROKE_POINTS, MAX_TRACE_RESIDUAL, type Op, type Point } from '../src/protocol/types';
import { freehand, pointsOps } from '../src/edit/local';
import { Outbox } from '../src/net/outbox';
import { int, seeded } from './rand';

const xy = (...c: number[]): XY[] => {
  const out: XY[] = [];
  for (let i = 0; i + 1 < c.length; i += 2) out.push({ x: c[i], y: c[i + 1] });
  return out;
};
const trace = (...c: number[]): Op => ({ type: 'trace', residuals: xy(...c) });
const begin = (stroke: number, ...c: number[]): Op => ({
  type: 'begin',
  stroke,
  tool: 0,
  pressure: false,
  color: 0xff,
  width: 8,
  points: xy(...c).map((p) => ({ ...p, p: 0 })),
});
const pointsOf = (b: Board, author: number, n: number): number[][] => b.stroke(author, n)!.points.map((p) => [p.x, p.y]);

test('trace: table (as canvas/trace_test.go)', () => {
  const table: Array<[XY[], string]> = [
    [xy(0, 0, 0, 0), '1a28'],
    [xy(1, -1, -1, 1), '1a38'],
    [xy(-1, -1, -1, -1, 1, 1, 1, 1), '1a0050'],
    [xy(0, 0), '1aa5'],
    [xy(2, -3), '1abc'],
    [xy(-6, -6, 6, 6), '1a51f9'],
    [xy(7, 0), '1afd59'],
    [xy(-17, -17, 17, 17), '1afa00fec8'],
    [xy(18, 0), '1aff2400'],
    [xy(MAX_TRACE_RESIDUAL, -MAX_TRACE_RESIDUAL), '1aff80808020ffffff1f'],
    [xy(0, 0, 3, 0, 0, 1, 1, 0, 0, 0), '1aa5cc34a5'],
    [xy(-20, 9, 1, 0, 0, -1), '1aff271242'],
  ];
  for (const [rs, hex] of table) {
    const op: Op = { type: 'trace', residuals: rs };
    assert.equal(toHex(encodeOp(op)), hex);
    assert.deepEqual(decodeOp(fromHex(hex)), op);
    assert.deepEqual(decodeClientFrame(fromHex(hex)), op);
  }
});

test('trace: longer codes for the same points decode; the encoder writes the shortest', () => {
  for (const [hex, shortest] of [
    ['1aa5a5', '1a28'],
    ['1aff0000', '1aa5'],
    ['1aff800000', '1aa5'],
    ['1aa528', '1a28a5'],
    ['1afb8c', '1a51'],
    ['1aff0e0eff0e0e', '1afd60fd60'],
    ['1aff2424ff2424', '1aff2424ff2424'],
  ]) {
    assert.equal(toHex(encodeOp(decodeOp(fromHex(hex)))), shortest, hex);
  }
});

test('trace: what breaks the limits is refused', () => {
  const bad: Array<[string, RegExp]> = [
    ['1a', /empty point list/],
    ['1afa', /truncated/],
    ['1a28fec9', /reserved trace code/],
    ['1afeff', /reserved trace code/],
    ['1aff', /truncated/],
    ['1aff00', /truncated/],
    ['1aff80', /truncated/],
    ['1aff8280802000', /residual beyond/],
    ['1aff0081808020', /residual beyond/],
    ['1a' + '28'.repeat(1025), /point count over limit 2048/],
    ['1a' + '28'.repeat(1024) + 'a5', /point count over limit/],
    ['1a' + '28'.repeat(1023) + 'a528', /point count over limit/],
  ];
  for (const [hex, re] of bad) {
    assert.throws(() => decodeOp(fromHex(hex)), re, hex);
    assert.throws(() => decodeClientFrame(fromHex(hex)), re, hex);
  }
  assert.equal(decodeOp(fromHex('1a' + '28'.repeat(1024))).type, 'trace', '2048 points');
  assert.equal(decodeOp(fromHex('1a28fec8')).type, 'trace', 'the last two-byte code');
});

test('trace: random round trips through client frames and Ops messages', () => {
  const r = seeded(30);
  const residual = (): number => {
    const k = r();
    if (k < 0.05) return int(r, -MAX_TRACE_RESIDUAL, MAX_TRACE_RESIDUAL);
    if (k < 0.1) return [MAX_TRACE_RESIDUAL, -MAX_TRACE_RESIDUAL, 6, 7, -6, -7, 17, 18, -17, -18][int(r, 0, 9)];
    if (k < 0.3) return int(r, -20, 20);
    return int(r, -2, 2);
  };
  for (let i = 0; i < 3000; i++) {
    const n = r() < 0.02 ? 2048 : int(r, 1, 9);
    const op: Op = { type: 'trace', residuals: Array.from({ length: n }, () => ({ x: residual(), y: residual() })) };
    const b = encodeOp(op);
    assert.deepEqual(decodeOp(b), op);
    assert.deepEqual(decodeClientFrame(b), op);
    assert.deepEqual(encodeClientMsg(op), b);
    const frame = encodeServerFrame([{ type: 'ops', firstSeq: i + 1, ops: [{ author: 3, op }, { author: 4, op: { type: 'end' } }] }]);
    assert.deepEqual(decodeServerFrame(frame), [{ type: 'ops', firstSeq: i + 1, ops: [{ author: 3, op }, { author: 4, op: { type: 'end' } }] }]);
  }
});

test('apply: a Trace predicts each point from the stroke’s last two points', () => {
  const b = new Board(1n);
  b.apply(1, begin(1, 100, 100)); // one point: no step yet
  b.apply(1, trace(8, 4));
  b.apply(1, trace(0, 0, 1, -1));
  assert.deepEqual(pointsOf(b, 1, 1), [[100, 100], [108, 104], [116, 108], [125, 111]]);
  b.apply(2, begin(1, 100, 100, 10, 5)); // two points: the step between them
  b.apply(2, trace(0, 0));
  b.apply(2, { type: 'points', pressure: false, points: [{ x: -3, y: 0, p: 0 }] });
  b.apply(2, trace(0, 1));
  assert.deepEqual(pointsOf(b, 2, 1), [[100, 100], [110, 105], [120, 110], [117, 110], [114, 111]]);
  b.apply(3, { type: 'move', strokes: [{ author: 2, stroke: 1 }], dx: 1000, dy: -1000 });
  const e = b.apply(2, trace(0, 0));
  assert.ok(e.kind === 'points' && e.from === 5);
  assert.deepEqual(pointsOf(b, 2, 1)[5], [1111, -888]);
  b.apply(1, { type: 'end' });
  assert.deepEqual(b.apply(1, trace(1, 1)), { kind: 'none' }, 'no open stroke');
  assert.equal(b.author(1).applied, 5);
  assert.equal(b.points, 10);
  // Clamped point by point; the step is the one the stroke holds.
  const L = COORD_LIMIT;
  b.apply(4, begin(1, 2 ** 24, 0));
  b.apply(4, { type: 'points', pressure: false, points: [...Array(14).fill({ x: 2 ** 24, y: 0, p: 0 }), { x: 2 ** 24 - 10, y: 0, p: 0 }, { x: 0, y: 7, p: 0 }] });
  b.apply(4, trace(6, 0, 0, 0, 0, 0));
  assert.deepEqual(pointsOf(b, 4, 1).slice(-5), [[L - 10, 0], [L - 10, 7], [L - 4, 14], [L, 21], [L, 28]]);
  // The same strokes after a round trip (the decoder's points are objects of a class of their own: compared as x, y, p).
  const plain = (ss: readonly Stroke[]) => ss.map((s) => ({ ...s, points: s.points.map((p) => ({ x: p.x, y: p.y, p: p.p })) }));
  assert.deepEqual(plain(decodeBoard(encodeBoard(b)).strokes), plain(b.strokes));
});

test('apply: a Trace fills a stroke up to its cap and no further', () => {
  const b = new Board(1n);
  b.apply(1, begin(1, 0, 0));
  b.apply(1, trace(1, 0));
  const zeros = trace(...Array(4096).fill(0));
  while (b.stroke(1, 1)!.points.length < MAX_STROKE_POINTS) b.apply(1, zeros);
  b.apply(1, trace(5, 5));
  const pts = b.stroke(1, 1)!.points;
  assert.equal(pts.length, MAX_STROKE_POINTS);
  assert.equal(b.points, MAX_STROKE_POINTS);
  assert.deepEqual(pts[pts.length - 1], { x: MAX_STROKE_POINTS - 1, y: 0, p: 0 });
});

test('traceResiduals and tracePoints undo each other; Apply agrees with tracePoints', () => {
  const r = seeded(31);
  for (let i = 0; i < 300; i++) {
    const pts: Point[] = [{ x: int(r, -COORD_LIMIT, COORD_LIMIT), y: int(r, -COORD_LIMIT, COORD_LIMIT), p: 0 }];
    const big = r() < 0.2;
    for (let k = int(r, 1, 200); k > 0; k--) {
      const last = pts[pts.length - 1];
      const step = (): number => (big ? int(r, -(2 ** 24), 2 ** 24) : int(r, -20, 20));
      const c = (v: number): number => Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, v));
      pts.push({ x: c(last.x + step()), y: c(last.y + step()), p: 0 });
    }
    const b = new Board(1n);
    b.apply(1, { type: 'begin', stroke: 1, tool: 0, pressure: false, color: 0, width: 1, points: [pts[0]] });
    for (let sent = 1; sent < pts.length; ) {
      const n = Math.min(pts.length - sent, int(r, 1, 9));
      const tail = pts.slice(Math.max(0, sent - 2), sent);
      const rs = traceResiduals(pts.slice(sent, sent + n), tail);
      assert.deepEqual(tracePoints(rs, tail), pts.slice(sent, sent + n));
      b.apply(1, decodeOp(encodeOp({ type: 'trace', residuals: rs })));
      sent += n;
    }
    assert.deepEqual(b.stroke(1, 1)!.points, pts);
  }
});

test('editor: a stroke without pressure goes out as Trace ops whose points are the ones drawn', () => {
  const style = { color: 0xff, width: 8, pressure: false };
  const l = freehand(1, style, { x: 400, y: 300, p: 0 });
  const b = new Board(1n);
  b.apply(1, { type: 'begin', stroke: 1, tool: 0, pressure: false, color: 0xff, width: 8, points: [{ x: 400, y: 300, p: 0 }] });
  const r = seeded(32);
  for (let frame = 0; frame < 50; frame++) {
    for (let k = int(r, 0, 6); k > 0; k--) {
      const last = l.pts![l.pts!.length - 1];
      l.pts!.push({ x: last.x + int(r, 4, 20), y: last.y + int(r, -12, 12), p: 0 });
    }
    const ops = pointsOps(l);
    l.sent = l.pts!.length;
    for (const op of ops) {
      assert.equal(op.type, 'trace');
      b.apply(1, decodeOp(encodeOp(op)));
    }
  }
  assert.deepEqual(b.stroke(1, 1)!.points, l.pts);
  // More than 2048 points at once: several Trace ops, each continuing the last.
  for (let k = 0; k < 5000; k++) l.pts!.push({ x: 10 * k, y: (k * k) % 17, p: 0 });
  const ops = pointsOps(l);
  assert.deepEqual(ops.map((o) => (o.type === 'trace' ? o.residuals.length : -1)), [2048, 2048, 904]);
  for (const op of ops) b.apply(1, decodeOp(encodeOp(op)));
  assert.deepEqual(b.stroke(1, 1)!.points, l.pts);
  // With pressure: PointsP, as before.
  const lp = freehand(2, { ...style, pressure: true }, { x: 0, y: 0, p: 9 });
  lp.pts!.push({ x: 3, y: 4, p: 10 });
  assert.deepEqual(pointsOps(lp), [{ type: 'points', pressure: true, points: [{ x: 3, y: 4, p: 10 }] }]);
});

test('outbox: a Trace merges into the unsent Trace before it, never into a Begin or a sent op', () => {
  const o = new Outbox();
  const b = o.push(begin(1, 5, 5));
  const u = o.push(trace(1, 0, 0, 0));
  assert.notEqual(u, b, 'a Begin keeps its one point');
  assert.equal(o.push(trace(2, 2)), u);
  const e = o.entries()[1].op;
  assert.ok(e.type === 'trace');
  assert.deepEqual(e.residuals, xy(1, 0, 0, 0, 2, 2));
  o.push(trace(...Array(2 * 2045).fill(0)));
  assert.equal(o.length, 2, 'exactly 2048 residuals');
  assert.notEqual(o.push(trace(0, 0)), u, 'past 2048: a new op');
  o.takeUnsent();
  o.push(trace(0, 0));
  assert.equal(o.length, 4, 'a sent op is never changed');
  o.push({ type: 'points', pressure: true, points: [{ x: 1, y: 1, p: 1 }] });
  o.push(trace(0, 0));
  assert.equal(o.length, 6, 'PointsP and Trace do not mix');
  // Merged or not, the room gets the same points.
  const ops: Op[] = [begin(1, 5, 5), trace(8, 4), trace(1, -1, 0, 2), trace(-3, 0)];
  const merged = new Outbox();
  for (const op of ops) merged.push(op);
  const one = new Board(1n);
  const two = new Board(1n);
  for (const op of ops) one.apply(1, op);
  for (const { op } of merged.entries()) two.apply(1, op);
  assert.equal(merged.length, 2);
  assert.deepEqual(two.stroke(1, 1)!.points, one.stroke(1, 1)!.points);
});
