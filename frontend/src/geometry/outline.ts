// Stroke outlines through perfect-freehand: the polygon that surrounds a
// stroke's points, in board units.

import { getStroke, type StrokeOptions } from 'perfect-freehand';
import type { Point } from '../protocol/types';

/** BOARD_UNITS_PER_PX is the number of board units in one CSS pixel at zoom 1. */
export const BOARD_UNITS_PER_PX = 4;

/** OutlineOptions tune the outline; every field has a default. */
export interface OutlineOptions {
  /** How much pressure thins the line (perfect-freehand's thinning). Default 0.6. */
  readonly thinning?: number;
  /** Edge softening. Default 0.5. */
  readonly smoothing?: number;
  /** Pull towards the previous point. Default 0.5. */
  readonly streamline?: number;
}

const DEFAULTS: Required<OutlineOptions> = { thinning: 0.6, smoothing: 0.5, streamline: 0.5 };

/** pressureValue maps a pressure byte to perfect-freehand's 0..1: 0 means none (0.5). */
export function pressureValue(p: number): number {
  return p === 0 ? 0.5 : p / 255;
}

/** pressureByte maps a device pressure in 0..1 to the wire's 1..255. */
export function pressureByte(pressure: number): number {
  if (!(pressure > 0)) return 1;
  return Math.max(1, Math.min(255, Math.round(pressure * 255)));
}

/** StrokeShape is what an outline depends on. */
export interface StrokeShape {
  readonly points: readonly Point[];
  readonly width: number;
  /** The points carry pressure (the Begin's flag). */
  readonly pressure: boolean;
}

/**
 * strokeOutline returns the outline polygon of a stroke, in board units.
 * complete says the stroke has ended (perfect-freehand's `last`). Pressure
 * comes from the points when the stroke has it; otherwise perfect-freehand
 * simulates it from the velocity.
 *
 * perfect-freehand's constants are tuned for CSS pixels, so the points are
 * scaled to pixels for it and the outline back to board units.
 */
export function strokeOutline(s: StrokeShape, complete: boolean, opts: OutlineOptions = {}): number[][] {
  const o = { ...DEFAULTS, ...opts };
  const k = BOARD_UNITS_PER_PX;
  const input = new Array<number[]>(s.points.length);
  for (let i = 0; i < s.points.length; i++) {
    const p = s.points[i];
    input[i] = [p.x / k, p.y / k, pressureValue(p.p)];
  }
  const options: StrokeOptions = {
    size: s.width / k,
    thinning: s.pressure ? o.thinning : o.thinning / 2,
    smoothing: o.smoothing,
    streamline: o.streamline,
    simulatePressure: !s.pressure,
    last: complete,
  };
  const outline = getStroke(input, options);
  for (const pt of outline) {
    pt[0] *= k;
    pt[1] *= k;
  }
  return outline;
}
