// A big snapshot's sketch (protocol/snapshot_sketch): the flat arrays a
// first picture is painted from hold the points and extents the board
// decoder makes, and anything the sketch cannot show faithfully gets none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board, type Stroke } from '../src/protocol/board';
import { decodeServerFrame, encodeServerFrame } from '../src/protocol/server';
import { sketchSnapshot, type SnapshotSketch } from '../src/protocol/snapshot_sketch';
import { TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_RECT, TOOL_TEXT, VERSION, type Point } from '../src/protocol/types';
import { seeded } from './rand';

function stroke(i: number, tool: number, points: Point[], extra: Partial<Stroke> = {}): Stroke {
  return { author: 1, stroke: i + 1, tool, pressure: false, hidden: false, filled: false, color: 0x11223300 + (i % 7), width: 1 + (i % 5), points, text: '', seq: i + 1, sweptBy: 0, sweptN: 0, removed: false, ...extra };
}

function scribble(rnd: () => number, n: number): Point[] {
  const pts: Point[] = [];
  let x = Math.round((rnd() - 0.5) * 200_000);
  let y = Math.round((rnd() - 0.5) * 200_000);
  for (let j = 0; j < n; j++) {
    pts.push({ x, y, p: Math.floor(rnd() * 256) });
    x += Math.round((rnd() - 0.5) * 300);
    y += Math.round((rnd() - 0.5) * 300);
  }
  return pts;
}

function frameOf(strokes: Stroke[]): Uint8Array {
  const board = Board.restore(7n, strokes.length, [[1, { applied: strokes.length, open: 0 }]], strokes);
  return encodeServerFrame([{ type: 'welcome', version: VERSION, epoch: 7n, author: 2, applied: 0, head: strokes.length }, { type: 'snapshot', board }]);
}

/** The sketch's strokes as the decoder sees them: tool, color, width and points of each visible stroke, in order. */
function expand(sk: SnapshotSketch): Array<{ tool: number; color: number; width: number; xy: number[] }> {
  const out = [];
  for (let i = 0; i < sk.n; i++) out.push({ tool: sk.tool[i], color: sk.color[i], width: sk.width[i], xy: [...sk.xy.subarray(2 * sk.start[i], 2 * sk.start[i + 1])] });
  return out;
}

test('sketch: the visible strokes of a snapshot, their points and the bounds of their extents, as the board decoder reads them', () => {
  const rnd = seeded(17);
  const strokes: Stroke[] = [];
  for (let i = 0; i < 300; i++) {
    const tool = [TOOL_PEN, TOOL_HIGHLIGHTER, TOOL_LINE][i % 3];
    const pts = scribble(rnd, tool === TOOL_LINE ? 2 : 1 + Math.floor(rnd() * 40));
    // Hidden and swept strokes of any tool are not drawn: not in the sketch, and they do not stop it.
    const extra: Partial<Stroke> = i % 11 === 0 ? { hidden: true } : i % 13 === 0 ? { sweptBy: 1, sweptN: 1, tool: TOOL_ERASER } : i % 17 === 0 ? { tool: TOOL_TEXT, points: pts.slice(0, 1), text: 'hi', hidden: true } : {};
    strokes.push(stroke(i, tool, pts, extra));
  }
  const frame = frameOf(strokes);
  const board = (decodeServerFrame(frame)[1] as { board: Board }).board;
  const visible = board.strokes.filter((s) => !s.hidden && s.sweptN === 0);
  const sk = sketchSnapshot(frame, 100);
  assert.ok(sk);
  assert.equal(sk.seq, board.seq);
  assert.deepEqual(
    expand(sk),
    visible.map((s) => ({ tool: s.tool, color: s.color, width: s.width, xy: s.points.flatMap((p) => [p.x, p.y]) })),
  );
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of visible) {
    for (const p of s.points) {
      minX = Math.min(minX, p.x - s.width);
      minY = Math.min(minY, p.y - s.width);
      maxX = Math.max(maxX, p.x + s.width);
      maxY = Math.max(maxY, p.y + s.width);
    }
  }
  assert.deepEqual(sk.box, { minX, minY, maxX, maxY });
});

test('sketch: none for a small board, for a visible stroke it cannot draw, and for a frame without a snapshot', () => {
  const rnd = seeded(3);
  const pens = (n: number): Stroke[] => Array.from({ length: n }, (_, i) => stroke(i, TOOL_PEN, scribble(rnd, 5)));
  assert.ok(sketchSnapshot(frameOf(pens(50)), 50));
  assert.equal(sketchSnapshot(frameOf(pens(49)), 50), null);
  for (const odd of [
    { tool: TOOL_ERASER },
    { tool: TOOL_RECT, points: [{ x: 0, y: 0, p: 0 }, { x: 10, y: 10, p: 0 }] },
    { tool: TOOL_TEXT, points: [{ x: 0, y: 0, p: 0 }], text: 'a note' },
    { rot: 4500 },
  ]) {
    const strokes = pens(60);
    strokes[30] = { ...strokes[30], ...odd };
    assert.equal(sketchSnapshot(frameOf(strokes), 50), null, JSON.stringify(odd));
  }
  assert.equal(sketchSnapshot(encodeServerFrame([{ type: 'leave', author: 3 }]), 0), null);
});

test('sketch: a frame cut at any byte gets none, one with bytes changed none or a sketch, never an error', () => {
  const rnd = seeded(5);
  const frame = frameOf(Array.from({ length: 12 }, (_, i) => stroke(i, TOOL_PEN, scribble(rnd, 4))));
  for (let n = 0; n < frame.length; n++) {
    const sk = sketchSnapshot(frame.subarray(0, n), 1);
    // Cut inside the snapshot, the message's length runs past the frame: no sketch.
    assert.equal(sk, null, `cut at ${n}`);
  }
  assert.ok(sketchSnapshot(frame, 1));
  // Bytes changed anywhere: a sketch or none, never a throw.
  for (let k = 0; k < 2000; k++) {
    const bad = frame.slice();
    for (let j = 0; j < 3; j++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
    sketchSnapshot(bad, 1);
  }
});
