// Op encoding (PROTOCOL.md "Ops (sequenced)", "Points block" and "Trace block").

import { ByteReader, ByteWriter, ProtocolError, fromHex, toHex } from './bytes';
import { readTextOp, writeTextOp } from './text_ops';
import {
  COORD_LIMIT,
  FLAG_FILLED,
  FLAG_PRESSURE,
  MAX_MOVE_DELTA,
  MAX_POINTS_PER_OP,
  MAX_POINT_DELTA,
  MAX_STROKES_PER_OP,
  MAX_TEXT_BYTES,
  MAX_TOOL,
  MAX_TRACE_RESIDUAL,
  MAX_WIDTH,
  OP_BEGIN,
  OP_CLEAR,
  OP_END,
  OP_ERASE,
  OP_MOVE,
  OP_POINTS,
  OP_POINTSP,
  OP_RESTORE,
  OP_SHAPE,
  OP_TEXT,
  OP_IMAGE,
  IMAGE_HASH_BYTES,
  OP_TRACE,
  OP_UNSWEEP,
  OP_REMOVE,
  OP_PURGE,
  OP_RESTYLE,
  OP_ORDER,
  OP_TRANSFORM,
  OP_ROTATE,
  FULL_TURN,
  OP_TEXT_EDIT,
  OP_TEXT_WRAP,
  MAX_SCALE,
  ALL_PARTS,
  PART_RGB,
  PART_ALPHA,
  PART_WIDTH,
  PART_FILL,
  WHERE_ABOVE,
  isFreehand,
  isShape,
  type AddOp,
  type Op,
  type Point,
  type StrokeId,
  type XY,
} from './types';

const MIN_POINT_BYTES = 2; // dx and dy take at least a byte each
const MIN_STROKE_ID_BYTES = 2;

/** isOpType reports whether t is the type byte of an op. */
export function isOpType(t: number): boolean {
  return (t >= OP_BEGIN && t <= OP_ORDER) || t === OP_TRANSFORM || t === OP_ROTATE || t === OP_IMAGE || t === OP_TEXT_EDIT || t === OP_TEXT_WRAP;
}

/** addsToBoard reports whether ops of type byte t can add to the board (the ops a Purge may carry). */
export function addsToBoard(t: number): boolean {
  return t === OP_BEGIN || t === OP_POINTS || t === OP_POINTSP || t === OP_TRACE || t === OP_SHAPE || t === OP_TEXT || t === OP_IMAGE || t === OP_TEXT_EDIT;
}

/** opTypeByte returns the type byte op is encoded with. */
export function opTypeByte(op: Op): number {
  switch (op.type) {
    case 'begin':
      return OP_BEGIN;
    case 'points':
      return op.pressure ? OP_POINTSP : OP_POINTS;
    case 'trace':
      return OP_TRACE;
    case 'end':
      return OP_END;
    case 'erase':
      return OP_ERASE;
    case 'restore':
      return OP_RESTORE;
    case 'clear':
      return OP_CLEAR;
    case 'shape':
      return OP_SHAPE;
    case 'text':
      return OP_TEXT;
    case 'move':
      return OP_MOVE;
    case 'unsweep':
      return OP_UNSWEEP;
    case 'remove':
      return OP_REMOVE;
    case 'purge':
      return OP_PURGE;
    case 'restyle':
      return OP_RESTYLE;
    case 'order':
      return OP_ORDER;
    case 'transform':
      return OP_TRANSFORM;
    case 'rotate':
      return OP_ROTATE;
    case 'image':
      return OP_IMAGE;
    case 'textEdit':
      return OP_TEXT_EDIT;
    case 'textWrap':
      return OP_TEXT_WRAP;
  }
}

/** writeOp appends op (type byte and body) to w. */
export function writeOp(w: ByteWriter, op: Op): void {
  w.u8(opTypeByte(op));
  switch (op.type) {
    case 'begin':
      w.uvarint(op.stroke).u8(op.tool).u8(op.pressure ? FLAG_PRESSURE : 0);
      w.u32(op.color).uvarint(op.width);
      writePoints(w, op.points, op.pressure);
      break;
    case 'points':
      writePoints(w, op.points, op.pressure);
      break;
    case 'trace':
      writeResiduals(w, op.residuals);
      break;
    case 'erase':
    case 'restore':
    case 'move':
      w.uvarint(op.strokes.length);
      for (const s of op.strokes) w.uvarint(s.author).uvarint(s.stroke);
      if (op.type === 'move') w.svarint(op.dx).svarint(op.dy);
      break;
    case 'shape':
      w.uvarint(op.stroke).u8(op.tool).u8(op.filled ? FLAG_FILLED : 0).u32(op.color).uvarint(op.width);
      w.svarint(op.x0).svarint(op.y0).svarint(op.x1).svarint(op.y1);
      break;
    case 'text':
      w.uvarint(op.stroke).u32(op.color).uvarint(op.size).svarint(op.x).svarint(op.y).str(op.text);
      break;
    case 'image':
      w.uvarint(op.stroke).u32(op.color).svarint(op.x0).svarint(op.y0).svarint(op.x1).svarint(op.y1);
      w.raw(imageHashBytes(op.hash));
      break;
    case 'restyle':
      writeIds(w, op.strokes);
      w.u8(op.parts);
      if (op.parts & (PART_RGB | PART_ALPHA)) w.u32(op.color);
      if (op.parts & PART_WIDTH) w.uvarint(op.width);
      if (op.parts & PART_FILL) w.u8(op.filled ? 1 : 0);
      break;
    case 'order':
      writeIds(w, op.strokes);
      w.u8(op.where);
      if (op.where === WHERE_ABOVE) w.uvarint(op.anchor.author).uvarint(op.anchor.stroke);
      break;
    case 'transform':
      writeIds(w, op.strokes);
      w.svarint(op.sx).svarint(op.sy).svarint(op.dx).svarint(op.dy);
      break;
    case 'rotate':
      writeIds(w, op.strokes);
      w.svarint(op.angle).svarint(op.px).svarint(op.py);
      break;
    case 'textEdit':
    case 'textWrap':
      writeTextOp(w, op);
      break;
    case 'clear':
      // 0 (or none, from a page older than version 4): version 3's clear, which a server refuses.
      if (op.n) w.uvarint(op.n);
      break;
    case 'unsweep':
      w.uvarint(op.by).uvarint(op.n);
      break;
    case 'remove':
      w.uvarint(op.n).uvarint(op.author).uvarint(op.since);
      break;
    case 'purge':
      writeOp(w, op.op);
      break;
    case 'end':
      break;
  }
}

/** imageHashBytes is a hash's 32 bytes (zeros where it is not 64 hex digits, as a server would refuse it). */
function imageHashBytes(hash: string): Uint8Array {
  return /^[0-9a-f]{64}$/.test(hash) ? fromHex(hash) : new Uint8Array(IMAGE_HASH_BYTES);
}

function writeIds(w: ByteWriter, ids: readonly StrokeId[]): void {
  w.uvarint(ids.length);
  for (const s of ids) w.uvarint(s.author).uvarint(s.stroke);
}

/** encodeOp returns op's wire bytes. */
export function encodeOp(op: Op): Uint8Array {
  if (op.type === 'purge') {
    const inner = encodeOp(op.op);
    const out = new Uint8Array(inner.length + 1);
    out[0] = OP_PURGE;
    out.set(inner, 1);
    return out;
  }
  const n =
    op.type === 'begin' || op.type === 'points'
      ? 8 + op.points.length * 4
      : op.type === 'trace'
        ? 8 + op.residuals.length * 3
        : op.type === 'text' || op.type === 'textEdit'
          ? 32 + (op.type === 'text' ? op.text : op.content).length * 3
          : op.type === 'erase' || op.type === 'restore' || op.type === 'move' || op.type === 'restyle' || op.type === 'order' || op.type === 'transform' || op.type === 'rotate'
            ? 32 + op.strokes.length * 10
            : 32;
  const w = new ByteWriter(n);
  writeOp(w, op);
  return w.bytes();
}

function writePoints(w: ByteWriter, pts: readonly Point[], pressure: boolean): void {
  w.uvarint(pts.length);
  for (const p of pts) {
    w.svarint(p.x).svarint(p.y);
    if (pressure) w.u8(p.p);
  }
}

/** decodeOp decodes exactly one op (type byte and body, nothing after). */
export function decodeOp(b: Uint8Array): Op {
  const r = new ByteReader(b);
  const op = readOp(r);
  r.done();
  return op;
}

/** readOp reads one op, validating every field against the protocol limits. */
export function readOp(r: ByteReader): Op {
  const t = r.u8();
  switch (t) {
    case OP_BEGIN: {
      const { stroke, tool, flags, color, width } = readStrokeHeader(r);
      if (tool > MAX_TOOL) throw new ProtocolError(`unknown tool ${tool}`);
      if ((flags & ~FLAG_PRESSURE) !== 0) throw new ProtocolError(`unknown flags 0x${flags.toString(16)}`);
      if (!isFreehand(tool)) throw new ProtocolError(`tool ${tool} is not a freehand tool`);
      const pressure = (flags & FLAG_PRESSURE) !== 0;
      const points = readPoints(r, pressure);
      return { type: 'begin', stroke, tool, pressure, color, width, points };
    }
    case OP_POINTS:
    case OP_POINTSP: {
      const pressure = t === OP_POINTSP;
      return { type: 'points', pressure, points: readPoints(r, pressure) };
    }
    case OP_TRACE:
      return { type: 'trace', residuals: readResiduals(r) };
    case OP_END:
      return { type: 'end' };
    case OP_ERASE:
    case OP_RESTORE:
    case OP_MOVE: {
      const n = r.count('stroke', MAX_STROKES_PER_OP, MIN_STROKE_ID_BYTES);
      if (n === 0) throw new ProtocolError('empty stroke list');
      const strokes: StrokeId[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const author = r.uvarint32('author');
        strokes[i] = { author, stroke: r.uvarint32('stroke') };
      }
      if (t !== OP_MOVE) return { type: t === OP_ERASE ? 'erase' : 'restore', strokes };
      const dx = r.svarint();
      const dy = r.svarint();
      if (Math.abs(dx) > MAX_MOVE_DELTA || Math.abs(dy) > MAX_MOVE_DELTA) throw new ProtocolError(`move beyond ±${MAX_MOVE_DELTA}`);
      return { type: 'move', strokes, dx, dy };
    }
    case OP_CLEAR:
      // No number: version 3's clear, as logs hold it.
      return { type: 'clear', n: r.remaining() > 0 ? readSweepNumber(r) : 0 };
    case OP_UNSWEEP: {
      const by = r.uvarint32('author');
      return { type: 'unsweep', by, n: readSweepNumber(r) };
    }
    case OP_REMOVE: {
      const n = readSweepNumber(r);
      const author = r.uvarint32('author');
      return { type: 'remove', n, author, since: r.uvarint() };
    }
    case OP_PURGE: {
      const inner = r.peekU8();
      if (!addsToBoard(inner)) throw new ProtocolError(`purge of op type 0x${inner.toString(16)}`);
      return { type: 'purge', op: readOp(r) as AddOp };
    }
    case OP_TEXT_EDIT:
    case OP_TEXT_WRAP:
      return readTextOp(r, t);
    case OP_TRANSFORM: {
      const strokes = readIds(r);
      const sx = r.svarint();
      const sy = r.svarint();
      const dx = r.svarint();
      const dy = r.svarint();
      for (const s of [sx, sy]) if (s === 0 || Math.abs(s) > MAX_SCALE) throw new ProtocolError(`scale ${s} out of range ±1..${MAX_SCALE}`);
      if (Math.abs(dx) > MAX_MOVE_DELTA || Math.abs(dy) > MAX_MOVE_DELTA) throw new ProtocolError(`move beyond ±${MAX_MOVE_DELTA}`);
      return { type: 'transform', strokes, sx, sy, dx, dy };
    }
    case OP_ROTATE: {
      const strokes = readIds(r);
      const angle = r.svarint();
      if (angle === 0 || Math.abs(angle) > FULL_TURN) throw new ProtocolError(`angle ${angle} out of range ±1..${FULL_TURN}`);
      const px = readAbs(r);
      return { type: 'rotate', strokes, angle, px, py: readAbs(r) };
    }
    case OP_RESTYLE:
    case OP_ORDER: {
      const strokes = readIds(r);
      if (t === OP_ORDER) {
        const where = r.u8();
        if (where > WHERE_ABOVE) throw new ProtocolError(`unknown order ${where}`);
        let anchor: StrokeId = { author: 0, stroke: 0 };
        if (where === WHERE_ABOVE) {
          const author = r.uvarint32('author');
          anchor = { author, stroke: r.uvarint32('stroke') };
        }
        return { type: 'order', strokes, where, anchor };
      }
      const parts = r.u8();
      if (parts === 0 || (parts & ~ALL_PARTS) !== 0) throw new ProtocolError(`restyle parts 0x${parts.toString(16)}`);
      const color = parts & (PART_RGB | PART_ALPHA) ? r.u32() : 0;
      let width = 0;
      if (parts & PART_WIDTH) {
        width = r.uvarint();
        checkWidth(width);
      }
      let filled = false;
      if (parts & PART_FILL) {
        const f = r.u8();
        if (f > 1) throw new ProtocolError(`fill ${f} is not 0 or 1`);
        filled = f === 1;
      }
      return { type: 'restyle', strokes, parts, color, width, filled };
    }
    case OP_SHAPE: {
      const { stroke, tool, flags, color, width } = readStrokeHeader(r);
      if (!isShape(tool)) throw new ProtocolError(`tool ${tool} is not a shape`);
      if ((flags & ~FLAG_FILLED) !== 0) throw new ProtocolError(`unknown flags 0x${flags.toString(16)}`);
      const x0 = readAbs(r);
      const y0 = readAbs(r);
      const x1 = readAbs(r);
      const y1 = readAbs(r);
      return { type: 'shape', stroke, tool, filled: (flags & FLAG_FILLED) !== 0, color, width, x0, y0, x1, y1 };
    }
    case OP_TEXT: {
      const stroke = r.uvarint32('stroke');
      const color = r.u32();
      const size = r.uvarint();
      if (stroke === 0) throw new ProtocolError('stroke number 0');
      checkWidth(size);
      const x = readAbs(r);
      const y = readAbs(r);
      return { type: 'text', stroke, color, size, x, y, text: r.str('text', MAX_TEXT_BYTES) };
    }
    case OP_IMAGE: {
      const stroke = r.uvarint32('stroke');
      const color = r.u32();
      if (stroke === 0) throw new ProtocolError('stroke number 0');
      const x0 = readAbs(r);
      const y0 = readAbs(r);
      const x1 = readAbs(r);
      const y1 = readAbs(r);
      return { type: 'image', stroke, color, x0, y0, x1, y1, hash: toHex(r.bytes(IMAGE_HASH_BYTES)) };
    }
    default:
      throw new ProtocolError(`unknown op type 0x${t.toString(16)}`);
  }
}

function readSweepNumber(r: ByteReader): number {
  const n = r.uvarint32('sweep');
  if (n === 0) throw new ProtocolError('sweep number 0');
  return n;
}

/** readIds reads a stroke list: count (1..MAX_STROKES_PER_OP), then (author, stroke) each. */
function readIds(r: ByteReader): StrokeId[] {
  const n = r.count('stroke', MAX_STROKES_PER_OP, MIN_STROKE_ID_BYTES);
  if (n === 0) throw new ProtocolError('empty stroke list');
  const strokes: StrokeId[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const author = r.uvarint32('author');
    strokes[i] = { author, stroke: r.uvarint32('stroke') };
  }
  return strokes;
}

/**
 * readStrokeHeader reads what Begin and Shape start with: stroke (not 0),
 * tool, flags, color and width (in range). The caller checks tool and flags.
 */
function readStrokeHeader(r: ByteReader): { stroke: number; tool: number; flags: number; color: number; width: number } {
  const stroke = r.uvarint32('stroke');
  const tool = r.u8();
  const flags = r.u8();
  const color = r.u32();
  const width = r.uvarint();
  if (stroke === 0) throw new ProtocolError('stroke number 0');
  checkWidth(width);
  return { stroke, tool, flags, color, width };
}

function checkWidth(w: number): void {
  if (w < 1 || w > MAX_WIDTH) throw new ProtocolError(`width ${w} out of range 1..${MAX_WIDTH}`);
}

/** readAbs reads an absolute coordinate, within ±COORD_LIMIT. */
function readAbs(r: ByteReader): number {
  const v = r.svarint();
  if (v > COORD_LIMIT || v < -COORD_LIMIT) throw new ProtocolError(`coordinate beyond ±${COORD_LIMIT}`);
  return v;
}

function readPoints(r: ByteReader, pressure: boolean): Point[] {
  const n = r.count('point', MAX_POINTS_PER_OP, pressure ? MIN_POINT_BYTES + 1 : MIN_POINT_BYTES);
  if (n === 0) throw new ProtocolError('empty point list');
  const pts: Point[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = r.svarint();
    const y = r.svarint();
    const p = pressure ? r.u8() : 0;
    if (x > MAX_POINT_DELTA || x < -MAX_POINT_DELTA || y > MAX_POINT_DELTA || y < -MAX_POINT_DELTA) {
      throw new ProtocolError(`point delta beyond ±${MAX_POINT_DELTA}`);
    }
    pts[i] = { x, y, p };
  }
  return pts;
}

// Trace codes (PROTOCOL.md "Trace block"). A code byte c says one or two
// residuals:
//   0..80     two, c = 9·s(r1) + s(r2), s(r) = 3·(rx+1) + (ry+1), coordinates in ±1
//   81..249   one, c − 81 = 13·(rx+6) + (ry+6), coordinates in ±6
//   250..254  one with the next byte b: v = 256·(c−250) + b = 35·(rx+17) + (ry+17),
//             coordinates in ±17 (v >= 1225 is malformed)
//   255       one: rx svarint, ry svarint, each within ±MAX_TRACE_RESIDUAL
const TRACE_PAIRS = 81;
const TRACE_SINGLES = 250;
const TRACE_ESCAPE = 0xff;
const TRACE_MEDIUM_R = 17;
const TRACE_MEDIUM_SIDE = 2 * TRACE_MEDIUM_R + 1;

function within(r: XY, k: number): boolean {
  return r.x >= -k && r.x <= k && r.y >= -k && r.y <= k;
}

/** writeResiduals writes trace codes, pairing greedily (the shortest codes). */
function writeResiduals(w: ByteWriter, rs: readonly XY[]): void {
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i];
    if (i + 1 < rs.length && within(r, 1) && within(rs[i + 1], 1)) {
      const s = rs[i + 1];
      w.u8(9 * (3 * (r.x + 1) + r.y + 1) + 3 * (s.x + 1) + s.y + 1);
      i++;
    } else if (within(r, 6)) {
      w.u8(TRACE_PAIRS + 13 * (r.x + 6) + r.y + 6);
    } else if (within(r, TRACE_MEDIUM_R)) {
      const v = TRACE_MEDIUM_SIDE * (r.x + TRACE_MEDIUM_R) + r.y + TRACE_MEDIUM_R;
      w.u8(TRACE_SINGLES + (v >> 8)).u8(v & 0xff);
    } else {
      w.u8(TRACE_ESCAPE).svarint(r.x).svarint(r.y);
    }
  }
}

/** readResiduals reads trace codes up to the end of r (a Trace op's body). */
function readResiduals(r: ByteReader): XY[] {
  if (r.remaining() === 0) throw new ProtocolError('empty point list');
  const out: XY[] = [];
  while (r.remaining() > 0) {
    const c = r.u8();
    if (out.length + (c < TRACE_PAIRS ? 2 : 1) > MAX_POINTS_PER_OP) {
      throw new ProtocolError(`point count over limit ${MAX_POINTS_PER_OP}`);
    }
    if (c < TRACE_PAIRS) {
      const a = Math.floor(c / 9);
      const b = c % 9;
      out.push({ x: Math.floor(a / 3) - 1, y: (a % 3) - 1 }, { x: Math.floor(b / 3) - 1, y: (b % 3) - 1 });
    } else if (c < TRACE_SINGLES) {
      const v = c - TRACE_PAIRS;
      out.push({ x: Math.floor(v / 13) - 6, y: (v % 13) - 6 });
    } else if (c < TRACE_ESCAPE) {
      const b = r.u8();
      const v = (c - TRACE_SINGLES) * 256 + b;
      if (v >= TRACE_MEDIUM_SIDE * TRACE_MEDIUM_SIDE) throw new ProtocolError(`reserved trace code 0x${c.toString(16)} 0x${b.toString(16)}`);
      out.push({ x: Math.floor(v / TRACE_MEDIUM_SIDE) - TRACE_MEDIUM_R, y: (v % TRACE_MEDIUM_SIDE) - TRACE_MEDIUM_R });
    } else {
      const x = r.svarint();
      const y = r.svarint();
      if (x > MAX_TRACE_RESIDUAL || x < -MAX_TRACE_RESIDUAL || y > MAX_TRACE_RESIDUAL || y < -MAX_TRACE_RESIDUAL) {
        throw new ProtocolError(`trace residual beyond ±${MAX_TRACE_RESIDUAL}`);
      }
      out.push({ x, y });
    }
  }
  return out;
}
