// A stroke's extent kept on the stroke: always the extent of that object
// as it is now, never one left over from the stroke it was copied from or
// from fewer points.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptExtent } from '../src/geometry/kept_extent';
import { strokeExtent } from '../src/geometry/shape';
import { TOOL_PEN } from '../src/protocol/types';

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
