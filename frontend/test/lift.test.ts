// A big selection being resized, turned or moved is drawn from one bitmap
// of it (render/lift): the map from where the bitmap was painted to where
// the strokes are now is decided from the strokes alone (render/lift_map).
// Here the strokes come from a real resize, turn and move through the
// Editor and a fake room, as another person sees them: the map must take
// each stroke where the board put it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelectGesture } from '../src/edit/select_gesture';
import { center } from '../src/protocol/rotate';
import type { Stroke } from '../src/protocol/board';
import { liftMap, poseOf, type Affine } from '../src/render/lift_map';
import { TestClient, adaAndGrace, settle } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };
const PICK = 4;

/** Ada draws rects in a row and selects them all; returns Grace's view of them. */
function rects(a: TestClient, b: TestClient, n: number): Stroke[] {
  for (let i = 0; i < n; i++) {
    a.ed.shapeStart({ x: i * 60, y: (i % 3) * 30 }, RECT);
    a.ed.shapeMove({ x: i * 60 + 40, y: (i % 3) * 30 + 25 });
    a.ed.shapeEnd();
  }
  settle(a, b);
  a.ed.selectAll();
  return b.ed.committed();
}

const at = (m: Affine, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
const posed = (ss: readonly Stroke[]) => ss.map((stroke) => ({ stroke, dx: 0, dy: 0 }));

/** farthest returns how far (board units) the map puts a point of before from the same point of after, at worst. */
function farthest(m: Affine, before: readonly Stroke[], after: readonly Stroke[]): number {
  let worst = 0;
  before.forEach((s, i) => {
    s.points.forEach((p, j) => {
      const [x, y] = at(m, p.x, p.y);
      const q = after[i].points[j];
      worst = Math.max(worst, Math.hypot(x - q.x, y - q.y));
    });
  });
  return worst;
}

test('lift: a resize by the corner handle, mirrored past its anchor too, is one map that puts every point where the board has it', () => {
  const { a, b } = adaAndGrace();
  const before = rects(a, b, 6);
  const box = a.ed.selectionBounds();
  const g = new SelectGesture(a.ed);
  g.start({ x: box.maxX, y: box.maxY }, PICK, false);
  assert.deepEqual(a.ed.transforming()?.length, 6, 'the drag names the strokes it resizes');
  g.move({ x: box.minX + (box.maxX - box.minX) * 0.55, y: box.maxY + 70 });
  a.ed.flush();
  g.end();
  assert.equal(a.ed.transforming(), null, 'and none once it ends');
  settle(a, b);
  const after = b.ed.committed();
  const m = liftMap(poseOf(posed(before))!, poseOf(posed(after))!);
  assert.ok(m[0] > 0.4 && m[0] < 0.7 && m[3] > 1.2, `scaled about 0.55 wide, taller: ${m}`);
  assert.ok(farthest(m, before, after) <= 2, `points within 2 units: ${farthest(m, before, after)}`);

  // Dragged past the anchor on the left: mirrored.
  const box2 = a.ed.selectionBounds();
  const g2 = new SelectGesture(a.ed);
  g2.start({ x: box2.maxX, y: box2.maxY }, PICK, false);
  g2.move({ x: box2.minX - (box2.maxX - box2.minX), y: box2.maxY });
  a.ed.flush();
  g2.end();
  settle(a, b);
  const flipped = b.ed.committed();
  const f = liftMap(poseOf(posed(after))!, poseOf(posed(flipped))!);
  assert.ok(f[0] < 0, `mirrored: ${f}`);
  assert.ok(farthest(f, after, flipped) <= 2, `points within 2 units: ${farthest(f, after, flipped)}`);
});

test('lift: a turn is a turn about the group, a move a shift, our pending move counted from its offset', () => {
  const { a, b } = adaAndGrace();
  const before = rects(a, b, 4);
  const box = a.ed.selectionBounds();
  const g = new SelectGesture(a.ed);
  const cx = (box.minX + box.maxX) / 2;
  g.start({ x: cx, y: box.minY - 4 * PICK }, PICK, false);
  g.move({ x: box.maxX + 300, y: (box.minY + box.maxY) / 2 }); // about a quarter turn clockwise
  a.ed.flush();
  g.end();
  settle(a, b);
  const after = b.ed.committed();
  const turn = (after[0].rot ?? 0) - (before[0].rot ?? 0);
  assert.notEqual(turn, 0);
  const m = liftMap(poseOf(posed(before))!, poseOf(posed(after))!);
  assert.ok(Math.abs(Math.atan2(m[1], m[0]) - (turn * Math.PI) / 18000) < 1e-9, 'turned by the strokes’ turn');
  // Each stroke is drawn turned about its center: the map must take that center to the new one.
  before.forEach((s, i) => {
    const [x, y] = at(m, ...center(s.points));
    const [x2, y2] = center(after[i].points);
    assert.ok(Math.hypot(x - x2, y - y2) <= 2, `stroke ${i}: center (${x}, ${y}) vs (${x2}, ${y2})`);
  });

  // A move of ours not yet echoed: the same strokes, shown at an offset.
  const moved = after.map((stroke) => ({ stroke, dx: 35, dy: -12 }));
  const s = liftMap(poseOf(posed(after))!, poseOf(moved)!);
  assert.deepEqual(s, [1, 0, 0, 1, 35, -12]);
});
