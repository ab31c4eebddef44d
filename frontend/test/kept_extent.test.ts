// A stroke's extent kept on the stroke: always the extent of that object
// as it is now, never one left over from the stroke it was copied from or
// from fewer points.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptExtent } from '../src/geometry/kept_extent';
import { strokeExtent } from '../src/geometry/shape';
import { SCALE_ONE, TOOL_PEN } from '../src/protocol/types';
import type { Stroke } from '../src/protocol/board';
import { isPending, scaledStroke } from '../src/protocol/scaled_stroke';
import { Board } from '../src/protocol/board';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';

test('a kept extent follows a growing stroke, is not taken by a moved or restyled copy, and is invisible to a comparison', () => {
  const s = { tool: TOOL_PEN, width: 4, filled: false, text: '', points: [{ x: 0, y: 0, p: 0 }, { x: 10, y: 5, p: 0 }] };
  const plain = { ...s, points: s.points.slice() };
  assert.deepEqual(keptExtent(s), strokeExtent(s));
  s.points.push({ x: 100, y: -50, p: 0 });
  assert.deepEqual(keptExtent(s), strokeExtent(s));
  assert.equal(keptExtent(s).maxX, 104);
  const moved = { ...s, points: s.points.map((p) => ({ ...p, x: p.x + 1000 })) };
  assert.deepEqual(keptExtent(moved), strokeExtent(moved));
  const wider = { ...s, width: 40 };
  assert.deepEqual(keptExtent(wider), strokeExtent(wider));
  assert.notDeepEqual(keptExtent(wider), keptExtent(s));
  plain.points.push({ x: 100, y: -50, p: 0 });
  assert.deepEqual(s, plain);
  assert.equal(JSON.stringify(s), JSON.stringify(plain));
});

test('a decoded stroke’s extent is its own, and a copy with another width, turned or moved gets its own', () => {
  const strokes = [
    { author: 1, stroke: 1, tool: TOOL_PEN, pressure: false, hidden: false, filled: false, color: 0xff, width: 4, points: [{ x: 0, y: 0, p: 0 }, { x: 10, y: 5, p: 0 }], text: '', seq: 0, sweptBy: 0, sweptN: 0, removed: false },
  ];
  const s = decodeBoard(encodeBoard(Board.restore(1n, 1, [[1, { applied: 1, open: 0 }]], strokes))).strokes[0];
  assert.deepEqual(keptExtent(s), strokeExtent(s));
  assert.equal(keptExtent(s).maxX, 14);
  const wider = { ...s, width: 40 };
  assert.deepEqual(keptExtent(wider), strokeExtent(wider));
  assert.equal(keptExtent(wider).maxX, 50);
  const turned = { ...s, rot: 9000 };
  assert.deepEqual(keptExtent(turned), strokeExtent(turned));
  const moved = { ...s, points: s.points.map((p) => ({ ...p, x: p.x + 1000 })) };
  assert.deepEqual(keptExtent(moved), strokeExtent(moved));
  const recolored = { ...s, color: 0xff0000ff };
  assert.deepEqual(keptExtent(recolored), strokeExtent(s));
  // The stroke as a person or a program sees it: no extra field.
  assert.deepEqual(Object.keys(s).sort(), Object.keys(strokes[0]).sort());
  assert.equal(JSON.stringify(s.points), JSON.stringify(strokes[0].points));
});

test('a scaled stroke keeps its own extent, through its points being made and set anew, and a copy of it gets its own', () => {
  const s = { author: 1, stroke: 7, tool: TOOL_PEN, width: 4, filled: false, text: '', points: [{ x: 0, y: 0, p: 0 }, { x: 10, y: 5, p: 0 }] };
  // Twice as big about the box's center (corners add up to 10, 5), moved 100 right.
  const t = { mx: 10, my: 5, sx: 2 * SCALE_ONE, sy: 2 * SCALE_ONE, dx: 100, dy: 0 };
  const big = scaledStroke(s as unknown as Stroke, t, 4, undefined);
  assert.ok(isPending(big));
  const pending = keptExtent(big);
  assert.equal(keptExtent(big), pending, 'kept, not worked out again');
  assert.ok(isPending(big), 'worked out without making the points');
  assert.deepEqual(pending, { minX: 91, minY: -6, maxX: 119, maxY: 12 });
  // The points made: the same extent, the one kept.
  assert.deepEqual(strokeExtent({ ...big, points: big.points.slice() }), pending);
  assert.equal(keptExtent(big), pending);
  // A copy (a move) is another object: its own extent, and the scaled stroke's is unchanged.
  const moved = { ...big, points: big.points.map((p) => ({ ...p, x: p.x + 1000 })) };
  assert.equal(keptExtent(moved).minX, 1091);
  assert.deepEqual(keptExtent(big), pending);
  // A point added to the made points (a stroke still being drawn): the extent follows it.
  (big.points as { x: number; y: number; p: number }[]).push({ x: 500, y: 0, p: 0 });
  assert.equal(keptExtent(big).maxX, 504);
  // Points set anew: the extent follows them.
  (big as { points: unknown }).points = [{ x: 0, y: 0, p: 0 }];
  assert.deepEqual(keptExtent(big), { minX: -4, minY: -4, maxX: 4, maxY: 4 });
  assert.deepEqual(Object.keys(big).sort(), Object.keys(s).sort());
});
