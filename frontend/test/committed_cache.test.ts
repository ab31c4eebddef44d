// The committed strokes kept up to date stroke by stroke (edit/committed_cache)
// are always the list a walk over the whole board gives, whatever mix of
// drawing, confirmations, erasing, undo and redo two people make.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendedTo, committedDelta } from '../src/edit/committed_cache';
import { committedStrokes, type ShownState } from '../src/edit/shown';
import type { Stroke } from '../src/protocol/board';
import { adaAndGrace, settle, PEN, type TestClient } from './harness';
import { int, seeded } from './rand';

const walked = (c: TestClient): Stroke[] => committedStrokes((c.ed as unknown as { shownState(): ShownState }).shownState());

test('the committed strokes kept stroke by stroke are those a walk over the board finds', () => {
  const rnd = seeded(23);
  const { a, b } = adaAndGrace();
  const drawing = new Map<TestClient, number>();
  const seen = new WeakSet<readonly Stroke[]>();
  let incremental = 0;
  const check = (c: TestClient, what: string): void => {
    const got = c.ed.committed();
    assert.deepEqual(got, walked(c), what);
    const d = committedDelta(got);
    if (d && !seen.has(got)) {
      seen.add(got);
      incremental++;
      // A list that only gained strokes says which.
      for (const i of d.added) assert.ok(!d.base.includes(got[i]), what);
      assert.equal(got.length, d.base.length + d.added.length, what);
    }
  };
  for (let step = 0; step < 400; step++) {
    const c = rnd() < 0.5 ? a : b;
    const r = int(rnd, 0, 9);
    const x = int(rnd, -2000, 2000);
    const y = int(rnd, -2000, 2000);
    let what = `step ${step}: `;
    if (r <= 3) {
      // Draw, ending the stroke some of the time only when asked again.
      const n = drawing.get(c) ?? 0;
      if (n === 0) {
        c.ed.beginStroke({ x, y, p: 0 }, PEN);
        drawing.set(c, 1);
        what += 'begin';
      } else if (n < 4) {
        c.ed.extendStroke([{ x: x % 50, y: y % 50, p: 0 }]);
        c.ed.flush();
        drawing.set(c, n + 1);
        what += 'extend';
      } else {
        c.ed.endStroke();
        drawing.set(c, 0);
        what += 'end';
      }
    } else if (r <= 5) {
      c.step();
      what += 'step';
    } else if (r === 6 && !drawing.get(c)) {
      const shown = c.ed.shown().filter((it) => !it.growing);
      if (shown.length) {
        c.ed.select([shown[int(rnd, 0, shown.length - 1)].id]);
        c.ed.deleteSelection();
        what += 'erase';
      }
    } else if (r === 7 && !drawing.get(c)) {
      c.ed.undo();
      what += 'undo';
    } else if (r === 8 && !drawing.get(c)) {
      c.ed.redo();
      what += 'redo';
    } else {
      settle(a, b);
      what += 'settle';
    }
    check(a, what + ' (Ada)');
    check(b, what + ' (Grace)');
  }
  assert.ok(incremental > 20, `only ${incremental} lists were made stroke by stroke`);
});

test('appendedTo names the strokes added on top, and nothing else', () => {
  const { a, b } = adaAndGrace();
  const empty = a.ed.committed();
  a.ed.beginStroke({ x: 0, y: 0, p: 0 }, PEN);
  a.ed.extendStroke([{ x: 10, y: 0, p: 0 }]);
  a.ed.endStroke();
  settle(a, b);
  const one = a.ed.committed();
  assert.equal(one.length, 1);
  assert.deepEqual(appendedTo(one, empty), one);
  assert.deepEqual(appendedTo(one, one), []);
  assert.equal(appendedTo(empty, one), null);
});
