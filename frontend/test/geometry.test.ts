// Hit testing, bounds, outlines, the view transform.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intersects, pointsBounds, strokeBounds, union } from '../src/geometry/bounds';
import { eraserBounds, pointSegmentDistSq, segmentDistSq, strokeHit } from '../src/geometry/hit';
import { pressureByte, pressureValue, strokeOutline } from '../src/geometry/outline';
import { HOME_VIEW, boardLength, screenRect, toBoard, toScreen } from '../src/geometry/view';
import type { Point } from '../src/protocol/types';
import { int, seeded } from './rand';

const P = (x: number, y: number, p = 0): Point => ({ x, y, p });

test('distance from a point to a segment', () => {
  assert.equal(pointSegmentDistSq(P(5, 3), P(0, 0), P(10, 0)), 9); // above the middle
  assert.equal(pointSegmentDistSq(P(-3, 4), P(0, 0), P(10, 0)), 25); // beyond an end
  assert.equal(pointSegmentDistSq(P(13, 4), P(0, 0), P(10, 0)), 25);
  assert.equal(pointSegmentDistSq(P(3, 4), P(0, 0), P(0, 0)), 25); // a segment of length 0
});

test('distance between segments', () => {
  assert.equal(segmentDistSq(P(0, 0), P(10, 10), P(0, 10), P(10, 0)), 0); // crossing
  assert.equal(segmentDistSq(P(0, 0), P(10, 0), P(0, 5), P(10, 5)), 25); // parallel
  assert.equal(segmentDistSq(P(0, 0), P(10, 0), P(5, 2), P(5, 2)), 4); // a point
  assert.equal(segmentDistSq(P(0, 0), P(10, 0), P(10, 0), P(20, 7)), 0); // touching ends
});

test('segment distance is symmetric and never above the endpoint distances (random)', () => {
  const r = seeded(7);
  for (let i = 0; i < 2000; i++) {
    const a = P(int(r, -100, 100), int(r, -100, 100));
    const b = P(int(r, -100, 100), int(r, -100, 100));
    const c = P(int(r, -100, 100), int(r, -100, 100));
    const d = P(int(r, -100, 100), int(r, -100, 100));
    const x = segmentDistSq(a, b, c, d);
    assert.ok(Math.abs(x - segmentDistSq(c, d, a, b)) < 1e-9);
    assert.ok(x <= pointSegmentDistSq(a, c, d) + 1e-9);
    // sampling both segments never finds a closer pair
    for (let t = 0; t <= 1; t += 0.25) {
      for (let u = 0; u <= 1; u += 0.25) {
        const px = a.x + (b.x - a.x) * t - (c.x + (d.x - c.x) * u);
        const py = a.y + (b.y - a.y) * t - (c.y + (d.y - c.y) * u);
        assert.ok(x <= px * px + py * py + 1e-6);
      }
    }
  }
});

test('strokeHit: distance <= width/2 + radius, boundary included', () => {
  const line = [P(0, 0), P(100, 0)];
  const at = (x: number, y: number, radius: number) => ({ from: P(x, y), to: P(x, y), radius });
  assert.equal(strokeHit(line, 16, at(50, 28, 20)), true); // 8 + 20 = 28
  assert.equal(strokeHit(line, 16, at(50, 28.01, 20)), false);
  assert.equal(strokeHit(line, 16, at(-28, 0, 20)), true); // beyond the end, round
  assert.equal(strokeHit(line, 16, at(-28.5, 0, 20)), false);
  assert.equal(strokeHit([P(10, 10)], 4, at(13, 14, 3)), true); // a dot: 5 <= 2 + 3
  assert.equal(strokeHit([P(10, 10)], 4, at(14, 14, 3)), false);
  assert.equal(strokeHit([], 4, at(0, 0, 100)), false);
  // A fast drag across the line between two samples far from it hits it.
  assert.equal(strokeHit(line, 2, { from: P(50, -500), to: P(50, 500), radius: 1 }), true);
});

test('strokeHit with cached bounds agrees with strokeHit without (random)', () => {
  const r = seeded(8);
  for (let i = 0; i < 500; i++) {
    const pts = Array.from({ length: int(r, 1, 20) }, () => P(int(r, 0, 400), int(r, 0, 400)));
    const w = int(r, 1, 40);
    const e = { from: P(int(r, -50, 450), int(r, -50, 450)), to: P(int(r, -50, 450), int(r, -50, 450)), radius: int(r, 1, 30) };
    const slow = pts.some((p, j) => segmentDistSq(pts[Math.max(0, j - 1)], p, e.from, e.to) <= (w / 2 + e.radius) ** 2);
    assert.equal(strokeHit(pts, w, e), slow);
    assert.equal(strokeHit(pts, w, e, strokeBounds(pts, w)), slow);
  }
});

test('bounds', () => {
  const b = pointsBounds([P(1, 5), P(-3, 2), P(4, -1)], 2);
  assert.deepEqual(b, { minX: -5, minY: -3, maxX: 6, maxY: 7 });
  assert.equal(intersects(b, { minX: 6, minY: 7, maxX: 9, maxY: 9 }), true);
  assert.equal(intersects(b, { minX: 6.1, minY: 7, maxX: 9, maxY: 9 }), false);
  assert.deepEqual(union(b, { minX: 0, minY: 0, maxX: 10, maxY: 1 }), { minX: -5, minY: -3, maxX: 10, maxY: 7 });
  assert.deepEqual(eraserBounds({ from: P(0, 0), to: P(10, -10), radius: 2 }), { minX: -2, minY: -12, maxX: 12, maxY: 2 });
});

test('pressure: 0 means none (0.5); device pressure maps to 1..255', () => {
  assert.equal(pressureValue(0), 0.5);
  assert.equal(pressureValue(255), 1);
  assert.equal(pressureByte(0), 1);
  assert.equal(pressureByte(1), 255);
  assert.equal(pressureByte(0.5), 128);
  assert.equal(pressureByte(Number.NaN), 1);
});

test('outline: a polygon around the points, inside the stroke bounds, input untouched', () => {
  const pts = Array.from({ length: 30 }, (_, i) => P(400 + i * 20, 300 + (i % 4) * 10, 100 + i));
  const copy = JSON.parse(JSON.stringify(pts));
  for (const pressure of [false, true]) {
    for (const complete of [false, true]) {
      const o = strokeOutline({ points: pts, width: 32, pressure }, complete);
      assert.ok(o.length > 10);
      const b = strokeBounds(pts, 32);
      for (const [x, y] of o) assert.ok(x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY, `${x},${y}`);
    }
  }
  assert.deepEqual(pts, copy);
  assert.ok(strokeOutline({ points: [P(5, 5)], width: 8, pressure: false }, true).length > 3, 'a dot');
});

test('view: board units are 1/4 CSS pixel at home', () => {
  assert.deepEqual(toBoard(HOME_VIEW, 10.5, 3), { x: 42, y: 12 });
  assert.deepEqual(toScreen(HOME_VIEW, 42, 12), { x: 10.5, y: 3 });
  assert.equal(boardLength(HOME_VIEW, 10), 40);
  assert.deepEqual(screenRect(HOME_VIEW, 100, 50), { minX: 0, minY: 0, maxX: 400, maxY: 200 });
  const v = { scale: 0.5, x: 10, y: -20 };
  const b = toBoard(v, 33, 44);
  assert.deepEqual(toScreen(v, b.x, b.y), { x: 33, y: 44 });
});
