// Sweeps in the page's editor: a clear undone by someone else, a
// moderator's removal shown at once and undone, one person's work alone.

import assert from 'node:assert/strict';
import test from 'node:test';
import { isVisible } from '../src/protocol/board';
import { FakeRoom } from './fake_room';
import { TestClient, roomHex, scribble, settle } from './harness';

function shownCount(c: TestClient): number {
  return c.ed.committed().length + c.ed.overlay().length;
}

test("someone else's clear is undone by anyone with undoSweep, and everyone holds the same board", () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ana');
  const b = new TestClient(room, 'Bo');
  a.connect();
  b.connect();
  settle(a, b);
  scribble(a, 0, 0, 3);
  scribble(b, 50, 50, 3);
  settle(a, b);
  const n = a.ed.sweeps.clear();
  settle(a, b);
  assert.equal(shownCount(b), 0);
  assert.equal(b.ed.sweeps.undoSweep(a.ed.sync.author, n), true);
  assert.equal(shownCount(b), 2, 'shown again at once, before the room has the undo');
  settle(a, b);
  assert.equal(shownCount(a), 2);
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(b.boardHex(), roomHex(room));
  // Bo's own undo history survived Ana's clear: his stroke is still his to undo.
  assert.equal(b.ed.undo(), true);
  settle(a, b);
  assert.equal(a.ed.board.strokes.filter(isVisible).length, 1);
});

test('a removal hides the author’s work at once, and its undo shows exactly that again', () => {
  const room = new FakeRoom(1n);
  const mod = new TestClient(room, 'Mo');
  const t = new TestClient(room, 'Troll');
  mod.connect();
  t.connect();
  settle(mod, t);
  scribble(mod, 0, 0, 3);
  scribble(t, 10, 10, 3);
  scribble(t, 20, 20, 3);
  settle(mod, t);
  mod.ed.sweeps.removeAuthor(t.ed.sync.author);
  assert.equal(shownCount(mod), 1, 'hidden before the room has it');
  settle(mod, t);
  assert.equal(shownCount(t), 1);
  assert.equal(mod.ed.undo(), true);
  assert.equal(shownCount(mod), 3);
  settle(mod, t);
  assert.equal(shownCount(t), 3);
  assert.equal(t.boardHex(), roomHex(room));
});

test('solo shows one person’s work alone, drawing goes on', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ana');
  const b = new TestClient(room, 'Bo');
  a.connect();
  b.connect();
  settle(a, b);
  scribble(a, 0, 0, 3);
  scribble(b, 50, 50, 3);
  scribble(b, 90, 90, 3);
  settle(a, b);
  a.ed.setSolo(b.ed.sync.author);
  assert.equal(shownCount(a), 2);
  scribble(b, 10, 90, 3);
  settle(a, b);
  assert.equal(shownCount(a), 3);
  a.ed.setSolo(0);
  assert.equal(shownCount(a), 4);
});
