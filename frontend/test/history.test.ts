// The history panel's pure parts: reading history/ops answers into steps,
// walking a timeline stroke by stroke, and the animated SVG of a replay.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReplaySVG } from '../src/history/replay_svg';
import { imageHashes, imagesIn } from '../src/render/image_hashes';
import { TOOL_IMAGE } from '../src/protocol/types';
import { Timeline, isStrokeStep, stretchOf, type Step } from '../src/history/timeline';
import { commandFor } from '../src/input/shortcuts';
import { demotions } from '../src/ui/bar_plan';
import { Board } from '../src/protocol/board';
import type { ServerMsg } from '../src/protocol/server';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import type { Op } from '../src/protocol/types';

const pen = (stroke: number, x: number): Op => ({ type: 'begin', stroke, tool: 0, pressure: false, color: 0x112233ff, width: 8, points: [{ x, y: 0, p: 0 }, { x: 10, y: 10, p: 0 }] });
const END: Op = { type: 'end' };

/** ops: two pen strokes by author 1, the first erased, then a clear. */
const OPS: Op[] = [pen(1, 0), END, pen(2, 100), END, { type: 'erase', strokes: [{ author: 1, stroke: 1 }] }, { type: 'clear', n: 3 }];

function boardAfter(n: number): Board {
  const b = new Board(7n);
  for (const op of OPS.slice(0, n)) b.apply(1, op);
  return b;
}

test('a history/ops answer is the board asked for, then steps; a later snapshot is a step', () => {
  const msgs: ServerMsg[] = [
    { type: 'snapshot', board: boardAfter(1) },
    { type: 'ops', firstSeq: 2, ops: [{ author: 1, op: OPS[1] }, { author: 1, op: OPS[2] }] },
    { type: 'snapshot', board: boardAfter(4) },
    { type: 'ops', firstSeq: 5, ops: [{ author: 1, op: OPS[4] }] },
  ];
  const s = stretchOf(msgs, 1);
  assert.equal(s.base?.seq, 1);
  assert.deepEqual(
    s.steps.map((st) => [st.kind, st.seq]),
    [
      ['op', 2],
      ['op', 3],
      ['board', 4],
      ['op', 5],
    ],
  );
  // after=: no base, the first snapshot is a step too.
  assert.equal(stretchOf(msgs, null).base, null);
  assert.equal(stretchOf(msgs, null).steps[0].kind, 'board');

  const tl = new Timeline(s.base!);
  const kinds = s.steps.map((st) => isStrokeStep(tl.apply(st)));
  assert.deepEqual(kinds, [true, false, true, true], 'End, Begin (not a step), the checkpoint, Erase');
  assert.equal(tl.seq, 5);
  assert.deepEqual(
    tl.board.strokes.map((x) => x.hidden),
    [true, false],
  );
  assert.throws(() => tl.apply({ kind: 'op', seq: 9, author: 1, op: END }), /step 9 after 5/);
});

test('the replay SVG shows each stroke from the step that drew it until the step that took it away', () => {
  const tl = new Timeline(new Board(7n));
  const rec = new ReplaySVG(tl.board);
  OPS.forEach((op, i) => {
    const st: Step = { kind: 'op', seq: i + 1, author: 1, op };
    rec.observe(tl.apply(st), tl.board);
  });
  assert.equal(rec.steps, 4, 'two Ends, the erase, the clear');
  const svg = rec.svg(0.5);
  const groups = [...svg.matchAll(/<g visibility="hidden">(.*?)<\/g>/g)].map((m) => m[1]);
  assert.equal(groups.length, 2, svg);
  // Stroke 1 from 0 s (begun before the first step) until the erase (the third step: 1.5 s).
  assert.match(groups[0], /to="visible" begin="0s".*to="hidden" begin="1.5s"/);
  assert.match(groups[0], /data-stroke="1-1"/);
  // Stroke 2 from the first End (0.5 s) until the clear (the fourth step: 2 s).
  assert.match(groups[1], /to="visible" begin="0.5s".*to="hidden" begin="2s"/);
  assert.match(svg, /data-duration="2s"/);
  assert.ok(!/<script/i.test(svg), 'no script');
});

test('Shift+H opens the history; H stays the hand', () => {
  const k = { ctrlKey: false, metaKey: false, altKey: false };
  assert.equal(commandFor({ key: 'H', shiftKey: true, ...k }), 'history');
  assert.equal(commandFor({ key: 'h', shiftKey: false, ...k }), 'hand');
});

test('a stroke drawn across a checkpoint is one element, with every point drawn after it', () => {
  const more: Op = { type: 'points', pressure: false, points: [{ x: 5, y: 5, p: 0 }] };
  const ops: Op[] = [pen(1, 0), more, more, END];
  const tl = new Timeline(new Board(7n));
  const rec = new ReplaySVG(tl.board);
  const ref = new Board(7n);
  ops.forEach((op, i) => {
    ref.apply(1, op);
    // The server sends the checkpoint after op 2 in place of op 2.
    const st: Step = i === 1 ? { kind: 'board', seq: 2, board: copyOf(ref) } : { kind: 'op', seq: i + 1, author: 1, op };
    rec.observe(tl.apply(st), tl.board);
  });
  const svg = rec.svg(1);
  assert.equal([...svg.matchAll(/<g visibility="hidden">/g)].length, 1, svg);
  assert.equal(tl.board.strokes[0].points.length, 4);
  const whole = new ReplaySVG(tl.board).svg(1);
  assert.equal(svg.match(/ d="[^"]*"/)?.[0], whole.match(/ d="[^"]*"/)?.[0], 'the element is the whole stroke');
});

function copyOf(b: Board): Board {
  return decodeBoard(encodeBoard(b));
}

test('the history button leaves a narrow toolbar with theme and help, before any tool', () => {
  const order = demotions(['pen', 'eraser', 'select', 'hand', 'rect'], ['share', 'help', 'theme', 'clear', 'history']);
  assert.deepEqual(
    order.slice(0, 4).map((d) => d.name),
    ['theme', 'help', 'history', 'rect'],
  );
});

test('the replay SVG draws an image it shows with the bytes it is given, and names it for fetching', () => {
  const hash = 'ab'.repeat(32);
  const tl = new Timeline(new Board(7n));
  const rec = new ReplaySVG(tl.board);
  const image: Op = { type: 'image', stroke: 1, color: 0xffffffff, x0: 0, y0: 0, x1: 400, y1: 240, hash };
  rec.observe(tl.apply({ kind: 'op', seq: 1, author: 1, op: image }), tl.board);
  assert.deepEqual(imageHashes(rec.strokes()), [hash]);
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  assert.match(rec.svg(1, (h) => (h === hash ? png : null)), new RegExp(`<image [^>]*href="${png}"`));
  assert.doesNotMatch(rec.svg(1), /<image [^>]*href=/, 'without the bytes: a gray box');
});

test('an export of the view fetches the images that reach into it, a turned one by its corner too', () => {
  const img = (text: string, x: number) => ({ stroke: { tool: TOOL_IMAGE, text, points: [{ x, y: 0 }, { x: x + 400, y: 200 }] }, dx: 0, dy: 0 });
  const items = [img('a', 0), img('b', 5000), { stroke: { tool: 0, text: '', points: [{ x: 0, y: 0 }] }, dx: 0, dy: 0 }, img('a', 100)];
  assert.deepEqual(imagesIn(items), ['a', 'b']);
  assert.deepEqual(imagesIn(items, { minX: 4000, minY: 0, maxX: 6000, maxY: 1000 }), ['b']);
  // Moved into the view by a pending move.
  assert.deepEqual(imagesIn([{ ...img('c', 0), dx: 4500 }], { minX: 4000, minY: 0, maxX: 6000, maxY: 1000 }), ['c']);
  // Just past the box's corner, within the circle a turn may sweep.
  assert.deepEqual(imagesIn([img('d', 0)], { minX: 420, minY: 0, maxX: 1000, maxY: 1000 }), ['d']);
  assert.deepEqual(imagesIn([img('d', 0)], { minX: 700, minY: 0, maxX: 1000, maxY: 1000 }), []);
});
