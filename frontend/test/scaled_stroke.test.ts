// A pending resize's strokes keep their points unmade until read
// (protocol/scaled_stroke): what they give when read, and their boxes and
// extents worked out without the points, are bit for bit what the room's
// board makes by applying the same Transforms one by one, across many
// steps, negative scales, clamping at the coordinate limit, and undo.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Folder, type Folding } from '../src/edit/reshape';
import type { Reshape } from '../src/edit/pending';
import type { Stroke } from '../src/protocol/board';
import { boxOf, isPending, pointCount } from '../src/protocol/scaled_stroke';
import { COORD_LIMIT, SCALE_ONE, type StrokeId } from '../src/protocol/types';
import { pointsBounds } from '../src/geometry/bounds';
import { strokeExtent } from '../src/geometry/shape';
import { adaAndGrace, scribble, settle } from './harness';

const pts = (s: Stroke): number[][] => s.points.map((p) => [p.x, p.y, p.p]);

function ids(ss: readonly Stroke[]): StrokeId[] {
  return ss.map((s) => ({ author: s.author, stroke: s.stroke }));
}

/** fourStrokes is two people on a board of four scribbles, one of them far out near the coordinate limit. */
function fourStrokes(): ReturnType<typeof adaAndGrace> {
  const p = adaAndGrace();
  scribble(p.a, 0, 0, 9);
  scribble(p.a, 100, 60, 20);
  scribble(p.a, -50, 200, 12);
  scribble(p.a, 9_000_000, -9_000_000, 5);
  settle(p.a, p.b);
  return p;
}

/**
 * foldEachStep folds items through each of reshapes' first 1, 2, ... steps
 * in one Folder, as a drag does, calling check on each stroke of each
 * step, and reads every point after each readEvery-th step (0: never).
 */
function foldEachStep(items: Folding[], reshapes: Reshape[], readEvery: number, check?: (s: Stroke, n: number) => void): Folder {
  const f = new Folder();
  for (let n = 1; n <= reshapes.length; n++) {
    const got = f.fold(items, reshapes.slice(0, n));
    if (check) for (const s of got) check(s, n);
    if (readEvery > 0 && n % readEvery === 0) got.forEach((s) => void s.points);
  }
  return f;
}

/** checkUnmade checks that s's box and extent, worked out before its points are read, are those of its points. */
function checkUnmade(s: Stroke, n: number): void {
  const box = boxOf(s);
  const ext = strokeExtent(s);
  assert.deepEqual(box, { ...pointsBounds(s.points) }, `the box after step ${n}`);
  assert.deepEqual(ext, strokeExtent({ ...s, points: s.points }), `the extent after step ${n}`);
}

/**
 * sameAsBoard checks strokes folded lazily (nothing read yet: lazy; read
 * midway: mixed) against the board's: count, rotation, box and extent
 * without the points first, then the points themselves.
 */
function sameAsBoard(lazy: readonly Stroke[], mixed: readonly Stroke[], board: readonly Stroke[]): void {
  lazy.forEach((s, i) => {
    assert.equal(pointCount(s), board[i].points.length);
    assert.equal(s.rot ?? 0, board[i].rot ?? 0, 'the rotation');
    assert.deepEqual(boxOf(s), { ...pointsBounds(board[i].points) }, 'the box, without the points');
    assert.deepEqual(strokeExtent(s), strokeExtent(board[i]), 'the extent (turned too), without the points');
  });
  assert.deepEqual(lazy.map(pts), board.map(pts), 'read at the end');
  assert.deepEqual(mixed.map(pts), board.map(pts), 'read midway too');
}

/**
 * foldedAsBoard folds reshapes over b's board lazily (read at the end,
 * read every readEvery-th step, boxes and extents checked at every step),
 * has b send them, and checks what the fold made against a's board once
 * the room applied them. It returns the fold with nothing read, for more
 * checks.
 */
function foldedAsBoard(a: ReturnType<typeof adaAndGrace>['a'], b: ReturnType<typeof adaAndGrace>['b'], reshapes: Reshape[], readEvery: number): Folding[] {
  const items: Folding[] = b.ed.board.strokes.map((s) => ({ key: s.author + ':' + s.stroke, stroke: s, after: 0 }));
  const f = foldEachStep(items, reshapes, readEvery);
  foldEachStep(items, reshapes, 0, checkUnmade);
  const lazy = new Folder().fold(items, reshapes);
  const mixed = f.fold(items, reshapes);
  assert.ok(lazy.every(isPending), 'nothing read them yet');
  for (const r of reshapes) b.ed.sync.push(r.op);
  settle(a, b);
  sameAsBoard(lazy, mixed, a.ed.board.strokes);
  return items;
}

/** lcg is a small seeded generator of numbers in [0, 1). */
function lcg(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('scaled strokes: forty pending resizes read at the end, and some read midway, equal the board that applied each one', () => {
  const { a, b } = fourStrokes();
  const rnd = lcg(7);
  const strokes = ids(a.ed.board.strokes);
  // The first pushes the far stroke past the coordinate limit, the second brings everything back.
  const reshapes: Reshape[] = [
    { uid: 1, op: { type: 'transform', strokes, sx: 60 * SCALE_ONE, sy: -60 * SCALE_ONE, dx: 0, dy: 0 } },
    { uid: 2, op: { type: 'transform', strokes, sx: Math.round(SCALE_ONE / 50), sy: -Math.round(SCALE_ONE / 50), dx: 3, dy: -5 } },
  ];
  for (let i = 2; i < 40; i++) {
    const s = (): number => Math.round(SCALE_ONE * (0.3 + rnd() * 1.6)) * (rnd() < 0.2 ? -1 : 1);
    reshapes.push({ uid: i + 1, op: { type: 'transform', strokes, sx: s(), sy: s(), dx: Math.round(rnd() * 400 - 200), dy: Math.round(rnd() * 400 - 200) } });
  }
  const items: Folding[] = b.ed.board.strokes.map((s) => ({ key: s.author + ':' + s.stroke, stroke: s, after: 0 }));
  const midway = new Folder();
  // One Folder is read after every seventh step (its chain cut there), the other only at the end.
  const f = foldEachStep(items, reshapes, 7);
  // A third reads every step, after working out its boxes and extents without the points.
  foldEachStep(items, reshapes, 0, checkUnmade);
  const lazy = midway.fold(items, reshapes);
  const mixed = f.fold(items, reshapes);
  assert.ok(lazy.every(isPending), 'nothing read them yet');
  // The board applies them one by one (a has nothing pending: no known results).
  for (const r of reshapes) b.ed.sync.push(r.op);
  settle(a, b);
  sameAsBoard(lazy, mixed, a.ed.board.strokes);
  const first = new Folder().fold(items, reshapes.slice(0, 1));
  assert.ok(first.some((s) => s.points.some((p) => Math.abs(p.x) === COORD_LIMIT || Math.abs(p.y) === COORD_LIMIT)), 'the first step clamps');
});

test('scaled strokes: a resize dragged, then undone before the room has it, shows and leaves what the others\' boards hold', () => {
  const { a, b } = adaAndGrace();
  scribble(a, 0, 0, 9);
  scribble(a, 100, 60, 20);
  scribble(a, -50, 200, 12);
  settle(a, b);
  a.ed.selectAll();
  const box = a.ed.selectionBounds();
  const anchor = { x: box.minX, y: box.minY };
  a.ed.arrange.resizeStart(anchor, { x: box.maxX, y: box.maxY });
  for (let i = 1; i <= 12; i++) {
    a.ed.arrange.resizeTo({ x: box.maxX + i * 17, y: box.maxY - i * 9 }, false);
    a.ed.arrange.flush(true);
  }
  a.ed.arrange.resizeEnd();
  a.ed.flush();
  const shown = a.ed.arrange.selectedStrokes();
  assert.ok(shown.some(isPending), 'shown before the room has them, points unmade');
  const shownPts = shown.map(pts);
  settle(a, b);
  assert.deepEqual(b.ed.board.strokes.map(pts), shownPts, 'the others hold what was shown');
  assert.deepEqual(a.ed.board.strokes.map(pts), shownPts, 'and so does our board');
  assert.ok(a.ed.undo());
  a.ed.flush();
  const undone = a.ed.arrange.selectedStrokes().map(pts);
  settle(a, b);
  assert.deepEqual(b.ed.board.strokes.map(pts), undone, 'the undo as shown is what the others hold');
  assert.deepEqual(a.ed.board.strokes.map(pts), b.ed.board.strokes.map(pts));
});

test('scaled strokes: pending Moves and Rotates mixed with resizes, read at the end, midway and at every step, equal the board that applied each one', () => {
  const { a, b } = fourStrokes();
  const rnd = lcg(11);
  const all = ids(a.ed.board.strokes);
  // The first Move pushes the far stroke past the coordinate limit (clamped at each step, as the board does).
  const reshapes: Reshape[] = [{ uid: 1, op: { type: 'move', strokes: all, dx: 2_000_000, dy: -2_000_000 } }];
  for (let i = 1; i < 45; i++) {
    // Some steps name only some of the strokes, so their chains differ.
    const strokes = rnd() < 0.3 ? all.filter(() => rnd() < 0.6) : all;
    const k = rnd();
    const op: Reshape['op'] =
      k < 0.4
        ? { type: 'move', strokes, dx: Math.round(rnd() * 600 - 300), dy: Math.round(rnd() * 600 - 300) }
        : k < 0.75
          ? { type: 'rotate', strokes, angle: Math.round(rnd() * 72000 - 36000), px: Math.round(rnd() * 400 - 100), py: Math.round(rnd() * 400 - 100) }
          : { type: 'transform', strokes, sx: Math.round(SCALE_ONE * (0.5 + rnd())) * (rnd() < 0.2 ? -1 : 1), sy: Math.round(SCALE_ONE * (0.5 + rnd())), dx: Math.round(rnd() * 200 - 100), dy: Math.round(rnd() * 200 - 100) };
    reshapes.push({ uid: i + 1, op });
  }
  foldedAsBoard(a, b, reshapes, 6);
  assert.ok(reshapes.some((r) => r.op.type === 'rotate') && reshapes.some((r) => r.op.type === 'move'));
});

test('scaled strokes: a long run of Moves and Rotates, one pushing a stroke past the coordinate limit and back, folds to the board\'s points', () => {
  const { a, b } = adaAndGrace();
  scribble(a, 0, 0, 9);
  scribble(a, 100, 60, 20);
  scribble(a, -40, 90, 6);
  settle(a, b);
  const rnd = lcg(23);
  const all = ids(a.ed.board.strokes);
  const reshapes: Reshape[] = [];
  for (let i = 0; i < 60; i++) {
    // A turn drag's steps, and now and then a Move; a few name one stroke only.
    const strokes = rnd() < 0.15 ? [all[Math.floor(rnd() * all.length)]] : all;
    const op: Reshape['op'] =
      // The second step takes everything near the coordinate limit (a turn about a far pivot then shifts it back by thousands), the fourth pushes some of it past (clamped), the fifth brings it back.
      i === 1
        ? { type: 'move', strokes: all, dx: COORD_LIMIT - 400, dy: 0 }
        : i === 3
          ? { type: 'move', strokes: all, dx: 30_000, dy: 0 }
          : i === 4
            ? { type: 'move', strokes: all, dx: -40_000, dy: 0 }
            : rnd() < 0.3
            ? { type: 'move', strokes, dx: Math.round(rnd() * 60 - 30), dy: Math.round(rnd() * 60 - 30) }
            : { type: 'rotate', strokes, angle: Math.round(rnd() * 400 - 200), px: 120, py: 40 };
    reshapes.push({ uid: i + 1, op });
  }
  const items = foldedAsBoard(a, b, reshapes, 9);
  const clamped = new Folder().fold(items, reshapes.slice(0, 4));
  assert.ok(clamped.some((s) => s.points.some((p) => p.x === COORD_LIMIT)), 'the fourth step clamps');
});

test('scaled strokes: the board moves strokes by making their points only when read, with each Move\'s clamp at the coordinate limit kept', () => {
  const { a, b } = adaAndGrace();
  scribble(a, 0, 0, 9);
  scribble(a, 100, 60, 20);
  settle(a, b);
  const all = ids(a.ed.board.strokes);
  // What each Move does, point by point: plus (dx, dy), clamped to the limit.
  const a0 = a.ed.board.strokes.map(pts);
  let want = a0;
  const clamp = (v: number): number => Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, v));
  const rnd = lcg(31);
  const moves: [number, number][] = [[COORD_LIMIT - 100, 0], [500, -20], [-700, 30]];
  for (let i = 0; i < 30; i++) moves.push([Math.round(rnd() * 200 - 100), Math.round(rnd() * 200 - 100)]);
  for (const [dx, dy] of moves) {
    b.ed.sync.push({ type: 'move', strokes: all, dx, dy });
    want = want.map((s) => s.map(([x, y, p]) => [clamp(x + dx), clamp(y + dy), p]));
  }
  settle(a, b);
  const got = a.ed.board.strokes;
  assert.ok(got.every(isPending), 'moved without making the points');
  assert.deepEqual(got.map((s) => boxOf(s)), want.map((s) => ({ minX: Math.min(...s.map((q) => q[0])), minY: Math.min(...s.map((q) => q[1])), maxX: Math.max(...s.map((q) => q[0])), maxY: Math.max(...s.map((q) => q[1])) })), 'the boxes, without the points');
  assert.deepEqual(got.map(pts), want, 'the points when read');
  const sx = moves.reduce((t, m) => t + m[0], 0);
  assert.ok(want.some((s, i) => s.some((q, j) => q[0] !== a0[i][j][0] + sx)), 'a Move clamped: the points are not at the sum of the moves');
});
