// The resume logic (PROTOCOL.md "A session, walked through", step 4) against
// a miniature room: nothing drawn is lost, nothing is applied twice.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import { ProtocolError } from '../src/protocol/bytes';
import { encodeServerFrame } from '../src/protocol/server';
import { CLOSE_ABNORMAL, CLOSE_EXPIRED, CLOSE_GAP, CLOSE_MALFORMED, CLOSE_VERSION } from '../src/protocol/codes';
import { VERSION } from '../src/protocol/types';
import { resolveSelf, SyncCore, VersionError } from '../src/net/sync';
import { FakeRoom } from './fake_room';
import { PEN, TestClient, roomHex, scribble, settle } from './harness';

test('a new client says hello with nothing known, gets a snapshot and goes live', () => {
  const room = new FakeRoom(77n);
  const other = new TestClient(room, 'Grace');
  other.connect();
  settle(other);
  scribble(other, 0, 0, 10);
  settle(other);

  const c = new TestClient(room);
  c.connect();
  assert.deepEqual(c.sent[0], { type: 'hello', version: VERSION, epoch: 0n, lastSeq: 0, author: 0, name: 'Ada', color: 0x112233ff });
  assert.equal(c.ed.sync.live, false);
  settle(c, other);
  assert.equal(c.ed.sync.live, true);
  assert.equal(c.ed.sync.author, 2);
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(c.ed.committed().length, 1, 'the late joiner shows the whole board at once');
  assert.deepEqual([...c.people.keys()].sort(), [1, 2]);
});

test('a snapshot older than the head, followed by the ops after it in the same frame, makes the same board', () => {
  const room = new FakeRoom(78n);
  const other = new TestClient(room, 'Grace');
  other.connect();
  settle(other);
  scribble(other, 0, 0, 10);
  settle(other);
  scribble(other, 50, 50, 10);
  settle(other);
  room.snapshotLag = 3;

  const c = new TestClient(room);
  c.connect();
  settle(c, other);
  assert.equal(c.ed.sync.live, true);
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(c.ed.committed().length, 2);
});

test('a stroke goes out as Begin, one Trace op per flush, End; its echo empties the outbox', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  c.ed.beginStroke({ x: 400, y: 300, p: 0 }, PEN);
  c.ed.extendStroke([{ x: 404, y: 302, p: 0 }, { x: 409, y: 303, p: 0 }]);
  c.ed.flush();
  c.ed.extendStroke([{ x: 409, y: 303, p: 0 }, { x: 410, y: 303, p: 0 }]); // a repeated point is skipped
  c.ed.flush();
  c.ed.flush(); // nothing new: nothing sent
  c.ed.endStroke();
  assert.deepEqual(
    c.sentOps().map((m) => m.type),
    ['begin', 'trace', 'trace', 'end'],
  );
  // (404, 302) has no step to follow yet: its residual is its delta, (4, 2);
  // (409, 303) is predicted at (408, 304); (410, 303) at (414, 304).
  const [, t1, t2] = c.sentOps();
  assert.ok(t1.type === 'trace' && t2.type === 'trace');
  assert.deepEqual(t1.residuals, [{ x: 4, y: 2 }, { x: 1, y: -1 }]);
  assert.deepEqual(t2.residuals, [{ x: -4, y: -1 }]);
  assert.equal(c.ed.sync.outbox.length, 4);
  assert.equal(c.ed.overlay().length, 1);
  settle(c);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(c.ed.localStrokes, 0, 'the confirmed stroke is shown from the board');
  assert.equal(c.ed.committed().length, 1);
  assert.equal(c.ed.overlay().length, 0);
  assert.equal(c.boardHex(), roomHex(room));
  assert.deepEqual(room.board.strokes[0].points.map((p) => [p.x, p.y]), [[400, 300], [404, 302], [409, 303], [410, 303]]);
});

test('strokes drawn before the first connection are kept and sent after Welcome, merged', () => {
  const room = new FakeRoom(5n);
  const c = new TestClient(room);
  scribble(c, 0, 0, 40);
  scribble(c, 100, 100, 3);
  c.ed.undo(); // erase of our own stroke, named before we know our author id
  assert.equal(c.ed.sync.outbox.length, 7, 'begin, traces merged, end, begin, trace, end, erase');
  assert.equal(c.sent.length, 0);
  c.connect();
  settle(c);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(room.board.strokes.length, 2);
  assert.equal(room.board.strokes[0].points.length, 40);
  assert.equal(room.board.stroke(c.ed.sync.author, 2)?.hidden, true, 'SELF resolved to the author id');
  assert.equal(c.boardHex(), roomHex(room));
});

test('ops the room applied but whose echo was lost are not sent again', () => {
  const room = new FakeRoom(9n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 12);
  const conn = c.conn!;
  conn.serve(); // the server applies everything...
  conn.take(); // ...and the echoes are lost with the connection
  c.disconnect();
  assert.equal(c.ed.sync.outbox.length, 5);
  const before = room.board.seq;
  c.connect();
  const hello = c.sent[c.sent.length - 1];
  assert.equal(hello.type, 'hello');
  assert.ok(hello.type === 'hello' && hello.author === 1 && hello.lastSeq === 0 && hello.epoch === 9n);
  settle(c);
  assert.equal(room.board.seq, before, 'nothing applied twice');
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(c.boardHex(), roomHex(room));
});

test('ops lost on the way are sent again from Welcome.applied', () => {
  const room = new FakeRoom(9n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 12);
  const conn = c.conn!;
  const frames = conn.toServer;
  conn.toServer = frames.slice(0, 2); // the server gets Begin and one Points...
  conn.serve();
  c.disconnect(); // ...the rest is lost
  scribble(c, 50, 50, 5); // drawn offline
  c.connect();
  settle(c);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(room.board.strokes.length, 2);
  assert.equal(room.board.strokes[1].points.length, 5);
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(room.board.strokes[0].points.length, 12);
});

test('a duplicate delivered by an older connection is skipped by index', () => {
  const room = new FakeRoom(3n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 4);
  // The client loses its connection, but the server has not noticed yet: the
  // old connection's frames reach it after the new connection's Welcome was
  // made, so the copies the client resends are duplicates by index.
  const old = c.conn!;
  c.conn = null;
  c.ed.sync.closed(CLOSE_ABNORMAL);
  c.connect();
  c.step(); // Hello -> Welcome(applied 0); the client resends everything
  assert.equal(c.conn!.toServer.length, 3);
  old.serve(); // the old connection's copies arrive first
  settle(c);
  assert.equal(room.board.author(1).applied, 3);
  assert.equal(c.boardHex(), roomHex(room));
});

test('a new epoch drops the board and the outbox and takes the snapshot', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 5);
  settle(c);
  c.disconnect();
  scribble(c, 10, 10, 5); // drawn offline, into a history about to vanish
  room.restart(2n);
  const other = new TestClient(room, 'Grace');
  other.connect();
  settle(other);
  scribble(other, 0, 0, 3);
  settle(other);
  c.connect();
  settle(c, other);
  assert.equal(c.resets, 1);
  assert.equal(c.ed.board.epoch, 2n);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(c.ed.localStrokes, 0);
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(room.board.strokes.length, 1);
  // Drawing goes on in the new history.
  scribble(c, 0, 0, 3);
  settle(c, other);
  assert.equal(room.board.strokes.length, 2);
  assert.equal(c.boardHex(), roomHex(room));
  assert.equal(other.boardHex(), roomHex(room));
});

test('close 4400 drops the op the server refused, at the head of the outbox', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 3);
  settle(c);
  // Corrupt the next op on the wire: the server refuses it with 4400.
  c.ed.beginStroke({ x: 1, y: 1, p: 0 }, PEN);
  c.conn!.toServer = [new Uint8Array([0x10, 0x00])];
  c.ed.endStroke();
  c.step();
  assert.deepEqual(c.closes, [CLOSE_MALFORMED]);
  assert.equal(c.ed.sync.outbox.length, 2);
  c.connect();
  settle(c);
  assert.equal(c.ed.sync.outbox.length, 0);
  assert.equal(room.board.author(1).applied, 4, 'three ops of stroke 1 and the End; the Begin dropped');
  assert.equal(c.boardHex(), roomHex(room));
});

test('others see a stroke grow while it is drawn', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  b.connect();
  settle(a, b);
  a.ed.beginStroke({ x: 0, y: 0, p: 0 }, PEN);
  a.ed.extendStroke([{ x: 10, y: 0, p: 0 }]);
  a.ed.flush();
  settle(a, b);
  let o = b.ed.overlay();
  assert.equal(o.length, 1);
  assert.equal(o[0].stroke.points.length, 2);
  assert.equal(o[0].complete, false);
  a.ed.extendStroke([{ x: 20, y: 0, p: 0 }]);
  a.ed.flush();
  settle(a, b);
  o = b.ed.overlay();
  assert.equal(o[0].stroke.points.length, 3);
  assert.equal(b.ed.committed().length, 0);
  a.ed.endStroke();
  settle(a, b);
  assert.equal(b.ed.overlay().length, 0);
  assert.equal(b.ed.committed().length, 1);
  assert.equal(a.boardHex(), b.boardHex());
});

test('undo and redo of a stroke send Erase and Restore of it', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 3);
  settle(c);
  assert.equal(c.ed.undo(), true);
  assert.equal(c.ed.committed().length, 0, 'hidden at once');
  assert.deepEqual(c.sentOps().at(-1), { type: 'erase', strokes: [{ author: 1, stroke: 1 }] });
  settle(c);
  assert.equal(room.board.strokes[0].hidden, true);
  assert.equal(c.ed.redo(), true);
  assert.equal(c.ed.committed().length, 1, 'shown at once');
  assert.deepEqual(c.sentOps().at(-1), { type: 'restore', strokes: [{ author: 1, stroke: 1 }] });
  settle(c);
  assert.equal(room.board.strokes[0].hidden, false);
  assert.equal(c.ed.redo(), false);
});

test('the eraser erases whole strokes it touches; undo restores them', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  b.connect();
  settle(a, b);
  // a horizontal line at y=0 from x=0 to x=400 (width 16), and one far away
  a.ed.beginStroke({ x: 0, y: 0, p: 0 }, PEN);
  a.ed.extendStroke([{ x: 400, y: 0, p: 0 }]);
  a.ed.endStroke();
  a.ed.beginStroke({ x: 0, y: 1000, p: 0 }, PEN);
  a.ed.endStroke();
  settle(a, b);
  // b drags the eraser (radius 20) across, missing the line by a little, then touching it
  b.ed.eraseStart({ x: 200, y: 40 }, 20);
  b.ed.eraseMove([{ x: 210, y: 29 }]);
  assert.equal(b.ed.committed().length, 2, 'distance 29 > 8 + 20: not hit');
  b.ed.eraseMove([{ x: 220, y: 28 }]);
  assert.equal(b.ed.committed().length, 1, 'distance 28 <= 8 + 20: hit, hidden at once');
  b.ed.flush();
  b.ed.eraseEnd();
  assert.deepEqual(b.sentOps().at(-1), { type: 'erase', strokes: [{ author: 1, stroke: 1 }] });
  settle(a, b);
  assert.equal(a.ed.committed().length, 1);
  b.ed.undo();
  assert.deepEqual(b.sentOps().at(-1), { type: 'restore', strokes: [{ author: 1, stroke: 1 }] });
  settle(a, b);
  assert.equal(a.ed.committed().length, 2);
  assert.equal(a.boardHex(), b.boardHex());
  assert.equal(a.boardHex(), roomHex(room));
});

test('the eraser path between samples hits what a fast drag crosses', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  c.ed.beginStroke({ x: 100, y: -500, p: 0 }, PEN);
  c.ed.extendStroke([{ x: 100, y: 500, p: 0 }]);
  c.ed.endStroke();
  c.ed.eraseStart({ x: 0, y: 0 }, 4);
  c.ed.eraseMove([{ x: 1000, y: 0 }]);
  c.ed.eraseEnd();
  assert.deepEqual(c.sentOps().at(-1), { type: 'erase', strokes: [{ author: 1, stroke: 1 }] });
});

test('clear hides everything at once, as one undo step that shows it all again', () => {
  const room = new FakeRoom(1n);
  const c = new TestClient(room);
  c.connect();
  settle(c);
  scribble(c, 0, 0, 3);
  settle(c);
  scribble(c, 0, 0, 3); // still pending when the clear is made
  c.ed.sweeps.clear();
  assert.equal(c.ed.committed().length + c.ed.overlay().length, 0);
  // Undone before the room had it: shown again at once.
  assert.equal(c.ed.undo(), true);
  assert.equal(c.ed.committed().length + c.ed.overlay().length, 2);
  settle(c);
  assert.equal(c.ed.committed().length, 2);
  c.ed.sweeps.clear();
  settle(c);
  assert.equal(c.ed.committed().length, 0);
  scribble(c, 5, 5, 2); // after the clear: shown
  assert.equal(c.ed.overlay().length, 1);
  settle(c);
  assert.equal(room.board.strokes.length, 3, 'the cleared strokes stay on the board, swept');
  assert.equal(c.ed.committed().length, 1);
  assert.equal(c.boardHex(), roomHex(room));
  // The clear is still ours to undo, with the stroke drawn after it.
  assert.equal(c.ed.undo(), true); // the scribble
  assert.equal(c.ed.undo(), true); // the clear
  settle(c);
  assert.equal(c.ed.committed().length, 2);
  assert.equal(c.boardHex(), roomHex(room));
});

test('a gap in the sequence is refused', () => {
  const core = new SyncCore(() => {}, {}, { name: 'x', color: 0 });
  core.open();
  core.receive(encodeServerFrame([{ type: 'welcome', version: VERSION, epoch: 4n, author: 1, applied: 0, head: 0 }]));
  assert.throws(
    () => core.receive(encodeServerFrame([{ type: 'ops', firstSeq: 2, ops: [{ author: 2, op: { type: 'clear', n: 1 } }] }])),
    ProtocolError,
  );
  // A replay overlapping what we have is fine.
  core.receive(encodeServerFrame([{ type: 'ops', firstSeq: 1, ops: [{ author: 2, op: { type: 'clear', n: 1 } }] }]));
  core.receive(encodeServerFrame([{ type: 'ops', firstSeq: 1, ops: [{ author: 2, op: { type: 'clear', n: 1 } }, { author: 2, op: { type: 'end' } }] }]));
  assert.equal(core.board.seq, 2);
});

test('a Welcome of another version is refused; close 4426 asks for a reload', () => {
  const core = new SyncCore(() => {}, {}, { name: 'x', color: 0 });
  core.open();
  assert.throws(
    () => core.receive(encodeServerFrame([{ type: 'welcome', version: VERSION + 1, epoch: 4n, author: 1, applied: 0, head: 0 }])),
    VersionError,
  );
  assert.equal(core.closed(CLOSE_VERSION), 'reload');
  assert.equal(core.closed(CLOSE_ABNORMAL), 'reconnect');
  assert.equal(core.closed(CLOSE_GAP), 'reconnect');
  assert.equal(core.closed(CLOSE_EXPIRED), 'stop', 'the embed token expired: the same URL is refused now');
});

test('resolveSelf names own strokes with the author id and leaves the op alone', () => {
  const op = { type: 'erase' as const, strokes: [{ author: 0, stroke: 3 }, { author: 9, stroke: 1 }] };
  const r = resolveSelf(op, 5);
  assert.deepEqual(r, { type: 'erase', strokes: [{ author: 5, stroke: 3 }, { author: 9, stroke: 1 }] });
  assert.equal(op.strokes[0].author, 0);
  const end = { type: 'end' as const };
  assert.equal(resolveSelf(end, 5), end);
});

test('presence arrives for everyone on the board, names update live', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  settle(a);
  b.connect();
  settle(a, b);
  assert.equal(a.people.get(2)?.name, 'Grace');
  b.ed.sync.setIdentity({ name: 'Grace H.', color: 7 });
  settle(a, b);
  assert.equal(a.people.get(2)?.name, 'Grace H.');
  assert.equal(new Board(0n).seq, 0);
});

test('a color or name changed after Hello but before Welcome reaches the others once live', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  settle(a);
  b.connect(); // Hello sent, Welcome not yet read
  b.ed.sync.setIdentity({ name: 'Grace', color: 0xe03131ff });
  assert.equal(b.sent.filter((m) => m.type === 'name').length, 0, 'not live: nothing sent yet');
  settle(a, b);
  assert.equal(a.people.get(2)?.color, 0xe03131ff);
  assert.equal(b.sent.filter((m) => m.type === 'name').length, 1, 'sent once');
});

test('a color the server handed out is adopted without a Name, and the next Hello prefers it', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  a.connect();
  settle(a);
  const teal = 0x0c859900; // asks, preferring teal
  a.ed.sync.adoptIdentity({ name: 'Ada', color: teal });
  assert.equal(a.sent.filter((m) => m.type === 'name').length, 0, 'the server holds it already');
  a.disconnect();
  a.connect();
  const hello = a.sent.filter((m) => m.type === 'hello').at(-1);
  assert.equal(hello?.type === 'hello' && hello.color, teal);
  settle(a);
  assert.equal(a.sent.filter((m) => m.type === 'name').length, 0);
  // A name typed later goes out as ever.
  a.ed.sync.setIdentity({ name: 'Ada L.', color: teal });
  assert.equal(a.sent.filter((m) => m.type === 'name').length, 1);
});
