// Client frames (PROTOCOL.md "Client messages"): exactly one message, a type
// byte then its body. The browser encodes them; the decoder exists so the
// codec can be checked against the shared vectors from both directions.

import { ByteReader, ByteWriter, ProtocolError } from './bytes';
import { isOpType, readOp, writeOp } from './op';
import { readTextId } from './text_ops';
import {
  COORD_LIMIT,
  MAX_NAME_BYTES,
  MAX_LASER_POINTS,
  MSG_CURSOR,
  MSG_HELLO,
  MSG_LASER,
  MSG_NAME,
  MSG_VIEW,
  MAX_VIEW_SPAN,
  MSG_EDITING,
  type ClientMsg,
} from './types';

/** encodeClientMsg returns the client frame carrying m. */
export function encodeClientMsg(m: ClientMsg): Uint8Array {
  const w = new ByteWriter(32);
  switch (m.type) {
    case 'hello':
      w.u8(MSG_HELLO).u8(m.version).u64(m.epoch).uvarint(m.lastSeq).uvarint(m.author);
      w.str(m.name).u32(m.color);
      break;
    case 'cursor':
      w.u8(MSG_CURSOR).svarint(m.x).svarint(m.y);
      break;
    case 'laser':
      w.u8(MSG_LASER).uvarint(m.points.length);
      for (const p of m.points) w.svarint(p.x).svarint(p.y);
      break;
    case 'view':
      w.u8(MSG_VIEW).svarint(m.x).svarint(m.y).uvarint(m.w).uvarint(m.h);
      break;
    case 'name':
      w.u8(MSG_NAME).str(m.name).u32(m.color);
      break;
    case 'editing':
      w.u8(MSG_EDITING).uvarint(m.text.author).uvarint(m.text.stroke);
      break;
    default:
      writeOp(w, m);
  }
  return w.bytes();
}

/** decodeClientFrame decodes one client frame, validating it strictly. */
export function decodeClientFrame(b: Uint8Array): ClientMsg {
  if (b.length === 0) throw new ProtocolError('empty frame');
  const t = b[0];
  if (isOpType(t)) {
    const r = new ByteReader(b);
    const op = readOp(r);
    r.done();
    // A server numbers ops in a Purge when it needs their room; version
    // 3's clear for good is only for logs to replay.
    if (op.type === 'purge') throw new ProtocolError('a purge is numbered by servers only');
    if (op.type === 'clear' && op.n === 0) throw new ProtocolError('clear without a sweep number (version 3)');
    return op;
  }
  const r = new ByteReader(b, 1);
  let m: ClientMsg;
  switch (t) {
    case MSG_HELLO: {
      const version = r.u8();
      const epoch = r.u64();
      const lastSeq = r.uvarint();
      const author = r.uvarint32('author');
      const name = r.str('name', MAX_NAME_BYTES);
      m = { type: 'hello', version, epoch, lastSeq, author, name, color: r.u32() };
      break;
    }
    case MSG_CURSOR: {
      const x = readCoord(r);
      m = { type: 'cursor', x, y: readCoord(r) };
      break;
    }
    case MSG_LASER: {
      const points = readLaserPoints(r);
      if (points.length === 0) throw new ProtocolError('laser without points');
      m = { type: 'laser', points };
      break;
    }
    case MSG_VIEW:
      m = { type: 'view', ...readView(r) };
      break;
    case MSG_NAME: {
      const name = r.str('name', MAX_NAME_BYTES);
      m = { type: 'name', name, color: r.u32() };
      break;
    }
    case MSG_EDITING:
      m = { type: 'editing', text: readEditing(r) };
      break;
    default:
      throw new ProtocolError(`unknown message type 0x${t.toString(16)}`);
  }
  r.done();
  return m;
}

/** readLaserPoints reads count uvarint, count × (x svarint, y svarint). */
export function readLaserPoints(r: ByteReader): { x: number; y: number }[] {
  const n = r.count('laser point', MAX_LASER_POINTS, 2);
  const pts: { x: number; y: number }[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const x = readCoord(r);
    pts[i] = { x, y: readCoord(r) };
  }
  return pts;
}

/** readView reads x svarint, y svarint, w uvarint, h uvarint: a center within the coordinate limit, a size within 1..MAX_VIEW_SPAN. */
export function readView(r: ByteReader): { x: number; y: number; w: number; h: number } {
  const x = readCoord(r);
  const y = readCoord(r);
  const w = readSpan(r);
  return { x, y, w, h: readSpan(r) };
}

function readSpan(r: ByteReader): number {
  const s = r.uvarint();
  if (s === 0 || s > MAX_VIEW_SPAN) throw new ProtocolError(`view size ${s} outside 1..${MAX_VIEW_SPAN}`);
  return s;
}

/** readCoord reads an absolute coordinate and checks its range. */
export function readCoord(r: ByteReader): number {
  const v = r.svarint();
  if (v > COORD_LIMIT || v < -COORD_LIMIT) throw new ProtocolError(`coordinate beyond ±${COORD_LIMIT}`);
  return v;
}

/** readEditing reads the text an Editing names: (0, 0), or a stroke number other than 0. */
export function readEditing(r: ByteReader): { author: number; stroke: number } {
  const id = readTextId(r);
  if (id.stroke === 0 && id.author !== 0) throw new ProtocolError('stroke number 0');
  return id;
}
