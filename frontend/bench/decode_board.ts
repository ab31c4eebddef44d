// The snapshot decoder on a board of 100,000 pen strokes × 20 points (issue
// 17), shaped as the browser benchmark's (scripts/e2e/bigboard_bench_test.go):
// what a late joiner's page spends turning the snapshot's bytes into a
// Board, and then walking every point once (as a first full repaint does).
// Each round decodes a fresh copy and keeps the board alive until the next
// one, so the garbage collector's share (the points survive) is counted.
// Then the sketch a page reads from the same bytes, in a frame, for a first
// picture before it builds the board (protocol/snapshot_sketch.ts).
// Wall time; run on a quiet machine or alternate builds. Run: npm run bench decode

import { Board, type Stroke } from '../src/protocol/board';
import { ByteWriter } from '../src/protocol/bytes';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { sketchSnapshot } from '../src/protocol/snapshot_sketch';
import { MSG_SNAPSHOT } from '../src/protocol/types';
import { TOOL_PEN, type Point } from '../src/protocol/types';

const STROKES = 100_000;
const POINTS = 20;
const ROUNDS = 7;

function board(): Uint8Array {
  let seed = 17;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const side = Math.sqrt(STROKES) * 60;
  const strokes: Stroke[] = [];
  const colors = [0x1e1e1eff, 0xe03131ff, 0x2f9e44ff, 0x1971c2ff, 0xf08c00ff];
  for (let i = 0; i < STROKES; i++) {
    let x = rnd() * side;
    let y = rnd() * side;
    let dir = rnd() * 2 * Math.PI;
    const points: Point[] = [];
    for (let j = 0; j < POINTS; j++) {
      points.push({ x: Math.round(x), y: Math.round(y), p: 0 });
      dir += (rnd() - 0.5) * 0.8;
      x += 5 * Math.cos(dir);
      y += 5 * Math.sin(dir);
    }
    strokes.push({ author: 1 + (i % 4), stroke: 1 + Math.floor(i / 4), tool: TOOL_PEN, pressure: false, hidden: false, filled: false, color: colors[i % colors.length], width: 4 + (i % 3) * 4, points, text: '', seq: i + 1, sweptBy: 0, sweptN: 0, removed: false });
  }
  const authors: Array<[number, { applied: number; open: number }]> = [1, 2, 3, 4].map((a) => [a, { applied: STROKES / 4, open: 0 }]);
  return encodeBoard(Board.restore(1n, STROKES, authors, strokes));
}

function walk(b: Board): number {
  let sum = 0;
  for (const s of b.strokes) {
    const pts = s.points;
    for (let i = 0; i < pts.length; i++) sum += pts[i].x - pts[i].y;
  }
  return sum;
}

const bytes = board();
console.log(`board: ${STROKES} strokes × ${POINTS} points, ${(bytes.length / 1e6).toFixed(1)} MB encoded`);
let keep: Board | null = null;
const dec: number[] = [];
const both: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const copy = bytes.slice();
  const t0 = performance.now();
  keep = decodeBoard(copy);
  const t1 = performance.now();
  walk(keep);
  const t2 = performance.now();
  dec.push(t1 - t0);
  both.push(t2 - t0);
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap = process.memoryUsage().heapUsed / 1e6;
console.log(`decode: first ${dec[0].toFixed(0)} ms (a page decodes once: this is its figure), then median ${med(dec.slice(1)).toFixed(0)} ms (${dec.slice(1).map((x) => x.toFixed(0)).join(' ')}); decode and walk every point: first ${both[0].toFixed(0)} ms, then median ${med(both.slice(1)).toFixed(0)}; heap with one board ${gc ? heap.toFixed(0) + ' MB' : '(run node with --expose-gc)'}; strokes ${keep?.strokes.length}`);

// The sketch, after the decoder's rounds (their figures stay comparable with earlier runs).
const frame = new ByteWriter(bytes.length + 8).u8(MSG_SNAPSHOT).uvarint(bytes.length).raw(bytes).bytes();
const sk: number[] = [];
let strokes = 0;
for (let r = 0; r < ROUNDS; r++) {
  const copy = frame.slice();
  const t0 = performance.now();
  strokes = sketchSnapshot(copy, 1)?.n ?? -1;
  sk.push(performance.now() - t0);
}
console.log(`sketch: first ${sk[0].toFixed(0)} ms, then median ${med(sk.slice(1)).toFixed(0)} ms (${sk.slice(1).map((x) => x.toFixed(0)).join(' ')}); strokes ${strokes}`);
