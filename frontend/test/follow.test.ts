import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VIEW_SEND_MS, ViewOut, fitView, viewMsg } from '../src/net/view_out';
import { screenRect } from '../src/geometry/view';
import type { ViewMsg } from '../src/protocol/types';

test('view out: sent when it changes and someone is there, at most once an interval; again after a join', () => {
  let now = 1000;
  const out = new ViewOut(() => now);
  const sent: ViewMsg[] = [];
  const send = (m: ViewMsg): boolean => (sent.push(m), true);
  const a = viewMsg({ scale: 0.25, x: 0, y: 0 }, 1400, 900);
  assert.deepEqual(a, { type: 'view', x: 2800, y: 1800, w: 5600, h: 3600 });
  assert.equal(out.flush(a, false, send), false);
  assert.equal(sent.length, 0, 'alone on the board: nothing sent');
  out.flush(a, true, send);
  assert.equal(sent.length, 1);
  out.flush(a, true, send);
  assert.equal(sent.length, 1, 'unchanged: not sent again');
  const b = viewMsg({ scale: 0.5, x: -100, y: 40 }, 1400, 900);
  assert.equal(out.flush(b, true, send), true, 'too soon: waits for a later frame');
  now += VIEW_SEND_MS;
  assert.equal(out.flush(b, true, send), false);
  assert.deepEqual(sent[1], b);
  now += VIEW_SEND_MS;
  out.again();
  out.flush(b, true, send);
  assert.equal(sent.length, 3, 'someone joined: the same view goes again');
});

test('fit view: a leader\'s rectangle fills the follower\'s screen, centered, at the zoom that shows all of it', () => {
  const leader = viewMsg({ scale: 0.5, x: -300, y: 120 }, 1400, 900);
  // A phone-sized follower: the width binds (390 / 1400 of the leader's zoom).
  const v = fitView(leader, 390, 844);
  assert.ok(Math.abs(v.scale - (0.5 * 390) / 1400) < 1e-9, `scale ${v.scale}`);
  const r = screenRect(v, 390, 844);
  assert.ok(Math.abs((r.minX + r.maxX) / 2 - leader.x) < 1e-6 && Math.abs((r.minY + r.maxY) / 2 - leader.y) < 1e-6, 'same center');
  assert.ok(r.maxX - r.minX >= leader.w - 1e-6 && r.maxY - r.minY >= leader.h - 1e-6, 'all of the leader\'s rectangle shows');
});
