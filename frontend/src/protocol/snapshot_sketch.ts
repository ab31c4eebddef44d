// A first look at a big snapshot, for a picture before the board is built.
// Turning a board of 100,000 strokes into a Board makes an object per point
// (2,000,000 of them) and takes about a second of one task in a browser;
// the page shows nothing meanwhile. Reading the same bytes into a few flat
// arrays (coordinates interleaved in one Int32Array, one entry per stroke
// in a handful of typed arrays) allocates almost nothing per point and
// takes a fraction of that, enough to paint a coarse picture
// (render/first_picture.ts) that the screen shows while the board is
// built. The sketch is only ever a picture: the board itself is decoded
// and checked by snapshot.ts as before, and nothing here is kept.
//
// Only boards whose visible strokes are all polylines get a sketch (pens,
// highlighters, lines, none turned): their extent is their points' box
// grown by their width, as the page's landing measures it, so the sketch
// lands where the board will. Any other visible stroke (an eraser, a
// shape, a text, an image), a malformed snapshot or a small one: no
// sketch, and the page goes on as it would have.

import type { Rect } from '../geometry/bounds';
import { ByteReader, ProtocolError } from './bytes';
import { MSG_SNAPSHOT, TOOL_HIGHLIGHTER, TOOL_LINE, TOOL_PEN, TOOL_TEXT, TOOL_IMAGE } from './types';

// The stroke flags of snapshot.ts.
const FLAG_HIDDEN = 1 << 1;
const FLAG_SEQ = 1 << 3;
const FLAG_SWEPT = 1 << 4;
const FLAG_ROT = 1 << 6;
const FLAG_WRAP = 1 << 7;

/** A stroke takes at least this many bytes of a frame (at a big board's smallest). */
const MIN_STROKE_BYTES = 10;

/** tooSmallToSketch reports whether a frame of this many bytes is too small to hold min strokes: not looked into. */
export function tooSmallToSketch(bytes: number, min: number): boolean {
  return bytes < min * MIN_STROKE_BYTES;
}

/** SnapshotSketch is a snapshot's visible strokes as flat arrays, in z-order. */
export interface SnapshotSketch {
  /** The board's sequence number. */
  readonly seq: number;
  /** How many visible strokes. */
  readonly n: number;
  readonly tool: Uint8Array;
  readonly color: Uint32Array;
  readonly width: Uint32Array;
  /** Stroke i's points are xy[2*start[i] .. 2*start[i+1]) (x, y interleaved); start has n + 1 entries. */
  readonly start: Uint32Array;
  readonly xy: Int32Array;
  /** The bounds of the strokes, each its points' box grown by its width (the page's content bounds). */
  readonly box: Rect;
}

/**
 * sketchSnapshot returns the sketch of the snapshot in a server frame, or
 * null when the frame holds none, the board has fewer than min visible
 * strokes or one that is not a plain polyline, or the bytes are not a
 * board (the decoder proper says why).
 */
export function sketchSnapshot(frame: Uint8Array, min: number): SnapshotSketch | null {
  try {
    const r = new ByteReader(frame);
    while (r.remaining() > 0) {
      const t = r.u8();
      const n = r.uvarint();
      if (n > r.remaining()) return null;
      const body = r.bytes(n);
      if (t === MSG_SNAPSHOT) return sketchBoard(body, min);
    }
  } catch (err) {
    if (err instanceof ProtocolError) return null;
    throw err;
  }
  return null;
}

function sketchBoard(body: Uint8Array, min: number): SnapshotSketch | null {
  const r = new ByteReader(body);
  r.u64();
  const seq = r.uvarint();
  const na = r.uvarint();
  if (na * 3 > r.remaining()) return null;
  for (let i = 0; i < na; i++) {
    r.uvarint();
    r.uvarint();
    r.uvarint();
  }
  const ns = r.uvarint();
  // Each stroke takes at least 10 bytes, each point 3: the arrays are bounded by the frame.
  if (ns < min || ns * 10 > r.remaining()) return null;
  const tool = new Uint8Array(ns);
  const color = new Uint32Array(ns);
  const width = new Uint32Array(ns);
  const start = new Uint32Array(ns + 1);
  let xy = new Int32Array(Math.min(2 * ns * 24, Math.floor(body.length / 3) * 2));
  let k = 0; // visible strokes so far
  let m = 0; // their points so far
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < ns; i++) {
    r.uvarint();
    r.uvarint();
    const tl = r.u8();
    const flags = r.u8();
    const c = r.u32();
    const w = r.uvarint();
    const np = r.uvarint();
    if (np * 3 > r.remaining()) return null;
    const visible = (flags & (FLAG_HIDDEN | FLAG_SWEPT)) === 0;
    if (visible && ((tl !== TOOL_PEN && tl !== TOOL_HIGHLIGHTER && tl !== TOOL_LINE) || (flags & FLAG_ROT) !== 0 || np === 0)) return null;
    if (visible && m + np > xy.length / 2) {
      const grown = new Int32Array(Math.max(xy.length * 2, 2 * (m + np)));
      grown.set(xy.subarray(0, 2 * m));
      xy = grown;
    }
    let x = 0;
    let y = 0;
    let sx0 = Infinity;
    let sy0 = Infinity;
    let sx1 = -Infinity;
    let sy1 = -Infinity;
    for (let j = 0; j < np; j++) {
      x += r.svarint();
      y += r.svarint();
      r.u8();
      if (!visible) continue;
      xy[2 * (m + j)] = x;
      xy[2 * (m + j) + 1] = y;
      if (x < sx0) sx0 = x;
      if (x > sx1) sx1 = x;
      if (y < sy0) sy0 = y;
      if (y > sy1) sy1 = y;
    }
    if (tl === TOOL_TEXT || tl === TOOL_IMAGE) r.bytes(r.uvarint());
    if ((flags & FLAG_WRAP) !== 0) r.uvarint();
    if ((flags & FLAG_SEQ) !== 0) r.uvarint();
    if ((flags & FLAG_SWEPT) !== 0) {
      r.uvarint();
      r.uvarint();
    }
    if ((flags & FLAG_ROT) !== 0) r.uvarint();
    if (!visible) continue;
    tool[k] = tl;
    color[k] = c;
    width[k] = w;
    start[k] = m;
    m += np;
    k++;
    // The stroke's extent, as snapshot.ts keeps it and the landing reads it (highlighters included: they are ink).
    if (sx0 - w < minX) minX = sx0 - w;
    if (sy0 - w < minY) minY = sy0 - w;
    if (sx1 + w > maxX) maxX = sx1 + w;
    if (sy1 + w > maxY) maxY = sy1 + w;
  }
  if (k < min) return null;
  start[k] = m;
  return { seq, n: k, tool, color, width, start, xy, box: { minX, minY, maxX, maxY } };
}
