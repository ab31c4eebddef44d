// Shape geometry and hit testing for every tool: the stroke eraser and the
// select tool (click and marquee) find strokes by these.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hitStroke, strokeInRect } from '../src/geometry/hit';
import {
  arrowHead,
  arrowHeadLength,
  constrainShape,
  ellipsePoints,
  pointInPolygon,
  selectionExtent,
  skeleton,
  strokeExtent,
  textBox,
  type StrokeGeom,
} from '../src/geometry/shape';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_RECT, TOOL_TEXT } from '../src/protocol/types';
import { int, seeded } from './rand';

const S = (tool: number, pts: Array<[number, number]>, width = 8, filled = false, text = ''): StrokeGeom => ({
  tool,
  width,
  filled,
  points: pts.map(([x, y]) => ({ x, y })),
  text,
});
const at = (x: number, y: number, radius = 1) => ({ from: { x, y }, to: { x, y }, radius });

test('arrow head: length max(3 × width, 40), 30° each side, rounded like the server', () => {
  assert.equal(arrowHeadLength(4), 40);
  assert.equal(arrowHeadLength(20), 60);
  const [l, r] = arrowHead({ x: 0, y: 0 }, { x: 100, y: 0 }, 4);
  // Back corners at 40 × cos 30° behind the tip, 40 × sin 30° = 20 either side.
  assert.deepEqual(l, { x: 65, y: 20 });
  assert.deepEqual(r, { x: 65, y: -20 });
  for (const c of [l, r]) assert.ok(Math.abs(Math.hypot(c.x - 100, c.y) - 40) < 1);
  // A zero-length arrow points along +x (the server's choice).
  const [zl, zr] = arrowHead({ x: 5, y: 5 }, { x: 5, y: 5 }, 4);
  assert.ok(zl.x < 5 && zr.x < 5);
});

test('ellipse points lie on the ellipse inscribed in the rectangle', () => {
  for (const p of ellipsePoints({ x: 100, y: 50 }, { x: 0, y: 0 }, 32)) {
    const u = (p.x - 50) / 50;
    const v = (p.y - 25) / 25;
    assert.ok(Math.abs(u * u + v * v - 1) < 1e-9);
  }
});

test('text box: the longest line measured in the text font, 1.25 × size per line, rounded up', () => {
  // a b c d advance 1139, 1139, 987 and 1139 of 2048 units per em (Go Regular).
  assert.deepEqual(textBox({ x: 10, y: 20 }, 100, 'ab\nabcd'), { minX: 10, minY: 20, maxX: 227, maxY: 270 });
  assert.deepEqual(textBox({ x: 0, y: 0 }, 10, ''), { minX: 0, minY: 0, maxX: 0, maxY: 13 }, 'an empty text is one line high');
  assert.equal(textBox({ x: 0, y: 0 }, 10, '😀😀').maxX, 15, 'characters (the font lacks these: its fallback advance), not UTF-16 units');
  assert.ok(textBox({ x: 0, y: 0 }, 100, 'iiii').maxX < textBox({ x: 0, y: 0 }, 100, 'WWWW').maxX / 3, 'narrow letters make a narrow box');
  const wrapped = textBox({ x: 0, y: 0 }, 20, 'hello world again', 120);
  assert.deepEqual([wrapped.maxX <= 120, wrapped.maxY], [true, 50], 'wrapped to two lines within the width');
});

test('extent covers the skeleton grown by the width (and the arrow head, the text box)', () => {
  const r = seeded(51);
  for (let i = 0; i < 300; i++) {
    const tool = int(r, 0, 7);
    const n = tool >= 3 && tool <= 6 ? 2 : tool === 7 ? 1 : int(r, 1, 10);
    const s = S(tool, Array.from({ length: n }, () => [int(r, -500, 500), int(r, -500, 500)]), int(r, 1, 64), r() < 0.5, 'hi\nthere');
    const e = strokeExtent(s);
    for (const line of skeleton(s)) {
      for (const p of line) assert.ok(p.x >= e.minX && p.x <= e.maxX && p.y >= e.minY && p.y <= e.maxY, `tool ${tool}`);
    }
  }
});

test('selection extent: a text is framed by its measured box, turned as it is; anything else by its extent', () => {
  const text = S(TOOL_TEXT, [[10, 20]], 100, false, 'ab\nabcd');
  const box = textBox({ x: 10, y: 20 }, 100, 'ab\nabcd');
  assert.deepEqual(selectionExtent(text), box, 'the box, not the painted extent around it');
  const e = strokeExtent(text);
  assert.ok(e.minX < box.minX && e.maxX > box.maxX, 'the extent has room for overhanging glyphs');
  // Turned a quarter about its point (its top-left): the box stands up, left of it.
  const turned = selectionExtent({ ...text, rot: 9000 });
  assert.deepEqual(
    [turned.minX, turned.minY, turned.maxX, turned.maxY].map(Math.round),
    [10 - (box.maxY - box.minY), 20, 10, 20 + (box.maxX - box.minX)],
  );
  const wrapped = S(TOOL_TEXT, [[0, 0]], 20, false, 'hello world again');
  assert.deepEqual(selectionExtent({ ...wrapped, wrap: 120 }), textBox({ x: 0, y: 0 }, 20, 'hello world again', 120));
  const rect = S(TOOL_RECT, [[0, 0], [100, 50]], 16);
  assert.deepEqual(selectionExtent(rect), strokeExtent(rect));
});

test('hit: pen and highlighter along their path, shapes on their outline, filled ones inside too', () => {
  const pen = S(TOOL_PEN, [[0, 0], [100, 0]], 16);
  assert.equal(hitStroke(pen, at(50, 28, 20)), true);
  assert.equal(hitStroke(pen, at(50, 28.5, 20)), false);
  assert.equal(hitStroke(S(TOOL_HIGHLIGHTER, [[0, 0], [100, 0]], 16), at(50, 28, 20)), true);
  const line = S(TOOL_LINE, [[0, 0], [100, 100]], 10);
  assert.equal(hitStroke(line, at(50, 50)), true);
  assert.equal(hitStroke(line, at(60, 40, 1)), false);
  const rect = S(TOOL_RECT, [[100, 100], [0, 0]], 10);
  assert.equal(hitStroke(rect, at(0, 50, 1)), true, 'on the left edge');
  assert.equal(hitStroke(rect, at(50, 50, 1)), false, 'empty inside');
  assert.equal(hitStroke({ ...rect, filled: true }, at(50, 50, 1)), true, 'filled inside');
  assert.equal(hitStroke({ ...rect, filled: true }, at(120, 50, 1)), false);
  const ell = S(TOOL_ELLIPSE, [[0, 0], [200, 100]], 4);
  assert.equal(hitStroke(ell, at(0, 50, 1)), true);
  assert.equal(hitStroke(ell, at(3, 3, 1)), false, 'the corner of the box is not the ellipse');
  assert.equal(hitStroke(ell, at(100, 50, 1)), false);
  assert.equal(hitStroke({ ...ell, filled: true }, at(100, 50, 1)), true);
  const arrow = S(TOOL_ARROW, [[0, 0], [100, 0]], 4);
  assert.equal(hitStroke(arrow, at(80, 10, 1)), true, 'inside the head');
  assert.equal(hitStroke(arrow, at(50, 30, 1)), false);
  const text = S(TOOL_TEXT, [[0, 0]], 100, false, 'Hello');
  assert.equal(hitStroke(text, at(200, 60, 1)), true, 'anywhere in the box');
  assert.equal(hitStroke(text, at(260, 60, 1)), false, 'the box ends where the glyphs do (237)');
  assert.equal(hitStroke(S(TOOL_ERASER, [[0, 0], [100, 0]], 50), at(50, 0, 10)), false, 'partial-eraser strokes are never hit');
});

test('hit: a moved stroke is hit where it is shown', () => {
  const rect = S(TOOL_RECT, [[0, 0], [100, 100]], 10, true);
  assert.equal(hitStroke(rect, at(550, 550), undefined, 500, 500), true);
  assert.equal(hitStroke(rect, at(50, 50), undefined, 500, 500), false);
  assert.equal(strokeInRect(rect, { minX: 520, minY: 520, maxX: 530, maxY: 530 }, undefined, 500, 500), true);
});

test('hit: a fast eraser drag across a rectangle edge hits it', () => {
  const rect = S(TOOL_RECT, [[0, 0], [100, 100]], 2);
  assert.equal(hitStroke(rect, { from: { x: 50, y: -500 }, to: { x: 50, y: -10 }, radius: 1 }), false);
  assert.equal(hitStroke(rect, { from: { x: 50, y: -500 }, to: { x: 50, y: 50 }, radius: 1 }), true);
});

test('marquee: touches a stroke when it holds a point, crosses a segment, or lies inside a filled shape', () => {
  const pen = S(TOOL_PEN, [[0, 0], [1000, 0]]);
  assert.equal(strokeInRect(pen, { minX: 400, minY: -10, maxX: 500, maxY: 10 }), true, 'crosses without a point inside');
  assert.equal(strokeInRect(pen, { minX: 400, minY: 10, maxX: 500, maxY: 20 }), false);
  const rect = S(TOOL_RECT, [[0, 0], [100, 100]]);
  assert.equal(strokeInRect(rect, { minX: 40, minY: 40, maxX: 60, maxY: 60 }), false, 'inside an empty rectangle');
  assert.equal(strokeInRect({ ...rect, filled: true }, { minX: 40, minY: 40, maxX: 60, maxY: 60 }), true);
  assert.equal(strokeInRect(rect, { minX: -10, minY: -10, maxX: 200, maxY: 200 }), true, 'around it');
  assert.equal(strokeInRect(S(TOOL_TEXT, [[0, 0]], 100, false, 'abc'), { minX: 10, minY: 10, maxX: 20, maxY: 20 }), true);
  assert.equal(strokeInRect(S(TOOL_ERASER, [[0, 0], [10, 0]]), { minX: -10, minY: -10, maxX: 20, maxY: 20 }), false);
});

test('marquee agrees with sampling the skeleton (random)', () => {
  const r = seeded(52);
  for (let i = 0; i < 500; i++) {
    const pts: Array<[number, number]> = Array.from({ length: int(r, 2, 6) }, () => [int(r, 0, 400), int(r, 0, 400)]);
    const s = S(TOOL_PEN, pts);
    const x = int(r, 0, 380);
    const y = int(r, 0, 380);
    const rect = { minX: x, minY: y, maxX: x + int(r, 1, 100), maxY: y + int(r, 1, 100) };
    let sampled = false;
    for (let j = 1; j < pts.length && !sampled; j++) {
      for (let t = 0; t <= 1; t += 0.001) {
        const px = pts[j - 1][0] + (pts[j][0] - pts[j - 1][0]) * t;
        const py = pts[j - 1][1] + (pts[j][1] - pts[j - 1][1]) * t;
        if (px >= rect.minX && px <= rect.maxX && py >= rect.minY && py <= rect.maxY) {
          sampled = true;
          break;
        }
      }
    }
    if (sampled) assert.equal(strokeInRect(s, rect), true, JSON.stringify({ pts, rect }));
  }
});

test('point in polygon; Shift makes squares, circles and 45° lines', () => {
  const sq = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }];
  assert.equal(pointInPolygon({ x: 5, y: 5 }, sq), true);
  assert.equal(pointInPolygon({ x: 15, y: 5 }, sq), false);
  assert.deepEqual(constrainShape(TOOL_RECT, { x: 0, y: 0 }, { x: 30, y: -10 }), { x: 30, y: -30 });
  assert.deepEqual(constrainShape(TOOL_ELLIPSE, { x: 0, y: 0 }, { x: -5, y: 20 }), { x: -20, y: 20 });
  assert.deepEqual(constrainShape(TOOL_LINE, { x: 0, y: 0 }, { x: 100, y: 10 }), { x: 100, y: 0 });
  const d = constrainShape(TOOL_ARROW, { x: 0, y: 0 }, { x: 100, y: 90 });
  assert.equal(d.x, d.y);
});
