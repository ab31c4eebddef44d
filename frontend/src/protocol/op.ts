// Op encoding (PROTOCOL.md "Ops (sequenced)" and "Points block").

import { ByteReader, ByteWriter, ProtocolError } from './bytes';
import {
  FLAG_PRESSURE,
  MAX_POINTS_PER_OP,
  MAX_POINT_DELTA,
  MAX_STROKES_PER_OP,
  MAX_TOOL,
  MAX_WIDTH,
  OP_BEGIN,
  OP_CLEAR,
  OP_END,
  OP_ERASE,
  OP_POINTS,
  OP_POINTSP,
  OP_RESTORE,
  type Op,
  type Point,
  type StrokeId,
} from './types';

const MIN_POINT_BYTES = 2; // dx and dy take at least a byte each
const MIN_STROKE_ID_BYTES = 2;

/** isOpType reports whether t is the type byte of an op. */
export function isOpType(t: number): boolean {
  return t >= OP_BEGIN && t <= OP_CLEAR;
}

/** opTypeByte returns the type byte op is encoded with. */
export function opTypeByte(op: Op): number {
  switch (op.type) {
    case 'begin':
      return OP_BEGIN;
    case 'points':
      return op.pressure ? OP_POINTSP : OP_POINTS;
    case 'end':
      return OP_END;
    case 'erase':
      return OP_ERASE;
    case 'restore':
      return OP_RESTORE;
    case 'clear':
      return OP_CLEAR;
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
    case 'erase':
    case 'restore':
      w.uvarint(op.strokes.length);
      for (const s of op.strokes) w.uvarint(s.author).uvarint(s.stroke);
      break;
    case 'end':
    case 'clear':
      break;
  }
}

/** encodeOp returns op's wire bytes. */
export function encodeOp(op: Op): Uint8Array {
  const w = new ByteWriter(op.type === 'begin' || op.type === 'points' ? 8 + op.points.length * 4 : 16);
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
      const stroke = r.uvarint32('stroke');
      const tool = r.u8();
      const flags = r.u8();
      const color = r.u32();
      const width = r.uvarint();
      if (stroke === 0) throw new ProtocolError('stroke number 0');
      if (tool > MAX_TOOL) throw new ProtocolError(`unknown tool ${tool}`);
      if ((flags & ~FLAG_PRESSURE) !== 0) throw new ProtocolError(`unknown flags 0x${flags.toString(16)}`);
      if (width < 1 || width > MAX_WIDTH) throw new ProtocolError(`width ${width} out of range 1..${MAX_WIDTH}`);
      const pressure = (flags & FLAG_PRESSURE) !== 0;
      const points = readPoints(r, pressure);
      return { type: 'begin', stroke, tool, pressure, color, width, points };
    }
    case OP_POINTS:
    case OP_POINTSP: {
      const pressure = t === OP_POINTSP;
      return { type: 'points', pressure, points: readPoints(r, pressure) };
    }
    case OP_END:
      return { type: 'end' };
    case OP_ERASE:
    case OP_RESTORE: {
      const n = r.count('stroke', MAX_STROKES_PER_OP, MIN_STROKE_ID_BYTES);
      if (n === 0) throw new ProtocolError('empty stroke list');
      const strokes: StrokeId[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const author = r.uvarint32('author');
        strokes[i] = { author, stroke: r.uvarint32('stroke') };
      }
      return { type: t === OP_ERASE ? 'erase' : 'restore', strokes };
    }
    case OP_CLEAR:
      return { type: 'clear' };
    default:
      throw new ProtocolError(`unknown op type 0x${t.toString(16)}`);
  }
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
