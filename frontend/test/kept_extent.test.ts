// A stroke's extent kept on the stroke: always the extent of that object
// as it is now, never one left over from the stroke it was copied from or
// from fewer points.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptExtent } from '../src/geometry/kept_extent';
import { strokeExtent } from '../src/geometry/shape';
import { TOOL_PEN } from '../src/protocol/types';
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
