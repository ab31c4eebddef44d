// The eraser's and the move's gesture state, alone: what the eraser has
// touched and not sent yet; the whole units of a drag sent as Move ops.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EraserPath } from '../src/geometry/hit';
import { EraseGesture } from '../src/edit/erase_gesture';
import { MoveGesture } from '../src/edit/move_gesture';

test('erase gesture: each stroke is touched once, along a path from the last sample', () => {
  const paths: EraserPath[] = [];
  const g = new EraseGesture(5);
  const touches = (p: EraserPath) => {
    paths.push(p);
    return p.to.x >= 10 ? [{ author: 2, stroke: 1 }] : [];
  };
  assert.equal(g.through([{ x: 0, y: 0 }], touches), false);
  assert.equal(g.hasUnsent, false);
  assert.equal(g.through([{ x: 10, y: 0 }, { x: 20, y: 0 }], touches), true);
  assert.deepEqual(paths, [
    { from: { x: 0, y: 0 }, to: { x: 0, y: 0 }, radius: 5 },
    { from: { x: 0, y: 0 }, to: { x: 10, y: 0 }, radius: 5 },
    { from: { x: 10, y: 0 }, to: { x: 20, y: 0 }, radius: 5 },
  ]);
  assert.deepEqual(g.ids, [{ author: 2, stroke: 1 }]);
  assert.ok(g.keys.has('2:1'));
  assert.deepEqual(g.takeUnsent(), [{ author: 2, stroke: 1 }]);
  assert.equal(g.hasUnsent, false);
  assert.equal(g.through([{ x: 30, y: 0 }], touches), false, 'touched again: nothing new');
  assert.deepEqual(g.takeUnsent(), []);
});

test('move gesture: whole units are sent once; sent adds them up', () => {
  const m = new MoveGesture([{ author: 0, stroke: 3 }]);
  m.by(0.4, 0);
  assert.equal(m.step(), null);
  m.by(0.4, -2.6);
  assert.deepEqual(m.step(), { dx: 1, dy: -3 });
  assert.equal(m.step(), null);
  m.by(-5, 0);
  assert.deepEqual(m.step(), { dx: -5, dy: 0 });
  assert.deepEqual(m.sent, { dx: -4, dy: -3 });
  assert.deepEqual(m.ids, [{ author: 0, stroke: 3 }]);
});
