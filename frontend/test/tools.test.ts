// The tools through the Editor, against a fake room: shapes, text, select and
// move, delete, the partial eraser and highlighter, and undo/redo of every
// kind of op while others draw in between.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SELF, undo as undoHistory, redo as redoHistory, record, EMPTY_HISTORY } from '../src/edit/history';
import { offsetAfter, pendingView } from '../src/edit/pending';
import { PEN, adaAndGrace, roomHex, scribble, settle } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };

test('a shape drag sends one Shape per frame with the same number; the last one wins', () => {
  const { room, a, b } = adaAndGrace();
  a.ed.shapeStart({ x: 10, y: 10 }, RECT);
  a.ed.flush();
  assert.equal(a.sentOps().length, 0, 'nothing before it has a size');
  a.ed.shapeMove({ x: 50, y: 40 });
  a.ed.flush();
  a.ed.shapeMove({ x: 60, y: 45 });
  a.ed.shapeMove({ x: 80, y: 90 });
  a.ed.flush();
  a.ed.flush();
  a.ed.shapeEnd();
  const ops = a.sentOps();
  assert.deepEqual(ops, [
    { type: 'shape', stroke: 1, tool: 5, filled: false, color: 0x000000ff, width: 8, x0: 10, y0: 10, x1: 50, y1: 40 },
    { type: 'shape', stroke: 1, tool: 5, filled: false, color: 0x000000ff, width: 8, x0: 10, y0: 10, x1: 80, y1: 90 },
  ]);
  assert.equal(a.ed.overlay().length, 1, 'shown at once from the local copy');
  settle(a, b);
  assert.equal(a.ed.overlay().length, 0);
  assert.equal(a.ed.committed().length, 1);
  assert.deepEqual(room.board.strokes[0].points, [{ x: 10, y: 10, p: 0 }, { x: 80, y: 90, p: 0 }]);
  assert.equal(b.boardHex(), roomHex(room));
  a.ed.undo();
  settle(a, b);
  assert.equal(room.board.strokes[0].hidden, true);
  a.ed.redo();
  settle(a, b);
  assert.equal(room.board.strokes[0].hidden, false);
});

test('a click with a shape tool draws nothing; Shift makes a square', () => {
  const { a } = adaAndGrace();
  a.ed.shapeStart({ x: 10, y: 10 }, RECT);
  a.ed.shapeEnd();
  assert.equal(a.sentOps().length, 0);
  assert.equal(a.ed.overlay().length, 0);
  assert.equal(a.ed.history.done.length, 0);
  a.ed.shapeStart({ x: 0, y: 0 }, { ...RECT, tool: 6 });
  a.ed.shapeMove({ x: 100, y: 40 }, true);
  a.ed.shapeEnd();
  const op = a.sentOps()[0];
  assert.ok(op.type === 'shape' && op.x1 === 100 && op.y1 === 100);
});

test('highlighter and partial eraser are Begins with their tool', () => {
  const { room, a } = adaAndGrace();
  a.ed.beginStroke({ x: 0, y: 0, p: 0 }, { tool: 1, color: 0xf2c20066, width: 64, pressure: false });
  a.ed.extendStroke([{ x: 50, y: 0, p: 0 }]);
  a.ed.endStroke();
  a.ed.beginStroke({ x: 25, y: -40, p: 0 }, { tool: 2, color: 0xff, width: 32, pressure: false });
  a.ed.extendStroke([{ x: 25, y: 40, p: 0 }]);
  a.ed.endStroke();
  settle(a);
  assert.deepEqual(room.board.strokes.map((s) => s.tool), [1, 2]);
  assert.equal(room.board.strokes[0].color, 0xf2c20066);
  // Partial-eraser strokes are not found by the stroke eraser nor by a marquee.
  assert.deepEqual(a.ed.hitTest({ from: { x: 25, y: 0 }, to: { x: 25, y: 0 }, radius: 5 }), [{ author: SELF, stroke: 1 }]);
  assert.deepEqual(a.ed.strokesIn({ minX: -100, minY: -100, maxX: 100, maxY: 100 }), [{ author: SELF, stroke: 1 }]);
  a.ed.selectAll();
  assert.deepEqual(a.ed.selection, [{ author: SELF, stroke: 1 }]);
});

test('text: placed, edited by its author in place, undone at its current place after someone moved it', () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.texts.add(100, 200, { color: 0x112233ff, size: 96 }, 'Hello');
  assert.deepEqual(a.sentOps().at(-1), { type: 'text', stroke: n, color: 0x112233ff, size: 96, x: 100, y: 200, text: 'Hello' });
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello');
  assert.equal(a.ed.texts.at({ x: 150, y: 250 }, 4, true)?.stroke ?? 0, n);
  assert.equal(b.ed.texts.at({ x: 150, y: 250 }, 4, true)?.stroke ?? 0, 0, 'only its author edits it');
  assert.equal(a.ed.texts.edit(n, { color: 0x112233ff, size: 96 }, 'Hello, world'), true);
  assert.equal(a.ed.texts.own(n)!.stroke.text, 'Hello, world', 'shown at once');
  settle(a, b);
  assert.equal(room.board.strokes.length, 1, 'edited in place');
  assert.equal(room.board.strokes[0].text, 'Hello, world');
  // Grace moves it; Ada undoes her edit: the old text comes back where it is now.
  b.ed.select([{ author: a.ed.sync.author, stroke: n }]);
  b.ed.moveBy(30, 40);
  b.ed.flush();
  b.ed.moveEnd();
  settle(a, b);
  assert.equal(a.ed.undo(), true);
  assert.deepEqual(a.sentOps().at(-1), { type: 'text', stroke: n, color: 0x112233ff, size: 96, x: 130, y: 240, text: 'Hello' });
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 130, y: 240, p: 0 });
  assert.equal(room.board.strokes[0].text, 'Hello');
  a.ed.redo();
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello, world');
  // Emptying a text erases it (one undo step).
  a.ed.texts.edit(n, { color: 0x112233ff, size: 96 }, '');
  settle(a, b);
  assert.equal(room.board.strokes[0].hidden, true);
  a.ed.undo();
  settle(a, b);
  assert.equal(room.board.strokes[0].hidden, false);
  assert.equal(a.boardHex(), roomHex(room));
});

test('text being edited is hidden while the field is open', () => {
  const { a } = adaAndGrace();
  const n = a.ed.texts.add(0, 0, { color: 0xff, size: 40 }, 'x');
  settle(a);
  a.ed.texts.setEditing({ author: SELF, stroke: n });
  assert.equal(a.ed.committed().length, 0);
  assert.equal(a.ed.texts.at({ x: 5, y: 5 }, 2, true)?.stroke ?? 0, 0);
  a.ed.texts.setEditing(null);
  assert.equal(a.ed.committed().length, 1);
});

test("select and move anyone's strokes: live Move ops per frame, shown moved at once, one undo step", () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 5); // Ada's stroke 1, from (0,0) to (32, ...)
  settle(a, b);
  const id = b.ed.strokeAt({ x: 16, y: 4 }, 6);
  assert.deepEqual(id, { author: a.ed.sync.author, stroke: 1 });
  b.ed.select([id!]);
  b.ed.moveBy(10.4, 0);
  b.ed.flush();
  b.ed.moveBy(10.4, 5);
  b.ed.flush();
  // Shown moved before the room answers: out of the cached layer, in the overlay with its offset.
  assert.equal(b.ed.committed().length, 0);
  const o = b.ed.overlay();
  assert.equal(o.length, 1);
  assert.deepEqual([o[0].dx, o[0].dy], [21, 5]);
  b.ed.moveEnd();
  assert.deepEqual(
    b.sentOps().filter((x) => x.type === 'move'),
    [
      { type: 'move', strokes: [{ author: 1, stroke: 1 }], dx: 10, dy: 0 },
      { type: 'move', strokes: [{ author: 1, stroke: 1 }], dx: 11, dy: 5 },
    ],
  );
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 21, y: 5, p: 0 });
  assert.equal(b.ed.committed().length, 1);
  assert.equal(b.ed.overlay().length, 0);
  // Ada moves it too; Grace undoes her move: only hers is taken back.
  a.ed.select([{ author: SELF, stroke: 1 }]);
  a.ed.moveBy(100, 100);
  a.ed.moveEnd();
  settle(a, b);
  b.ed.undo();
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 100, y: 100, p: 0 });
  b.ed.redo();
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 121, y: 105, p: 0 });
  assert.equal(a.boardHex(), b.boardHex());
});

test('marquee selection and delete; undo restores; selection drops erased strokes', () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 4);
  a.ed.shapeStart({ x: 500, y: 500 }, RECT);
  a.ed.shapeMove({ x: 600, y: 600 });
  a.ed.shapeEnd();
  scribble(b, 2000, 2000, 4);
  settle(a, b);
  const inBox = a.ed.strokesIn({ minX: -50, minY: -50, maxX: 700, maxY: 700 });
  assert.deepEqual(inBox, [{ author: SELF, stroke: 1 }, { author: SELF, stroke: 2 }]);
  a.ed.select(inBox);
  assert.equal(a.ed.deleteSelection(), true);
  assert.deepEqual(a.ed.selection, []);
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.hidden), [true, true, false]);
  a.ed.undo();
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.hidden), [false, false, false]);
  // Someone erases a selected stroke: it leaves the selection.
  a.ed.select([{ author: SELF, stroke: 1 }, { author: b.ed.sync.author, stroke: 1 }]);
  b.ed.eraseStart({ x: 2000, y: 2000 }, 5);
  b.ed.eraseEnd();
  settle(a, b);
  assert.deepEqual(a.ed.selection, [{ author: SELF, stroke: 1 }]);
});

test('undo/redo take back only our own ops while others draw in between', () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 3); // a1
  settle(a, b);
  scribble(b, 0, 100, 3); // b1
  a.ed.shapeStart({ x: 0, y: 200 }, RECT); // a2
  a.ed.shapeMove({ x: 50, y: 250 });
  a.ed.shapeEnd();
  settle(a, b);
  b.ed.beginStroke({ x: 0, y: 300, p: 0 }, PEN); // b2, still open while a undoes
  b.ed.flush();
  settle(a, b);
  assert.equal(a.ed.undo(), true); // erases a2
  assert.equal(a.ed.undo(), true); // erases a1
  settle(a, b);
  b.ed.extendStroke([{ x: 40, y: 300, p: 0 }]);
  b.ed.endStroke();
  settle(a, b);
  const hidden = () => room.board.strokes.map((s) => `${s.author}:${s.stroke}:${s.hidden ? 'h' : 'v'}`).sort();
  const A = a.ed.sync.author;
  const B = b.ed.sync.author;
  assert.deepEqual(hidden(), [`${A}:1:h`, `${A}:2:h`, `${B}:1:v`, `${B}:2:v`]);
  assert.equal(b.ed.undo(), true);
  settle(a, b);
  assert.deepEqual(hidden(), [`${A}:1:h`, `${A}:2:h`, `${B}:1:v`, `${B}:2:h`]);
  assert.equal(a.ed.redo(), true);
  settle(a, b);
  assert.deepEqual(hidden(), [`${A}:1:v`, `${A}:2:h`, `${B}:1:v`, `${B}:2:h`]);
  assert.equal(a.boardHex(), b.boardHex());
  assert.equal(a.boardHex(), roomHex(room));
});

test('history: a move is undone by the opposite delta, a text edit at the located place', () => {
  let h = record(EMPTY_HISTORY, { kind: 'move', strokes: [{ author: 4, stroke: 2 }], dx: 5, dy: -7 });
  h = record(h, { kind: 'text', stroke: 3, before: { color: 1, size: 10, text: 'a' }, after: { color: 2, size: 20, text: 'b' } });
  const frozen = JSON.stringify(h);
  const locate = (n: number) => (n === 3 ? { x: 9, y: 8 } : null);
  let r = undoHistory(h, locate);
  assert.deepEqual(r.ops, [{ type: 'text', stroke: 3, color: 1, size: 10, x: 9, y: 8, text: 'a' }]);
  r = undoHistory(r.history, locate);
  assert.deepEqual(r.ops, [{ type: 'move', strokes: [{ author: 4, stroke: 2 }], dx: -5, dy: 7 }]);
  const s = redoHistory(r.history, locate);
  assert.deepEqual(s.ops, [{ type: 'move', strokes: [{ author: 4, stroke: 2 }], dx: 5, dy: -7 }]);
  assert.deepEqual(redoHistory(s.history, locate).ops, [{ type: 'text', stroke: 3, color: 2, size: 20, x: 9, y: 8, text: 'b' }]);
  // A text that is gone: the step passes, nothing is sent.
  assert.deepEqual(undoHistory(h, () => null).ops, []);
  assert.equal(JSON.stringify(h), frozen);
});

test('pending moves fold per stroke; offsets count only moves after a given op', () => {
  const v = pendingView([
    { uid: 3, op: { type: 'move', strokes: [{ author: 0, stroke: 1 }, { author: 5, stroke: 2 }], dx: 1, dy: 2 } },
    { uid: 4, op: { type: 'text', stroke: 1, color: 0, size: 1, x: 0, y: 0, text: '' } },
    { uid: 6, op: { type: 'move', strokes: [{ author: 0, stroke: 1 }], dx: 10, dy: 20 } },
  ]);
  assert.deepEqual(offsetAfter(v, '0:1'), { dx: 11, dy: 22 });
  assert.deepEqual(offsetAfter(v, '0:1', 4), { dx: 10, dy: 20 });
  assert.deepEqual(offsetAfter(v, '5:2'), { dx: 1, dy: 2 });
  assert.deepEqual(offsetAfter(v, '9:9'), { dx: 0, dy: 0 });
  const c = pendingView([
    { uid: 3, op: { type: 'move', strokes: [{ author: 0, stroke: 1 }], dx: 1, dy: 2 } },
    { uid: 4, op: { type: 'clear', n: 2 } },
  ]);
  assert.equal(c.clearUid, 4);
  assert.equal(c.moved.size, 1, 'a clear hides the strokes, their moves stay for its undo');
});

test('styles: pen, shapes and text share their color, the highlighter keeps its own; stored styles are cleaned', async () => {
  const { DEFAULT_STYLES, cleanStyles, drawColor, styleKey, withColor } = await import('../src/ui/style');
  const c = withColor(DEFAULT_STYLES.colors, 'shape', 0xe03131ff);
  assert.equal(c.pen, 0xe03131ff);
  assert.equal(c.text, 0xe03131ff);
  assert.equal(c.highlighter, DEFAULT_STYLES.colors.highlighter);
  const h = withColor(DEFAULT_STYLES.colors, 'highlighter', 0x1971c280);
  assert.equal(h.highlighter, 0x1971c2ff, 'colors are kept opaque; opacity is separate');
  assert.equal(h.pen, DEFAULT_STYLES.colors.pen);
  assert.equal(drawColor(DEFAULT_STYLES, 'highlighter'), 0xf2c20066);
  assert.equal(styleKey('rect'), 'shape');
  assert.equal(styleKey('select'), null);
  assert.equal(styleKey('eraser'), null);
  const cleaned = cleanStyles({ colors: { pen: 0x11223344, shape: 'red' }, alphas: { pen: 0, text: 128 }, widths: { pen: 99999 }, filled: true });
  assert.equal(cleaned.colors.pen, 0x112233ff);
  assert.equal(cleaned.colors.shape, DEFAULT_STYLES.colors.shape);
  assert.equal(cleaned.alphas.pen, 255);
  assert.equal(cleaned.alphas.text, 128);
  assert.equal(cleaned.widths.pen, DEFAULT_STYLES.widths.pen);
  assert.equal(cleaned.filled, true);
  assert.deepEqual(cleanStyles(null), DEFAULT_STYLES);
});
