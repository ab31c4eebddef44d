// The order a connection handles what it hears in (net/turns): a frame the
// page holds (a big board's first picture is shown meanwhile) is handled
// once the hold settles, and what is heard meanwhile, frames and the close,
// after it, in the order it came; the page's own wait for its parts
// (handleAfter) and a hold compose.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Turns } from '../src/net/turns';

function deferred(): { p: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const p = new Promise<void>((r) => (resolve = r));
  return { p, resolve };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** hear feeds the line a frame as a connection does: held while holdFor gives a promise. */
function hearer(turns: Turns, log: string[], holdFor: (f: string) => Promise<void> | null): (f: string) => void {
  return (f) =>
    turns.inTurn(() => {
      const p = holdFor(f);
      if (p) turns.hold(p, () => log.push(f));
      else log.push(f);
    });
}

test('turns: a held frame, and the frames and the close heard while it is held, are handled in order once the hold settles', async () => {
  const log: string[] = [];
  const hold = deferred();
  const turns = new Turns();
  const hear = hearer(turns, log, (f) => (f === 'frame 2' ? hold.p : null));
  hear('frame 1');
  hear('frame 2');
  hear('frame 3');
  hear('close');
  await settle();
  assert.deepEqual(log, ['frame 1']);
  hold.resolve();
  await settle();
  assert.deepEqual(log, ['frame 1', 'frame 2', 'frame 3', 'close']);
  hear('frame 4');
  assert.deepEqual(log.at(-1), 'frame 4');
});

test("turns: a frame held while the page's parts are being made waits for both, the frames after it too", async () => {
  const log: string[] = [];
  const made = deferred();
  const hold = deferred();
  const turns = new Turns(made.p);
  const hear = hearer(turns, log, (f) => (f === 'frame 2' ? hold.p : null));
  hear('frame 1');
  hear('frame 2');
  hear('frame 3');
  assert.deepEqual(log, []);
  made.resolve();
  await settle();
  assert.deepEqual(log, ['frame 1']);
  hear('frame 4');
  hold.resolve();
  await settle();
  assert.deepEqual(log, ['frame 1', 'frame 2', 'frame 3', 'frame 4']);
  hear('frame 5');
  assert.deepEqual(log.at(-1), 'frame 5');
});

test('turns: a hold that fails still lets the frame and those after it through', async () => {
  const log: string[] = [];
  const turns = new Turns();
  const hear = hearer(turns, log, (f) => (f === 'frame 1' ? Promise.reject(new Error('no frame')) : null));
  hear('frame 1');
  hear('frame 2');
  await settle();
  assert.deepEqual(log, ['frame 1', 'frame 2']);
});
