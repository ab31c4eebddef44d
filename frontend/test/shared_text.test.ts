// Shared text: anyone types into anyone's text, live; one person at a time
// (Editing/Editors); a wrap width; undo per person (edit/text).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SELF } from '../src/edit/history';
import { adaAndGrace, roomHex, settle } from './harness';

test("shared text: Grace types into Ada's text live; undoing her edit puts back Ada's words, whatever came after", () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.texts.add(100, 200, { color: 0x112233ff, size: 40 }, 'Hello');
  settle(a, b);
  const ada = a.ed.sync.author;
  const id = b.ed.texts.at({ x: 110, y: 210 }, 4);
  assert.deepEqual(id, { author: ada, stroke: n }, "Grace finds Ada's text");
  b.ed.texts.setEditing(id);
  b.ed.sync.setEditing(id!);
  settle(a, b);
  assert.equal(a.ed.sync.editorOf({ author: SELF, stroke: n }), b.ed.sync.author, 'Ada sees that Grace is editing it');
  b.ed.texts.type(id!, 'Hello, w');
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello, w', 'sent as typed');
  assert.equal(a.ed.texts.own(n)!.stroke.text, 'Hello, w', 'Ada sees the typing before Grace is done');
  b.ed.texts.type(id!, 'Hello, world');
  b.ed.texts.setEditing(null);
  b.ed.sync.setEditing({ author: 0, stroke: 0 });
  b.ed.texts.typed(id!, 'Hello', 'Hello, world');
  b.ed.flush();
  settle(a, b);
  assert.equal(a.ed.sync.editorOf({ author: SELF, stroke: n }), 0, 'and that she stopped');
  assert.equal(room.board.strokes[0].text, 'Hello, world');
  b.ed.undo();
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello', "Grace's undo puts back the text as it was before her edit");
  b.ed.redo();
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello, world');
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(b.boardHex(), roomHex(room));
});

test('shared text: a wrap width set by anyone breaks the lines for everyone, and undoes', () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.texts.add(0, 0, { color: 0x112233ff, size: 20 }, 'hello world again');
  settle(a, b);
  const id = { author: a.ed.sync.author, stroke: n };
  b.ed.texts.wrap(id, 120);
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes[0].wrap, 120);
  const box = a.ed.extentOf(a.ed.texts.own(n)!.stroke);
  assert.ok(box.maxY - box.minY > 2 * 25, 'two lines high on Ada’s page');
  b.ed.undo();
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes[0].wrap ?? 0, 0);
  assert.equal(a.boardHex(), roomHex(room));
});

test('shared text: a copied text keeps its wrap width when pasted, and the paste undoes in one step', () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.texts.add(0, 0, { color: 0x112233ff, size: 20 }, 'hello world again');
  settle(a, b);
  a.ed.texts.wrap({ author: SELF, stroke: n }, 120);
  a.ed.flush();
  settle(a, b);
  a.ed.selectAll();
  const text = a.ed.arrange.copyText();
  assert.ok(text?.includes('"wrap":120'), text ?? 'no text');
  assert.equal(b.ed.arrange.paste(text ?? '', { x: 1000, y: 1000 }), 1);
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes.length, 2);
  assert.equal(room.board.strokes[1].wrap, 120);
  assert.equal(room.board.strokes[1].text, 'hello world again');
  assert.equal(a.boardHex(), roomHex(room));
  b.ed.undo();
  b.ed.flush();
  settle(a, b);
  assert.equal(room.board.strokes.filter((s) => s.hidden !== true && s.text === 'hello world again').length, 1);
});

test('shared text: two people who open one text at the same moment: the lower author id keeps it, the other stops at once keeping what it typed', () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.texts.add(100, 200, { color: 0x112233ff, size: 40 }, 'Hello');
  settle(a, b);
  const id = { author: a.ed.sync.author, stroke: n };
  const ada = a.ed.sync.author;
  const grace = b.ed.sync.author;
  assert.ok(ada < grace);
  // Both open it before hearing of the other (the claims cross), and both type.
  let adaClosed = 0;
  let graceClosed = 0;
  a.ed.texts.setEditing({ author: SELF, stroke: n });
  a.ed.claimText({ author: SELF, stroke: n }, () => {
    adaClosed++;
    a.ed.texts.setEditing(null);
    a.ed.claimText(null);
  });
  b.ed.texts.setEditing(id);
  b.ed.claimText(id, () => {
    graceClosed++;
    b.ed.texts.type(id, 'Hello, Grace');
    b.ed.texts.setEditing(null);
    b.ed.claimText(null);
    b.ed.texts.typed(id, 'Hello', 'Hello, Grace');
  });
  b.ed.texts.type(id, 'Hello, G');
  settle(a, b);
  assert.equal(graceClosed, 1, 'Grace (the higher id) stops at once');
  assert.equal(adaClosed, 0, 'Ada keeps typing');
  assert.equal(b.ed.sync.editorOf(id), ada, 'Grace is shown that Ada is editing');
  assert.equal(a.ed.sync.editorOf({ author: SELF, stroke: n }), 0, "Ada sees Grace's claim gone");
  assert.deepEqual(a.ed.sync.claimed, id);
  assert.equal(room.board.strokes[0].text, 'Hello, Grace', 'what Grace typed is on the board');
  a.ed.texts.type({ author: SELF, stroke: n }, 'Hello, Grace and Ada');
  a.ed.texts.setEditing(null);
  a.ed.claimText(null);
  settle(a, b);
  assert.equal(room.board.strokes[0].text, 'Hello, Grace and Ada');
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(b.boardHex(), roomHex(room));
  assert.equal(graceClosed, 1);
  assert.equal(adaClosed, 0);
});

test('shared text: a claim made after hearing of a lower one gives way at once; one made after a higher one keeps the text', () => {
  const { a, b } = adaAndGrace();
  const n = a.ed.texts.add(0, 0, { color: 0x112233ff, size: 40 }, 'x');
  settle(a, b);
  const id = { author: a.ed.sync.author, stroke: n };
  let graceClosed = 0;
  b.ed.claimText(id, () => graceClosed++);
  settle(a, b);
  // Ada (lower id) claims it after hearing Grace's: Grace gives way, Ada keeps it.
  let adaClosed = 0;
  a.ed.claimText({ author: SELF, stroke: n }, () => adaClosed++);
  settle(a, b);
  assert.equal(adaClosed, 0);
  assert.equal(graceClosed, 1);
  assert.deepEqual(b.ed.sync.claimed, { author: 0, stroke: 0 }, "Grace's claim is given up even when the field did not");
});
