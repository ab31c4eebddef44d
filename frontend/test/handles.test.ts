// The selection's rotate and edge handles through the Editor and the select
// gesture, against a fake room: a turn and a one-way resize are seen by the
// others as by the one who made them, before the echo too; each is one undo
// step that leaves what others did meanwhile in place.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelectGesture, handleAt, handleReach } from '../src/edit/select_gesture';
import { half } from '../src/edit/rotate_gesture';
import { TestClient, adaAndGrace, roomHex, settle } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };
const PICK = 4;

/** A rect (0,0)-(100,80) of Ada's, selected: its box with the width is (−8,−8)-(108,88). */
function selectedRect(a: TestClient, b: TestClient): void {
  a.ed.shapeStart({ x: 0, y: 0 }, RECT);
  a.ed.shapeMove({ x: 100, y: 80 });
  a.ed.shapeEnd();
  settle(a, b);
  a.ed.selectAll();
}

const pts = (s: { points: readonly { x: number; y: number }[] }): number[][] => s.points.map((p) => [p.x, p.y]);

test('handles: the rotate handle sits above the middle of the top; edge handles resize one way; corners both', () => {
  const box = { minX: 0, minY: 0, maxX: 400, maxY: 200 };
  assert.deepEqual(handleAt(box, { x: 200, y: -16 }, 8, 16), { kind: 'rotate' });
  assert.deepEqual(handleAt(box, { x: 401, y: 99 }, 8, 16), { kind: 'resize', handle: { x: 400, y: 100 }, anchor: { x: 0, y: 100 }, corner: false });
  assert.deepEqual(handleAt(box, { x: 200, y: 203 }, 8, 16), { kind: 'resize', handle: { x: 200, y: 200 }, anchor: { x: 200, y: 0 }, corner: false });
  assert.deepEqual(handleAt(box, { x: 2, y: 2 }, 8, 16), { kind: 'resize', handle: { x: 0, y: 0 }, anchor: { x: 400, y: 200 }, corner: true });
  assert.equal(handleAt(box, { x: 100, y: 100 }, 8, 16), null);
  assert.equal(half(27000), -9000);
  assert.equal(half(-18000), 18000);
});

test('rotate: dragging the handle turns the selection for everyone, shown before the echo; undo after a move by someone else keeps their move', () => {
  const { room, a, b } = adaAndGrace();
  selectedRect(a, b);
  const g = new SelectGesture(a.ed);
  // The handle: 4 pick radii above the top of the box, over its middle.
  g.start({ x: 50, y: -8 - 4 * PICK }, PICK, false);
  // From straight above the center (50, 40) to straight right of it: a quarter turn clockwise.
  g.move({ x: 250, y: 40 });
  a.ed.flush();
  const shown = a.ed.shown().find((it) => it.stroke.tool === 5);
  assert.equal(shown?.stroke.rot, 9000, 'turned at once, before the room echoed it');
  assert.equal(room.board.strokes[0].rot ?? 0, 0);
  g.end();
  settle(a, b);
  assert.equal(room.board.strokes[0].rot, 9000);
  assert.deepEqual(pts(room.board.strokes[0]), [[0, 0], [100, 80]], 'turned about its own center: the corners stay');
  assert.equal(b.boardHex(), roomHex(room));
  assert.equal(a.ed.shown().find((it) => it.stroke.tool === 5)?.stroke, room.board.strokes[0] === undefined ? undefined : a.ed.board.strokes[0], 'after the echo the board itself is shown');
  // Grace moves it; Ada undoes her turn: the move stays.
  b.ed.selectAll();
  b.ed.arrange.nudge(1000, -40);
  settle(a, b);
  a.ed.undo();
  settle(a, b);
  assert.equal(room.board.strokes[0].rot ?? 0, 0);
  assert.deepEqual(pts(room.board.strokes[0]), [[1000, -40], [1100, 40]]);
  a.ed.redo();
  settle(a, b);
  assert.equal(room.board.strokes[0].rot, 9000);
  assert.equal(b.boardHex(), roomHex(room));
});

test('rotate: Shift snaps the turn to 15°', () => {
  const { room, a, b } = adaAndGrace();
  selectedRect(a, b);
  const g = new SelectGesture(a.ed);
  g.start({ x: 50, y: -8 - 4 * PICK }, PICK, false);
  // 20° clockwise from straight up.
  const r = (-70 * Math.PI) / 180;
  g.move({ x: 50 + 200 * Math.cos(r), y: 40 + 200 * Math.sin(r) }, true);
  g.end();
  settle(a, b);
  assert.equal(room.board.strokes[0].rot, 1500);
});

test('edge handle: the right one makes the selection wider only, shown before the echo without a jump after it', () => {
  const { room, a, b } = adaAndGrace();
  selectedRect(a, b);
  const g = new SelectGesture(a.ed);
  g.start({ x: 108, y: 40 }, PICK, false);
  g.move({ x: 224, y: 90 }, true); // Shift does nothing on an edge; the pointer's y does nothing either
  a.ed.flush();
  const before = a.ed.shown().find((it) => it.stroke.tool === 5)?.stroke;
  assert.ok(before);
  g.end();
  settle(a, b);
  const s = room.board.strokes[0];
  assert.deepEqual(pts(s).map((p) => p[1]), [0, 80], 'the height stays');
  assert.ok(s.points[1].x - s.points[0].x > 180, `wider: ${pts(s)}`);
  assert.ok(Math.abs(s.points[0].x - 7.5) <= 1, `the left edge (the anchor) stays: ${pts(s)}`);
  assert.deepEqual(pts(before), pts(s), 'what was shown before the echo is what the room has');
  assert.equal(b.boardHex(), roomHex(room));
  a.ed.undo();
  settle(a, b);
  assert.deepEqual(pts(room.board.strokes[0]), [[0, 0], [100, 80]]);
});

test('clipboard: a turned stroke copies with its rotation and pastes turned about its own center', () => {
  const { room, a, b } = adaAndGrace();
  selectedRect(a, b);
  const g = new SelectGesture(a.ed);
  g.start({ x: 50, y: -8 - 4 * PICK }, PICK, false);
  g.move({ x: 250, y: 40 });
  g.end();
  settle(a, b);
  const text = a.ed.arrange.copyText();
  assert.ok(text?.includes('"rot":9000'), text ?? 'no text');
  assert.equal(a.ed.arrange.paste(text ?? '', { x: 1000, y: 1000 }), 1);
  settle(a, b);
  const pasted = room.board.strokes[1];
  assert.equal(pasted.rot, 9000);
  assert.deepEqual(pts(pasted), [[950, 960], [1050, 1040]]);
  assert.equal(b.boardHex(), roomHex(room));
});

test('clipboard picture: SVG as a standard type where the browser takes one, else as a web custom format', async () => {
  const { pictureForms } = await import('../src/page/clipboard_forms');
  assert.deepEqual(pictureForms((t) => t === 'image/svg+xml'), { svg: 'image/svg+xml' });
  assert.deepEqual(pictureForms((t) => t === 'web image/svg+xml'), { svg: 'web image/svg+xml' });
  assert.deepEqual(pictureForms(() => false), { svg: null });
  assert.deepEqual(pictureForms(undefined), { svg: 'web image/svg+xml' });
});

test('handles: a finger reaches a handle 22 px off on a big box; a small box keeps a middle to drag it by', () => {
  const big = { minX: 0, minY: 0, maxX: 400, maxY: 200 };
  // A mouse's reach (8) misses a press 20 off the corner; a finger's (22) takes it.
  assert.equal(handleAt(big, { x: 20, y: 20 }, 8, 16), null);
  assert.equal(handleReach(big, 22, 8), 22);
  assert.deepEqual(handleAt(big, { x: 20, y: 20 }, handleReach(big, 22, 8), 16, 8), { kind: 'resize', handle: { x: 0, y: 0 }, anchor: { x: 400, y: 200 }, corner: true });
  // The rotate handle keeps its own reach: a press just above the top edge's middle resizes.
  assert.deepEqual(handleAt(big, { x: 200, y: -4 }, 22, 16, 8), { kind: 'resize', handle: { x: 200, y: 0 }, anchor: { x: 200, y: 200 }, corner: false });
  assert.deepEqual(handleAt(big, { x: 200, y: -16 }, 22, 16, 8), { kind: 'rotate' });
  // A 40 × 40 box: the reach is a quarter of its side (10), so its middle is no handle.
  const small = { minX: 0, minY: 0, maxX: 40, maxY: 40 };
  assert.equal(handleReach(small, 22, 8), 10);
  assert.equal(handleAt(small, { x: 20, y: 20 }, handleReach(small, 22, 8), 16, 8), null);
  // Never less than a mouse's.
  assert.equal(handleReach({ minX: 0, minY: 0, maxX: 8, maxY: 8 }, 22, 8), 8);
});
