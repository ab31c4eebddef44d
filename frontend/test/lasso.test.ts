// The lasso: point in loop, which strokes a loop takes (three quarters of
// their outline points inside), and the lasso gesture through the Editor
// against a fake room: the loop selects on release, Shift adds, and what it
// selected moves for everyone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lassoTakes, outlinePoints, pointInLoop } from '../src/edit/lasso';
import { SelectGesture } from '../src/edit/select_gesture';
import { FakeRoom } from './fake_room';
import { TestClient, roomHex, scribble, settle } from './harness';

/** A square loop from (0, 0) to (100, 100), as a hand draws it: not closed. */
const SQUARE = [
  { x: 0, y: 0 },
  { x: 100, y: 0 },
  { x: 100, y: 100 },
  { x: 0, y: 100 },
];
/** An L-shaped loop: the square without a notch at its top right (x over 40, y under 60). */
const ELL = [
  { x: 0, y: 0 },
  { x: 40, y: 0 },
  { x: 40, y: 60 },
  { x: 100, y: 60 },
  { x: 100, y: 100 },
  { x: 0, y: 100 },
];

const pen = (pts: Array<[number, number]>) => ({ tool: 0, width: 4, filled: false, text: '', points: pts.map(([x, y]) => ({ x, y, p: 0 })) });
const shape = (tool: number, a: [number, number], b: [number, number]) => ({ tool, width: 4, filled: false, text: '', points: [a, b].map(([x, y]) => ({ x, y, p: 0 })) });

test('point in loop: inside, outside, in the notch of a concave loop, and a loop too short to enclose', () => {
  assert.equal(pointInLoop({ x: 50, y: 50 }, SQUARE), true);
  assert.equal(pointInLoop({ x: 150, y: 50 }, SQUARE), false);
  assert.equal(pointInLoop({ x: 25, y: 75 }, ELL), true);
  assert.equal(pointInLoop({ x: 75, y: 25 }, ELL), false); // the notch
  assert.equal(pointInLoop({ x: 75, y: 75 }, ELL), true);
  assert.equal(pointInLoop({ x: 5, y: 5 }, [{ x: 0, y: 0 }, { x: 10, y: 10 }]), false);
});

test('a stroke is taken when three quarters of its points are inside the loop', () => {
  const line = (from: number, to: number) => pen(Array.from({ length: 8 }, (_, i) => [from + ((to - from) * i) / 7, 50] as [number, number]));
  assert.equal(lassoTakes(line(10, 90), SQUARE), true); // all inside
  assert.equal(lassoTakes(line(10, 110), SQUARE), true); // its tail clipped: 7 of 8 inside
  assert.equal(lassoTakes(line(50, 150), SQUARE), false); // half inside
  assert.equal(lassoTakes(line(200, 300), SQUARE), false);
  // Moved (a pending drag) into the loop.
  assert.equal(lassoTakes(line(200, 280), SQUARE, -190, 0), true);
  // Partial-eraser strokes are never taken.
  assert.equal(lassoTakes({ ...line(10, 90), tool: 2 }, SQUARE), false);
});

test('shapes count their outline, not their two corners', () => {
  // A rectangle with both corners inside the L but a third of its outline in the notch.
  const r = shape(5, [10, 10], [90, 90]);
  assert.ok(outlinePoints(r).length > 4);
  assert.equal(lassoTakes(r, SQUARE), true);
  assert.equal(lassoTakes(r, ELL), false);
  // A line along the L's inner edge is inside; the ellipse in the square is, not in the L.
  assert.equal(lassoTakes(shape(3, [10, 90], [90, 90]), ELL), true);
  assert.equal(lassoTakes(shape(6, [10, 10], [90, 90]), SQUARE), true);
  assert.equal(lassoTakes(shape(6, [10, 10], [90, 90]), ELL), false);
  // A text by its box: a short one inside, the same far right outside.
  const text = (x: number) => ({ tool: 7, width: 16, filled: false, text: 'hi', points: [{ x, y: 40, p: 0 }] });
  assert.equal(lassoTakes(text(10), SQUARE), true);
  assert.equal(lassoTakes(text(95), SQUARE), false);
});

function loopAround(g: SelectGesture, x0: number, y0: number, x1: number, y1: number): void {
  const pts = [
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
    { x: x0, y: y0 + 1 },
  ];
  for (const p of pts) g.move(p, false, [p]);
}

test('the lasso selects on release what the loop encloses; Shift adds; the selection moves for everyone', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  b.connect();
  settle(a, b);
  scribble(a, 0, 0, 8); // x 0..56, y 0..8
  scribble(a, 0, 100, 8);
  scribble(b, 0, 200, 8);
  a.ed.flush();
  b.ed.flush();
  settle(a, b);

  const g = new SelectGesture(a.ed);
  g.start({ x: -60, y: -60 }, 4, false, false, true);
  loopAround(g, -60, -60, 80, 130);
  assert.equal(g.lasso?.length, 5);
  assert.equal(a.ed.selection.length, 0, 'nothing is selected while the loop is drawn');
  g.end();
  assert.equal(g.lasso, null);
  assert.equal(a.ed.selection.length, 2);

  // Shift: a second loop around the third stroke (Bob's) adds it.
  g.start({ x: -60, y: 180 }, 4, true, false, true);
  loopAround(g, -60, 180, 80, 230);
  g.end();
  assert.equal(a.ed.selection.length, 3);

  // A loop that is cancelled (a pinch took the pointer) selects nothing.
  g.start({ x: -60, y: -60 }, 4, false, false, true);
  loopAround(g, -60, -60, 80, 130);
  g.cancel();
  assert.equal(a.ed.selection.length, 0);

  // Lasso the first two again and drag them: only they move, for both.
  g.start({ x: -60, y: -60 }, 4, false, false, true);
  loopAround(g, -60, -60, 80, 130);
  g.end();
  g.start({ x: 10, y: 4 }, 4, false, false, true);
  g.move({ x: 310, y: 4 });
  a.ed.flush();
  g.end();
  a.ed.moveEnd();
  settle(a, b);
  assert.deepEqual(
    room.board.strokes.map((s) => s.points[0].x),
    [300, 300, 0],
  );
  assert.equal(b.boardHex(), roomHex(room));
});
