// Outbox and backoff: the pure parts of reconnecting.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, Reconnect, SPREAD_CLOSE_CODES, SPREAD_MS, backoffCeiling, backoffDelay, spreads } from '../src/net/backoff';
import { Outbox } from '../src/net/outbox';
import { pausedAfter } from '../src/net/pause';
import { absoluteURL, isViewLink, roomName, roomSegment, socketURL } from '../src/net/room_url';
import { VERSION, type Op } from '../src/protocol/types';
import { seeded } from './rand';

const pts = (n: number, pressure = false): Op => ({
  type: 'points',
  pressure,
  points: Array.from({ length: n }, (_, i) => ({ x: i, y: 1, p: pressure ? 9 : 0 })),
});
const begin: Op = { type: 'begin', stroke: 1, tool: 0, pressure: false, color: 0, width: 8, points: [{ x: 1, y: 1, p: 0 }] };
const end: Op = { type: 'end' };

test('backoff: full jitter under an exponential ceiling, base 1 s, cap 30 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffCeiling(a)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(BACKOFF_BASE_MS, 1000);
  assert.equal(backoffCeiling(5000), BACKOFF_CAP_MS);
  assert.equal(backoffDelay(3, () => 0), 0);
  assert.equal(backoffDelay(3, () => 0.999999), 7999);
  const r = seeded(5);
  const delays = Array.from({ length: 2000 }, () => backoffDelay(10, r));
  assert.ok(delays.every((d) => d >= 0 && d < 30000));
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
  assert.ok(mean > 13500 && mean < 16500, `full jitter: mean ${mean} near half the cap`);
});

test('reconnect: losing a live connection to 1001, 1006, 1011, 1012, 1013 or an error spreads the first attempt over [0, 10 s)', () => {
  for (const code of [1001, 1006, 1011, 1012, 1013]) {
    assert.ok(spreads({ code, wasLive: true }), `${code}`);
    assert.ok(!spreads({ code, wasLive: false }), `${code} before live: backoff`);
  }
  assert.ok(spreads({ code: 1005, wasLive: true, error: true }), 'a socket error');
  for (const code of [1000, 4000, 4008, 4400, 4403, 4409, 4429]) assert.ok(!spreads({ code, wasLive: true }), `${code}`);
  assert.deepEqual(SPREAD_CLOSE_CODES, [1001, 1006, 1011, 1012, 1013]);

  // Thousands of pages dropped at once come back evenly over ten seconds:
  // no second takes more than 20% (the cluster storm test's bound), nor
  // much more than a tenth.
  const r = seeded(11);
  const perSecond = new Array<number>(10).fill(0);
  const n = 5000;
  for (let i = 0; i < n; i++) {
    const d = new Reconnect(r).lost({ code: 1006, wasLive: true });
    assert.ok(d >= 0 && d < SPREAD_MS, `${d}`);
    perSecond[Math.floor(d / 1000)]++;
  }
  assert.ok(Math.max(...perSecond) < 0.2 * n, `per second: ${perSecond}`);
  assert.ok(Math.max(...perSecond) < 0.12 * n && Math.min(...perSecond) > 0.08 * n, `uniform: ${perSecond}`);
});

test('reconnect: after the spread attempt, exponential backoff from 1 s; live starts over', () => {
  // random() = 0.999999: each wait is just under its ceiling.
  const top = (): number => 0.999999;
  const rc = new Reconnect(top);
  const waits = [rc.lost({ code: 1006, wasLive: true })];
  assert.equal(rc.failuresInARow, 0);
  for (let i = 0; i < 7; i++) waits.push(rc.lost({ code: 1006, wasLive: false }));
  assert.deepEqual(waits, [9999, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
  assert.equal(rc.failuresInARow, 7);
  rc.live();
  assert.equal(rc.failuresInARow, 0);
  assert.equal(rc.lost({ code: 1001, wasLive: true }), 9999, 'spread again after being live');
  // A loss of this connection's own (too slow, a gap, refused op): backoff from 1 s, no spread.
  const own = new Reconnect(top);
  assert.deepEqual([own.lost({ code: 4008, wasLive: true }), own.lost({ code: 1006, wasLive: false }), own.lost({ code: 1006, wasLive: false })], [999, 1999, 3999]);
  // A page that never got live: backoff from the first failure.
  const fresh = new Reconnect(top);
  assert.deepEqual([fresh.lost({ code: 1006, wasLive: false }), fresh.lost({ code: 1006, wasLive: false })], [999, 1999]);
  assert.equal(fresh.failuresInARow, 2);
});

test('outbox: indices follow the base; acks drop the head', () => {
  const o = new Outbox();
  const u1 = o.push(begin);
  o.takeUnsent();
  const u2 = o.push(pts(3));
  const u3 = o.push(end);
  assert.equal(o.length, 3);
  assert.equal(o.base, 0);
  assert.deepEqual(o.takeUnsent().map((x) => x.type), ['points', 'end']);
  assert.deepEqual(o.takeUnsent(), []);
  assert.equal(o.ackTo(2), 2);
  assert.equal(o.base, 2);
  assert.equal(o.has(u1), false);
  assert.equal(o.has(u2), false);
  assert.equal(o.has(u3), true);
  assert.equal(o.ackTo(2), 0, 'idempotent');
  assert.equal(o.ackTo(3), 1);
  assert.equal(o.length, 0);
  assert.equal(o.base, 3);
  assert.equal(o.headUid(), u3 + 1);
});

test('outbox: points merge into an unsent op of the same kind, up to 2048', () => {
  const o = new Outbox();
  const u = o.push(begin);
  assert.equal(o.push(pts(10)), u, 'merged into the unsent Begin');
  assert.equal(o.length, 1);
  const e = o.entries()[0].op;
  assert.ok(e.type === 'begin' && e.points.length === 11);
  o.push(pts(2037));
  assert.equal(o.length, 1, 'exactly 2048 points');
  const u2 = o.push(pts(1));
  assert.notEqual(u2, u);
  assert.equal(o.length, 2);
  o.push(pts(1, true));
  assert.equal(o.length, 3, 'pressure does not mix');
  o.takeUnsent();
  o.push(pts(1, true));
  assert.equal(o.length, 4, 'a sent op is never changed');
  o.push(end);
  o.push(pts(1));
  assert.equal(o.length, 6, 'nothing merges into an End');
});

test('outbox: welcome drops what the room holds and resends the rest from applied', () => {
  const o = new Outbox();
  for (let i = 0; i < 5; i++) o.push(end);
  o.takeUnsent();
  o.ackTo(1); // one echo seen before the connection broke
  o.disconnected();
  assert.equal(o.welcome(3, false), 2, 'the room applied ops 0..2');
  assert.equal(o.base, 3);
  assert.equal(o.takeUnsent().length, 2, 'ops 3 and 4 go again');
});

test('outbox: welcome after 4400 drops the refused op at the head without using its index', () => {
  const o = new Outbox();
  o.push(begin);
  const bad = o.push(end);
  const next = o.push(pts(1));
  o.takeUnsent();
  o.disconnected();
  assert.equal(o.welcome(1, true), 2);
  assert.equal(o.base, 1, 'the next op takes the refused op’s index');
  assert.equal(o.has(bad), false);
  assert.equal(o.has(next), true);
});

test('outbox: reset forgets everything; uids are never reused', () => {
  const o = new Outbox();
  const u = o.push(end);
  o.reset(7);
  assert.equal(o.length, 0);
  assert.equal(o.base, 7);
  assert.equal(o.has(u), false);
  assert.ok(o.push(end) > u);
});

test('outbox: a long offline session compacts its storage', () => {
  const o = new Outbox();
  for (let i = 0; i < 5000; i++) o.push(end);
  o.ackTo(4990);
  assert.equal(o.length, 10);
  assert.equal(o.entries().length, 10);
  assert.equal(o.base, 4990);
});

test('room URL: the last path segment of /b/{room}; ws or wss by the page', () => {
  assert.equal(roomSegment('/b/team-42'), 'team-42');
  assert.equal(roomSegment('/b/team-42/'), 'team-42');
  assert.equal(roomSegment('/b/caf%C3%A9'), 'caf%C3%A9');
  assert.equal(roomName('caf%C3%A9'), 'café');
  assert.equal(roomName('%E0%A4%A'), '%E0%A4%A');
  assert.equal(socketURL('https:', 'sk.example:8443', 'r1'), 'wss://sk.example:8443/ws/r1');
  assert.equal(socketURL('http:', 'localhost:8080', 'r1'), 'ws://localhost:8080/ws/r1');
  // A view link: the segment verbatim, dots and all; read-only.
  assert.equal(roomSegment('/b/v.AbC-_x.y'), 'v.AbC-_x.y');
  assert.equal(isViewLink('v.AbC-_x.y'), true);
  assert.equal(isViewLink('team-42'), false);
  assert.equal(socketURL('https:', 'sk.example', 'v.AbC-_x.y'), 'wss://sk.example/ws/v.AbC-_x.y');
  assert.equal(socketURL('https:', 'sk.example', 'b1', 'a+b/c'), 'wss://sk.example/ws/b1?token=a%2Bb%2Fc');
  assert.equal(absoluteURL('/b/v.xyz', 'https://sk.example/b/team-42?x=1'), 'https://sk.example/b/v.xyz');
});

test('paused: Notice 1 sets it, Notice 2 and a Welcome clear it, the rest leave it', () => {
  const welcome = { type: 'welcome' as const, version: VERSION, epoch: 1n, author: 1, applied: 0, head: 0 };
  const notice = (code: number) => ({ type: 'notice' as const, code, message: '' });
  for (const before of [false, true]) {
    assert.equal(pausedAfter(before, notice(1)), true);
    assert.equal(pausedAfter(before, notice(2)), false);
    assert.equal(pausedAfter(before, welcome), false);
    assert.equal(pausedAfter(before, notice(0)), before);
    assert.equal(pausedAfter(before, notice(3)), before);
    assert.equal(pausedAfter(before, { type: 'leave', author: 2 }), before);
    assert.equal(pausedAfter(before, { type: 'ops', firstSeq: 1, ops: [] }), before);
  }
  // A reconnect into a room still paused: Welcome, then Notice 1 right after it.
  assert.equal([welcome, notice(1)].reduce(pausedAfter, true), true);
  assert.equal([welcome, { type: 'presence' as const, author: 1, name: 'a', color: 0 }].reduce(pausedAfter, true), false);
});

