// What a copy puts on the clipboard and what a paste makes of it. Pure.
//
// The clipboard holds JSON text, so that any Sketchpad board (another tab,
// another server) pastes it and other apps see text rather than nothing:
//
//	{"sketchpad": 1, "strokes": [{"tool": 0, "color": 4278190335, "width": 16,
//	  "pressure": false, "filled": false, "points": [[x, y, p], ...], "text": "",
//	  "rot": 4500}]}
//
// rot (a turned stroke's rotation, 1/100 degree, PROTOCOL.md "Rotate") is
// there only for a turned stroke; a paste turns the new stroke about its
// own center by it. wrap (a text's wrap width, board units, PROTOCOL.md
// "TextWrap") is there only for a text that wraps; a paste sets it.
// An image's text is its hash (PROTOCOL.md "Images"); images (present
// when the page could fetch them, at most MAX_CLIP_IMAGE_BYTES in all)
// holds each image's bytes as a data: URL by hash, so that a board that
// lacks the image uploads it before the paste places it:
//
//	{"sketchpad": 1, "strokes": [...], "images": {"<sha-256 hex>": "data:image/png;base64,..."}}
//
// Points are absolute board units (PROTOCOL.md "Coordinates"). A paste
// creates new strokes of the paster's own with the ops that draw them
// (Begin and Points then End, Shape, Text), placed so that the box of what
// was copied is centered where the paste lands.

import {
  COORD_LIMIT,
  MAX_POINTS_PER_OP,
  MAX_POINT_DELTA,
  MAX_STROKE_POINTS,
  MAX_TEXT_BYTES,
  MAX_TOOL,
  MAX_WIDTH,
  MAX_WRAP,
  TOOL_TEXT,
  TOOL_IMAGE,
  isFreehand,
  isShape,
  type Op,
  type Point,
} from '../protocol/types';
import { center } from '../protocol/rotate';
import { SELF } from './history';
import { rotateOps } from './rotate_gesture';

/** The most strokes one paste creates: more is refused with a message. */
export const MAX_PASTE = 1000;

/** The most image bytes (all images together) a copy carries; past it, they stay behind and a paste elsewhere says so. */
export const MAX_CLIP_IMAGE_BYTES = 16 << 20;

/** The image types a copy carries (those a board takes). */
const CLIP_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$/;

/** ClipStroke is one copied stroke. */
export interface ClipStroke {
  readonly tool: number;
  readonly color: number;
  readonly width: number;
  readonly pressure: boolean;
  readonly filled: boolean;
  readonly points: readonly Point[];
  readonly text: string;
  readonly rot?: number;
  readonly wrap?: number;
}

interface StrokeLike extends ClipStroke {}

/** clipText is the clipboard text for strokes (in z-order), each moved by (dx, dy) (pending moves). */
export function clipText(items: ReadonlyArray<{ readonly stroke: StrokeLike; readonly dx: number; readonly dy: number }>): string {
  const strokes = items.map(({ stroke: s, dx, dy }) => ({
    tool: s.tool,
    color: s.color,
    width: s.width,
    pressure: s.pressure,
    filled: s.filled,
    points: s.points.map((p) => [p.x + dx, p.y + dy, p.p]),
    text: s.text,
    ...(s.rot ? { rot: s.rot } : {}),
    ...(s.tool === TOOL_TEXT && s.wrap ? { wrap: s.wrap } : {}),
  }));
  return JSON.stringify({ sketchpad: 1, strokes });
}

/**
 * parseClip reads clipboard text: the strokes, or null when it is not
 * Sketchpad's; an error message when it is but cannot be pasted (too many
 * strokes, a stroke the protocol would refuse).
 */
export function parseClip(text: string): ClipStroke[] | string | null {
  if (!text.startsWith('{"sketchpad"')) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const list = (v as { strokes?: unknown }).strokes;
  if (!Array.isArray(list)) return null;
  if (list.length > MAX_PASTE) return `Pasting ${list.length.toLocaleString('en')} items at once is refused: at most ${MAX_PASTE.toLocaleString('en')}.`;
  const out: ClipStroke[] = [];
  const int = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
  for (const s of list as Array<Record<string, unknown>>) {
    const pts = s?.points;
    if (!int(s?.tool, 0, MAX_TOOL) || !int(s.color, 0, 0xffffffff) || !int(s.width, 1, MAX_WIDTH) || !Array.isArray(pts)) return 'The clipboard holds a stroke this board cannot take.';
    const n = s.tool === TOOL_TEXT ? 1 : isShape(s.tool as number) || s.tool === TOOL_IMAGE ? 2 : pts.length;
    if (pts.length !== n || n === 0 || n > MAX_STROKE_POINTS) return 'The clipboard holds a stroke this board cannot take.';
    const points: Point[] = [];
    for (const p of pts as unknown[]) {
      if (!Array.isArray(p) || !int(p[0], -COORD_LIMIT, COORD_LIMIT) || !int(p[1], -COORD_LIMIT, COORD_LIMIT) || !int(p[2] ?? 0, 0, 255)) {
        return 'The clipboard holds a stroke this board cannot take.';
      }
      points.push({ x: p[0], y: p[1], p: (p[2] as number | undefined) ?? 0 });
    }
    const text = typeof s.text === 'string' ? s.text : '';
    if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) return 'The clipboard holds a text too long for this board.';
    const rot = int(s.rot, 0, 35999) ? s.rot : 0;
    const wrap = s.tool === TOOL_TEXT && int(s.wrap, 1, MAX_WRAP) ? s.wrap : 0;
    out.push({ tool: s.tool as number, color: s.color as number, width: s.width as number, pressure: s.pressure === true, filled: s.filled === true, points, text, ...(rot ? { rot } : {}), ...(wrap ? { wrap } : {}) });
  }
  return out;
}

/**
 * pasteOps returns the ops that draw clip's strokes, their box's center
 * moved to at, numbered by newStroke; and the numbers given.
 */
export function pasteOps(clip: readonly ClipStroke[], at: { x: number; y: number }, newStroke: () => number): { ops: Op[]; strokes: number[] } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of clip) {
    for (const p of s.points) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
  }
  const dx = Math.round(at.x - (minX + maxX) / 2);
  const dy = Math.round(at.y - (minY + maxY) / 2);
  const clamp = (v: number): number => Math.max(-COORD_LIMIT, Math.min(COORD_LIMIT, v));
  const ops: Op[] = [];
  const strokes: number[] = [];
  for (const s of clip) {
    const n = newStroke();
    strokes.push(n);
    const pts = s.points.map((p) => ({ x: clamp(p.x + dx), y: clamp(p.y + dy), p: s.pressure ? p.p : 0 }));
    if (s.tool === TOOL_TEXT) {
      ops.push({ type: 'text', stroke: n, color: s.color, size: s.width, x: pts[0].x, y: pts[0].y, text: s.text });
      if (s.wrap) ops.push({ type: 'textWrap', text: { author: SELF, stroke: n }, wrap: s.wrap });
    } else if (s.tool === TOOL_IMAGE) {
      // The image's bytes are the board's: pasted on another board, page/clipboard_control uploads them there first.
      ops.push({ type: 'image', stroke: n, color: s.color, x0: pts[0].x, y0: pts[0].y, x1: pts[1].x, y1: pts[1].y, hash: s.text });
    } else if (isShape(s.tool)) {
      ops.push({ type: 'shape', stroke: n, tool: s.tool, filled: s.filled, color: s.color, width: s.width, x0: pts[0].x, y0: pts[0].y, x1: pts[1].x, y1: pts[1].y });
    } else if (isFreehand(s.tool)) {
      const deltas = pts.map((p, i) => (i === 0 ? p : { x: p.x - pts[i - 1].x, y: p.y - pts[i - 1].y, p: p.p }));
      // A step no Points op can say (a stroke drawn with far jumps): left out.
      if (deltas.some((d, i) => i > 0 && (Math.abs(d.x) > MAX_POINT_DELTA || Math.abs(d.y) > MAX_POINT_DELTA))) {
        strokes.pop();
        continue;
      }
      ops.push({ type: 'begin', stroke: n, tool: s.tool, pressure: s.pressure, color: s.color, width: s.width, points: deltas.slice(0, MAX_POINTS_PER_OP) });
      for (let i = MAX_POINTS_PER_OP; i < deltas.length; i += MAX_POINTS_PER_OP) {
        ops.push({ type: 'points', pressure: s.pressure, points: deltas.slice(i, i + MAX_POINTS_PER_OP) });
      }
      ops.push({ type: 'end' });
    }
    if (s.rot) ops.push(...rotateOps([{ author: SELF, stroke: n }], s.rot, center(pts)));
  }
  return { ops, strokes };
}

/** dataURLBytes is how many bytes a base64 data: URL holds. */
function dataURLBytes(url: string): number {
  const b64 = url.length - url.indexOf(',') - 1;
  return Math.floor((b64 * 3) / 4) - (url.endsWith('==') ? 2 : url.endsWith('=') ? 1 : 0);
}

/**
 * withImages adds the images' bytes (data: URLs by hash) to clipboard
 * text; all or none: past MAX_CLIP_IMAGE_BYTES it returns text as it was.
 */
export function withImages(text: string, images: ReadonlyMap<string, string>): string {
  if (images.size === 0) return text;
  let bytes = 0;
  for (const url of images.values()) bytes += dataURLBytes(url);
  if (bytes > MAX_CLIP_IMAGE_BYTES) return text;
  const v = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...v, images: Object.fromEntries(images) });
}

/**
 * clipImages reads what clipboard text needs and carries of images: the
 * hashes its image strokes name (in order, once each) and the bytes it
 * carries for them (data: URLs of a type a board takes; others left out).
 */
export function clipImages(text: string): { hashes: string[]; carried: Map<string, string> } {
  const out = { hashes: [] as string[], carried: new Map<string, string>() };
  if (!text.startsWith('{"sketchpad"')) return out;
  let v: { strokes?: unknown; images?: unknown };
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    return out;
  }
  const seen = new Set<string>();
  if (Array.isArray(v.strokes)) {
    for (const s of v.strokes as Array<Record<string, unknown> | null>) {
      if (s?.tool === TOOL_IMAGE && typeof s.text === 'string' && !seen.has(s.text)) {
        seen.add(s.text);
        out.hashes.push(s.text);
      }
    }
  }
  const images = v.images;
  if (typeof images === 'object' && images !== null) {
    for (const [hash, url] of Object.entries(images as Record<string, unknown>)) {
      if (seen.has(hash) && typeof url === 'string' && CLIP_IMAGE.test(url)) out.carried.set(hash, url);
    }
  }
  return out;
}
