import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LASER_SEND_MS, LaserOut } from '../src/net/laser_out';
import { MAX_LASER_POINTS } from '../src/protocol/types';

test('laser out: points go out at most once an interval, at most a message full, the newest kept', () => {
  let now = 1000;
  const out = new LaserOut(() => now);
  const sent: number[][] = [];
  const send = (pts: readonly { x: number; y: number }[]): boolean => {
    sent.push(pts.map((p) => p.x));
    return true;
  };
  out.push([{ x: 1.4, y: 0 }]);
  out.flush(send);
  out.push([{ x: 2, y: 0 }]);
  out.flush(send); // too soon: waits
  assert.deepEqual(sent, [[1]]);
  now += LASER_SEND_MS;
  out.push([{ x: 3, y: 0 }]);
  out.flush(send);
  assert.deepEqual(sent, [[1], [2, 3]]);
  now += LASER_SEND_MS;
  out.push(Array.from({ length: MAX_LASER_POINTS + 10 }, (_, i) => ({ x: i, y: 0 })));
  out.flush(send);
  assert.equal(sent[2].length, MAX_LASER_POINTS);
  assert.equal(sent[2][MAX_LASER_POINTS - 1], MAX_LASER_POINTS + 9, 'the newest points are kept');
  now += LASER_SEND_MS;
  out.flush(send);
  assert.equal(sent.length, 3, 'nothing pending: nothing sent');
});
