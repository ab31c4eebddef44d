// The arithmetic of a Transform (PROTOCOL.md "Transform"), the twin of
// canvas/transform.go: integers whose every intermediate value stays below
// 2^53, so doubles compute the same points the Go model does.

import { COORD_LIMIT, SCALE_ONE } from './types';

/**
 * scaleCoord is C + s·(v − C) + t rounded half up, with m = 2C and s in
 * 1/SCALE_ONE units, clamped to ±COORD_LIMIT.
 */
export function scaleCoord(v: number, m: number, s: number, t: number): number {
  const num = s * (2 * v - m) + (m + 2 * t) * SCALE_ONE + SCALE_ONE;
  return Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, Math.floor(num / (2 * SCALE_ONE))));
}

/** inverseScale is the scale that undoes s: round(SCALE_ONE² / s). */
export function inverseScale(s: number): number {
  return Math.round((SCALE_ONE * SCALE_ONE) / s);
}
