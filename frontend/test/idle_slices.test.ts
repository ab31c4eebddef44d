// Work painted ahead in idle time goes in slices (render/idle_slices): a
// big selection's picture painted in one task was a dropped frame. Here,
// with a fake clock and a fake idle scheduler: a slice stops when its idle
// period or SLICE_MS is over, the job finishes over several slices and says
// so once, a busy page (timed-out slices) still gets it done, and a job
// stopped half way gives back what it held.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdleSlices, SLICE_MS, type IdleDeadline, type IdleScheduler } from '../src/render/idle_slices';

/** A fake clock and idle scheduler: run() runs the next idle callback with the time remaining given. */
function fakeIdle() {
  let clock = 0;
  const queue: Array<{ f: (d: IdleDeadline) => void; cancelled: boolean }> = [];
  const idle: IdleScheduler = (f) => {
    const e = { f, cancelled: false };
    queue.push(e);
    return () => (e.cancelled = true);
  };
  return {
    idle,
    now: () => clock,
    advance: (ms: number) => (clock += ms),
    waiting: () => queue.filter((e) => !e.cancelled).length,
    run(remaining: number, didTimeout = false): void {
      const e = queue.shift();
      assert.ok(e, 'an idle callback is waiting');
      if (!e.cancelled) e.f({ didTimeout, timeRemaining: () => remaining });
    },
  };
}

/** A job of n pieces, each taking ms of the fake clock. */
function* pieces(n: number, ms: number, advance: (ms: number) => void, log: string[]): Generator<void, void> {
  try {
    for (let i = 0; i < n; i++) {
      advance(ms);
      log.push('piece ' + i);
      yield;
    }
    log.push('all painted');
  } finally {
    log.push('finally');
  }
}

test('idle slices: a job runs piece by piece within each idle period, never past SLICE_MS, and finishes once', () => {
  const f = fakeIdle();
  const log: string[] = [];
  let done = 0;
  const s = new IdleSlices(pieces(20, 1, f.advance, log), () => done++, f.idle, f.now);
  assert.equal(log.length, 0, 'nothing runs before an idle period');
  assert.ok(s.running);

  f.run(3); // three pieces fit in 3 ms
  assert.equal(log.length, 3);
  assert.equal(f.waiting(), 1, 'the next slice waits for the next idle period');

  f.run(50); // a long idle period: no more than SLICE_MS of it
  assert.equal(log.length, 3 + SLICE_MS);

  f.run(0.5); // hardly any time left: still one piece, so the job goes on
  assert.equal(log.length, 4 + SLICE_MS);

  while (s.running) f.run(50);
  assert.equal(done, 1);
  assert.deepEqual(log.slice(-3), ['piece 19', 'all painted', 'finally']);
  assert.equal(f.waiting(), 0, 'nothing asked for once finished');
});

test('idle slices: a page never idle gets the job done in timed-out slices of SLICE_MS', () => {
  const f = fakeIdle();
  const log: string[] = [];
  let done = 0;
  new IdleSlices(pieces(2 * SLICE_MS + 1, 1, f.advance, log), () => done++, f.idle, f.now);
  f.run(0, true);
  assert.equal(log.length, SLICE_MS);
  f.run(0, true);
  f.run(0, true);
  assert.equal(done, 1);
});

test('idle slices: a job cancelled half way stops between pieces and runs its finally (what it held goes back)', () => {
  const f = fakeIdle();
  const log: string[] = [];
  let done = 0;
  const s = new IdleSlices(pieces(20, 1, f.advance, log), () => done++, f.idle, f.now);
  f.run(2);
  s.cancel();
  assert.equal(s.running, false);
  assert.deepEqual(log, ['piece 0', 'piece 1', 'finally']);
  assert.equal(f.waiting(), 0, 'its idle callback is cancelled');
  s.cancel();
  assert.equal(done, 0);
});
