// A big selection's lift is painted ahead, in idle time (render/lift_prep),
// and a drag takes it only if it shows what is shown when the drag starts.
// Here: what counts as "the same" (anything the board, our pending work,
// the view or the theme changed is not), and that the names the picture is
// painted for are the names a drag of the selection lifts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SelectGesture } from '../src/edit/select_gesture';
import type { OverlayItem } from '../src/edit/shown';
import type { Stroke } from '../src/protocol/board';
import { sameBasis, type Basis } from '../src/render/lift_basis';
import { adaAndGrace, settle } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };
const PICK = 4;

const COMMITTED: Stroke[] = [];

function basis(over: Partial<Basis> = {}): Basis {
  return { keys: ['7:1', '7:2'], committed: COMMITTED, overlay: [], view: { scale: 1, x: 0, y: 0 }, dpr: 1, w: 800, h: 600, gen: 0, ...over };
}

test('lift ahead: a picture is taken for the same names, strokes, view and theme, and for nothing else', () => {
  const b = basis();
  assert.ok(sameBasis(b, b));
  // The Editor makes a new array of the same names, and a new overlay at every change it announces.
  const item: OverlayItem = { stroke: { author: 7, stroke: 3 } as OverlayItem['stroke'], complete: true, dx: 5, dy: 0 };
  const withItem = basis({ overlay: [item] });
  assert.ok(sameBasis(basis(), basis({ keys: ['7:1', '7:2'] })), 'the same names in a new array');
  assert.ok(sameBasis(withItem, { ...withItem, overlay: [{ ...item }] }), 'the same overlay made anew');

  const changed: Array<[string, Basis]> = [
    ['another selection', basis({ keys: ['7:1', '7:3'] })],
    ['a smaller selection', basis({ keys: ['7:1'] })],
    // A new committed list: something that decides it changed (an op applied, a pending op of ours).
    ['a new committed list', { ...b, committed: [] }],
    ['an overlay stroke moved', { ...withItem, overlay: [{ ...item, dx: 6 }] }],
    ['an overlay stroke still growing', { ...withItem, overlay: [{ ...item, complete: false }] }],
    ['a pan', basis({ view: { scale: 1, x: 1, y: 0 } })],
    ['a zoom', basis({ view: { scale: 2, x: 0, y: 0 } })],
    ['another pixel ratio', basis({ dpr: 2 })],
    ['a resized screen', basis({ w: 801 })],
    ['a repaint (theme, image, font)', basis({ gen: 1 })],
  ];
  for (const [what, c] of changed) {
    const from = what.startsWith('an overlay') ? withItem : b;
    assert.equal(sameBasis(from, c), false, what);
    assert.equal(sameBasis(c, from), false, what + ' (the other way)');
  }
});

test('lift ahead: the selection is named as a drag of it names what it lifts, and someone erasing one of it renames it', () => {
  const { a, b } = adaAndGrace();
  for (let i = 0; i < 5; i++) {
    a.ed.shapeStart({ x: i * 60, y: 0 }, RECT);
    a.ed.shapeMove({ x: i * 60 + 40, y: 25 });
    a.ed.shapeEnd();
  }
  settle(a, b);
  a.ed.selectAll();
  assert.equal(a.ed.selectedKeys(6), null, 'fewer than asked for');
  const keys = a.ed.selectedKeys(5);
  assert.equal(keys?.length, 5);
  assert.equal(a.ed.selectedKeys(5), keys, 'one array while the selection is the same');

  const box = a.ed.selectionBounds();
  const g = new SelectGesture(a.ed);
  g.start({ x: box.maxX, y: box.maxY }, PICK, false);
  assert.deepEqual(a.ed.transforming(), keys, 'a resize lifts what was named');
  g.end();
  settle(a, b);

  // Grace erases one of Ada's selection: Ada's selection is named anew, four names.
  b.ed.selectAll();
  const one = b.ed.selection[0];
  b.ed.select([one]);
  b.ed.deleteSelection();
  settle(a, b);
  const after = a.ed.selectedKeys(1);
  assert.equal(after?.length, 4);
  assert.notDeepEqual(after, keys);
});
