// The view transform: pan, zoom at a point, pinch, fit, minimap, and views read from storage.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimation, minimapView } from '../src/geometry/minimap';
import {
  HOME_VIEW,
  MAX_ZOOM,
  MIN_ZOOM,
  centerOn,
  fitRect,
  panBy,
  pinch,
  screenRect,
  setZoom,
  snapView,
  toBoard,
  toScreen,
  validView,
  zoomAt,
  zoomOf,
} from '../src/geometry/view';
import { int, seeded } from './rand';

const close = (a: number, b: number, eps = 1e-6): void => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('view: zoomAt keeps the board point under the pointer in place (random)', () => {
  const r = seeded(21);
  for (let i = 0; i < 500; i++) {
    const v = { scale: 0.05 + r() * 2, x: int(r, -5000, 5000), y: int(r, -5000, 5000) };
    const sx = int(r, 0, 1500);
    const sy = int(r, 0, 900);
    const before = toBoard(v, sx, sy);
    const z = zoomAt(v, sx, sy, 0.2 + r() * 3);
    const after = toBoard(z, sx, sy);
    close(before.x, after.x, 1e-6 * Math.max(1, Math.abs(before.x)));
    close(before.y, after.y, 1e-6 * Math.max(1, Math.abs(before.y)));
    assert.ok(zoomOf(z) >= MIN_ZOOM - 1e-12 && zoomOf(z) <= MAX_ZOOM + 1e-12);
  }
});

test('view: zoom is clamped; setZoom sets it exactly; input never changed', () => {
  const v = Object.freeze({ ...HOME_VIEW });
  assert.equal(zoomOf(zoomAt(v, 0, 0, 1e9)), MAX_ZOOM);
  assert.equal(zoomOf(zoomAt(v, 0, 0, 1e-9)), MIN_ZOOM);
  close(zoomOf(setZoom(zoomAt(v, 10, 10, 3.3), 50, 60, 1)), 1);
  assert.deepEqual(v, HOME_VIEW);
});

test('view: pan moves the board with the pointer', () => {
  const v = panBy(HOME_VIEW, 30, -12);
  assert.deepEqual(toScreen(v, 0, 0), { x: 30, y: -12 });
  assert.deepEqual(toBoard(v, 30, -12), { x: 0, y: 0 });
});

test('view: a pinch keeps the board point under the fingers under them', () => {
  const v = { scale: 0.25, x: 100, y: 50 };
  const a0 = { x: 100, y: 100 };
  const b0 = { x: 200, y: 100 };
  // fingers spread to twice the distance and move right by 40
  const a1 = { x: 90, y: 100 };
  const b1 = { x: 290, y: 100 };
  const p = pinch(v, a0, b0, a1, b1);
  close(zoomOf(p), 2);
  const mid0 = toBoard(v, 150, 100);
  const mid1 = toBoard(p, 190, 100);
  close(mid0.x, mid1.x);
  close(mid0.y, mid1.y);
  // Fingers that do not move change nothing.
  assert.deepEqual(pinch(v, a0, b0, a0, b0), v);
});

test('view: fitRect shows the rectangle whole and centered, not above maxZoom', () => {
  const r = { minX: 1000, minY: -400, maxX: 9000, maxY: 3600 };
  const v = fitRect(r, 1000, 600, 40, 4);
  const seen = screenRect(v, 1000, 600);
  assert.ok(seen.minX <= r.minX && seen.maxX >= r.maxX && seen.minY <= r.minY && seen.maxY >= r.maxY);
  const c = toScreen(v, 5000, 1600);
  close(c.x, 500);
  close(c.y, 300);
  // A small drawing is not blown up beyond maxZoom.
  assert.equal(zoomOf(fitRect({ minX: 0, minY: 0, maxX: 10, maxY: 10 }, 1000, 600, 40, 1)), 1);
  // Nothing drawn: home.
  assert.deepEqual(fitRect({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }, 1000, 600), HOME_VIEW);
});

test('view: centerOn, snapView, validView', () => {
  const v = centerOn({ scale: 0.5, x: 3, y: 4 }, 100, 200, 800, 600);
  assert.deepEqual(toScreen(v, 100, 200), { x: 400, y: 300 });
  assert.deepEqual(snapView({ scale: 1, x: 10.3, y: -2.6 }, 2), { scale: 1, x: 10.5, y: -2.5 });
  const same = { scale: 1, x: 10.5, y: 3 };
  assert.equal(snapView(same, 2), same);
  assert.equal(validView({ scale: 0.25, x: 0, y: 0 }), true);
  assert.equal(validView({ scale: 0.25, x: NaN, y: 0 }), false);
  assert.equal(validView({ scale: 1e9, x: 0, y: 0 }), false);
  assert.equal(validView({ scale: '1', x: 0, y: 0 }), false);
  assert.equal(validView(null), false);
});

test('minimap: shows the drawing and the screen, centered', () => {
  const content = { minX: 0, minY: 0, maxX: 4000, maxY: 2000 };
  const viewport = { minX: 3000, minY: 1000, maxX: 7000, maxY: 3000 };
  const m = minimapView(content, viewport, 168, 108, 6);
  for (const [x, y] of [[0, 0], [7000, 3000]]) {
    const p = toScreen(m, x, y);
    assert.ok(p.x >= 5.999 && p.x <= 162.001 && p.y >= 5.999 && p.y <= 102.001, `${p.x},${p.y}`);
  }
  const c = toScreen(m, 3500, 1500);
  close(c.x, 84);
  close(c.y, 54);
  assert.equal(decimation(1000), 1);
  assert.equal(decimation(100001, 20000), 6);
});
