// Our pending resizes shown before the room has them (edit/reshape's
// Folder): what is shown while they are pending is what the room's board
// holds once it has applied them, whether the room applies them one by one
// (the folds of the ops still pending are kept, not made again) or someone
// else's op comes between (everything is folded again).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Folder, type Folding } from '../src/edit/reshape';
import type { Reshape } from '../src/edit/pending';
import type { Stroke } from '../src/protocol/board';
import type { StrokeId } from '../src/protocol/types';
import { PART_RGB, SCALE_ONE } from '../src/protocol/types';
import { SELF } from '../src/edit/history';
import { adaAndGrace, roomHex, scribble, settle, type TestClient } from './harness';

const pts = (s: Stroke): number[][] => s.points.map((p) => [p.x, p.y]);

/** boardItems is what the Folder is handed of c's board: every stroke, by its board name. */
function boardItems(c: TestClient): Folding[] {
  return c.ed.board.strokes.map((s) => ({ key: s.author + ':' + s.stroke, stroke: s, after: 0 }));
}

function ids(c: TestClient): StrokeId[] {
  return c.ed.board.strokes.map((s) => ({ author: s.author, stroke: s.stroke }));
}

/** threeScribbles is a room where Ada drew three strokes; Grace has them too. */
function threeScribbles() {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 9);
  scribble(a, 100, 60, 7);
  scribble(a, -50, 200, 12);
  settle(a, b);
  return { room, a, b };
}

test('reshape: two pending resizes shown as the room applies them; the one still pending is not folded again when the first comes back', () => {
  const { a, b } = threeScribbles();
  const t1: Reshape = { uid: 101, op: { type: 'transform', strokes: ids(a), sx: SCALE_ONE * 1.5, sy: SCALE_ONE * 1.25, dx: 30, dy: -7 } };
  const t2: Reshape = { uid: 102, op: { type: 'transform', strokes: ids(a), sx: Math.round(SCALE_ONE * 0.7), sy: SCALE_ONE * 2, dx: -11, dy: 5 } };
  const f = new Folder();
  const shown = f.fold(boardItems(a), [t1, t2]);
  assert.deepEqual(f.fold(boardItems(a), [t1, t2]), shown, 'asked again: the same');
  // The room applies the first (Grace sends the same op: the same arithmetic).
  b.ed.sync.push(t1.op);
  settle(a, b);
  const after1 = f.fold(boardItems(a), [t2]);
  assert.deepEqual(after1.map(pts), shown.map(pts), 'nothing jumps when the first comes back');
  after1.forEach((s, i) => assert.equal(s.points, shown[i].points, 'the second op was folded once'));
  assert.deepEqual(after1.map(pts), new Folder().fold(boardItems(a), [t2]).map(pts), 'what a fold from scratch shows');
  b.ed.sync.push(t2.op);
  settle(a, b);
  assert.deepEqual(a.ed.board.strokes.map(pts), shown.map(pts), 'the room holds what was shown');
});

test('reshape: when someone else\'s move comes before our resize, what is shown is folded again from the board', () => {
  const { a, b } = threeScribbles();
  const t1: Reshape = { uid: 7, op: { type: 'transform', strokes: ids(a), sx: SCALE_ONE * 2, sy: SCALE_ONE * 2, dx: 0, dy: 0 } };
  const t2: Reshape = { uid: 8, op: { type: 'transform', strokes: ids(a), sx: SCALE_ONE, sy: Math.round(SCALE_ONE / 3), dx: 4, dy: 9 } };
  const f = new Folder();
  f.fold(boardItems(a), [t1, t2]);
  // Grace moves the first stroke, then the room applies our first resize.
  b.ed.sync.push({ type: 'move', strokes: [ids(a)[0]], dx: 500, dy: 0 });
  b.ed.sync.push(t1.op);
  settle(a, b);
  const got = f.fold(boardItems(a), [t2]);
  assert.deepEqual(got.map(pts), new Folder().fold(boardItems(a), [t2]).map(pts));
  b.ed.sync.push(t2.op);
  settle(a, b);
  assert.deepEqual(a.ed.board.strokes.map(pts), got.map(pts), 'the room holds what was shown');
});

test('reshape: a color someone sets while our resize is pending shows with the resize', () => {
  const { a, b } = threeScribbles();
  const t1: Reshape = { uid: 3, op: { type: 'transform', strokes: ids(a), sx: SCALE_ONE * 3, sy: SCALE_ONE, dx: 0, dy: 0 } };
  const t2: Reshape = { uid: 4, op: { type: 'move', strokes: ids(a), dx: 10, dy: 10 } };
  const f = new Folder();
  f.fold(boardItems(a), [t1, t2]);
  b.ed.sync.push(t1.op);
  b.ed.sync.push({ type: 'restyle', strokes: ids(a), parts: PART_RGB, color: 0xff000000, width: 0, filled: false });
  settle(a, b);
  const got = f.fold(boardItems(a), [t2]);
  assert.deepEqual(
    got.map((s) => s.color),
    a.ed.board.strokes.map((s) => s.color),
  );
  assert.deepEqual(got.map(pts), new Folder().fold(boardItems(a), [t2]).map(pts));
});

test('reshape: a wrapped text resized shows the wrap width the room gives it, before the echo', () => {
  const { a, b } = adaAndGrace();
  const n = a.ed.texts.add(10, 20, { color: 0x112233ff, size: 40 }, 'a few words that wrap');
  settle(a, b);
  a.ed.texts.wrap({ author: SELF, stroke: n }, 300);
  settle(a, b);
  const t1: Reshape = { uid: 9, op: { type: 'transform', strokes: ids(a), sx: SCALE_ONE * 2, sy: Math.round(SCALE_ONE * 1.5), dx: 0, dy: 0 } };
  const shown = new Folder().fold(boardItems(a), [t1]);
  b.ed.sync.push(t1.op);
  settle(a, b);
  const s = a.ed.board.strokes[0];
  assert.equal(s.wrap, 450);
  assert.deepEqual([shown[0].wrap, shown[0].width, pts(shown[0])], [s.wrap, s.width, pts(s)], 'what was shown is what the room has');
});

/** resizeAll resizes everything c shows by its bottom-right handle to 60 % and sends the op (not yet served). */
function resizeAll(c: TestClient): void {
  c.ed.selectAll();
  const box = c.ed.selectionBounds();
  c.ed.arrange.resizeStart({ x: box.minX, y: box.minY }, { x: box.maxX, y: box.maxY });
  c.ed.arrange.resizeTo({ x: box.minX + (box.maxX - box.minX) * 0.6, y: box.minY + (box.maxY - box.minY) * 0.6 }, false);
  c.ed.arrange.resizeEnd();
}

test('reshape: the room\'s echo of our resize leaves on our board the very strokes we showed, which are what the room holds', () => {
  const { room, a, b } = threeScribbles();
  resizeAll(a);
  const shown = a.ed.shown().map((it) => it.stroke);
  settle(a, b);
  assert.equal(a.ed.sync.outbox.entries().length, 0, 'acknowledged');
  a.ed.board.strokes.forEach((s, i) => assert.equal(s, shown[i], 'the board took the stroke shown, not a copy of it'));
  assert.equal(a.boardHex(), roomHex(room), 'our board is the room\'s');
  assert.equal(b.boardHex(), roomHex(room), 'as is Grace\'s, who worked it out');
});

test('reshape: a stroke someone erases while our resize is on its way is hidden after the echo, and the rest resized', () => {
  const { room, a, b } = threeScribbles();
  resizeAll(a);
  // Grace erases the first stroke; the room has it before our resize.
  const first = b.ed.board.strokes[0];
  b.ed.select([{ author: first.author, stroke: first.stroke }]);
  assert.ok(b.ed.deleteSelection());
  b.step();
  settle(a, b);
  assert.equal(a.boardHex(), roomHex(room), 'our board is the room\'s');
  assert.equal(a.ed.board.strokes[0].hidden, true, 'the erased stroke stays erased');
  assert.equal(a.ed.shown().length, 2, 'two strokes shown');
});
