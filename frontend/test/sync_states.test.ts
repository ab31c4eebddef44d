// The sync core in the states a page lives through besides drawing live:
// paused, read-only, a big board on its way, work kept from an earlier
// visit or a closed page. Live drawing and reconnects are in sync.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { encodeServerFrame } from '../src/protocol/server';
import { CLOSE_READ_ONLY, NOTICE_LOADING } from '../src/protocol/codes';
import { VERSION } from '../src/protocol/types';
import { SyncCore } from '../src/net/sync';
import { FakeRoom } from './fake_room';
import { TestClient, roomHex, scribble, settle } from './harness';

test('paused: Notice 1 pauses, drawing goes on into the outbox, Notice 2 resumes and it is acknowledged', () => {
  const room = new FakeRoom(1n);
  const changes: boolean[] = [];
  const a = new TestClient(room, 'Ada', { pausedChanged: (p) => changes.push(p) });
  const b = new TestClient(room, 'Grace');
  a.connect();
  b.connect();
  settle(a, b);
  assert.equal(a.ed.sync.paused, false);
  assert.deepEqual(changes, [], 'a Welcome into an unpaused room changes nothing');

  room.pause();
  settle(a, b);
  assert.equal(a.ed.sync.paused, true);
  assert.equal(b.ed.sync.paused, true);
  assert.deepEqual(changes, [true]);
  assert.equal(a.ed.sync.live, true, 'paused is not offline');

  scribble(a, 100, 100, 12);
  settle(a, b);
  assert.ok(a.ed.sync.outbox.length > 0, 'the stroke waits, unacknowledged');
  assert.equal(a.ed.overlay().length, 1, 'and is shown');
  assert.equal(room.board.seq, 0);
  assert.equal(b.ed.board.seq, 0);

  room.resume();
  settle(a, b);
  assert.equal(a.ed.sync.paused, false);
  assert.deepEqual(changes, [true, false]);
  assert.equal(a.ed.sync.outbox.length, 0);
  assert.equal(a.ed.committed().length, 1);
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(b.boardHex(), roomHex(room));
});

test('paused: a Welcome into a room still paused stays paused; one into a resumed room clears it', () => {
  const room = new FakeRoom(1n);
  const changes: boolean[] = [];
  const a = new TestClient(room, 'Ada', { pausedChanged: (p) => changes.push(p) });
  a.connect();
  settle(a);
  room.pause();
  settle(a);
  scribble(a, 0, 0, 6);
  settle(a);
  const drawn = a.ed.sync.outbox.length;
  assert.ok(drawn >= 3);

  // The connection drops while paused: paused stays (nothing says otherwise)
  // and the reconnect's Welcome comes with Notice 1 in the same frame.
  a.disconnect();
  assert.equal(a.ed.sync.paused, true);
  a.connect();
  settle(a);
  assert.equal(a.ed.sync.paused, true);
  assert.deepEqual(changes, [true], 'Welcome + Notice 1 in one frame: no flicker');
  assert.ok(a.ed.sync.outbox.length > 0);

  // The room resumes while this client is away: it never hears Notice 2,
  // and the next Welcome (with no Notice 1) clears the pause.
  a.disconnect();
  room.resume();
  a.connect();
  settle(a);
  assert.equal(a.ed.sync.paused, false);
  assert.deepEqual(changes, [true, false]);
  assert.equal(a.ed.sync.outbox.length, 0, 'the resent stroke is acknowledged');
  assert.equal(a.boardHex(), roomHex(room));
  assert.equal(room.board.author(a.ed.sync.author).applied, drawn, 'each op applied once');
});

test('paused: other notices are passed on and leave the state alone', () => {
  const notices: number[] = [];
  const changes: boolean[] = [];
  const core = new SyncCore(() => {}, { notice: (m) => notices.push(m.code), pausedChanged: (p) => changes.push(p) }, { name: 'x', color: 0 });
  core.open();
  core.receive(encodeServerFrame([{ type: 'welcome', version: VERSION, epoch: 3n, author: 1, applied: 0, head: 0 }]));
  core.receive(encodeServerFrame([{ type: 'notice', code: 1, message: 'paused' }]));
  core.receive(encodeServerFrame([{ type: 'notice', code: 7, message: 'a hint' }]));
  assert.equal(core.paused, true);
  core.receive(encodeServerFrame([{ type: 'notice', code: 2, message: 'resumed' }, { type: 'notice', code: 1, message: 'paused again' }]));
  assert.equal(core.paused, true, 'the last word in a frame wins');
  core.receive(encodeServerFrame([{ type: 'notice', code: 2, message: 'resumed' }]));
  assert.equal(core.paused, false);
  assert.deepEqual(notices, [1, 7, 2, 1, 2]);
  assert.deepEqual(changes, [true, false]);
});

test('read-only (a view link): nothing is queued or sent, not even the cursor; 4403 makes a page read-only', () => {
  const room = new FakeRoom(1n);
  const v = new TestClient(room, 'Viewer');
  v.ed.sync.setReadOnly(true);
  v.connect();
  settle(v);
  scribble(v, 0, 0, 3);
  v.ed.texts.add(0, 0, { color: 0xff, size: 10 }, 'no');
  v.ed.sweeps.clear();
  assert.equal(v.ed.undo(), false);
  assert.equal(v.ed.sync.sendCursor(1, 2), false);
  settle(v);
  assert.deepEqual(v.sentOps(), []);
  assert.equal(v.ed.sync.outbox.length, 0);
  assert.equal(room.board.seq, 0);
  // A page that did queue ops and is told 4403 drops them and stops.
  const w = new TestClient(room, 'Was an editor');
  scribble(w, 0, 0, 3);
  assert.ok(w.ed.sync.outbox.length > 0);
  w.ed.sync.closed(CLOSE_READ_ONLY);
  assert.equal(w.ed.readOnly, true);
  assert.equal(w.ed.sync.outbox.length, 0);
});

test('a big board on its way: Notice 3 before the Welcome makes the client wait for it, the Welcome ends the wait', () => {
  const core = new SyncCore(() => {}, {}, { name: 'x', color: 0 });
  core.open();
  assert.equal(core.loading, false);
  core.receive(encodeServerFrame([{ type: 'notice', code: NOTICE_LOADING, message: 'Loading the board (6.0 MB)…' }]));
  assert.equal(core.loading, true, 'told a big board is coming, the client waits');
  core.receive(encodeServerFrame([{ type: 'welcome', version: VERSION, epoch: 9n, author: 1, applied: 0, head: 0 }]));
  assert.equal(core.live, true);
  assert.equal(core.loading, false, 'the board came');
  // Once live, the notice is only a hint.
  core.receive(encodeServerFrame([{ type: 'notice', code: NOTICE_LOADING, message: 'late' }]));
  assert.equal(core.loading, false);
  // A connection that ends while loading stops waiting.
  core.closed(1006);
  core.open();
  core.receive(encodeServerFrame([{ type: 'notice', code: NOTICE_LOADING, message: 'again' }]));
  core.closed(1006);
  assert.equal(core.loading, false);
});

test('a board kept from an earlier visit is shown at once, and the room sends only what came after it; drawing on it offline reaches the room once', () => {
  const room = new FakeRoom(90n);
  const other = new TestClient(room, 'Grace');
  other.connect();
  settle(other);
  scribble(other, 0, 0, 10);
  settle(other);
  const kept = decodeBoard(encodeBoard(room.board)); // what a page saved
  const keptSeq = kept.seq;
  scribble(other, 50, 50, 10); // drawn while this browser was away
  settle(other);

  const c = new TestClient(room);
  assert.equal(c.ed.sync.restore(kept), true);
  assert.equal(c.ed.committed().length, 1, 'the kept board shows before any connection');
  scribble(c, 200, 200, 5); // drawn offline
  c.connect();
  assert.deepEqual(c.sent[0], { type: 'hello', version: VERSION, epoch: 90n, lastSeq: keptSeq, author: 0, name: 'Ada', color: 0x112233ff });
  settle(c, other);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(room.board.strokes.length, 3, "each stroke once: the other's two and ours");
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(c.ed.sync.restore(kept), false, 'a kept board never replaces what the room sent');
});

test("a page takes over a closed page's unsent work as its author: shown at once, and what the room already applied is not applied again", () => {
  const room = new FakeRoom(91n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 12); // acknowledged
  settle(c);
  scribble(c, 100, 100, 12);
  const conn = c.conn!;
  conn.serve(); // the room applies the second stroke...
  conn.take(); // ...and the page goes away before hearing so
  c.disconnect();
  scribble(c, 300, 300, 6); // drawn offline
  const kept = decodeBoard(encodeBoard(c.ed.sync.board));
  const work = { epoch: kept.epoch, author: c.ed.sync.author, base: c.ed.sync.outbox.base, ops: c.ed.sync.outbox.entries().map((e) => e.op) };
  const before = room.board.seq;

  const next = new TestClient(room); // the reloaded page
  assert.equal(next.ed.sync.restore(kept), true);
  assert.equal(next.ed.restoreWork(work.epoch, work.author, work.base, work.ops), true);
  assert.equal(next.ed.shown().length, 3, 'the board and both unconfirmed strokes are shown before any connection');
  next.connect();
  const hello = next.sent[0];
  assert.ok(hello.type === 'hello' && hello.author === work.author && hello.lastSeq === kept.seq);
  settle(next);
  assert.equal(next.ed.sync.author, work.author);
  assert.equal(room.board.strokes.length, 3, 'each stroke once');
  assert.equal(room.board.seq, before + 3, 'only the offline stroke was applied: begin, trace, end');
  assert.equal(next.ed.sync.outbox.length, 0);
  assert.equal(next.boardHex(), roomHex(room));
  scribble(next, 500, 500, 4); // a new stroke gets a number of its own
  settle(next);
  assert.equal(room.board.strokes.length, 4);
});

test('work drawn before a page ever connected is taken over and sent under a new author id', () => {
  const room = new FakeRoom(92n);
  const c = new TestClient(room);
  scribble(c, 0, 0, 8);
  const ops = c.ed.sync.outbox.entries().map((e) => e.op);
  const next = new TestClient(room);
  assert.equal(next.ed.restoreWork(0n, 0, 0, ops), true);
  assert.equal(next.ed.shown().length, 1);
  next.connect();
  settle(next);
  assert.equal(room.board.strokes.length, 1);
  assert.equal(next.ed.sync.outbox.length, 0);
  assert.equal(next.ed.restoreWork(0n, 0, 0, ops), false, 'never after a Hello');
});

test('a kept board read only after the Hello went out (the page found nothing marked kept) is not taken: the room sends the board', () => {
  const room = new FakeRoom(93n);
  const other = new TestClient(room, 'Grace');
  other.connect();
  settle(other);
  scribble(other, 0, 0, 10);
  settle(other);
  const kept = decodeBoard(encodeBoard(room.board));
  scribble(other, 50, 50, 10);
  settle(other);

  const c = new TestClient(room);
  c.connect();
  assert.ok(c.sent[0].type === 'hello' && c.sent[0].lastSeq === 0, 'the Hello says the page has nothing');
  assert.equal(c.ed.sync.restore(kept), false, 'the Hello asked for the whole board: a kept one now would be built on');
  settle(c, other);
  assert.equal(c.ed.committed().length, 2);
  assert.equal(c.boardHex(), roomHex(room));
});
