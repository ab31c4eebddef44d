// Rotate's arithmetic in the browser's codec: the same integers as the Go
// model (the shared vectors pin whole boards; these say why they hold).
import assert from 'node:assert/strict';
import test from 'node:test';
import { Board } from '../src/protocol/board';
import { pivotOf, rotCosSin, rotateOp, turnPoint } from '../src/protocol/rotate';
import { shownMiddle, turnRect } from '../src/geometry/turn';
import { centerOf } from '../src/protocol/scaled_stroke';

test('rotate: cosine and sine are within two millionths, quarter turns exact', () => {
  for (let a = -36000; a <= 36000; a += 7) {
    const [c, s] = rotCosSin(a);
    const r = (a * Math.PI) / 18000;
    assert.ok(Math.abs(c - Math.cos(r) * 2 ** 20) <= 2 && Math.abs(s - Math.sin(r) * 2 ** 20) <= 2, `angle ${a}: ${c}, ${s}`);
  }
  assert.deepEqual([0, 9000, 18000, 27000].map(rotCosSin), [
    [2 ** 20, 0],
    [0, 2 ** 20],
    [-(2 ** 20), 0],
    [0, -(2 ** 20)],
  ]);
});

test('rotate: a shape turned about its center keeps its corners; the undo keeps a move made since', () => {
  const b = new Board(1n);
  b.apply(1, { type: 'shape', stroke: 1, tool: 5, filled: false, color: 0xff, width: 4, x0: 100, y0: 40, x1: 301, y1: 120 });
  const id = { author: 1, stroke: 1 };
  const shape = () => b.strokes[0];
  b.apply(1, rotateOp([id], 1500, pivotOf([shape()])));
  assert.equal(shape().rot, 1500);
  assert.deepEqual(shape().points.map((p) => [p.x, p.y]), [[100, 40], [301, 120]]);
  b.apply(2, { type: 'move', strokes: [id], dx: 50, dy: -5 });
  b.apply(1, rotateOp([id], -1500, pivotOf([shape()])));
  assert.equal(shape().rot, 0);
  assert.deepEqual(shape().points.map((p) => [p.x, p.y]), [[150, 35], [351, 115]]);
});

test('rotate: two strokes turn about the mean of their centers and come back within a unit', () => {
  const b = new Board(1n);
  b.apply(1, { type: 'shape', stroke: 1, tool: 6, filled: false, color: 0xff, width: 4, x0: 0, y0: 0, x1: 100, y1: 60 });
  b.apply(1, { type: 'shape', stroke: 2, tool: 5, filled: true, color: 0xff, width: 4, x0: 400, y0: 300, x1: 480, y1: 333 });
  const ids = [{ author: 1, stroke: 1 }, { author: 1, stroke: 2 }];
  const before = b.strokes.map((s) => s.points.map((p) => [p.x, p.y]));
  b.apply(1, rotateOp(ids, 4321, pivotOf(b.strokes)));
  assert.notDeepEqual(b.strokes.map((s) => s.points.map((p) => [p.x, p.y])), before);
  b.apply(1, rotateOp(ids, -4321, pivotOf(b.strokes)));
  b.strokes.forEach((s, i) => {
    assert.equal(s.rot, 0);
    s.points.forEach((p, j) => assert.ok(Math.abs(p.x - before[i][j][0]) <= 1 && Math.abs(p.y - before[i][j][1]) <= 1, `${p.x},${p.y} vs ${before[i][j]}`));
  });
});

test('rotate: a lone text turns about the middle of its box, not its top-left; the undo keeps a move made since', () => {
  const b = new Board(1n);
  b.apply(1, { type: 'text', stroke: 1, color: 0xff, size: 40, x: 100, y: 40, text: 'Hello, board' });
  const id = { author: 1, stroke: 1 };
  const text = () => b.strokes[0]!;
  const mid0 = shownMiddle(text());
  // The middle is well away from the top-left: the test would not tell the two apart otherwise.
  assert.ok(mid0[0] - 100 > 100 && mid0[1] - 40 > 10, `middle ${mid0}`);
  const pivot: [number, number] = [Math.floor(mid0[0]), Math.floor(mid0[1])];
  b.apply(1, rotateOp([id], 9000, pivot));
  assert.equal(text().rot, 9000);
  const mid1 = shownMiddle(text());
  assert.ok(Math.abs(mid1[0] - mid0[0]) <= 1 && Math.abs(mid1[1] - mid0[1]) <= 1, `turned middle ${mid1}, was ${mid0}`);
  // Someone moves it; the undo turns back about the middle as it is then.
  b.apply(2, { type: 'move', strokes: [id], dx: 30, dy: 7 });
  const mid2 = shownMiddle(text());
  b.apply(1, rotateOp([id], -9000, [Math.floor(mid2[0]), Math.floor(mid2[1])]));
  assert.equal(text().rot, 0);
  const p = text().points[0]!;
  assert.ok(Math.abs(p.x - 130) <= 1 && Math.abs(p.y - 47) <= 1, `after the undo the text is at ${p.x},${p.y}, want 130,47 (the move kept)`);
});


test('rotate: a turned stroke\'s box is the box of its box\'s four corners turned point by point, to the last bit', () => {
  let seed = 5;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 500; i++) {
    const points = [0, 1, 2].map(() => ({ x: Math.round(rnd() * 2000 - 1000), y: Math.round(rnd() * 2000 - 1000), p: 0 }));
    const s = { points, rot: Math.round(rnd() * 72000 - 36000) };
    const r = { minX: Math.round(rnd() * 500 - 600), minY: Math.round(rnd() * 500 - 600), maxX: Math.round(rnd() * 500 + 100), maxY: Math.round(rnd() * 500 + 100) };
    const [cx, cy] = centerOf(s);
    const corners = [
      [r.minX, r.minY],
      [r.maxX, r.minY],
      [r.maxX, r.maxY],
      [r.minX, r.maxY],
    ].map(([x, y]) => turnPoint(x, y, s.rot, cx, cy));
    const want = { minX: Math.min(...corners.map((c) => c[0])), minY: Math.min(...corners.map((c) => c[1])), maxX: Math.max(...corners.map((c) => c[0])), maxY: Math.max(...corners.map((c) => c[1])) };
    assert.deepEqual(turnRect(s, r), want, `case ${i}`);
  }
});
