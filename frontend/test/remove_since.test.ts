// A moderator's Remove by time: a time turns into the last sequence
// number known reached before it, from the page's own clock and the
// board's versions, so what was drawn after it always goes.

import assert from 'node:assert/strict';
import test from 'node:test';
import { SeqClock, removeChoices, sinceTime } from '../src/page/remove_since';
import { FakeRoom } from './fake_room';
import { TestClient, scribble, settle } from './harness';

test('the clock answers with the last seq seen before a time, coalescing marks a second apart', () => {
  const c = new SeqClock();
  assert.equal(c.before(1000), 0);
  c.note(10, 1000);
  c.note(12, 1500); // within a second: the mark moves to (12, 1500)
  c.note(20, 5000);
  assert.equal(c.before(1000), 0);
  assert.equal(c.before(1501), 12);
  assert.equal(c.before(4999), 12);
  assert.equal(c.before(6000), 20);
  c.note(15, 7000); // never backwards
  assert.equal(c.before(8000), 20);
});

test('before the page saw anything, the latest version before the time bounds it', () => {
  const c = new SeqClock();
  c.note(100, Date.parse('2026-12-03T12:00:00Z'));
  const versions = [
    { seq: 80, time: '2026-12-03T11:50:00Z' },
    { seq: 40, time: '2026-12-03T11:00:00Z' },
  ];
  assert.equal(sinceTime(Date.parse('2026-12-03T11:55:00Z'), c, versions), 80);
  assert.equal(sinceTime(Date.parse('2026-12-03T11:10:00Z'), c, versions), 40);
  assert.equal(sinceTime(Date.parse('2026-12-03T10:00:00Z'), c, versions), 0);
  assert.equal(sinceTime(Date.parse('2026-12-03T12:30:00Z'), c, versions), 100);
});

test('each choice counts the strokes of that person it removes', () => {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ana');
  const t = new TestClient(room, 'Troll');
  a.connect();
  t.connect();
  settle(a, t);
  const clock = new SeqClock();
  scribble(t, 0, 0, 3);
  scribble(a, 50, 50, 3);
  settle(a, t);
  const t0 = 1_000_000;
  clock.note(a.ed.sync.board.seq, t0);
  scribble(t, 100, 100, 3);
  scribble(t, 200, 100, 3);
  settle(a, t);
  const now = t0 + 11 * 60_000;
  clock.note(a.ed.sync.board.seq, now - 1000);
  const got = removeChoices(a.ed.sync.board, t.ed.sync.author, now, clock, []);
  assert.deepEqual(
    got.map((c) => [c.key, c.count]),
    [
      ['all', 3],
      ['10m', 2],
      ['1h', 3],
    ],
  );
  assert.equal(got[0].since, 0);
});
