// The arithmetic of a Rotate (PROTOCOL.md "Rotate"), the twin of
// canvas/rotate.go: the sine and cosine by integer CORDIC and every
// intermediate value below 2^53, so doubles compute the same points the Go
// model does. A stroke's rotation (Stroke.rot) turns it, when drawn and hit,
// about its center: the center of the box of its points, rounded down.
// What a Rotate makes of a stroke (its points shifted when read) is
// scaled_stroke's turnedStroke.

import { FULL_TURN, type RotateOp, type StrokeId } from './types';

/** ROT_ONE is the fixed-point one of the sine and cosine (2^20). */
const ROT_ONE = 1 << 20;

/** atan(2^-i) in 1/100 degree × 2^16, rounded. */
const ATAN = [
  294912000, 174096719, 91987925, 46694507, 23437865, 11730358, 5866610, 2933484, 1466764, 733385, 366693, 183346, 91673, 45837, 22918, 11459,
  5730, 2865, 1432, 716, 358, 179, 90, 45,
];
/** The product of 1/√(1 + 2^-2i) over ATAN, times 2^30. */
const GAIN = 652032874;

/** normAngle returns a mod 360° in 0..FULL_TURN−1. */
export function normAngle(a: number): number {
  const n = a % FULL_TURN;
  return n < 0 ? n + FULL_TURN : n;
}

/** rotCosSin returns the cosine and sine of a (1/100 degree) in 1/2^20 units, as PROTOCOL.md computes them. */
export function rotCosSin(a: number): [number, number] {
  const n = normAngle(a);
  let q = Math.floor((n + 4500) / 9000);
  const r = n - 9000 * q;
  let c = ROT_ONE;
  let s = 0;
  if (r !== 0) {
    let x = GAIN;
    let y = 0;
    let z = r * 65536;
    for (let i = 0; i < ATAN.length; i++) {
      const d = 2 ** i;
      const xs = Math.floor(x / d);
      const ys = Math.floor(y / d);
      if (z >= 0) {
        x -= ys;
        y += xs;
        z -= ATAN[i];
      } else {
        x += ys;
        y -= xs;
        z += ATAN[i];
      }
    }
    c = Math.floor((x + 512) / 1024);
    s = Math.floor((y + 512) / 1024);
  }
  for (; q % 4 !== 0; q--) {
    const t = c;
    c = -s;
    s = t;
  }
  return [c + 0, s + 0]; // + 0: no −0
}

/** center is the point a stroke turns about: the center of the box of its points, rounded down. */
export function center(points: readonly { readonly x: number; readonly y: number }[]): [number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  return boxCenter(minX, minY, maxX, maxY);
}

/** boxCenter is the middle of a box as center rounds it (the server's too). */
export function boxCenter(minX: number, minY: number, maxX: number, maxY: number): [number, number] {
  return [Math.floor((minX + maxX) / 2), Math.floor((minY + maxY) / 2)];
}

/** rotateShift is how far a stroke moves whose center is (ux, uy) from the pivot. */
export function rotateShift(ux: number, uy: number, c: number, s: number): [number, number] {
  return [Math.floor((ux * c - uy * s - ux * ROT_ONE + ROT_ONE / 2) / ROT_ONE), Math.floor((ux * s + uy * c - uy * ROT_ONE + ROT_ONE / 2) / ROT_ONE)];
}

/**
 * pivotOf is the pivot a client turns strokes about (and undoes a turn
 * about): the mean of their centers, rounded down, which a turn about it
 * leaves in place up to rounding, so an undo finds it where a Move someone
 * made since has carried it. One stroke: its own center, so nothing moves.
 */
export function pivotOf(strokes: readonly { readonly points: readonly { readonly x: number; readonly y: number }[] }[]): [number, number] {
  let sx = 0;
  let sy = 0;
  for (const s of strokes) {
    const [x, y] = center(s.points);
    sx += x;
    sy += y;
  }
  const n = Math.max(1, strokes.length);
  return [Math.floor(sx / n), Math.floor(sy / n)];
}

/** turnRadians is rot (1/100 degree) in radians, what turnPoint turns by. */
export function turnRadians(rot: number): number {
  return (rot * Math.PI) / (FULL_TURN / 2);
}

/** turnPoint returns (x, y) turned by rot (1/100 degree) about (cx, cy), in doubles: for drawing and hit testing. */
export function turnPoint(x: number, y: number, rot: number, cx: number, cy: number): [number, number] {
  if (!rot) return [x, y];
  const a = turnRadians(rot);
  const c = Math.cos(a);
  const s = Math.sin(a);
  const dx = x - cx;
  const dy = y - cy;
  return [cx + dx * c - dy * s, cy + dx * s + dy * c];
}

/** rotateOp builds the Rotate of ids by angle about their pivot. */
export function rotateOp(ids: readonly StrokeId[], angle: number, pivot: [number, number]): RotateOp {
  return { type: 'rotate', strokes: ids, angle, px: pivot[0], py: pivot[1] };
}
