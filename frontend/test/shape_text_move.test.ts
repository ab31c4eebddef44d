// Shapes, texts and moves: Shape, Text and Move ops, highlighter and eraser
// strokes, and what apply does with them (beyond the shared vectors).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import { fromHex, toHex } from '../src/protocol/bytes';
import { decodeClientFrame, encodeClientMsg } from '../src/protocol/client';
import { decodeOp, encodeOp } from '../src/protocol/op';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { COORD_LIMIT, type Op } from '../src/protocol/types';
import { int, seeded } from './rand';

const big = 2 ** 28;

test('shape, text and move ops: table', () => {
  const table: Array<[Op, string]> = [
    [
      { type: 'shape', stroke: 3, tool: 5, filled: true, color: 0x11223344, width: 8, x0: -1, y0: 1, x1: 64, y1: -64 },
      '17' + '03' + '05' + '04' + '11223344' + '08' + '01' + '02' + '8001' + '7f',
    ],
    [{ type: 'text', stroke: 1, color: 0xff, size: 96, x: 0, y: 2, text: 'hé' }, '18' + '01' + '000000ff' + '60' + '00' + '04' + '03' + '68c3a9'],
    [{ type: 'move', strokes: [{ author: 2, stroke: 7 }], dx: -3, dy: 300 }, '19' + '01' + '0207' + '05' + 'd804'],
  ];
  for (const [op, hex] of table) {
    assert.equal(toHex(encodeOp(op)), hex);
    assert.deepEqual(decodeOp(fromHex(hex)), op);
  }
});

test('shape, text and move ops: what breaks the limits is refused', () => {
  const bad: Array<[string, RegExp]> = [
    ['10' + '01' + '03' + '00' + '00000000' + '08' + '01' + '0000', /freehand/], // Begin with a shape tool
    ['10' + '01' + '01' + '04' + '00000000' + '08' + '01' + '0000', /flags/], // Begin with the filled flag
    ['17' + '01' + '02' + '00' + '00000000' + '08' + '00000000', /not a shape/],
    ['17' + '01' + '07' + '00' + '00000000' + '08' + '00000000', /not a shape/],
    ['17' + '01' + '03' + '01' + '00000000' + '08' + '00000000', /flags/],
    ['17' + '00' + '03' + '00' + '00000000' + '08' + '00000000', /stroke number 0/],
    ['17' + '01' + '03' + '00' + '00000000' + '00' + '00000000', /width/],
    ['17' + '01' + '03' + '00' + '00000000' + '08' + '000000', /truncated/],
    ['18' + '01' + '00000000' + '00' + '0000' + '00', /width/],
    ['18' + '01' + '00000000' + '01' + '0000' + '01ff', /UTF-8/],
    ['18' + '01' + '00000000' + '01' + '0000' + '00' + '00', /trailing/],
    ['19' + '00' + '0000', /empty/],
  ];
  for (const [hex, re] of bad) assert.throws(() => decodeClientFrame(fromHex(hex)), re, hex);
  const far = encodeOp({ type: 'shape', stroke: 1, tool: 3, filled: false, color: 0, width: 1, x0: big, y0: -big, x1: 0, y1: 0 });
  decodeOp(far);
  assert.throws(() => decodeOp(encodeOp({ type: 'shape', stroke: 1, tool: 3, filled: false, color: 0, width: 1, x0: big + 1, y0: 0, x1: 0, y1: 0 })), /coordinate/);
  assert.throws(() => decodeOp(encodeOp({ type: 'move', strokes: [{ author: 1, stroke: 1 }], dx: 2 ** 29 + 1, dy: 0 })), /move beyond/);
  decodeOp(encodeOp({ type: 'move', strokes: [{ author: 1, stroke: 1 }], dx: -(2 ** 29), dy: 2 ** 29 }));
  assert.throws(() => decodeOp(encodeOp({ type: 'text', stroke: 1, color: 0, size: 1, x: 0, y: 0, text: 'x'.repeat(4097) })), /longer/);
  decodeOp(encodeOp({ type: 'text', stroke: 1, color: 0, size: 4096, x: 0, y: 0, text: 'x'.repeat(4096) }));
});

function randomOp(r: () => number): Op {
  const k = int(r, 0, 2);
  const id = () => ({ author: int(r, 0, 2 ** 32 - 1), stroke: int(r, 1, 2 ** 32 - 1) });
  const c = () => int(r, -big, big);
  if (k === 0) {
    return { type: 'shape', stroke: id().stroke, tool: int(r, 3, 6), filled: r() < 0.5, color: int(r, 0, 2 ** 32 - 1), width: int(r, 1, 4096), x0: c(), y0: c(), x1: c(), y1: c() };
  }
  if (k === 1) {
    const chars = ['a', 'Z', ' ', '\n', 'é', '✏️', '中', '😀'];
    const text = Array.from({ length: int(r, 0, 30) }, () => chars[int(r, 0, chars.length - 1)]).join('');
    return { type: 'text', stroke: id().stroke, color: int(r, 0, 2 ** 32 - 1), size: int(r, 1, 4096), x: c(), y: c(), text };
  }
  return { type: 'move', strokes: Array.from({ length: int(r, 1, 30) }, id), dx: int(r, -(2 ** 29), 2 ** 29), dy: int(r, -(2 ** 29), 2 ** 29) };
}

test('shape, text and move ops: random round trips through client frames', () => {
  const r = seeded(41);
  for (let i = 0; i < 3000; i++) {
    const op = randomOp(r);
    const b = encodeOp(op);
    assert.deepEqual(decodeOp(b), op);
    assert.deepEqual(decodeClientFrame(b), op);
    assert.deepEqual(encodeClientMsg(op), b);
  }
});

test('apply: a Shape creates, then reshapes in place as a new object; other kinds are left alone', () => {
  const b = new Board(1n);
  b.apply(1, { type: 'begin', stroke: 1, tool: 1, pressure: false, color: 0xffff0066, width: 64, points: [{ x: 0, y: 0, p: 0 }] });
  const e1 = b.apply(1, { type: 'shape', stroke: 2, tool: 5, filled: false, color: 1, width: 8, x0: 0, y0: 0, x1: 10, y1: 10 });
  assert.equal(e1.kind, 'add');
  assert.equal(b.author(1).open, 0, 'a Shape closes the open stroke');
  const first = b.stroke(1, 2)!;
  b.apply(2, { type: 'erase', strokes: [{ author: 1, stroke: 2 }] });
  const e2 = b.apply(1, { type: 'shape', stroke: 2, tool: 6, filled: true, color: 2, width: 9, x0: 5, y0: 5, x1: 50, y1: 60 });
  assert.equal(e2.kind, 'replace');
  const second = b.stroke(1, 2)!;
  assert.notEqual(second, first, 'a new object');
  assert.deepEqual(first.points, [{ x: 0, y: 0, p: 0 }, { x: 10, y: 10, p: 0 }], 'the old one unchanged');
  assert.deepEqual(
    { tool: second.tool, filled: second.filled, hidden: second.hidden, color: second.color, width: second.width },
    { tool: 6, filled: true, hidden: true, color: 2, width: 9 },
  );
  assert.equal(b.strokes.indexOf(second), 1, 'same place in z-order');
  assert.equal(b.points, 3);
  // A Text over a shape, a Shape over the highlighter: nothing.
  assert.equal(b.apply(1, { type: 'text', stroke: 2, color: 0, size: 10, x: 0, y: 0, text: 'no' }).kind, 'none');
  assert.equal(b.apply(1, { type: 'shape', stroke: 1, tool: 3, filled: false, color: 0, width: 1, x0: 0, y0: 0, x1: 1, y1: 1 }).kind, 'none');
  assert.equal(b.stroke(1, 1)!.tool, 1);
  // Someone else's stroke number 2 is their own.
  assert.equal(b.apply(3, { type: 'text', stroke: 2, color: 0, size: 10, x: 0, y: 0, text: 'mine' }).kind, 'add');
  assert.equal(b.stroke(3, 2)!.text, 'mine');
});

test('apply: Move shifts every point of each named stroke, clamped, hidden ones too', () => {
  const b = new Board(1n);
  b.apply(1, { type: 'begin', stroke: 1, tool: 0, pressure: false, color: 0, width: 8, points: [{ x: 0, y: 0, p: 0 }, { x: 10, y: 0, p: 0 }] });
  b.apply(2, { type: 'text', stroke: 1, color: 0, size: 10, x: COORD_LIMIT - 5, y: 0, text: 't' });
  b.apply(2, { type: 'erase', strokes: [{ author: 2, stroke: 1 }] });
  const before = b.strokes.slice();
  const e = b.apply(3, { type: 'move', strokes: [{ author: 1, stroke: 1 }, { author: 2, stroke: 1 }, { author: 9, stroke: 9 }], dx: 100, dy: -7 });
  assert.equal(e.kind, 'replace');
  assert.deepEqual(b.stroke(1, 1)!.points, [{ x: 100, y: -7, p: 0 }, { x: 110, y: -7, p: 0 }]);
  assert.deepEqual(b.stroke(2, 1)!.points, [{ x: COORD_LIMIT, y: -7, p: 0 }]);
  assert.equal(b.stroke(2, 1)!.hidden, true);
  assert.equal(b.stroke(2, 1)!.text, 't');
  assert.notEqual(b.strokes[0], before[0]);
  assert.deepEqual(before[0].points, [{ x: 0, y: 0, p: 0 }, { x: 10, y: 0, p: 0 }], 'the old object is untouched');
  // The open stroke keeps growing after a move.
  b.apply(1, { type: 'points', pressure: false, points: [{ x: 1, y: 1, p: 0 }] });
  assert.deepEqual(b.stroke(1, 1)!.points[2], { x: 111, y: -6, p: 0 });
  assert.equal(b.apply(3, { type: 'move', strokes: [{ author: 9, stroke: 9 }], dx: 1, dy: 1 }).kind, 'none');
  assert.equal(b.seq, 6);
});

test('boards with every tool: random ops applied, encoded, decoded, encoded again: same bytes', () => {
  const r = seeded(42);
  for (let round = 0; round < 40; round++) {
    const b = new Board(BigInt(int(r, 0, 1e9)));
    for (let i = 0; i < 300; i++) {
      const author = int(r, 1, 4);
      const k = int(r, 0, 11);
      let op: Op;
      const n = int(r, 1, 8);
      if (k < 2) op = { type: 'begin', stroke: n, tool: int(r, 0, 2), pressure: r() < 0.5, color: int(r, 0, 2 ** 32 - 1), width: int(r, 1, 64), points: [{ x: int(r, -1000, 1000), y: int(r, -1000, 1000), p: 0 }] };
      else if (k < 4) op = { type: 'points', pressure: r() < 0.5, points: [{ x: int(r, -9, 9), y: int(r, -9, 9), p: int(r, 0, 255) }] };
      else if (k < 5) op = { type: 'end' };
      else if (k < 6) op = { type: r() < 0.5 ? 'erase' : 'restore', strokes: [{ author: int(r, 1, 4), stroke: int(r, 1, 8) }] };
      else if (k < 8) op = { ...(randomOp(r) as Op), ...{ stroke: n } } as Op;
      else if (k < 10) op = { type: 'move', strokes: [{ author: int(r, 1, 4), stroke: int(r, 1, 8) }], dx: int(r, -big, big), dy: int(r, -500, 500) };
      else op = r() < 0.05 ? { type: 'clear', n: int(r, 0, 2) } : r() < 0.05 ? { type: 'unsweep', by: int(r, 1, 4), n: int(r, 1, 2) } : { type: 'end' };
      if (op.type === 'move' && 'stroke' in op) op = { type: 'move', strokes: op.strokes, dx: op.dx, dy: op.dy };
      b.apply(author, op);
    }
    const enc = encodeBoard(b);
    const again = decodeBoard(enc);
    assert.deepEqual(encodeBoard(again), enc);
    assert.equal(again.points, b.points);
  }
});
