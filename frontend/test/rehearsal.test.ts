// A drag of the selection rehearsed in idle time (edit/rehearsal) so that
// the first real drag runs on compiled code: it must leave no trace. Here:
// nothing sent, nothing shown differently, no cache told of a change, and a
// real turn afterwards is what everyone sees, as without it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelectGesture } from '../src/edit/select_gesture';
import { REHEARSE_MAX, STEPS, rehearsing } from '../src/edit/rehearsal';
import type { ShownState } from '../src/edit/shown';
import { EMPTY_RECT } from '../src/geometry/bounds';
import { adaAndGrace, roomHex, scribble, settle, type TestClient } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };
const PICK = 4;

function run(g: Generator<void, number>): number {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** turn drags c's selection's rotate handle a quarter turn and lets go, sending the Rotate. */
function turn(c: TestClient): void {
  const box = c.ed.selectionBounds();
  const s = new SelectGesture(c.ed);
  // The rotate handle, above the middle of the top; dragged to the right of the middle.
  s.start({ x: (box.minX + box.maxX) / 2, y: box.minY - 4 * PICK }, PICK, false);
  s.move({ x: box.maxX + 200, y: (box.minY + box.maxY) / 2 });
  c.ed.flush();
  s.end();
}

function rects(c: TestClient, n: number): void {
  for (let i = 0; i < n; i++) {
    c.ed.shapeStart({ x: i * 60, y: 0 }, RECT);
    c.ed.shapeMove({ x: i * 60 + 40, y: 25 });
    c.ed.shapeEnd();
  }
}

test('rehearsal: a move, a resize and a turn of the selection rehearsed send nothing and change nothing shown, with our own turn still pending', () => {
  const { room, a, b } = adaAndGrace();
  rects(a, 4);
  scribble(b, 0, 100, 5);
  settle(a, b);
  a.ed.selectAll();
  // A turn of ours not yet acknowledged: the rehearsal's ops follow it.
  turn(a);
  const turnedShown = a.ed.shown().map((it) => it.stroke);
  const sent = a.sentOps().length;
  const shown = a.ed.shown();
  const committed = a.ed.committed();
  const box = { ...a.ed.selectionBounds() };
  const hex = a.boardHex();
  const selected = a.ed.selection;
  assert.equal(selected.length, 5);

  // Each step's overlay holds the whole selection, drawn over the layer: what the renderer's lift finds in a drag's frame.
  const keys = new Set(a.ed.selectedKeys(1));
  let steps = 0;
  const g = a.ed.rehearsing((overlay, committed) => {
    steps++;
    const found = overlay.filter((it) => it.complete && keys.has(it.stroke.author + ':' + it.stroke.stroke));
    assert.equal(found.length, keys.size, `step ${steps}: the selection over the layer`);
    assert.ok(committed.every((s) => !keys.has(s.author + ':' + s.stroke)), `step ${steps}: none of it in the layer`);
  });
  assert.ok(g);
  assert.equal(run(g), 3 * STEPS, 'every step of the three kinds');
  assert.equal(steps, 3 * STEPS);

  assert.equal(a.sentOps().length, sent, 'nothing sent');
  assert.equal(a.ed.shown(), shown, 'what is shown is the very same list: no change was announced');
  assert.equal(a.ed.committed(), committed);
  assert.deepEqual(a.ed.selectionBounds(), box);
  assert.equal(a.boardHex(), hex);
  assert.deepEqual(a.ed.selection, selected);

  settle(a, b);
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(b.boardHex(), roomHex(room));
  // The echo of the turn took what our Folder made when it was sent: the rehearsal's folds went elsewhere.
  assert.ok(turnedShown.every((s, i) => a.ed.board.strokes[i] === s), 'the board holds the very strokes shown before the echo');
});

test('rehearsal: a turn after a rehearsal, and after one dropped half way, is seen by everyone as without one', () => {
  const turned = (rehearse: 'none' | 'whole' | 'half'): string => {
    const { room, a, b } = adaAndGrace();
    rects(a, 3);
    settle(a, b);
    a.ed.selectAll();
    const g = rehearse === 'none' ? null : a.ed.rehearsing();
    if (rehearse === 'whole') run(g!);
    if (rehearse === 'half') {
      for (let i = 0; i < 5; i++) g!.next();
      g!.return(0);
    }
    turn(a);
    const before = a.ed.shown().map((it) => [it.stroke.rot ?? 0, ...it.stroke.points.flatMap((p) => [p.x, p.y])]);
    settle(a, b);
    assert.equal(b.boardHex(), roomHex(room));
    assert.deepEqual(
      a.ed.shown().map((it) => [it.stroke.rot ?? 0, ...it.stroke.points.flatMap((p) => [p.x, p.y])]),
      before,
      'the echo shows what was shown before it',
    );
    return roomHex(room);
  };
  const plain = turned('none');
  assert.equal(turned('whole'), plain);
  assert.equal(turned('half'), plain);
});

test('rehearsal: none for nothing selected, on a read-only board, or on a board too big to rehearse on', () => {
  const { a, b } = adaAndGrace();
  rects(a, 2);
  settle(a, b);
  assert.equal(a.ed.rehearsing(), null, 'nothing selected');
  a.ed.selectAll();
  a.ed.sync.setReadOnly(true);
  assert.equal(a.ed.rehearsing(), null, 'read-only');
  a.ed.sync.setReadOnly(false);
  const g = a.ed.rehearsing();
  assert.ok(g);
  assert.equal(run(g), 3 * STEPS);
  // A board past REHEARSE_MAX: no step is taken (each would walk it all).
  const st = { board: { strokes: { length: REHEARSE_MAX + 1 } } } as unknown as ShownState;
  const none = rehearsing({ st, entries: [], ids: a.ed.selection, frameOf: () => EMPTY_RECT, pivotOf: () => [0, 0], onStep: () => assert.fail('a step taken') });
  assert.equal(run(none), 0);
});
