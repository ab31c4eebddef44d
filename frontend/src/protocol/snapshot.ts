// The board (snapshot) encoding (PROTOCOL.md "Board (snapshot) encoding").
// Canonical: the same board always encodes to the same bytes.
//
//	epoch    u64
//	seq      uvarint
//	authors  uvarint count, then ascending by id: id, applied, open (uvarints)
//	strokes  uvarint count, then in z-order: author, stroke (uvarints), tool u8,
//	         flags u8 (bit0 pressure, bit1 hidden, bit2 filled), color u32,
//	         width uvarint, n uvarint, n × (dx svarint, dy svarint, p u8),
//	         deltas from (0, 0), then for a text (tool 7) its text string,
//	         then seq uvarint (flags bit3), then sweep author, n (bit4; bit5: a removal)

import { Board, type AuthorState, type Stroke } from './board';
import { ByteReader, ByteWriter, ProtocolError } from './bytes';
import { keepDecodedExtent } from '../geometry/kept_extent';
import {
  FULL_TURN,
  COORD_LIMIT,
  FLAG_FILLED,
  FLAG_HIDDEN,
  FLAG_PRESSURE,
  MAX_STROKE_POINTS,
  MAX_TEXT_BYTES,
  MAX_TOOL,
  MAX_WIDTH,
  TOOL_ARROW,
  TOOL_TEXT,
  TOOL_IMAGE,
  IMAGE_HASH_BYTES,
  MAX_WRAP,
  isShape,
  type Point,
} from './types';

// Limits a board decoder enforces, so a snapshot can never make it allocate
// without bound (the same as the Go decoder's).
const MAX_SNAPSHOT_AUTHORS = 1 << 20;
const MAX_SNAPSHOT_STROKES = 1 << 22;
const MAX_SNAPSHOT_POINTS = 1 << 26;
const MIN_SNAPSHOT_AUTHOR = 3;
const MIN_SNAPSHOT_STROKE = 10;
const MIN_SNAPSHOT_POINT = 3;
const FLAG_SEQ = 1 << 3;
const FLAG_SWEPT = 1 << 4;
const FLAG_REMOVED = 1 << 5;
/** bit6: the stroke's rotation follows, after its sweep (version 5). */
const FLAG_ROT = 1 << 6;
const FLAG_WRAP = 1 << 7; // a text's wrap width follows its text (version 5)
const KNOWN_FLAGS = FLAG_PRESSURE | FLAG_HIDDEN | FLAG_FILLED | FLAG_SEQ | FLAG_SWEPT | FLAG_REMOVED | FLAG_ROT | FLAG_WRAP;

/**
 * A snapshot's point. A class of its own, not an object literal, so that
 * its hidden class is not the one every `{ x, y, p }` literal of the page
 * shares: a fractional coordinate stored in any of those (a pointer
 * sample in board units) turns that class's x and y into boxed numbers,
 * and a big board's 2,000,000 points would each carry two boxes (twice
 * the memory, and twice the garbage collector's copying, of the opening)
 * or be migrated one by one when next read. Board coordinates are whole
 * numbers: these stay small integers held in the object.
 */
class SnapshotPoint implements Point {
  constructor(
    readonly x: number,
    readonly y: number,
    readonly p: number,
  ) {}
}


/** writeBoard appends the canonical encoding of b to w. */
export function writeBoard(w: ByteWriter, b: Board): void {
  writeBoardHead(w, b);
  for (const s of b.strokes) writeStroke(w, s);
}

/** writeBoardHead appends what comes before the strokes: epoch, seq, authors and the strokes' count. */
function writeBoardHead(w: ByteWriter, b: Board): void {
  w.u64(b.epoch).uvarint(b.seq);
  const ids = b.authorIds();
  w.uvarint(ids.length);
  for (const id of ids) {
    const a = b.author(id);
    w.uvarint(id).uvarint(a.applied).uvarint(a.open);
  }
  w.uvarint(b.strokes.length);
}

/** writeStroke appends one stroke's encoding. */
function writeStroke(w: ByteWriter, s: Stroke): void {
  w.uvarint(s.author).uvarint(s.stroke).u8(s.tool);
  w.u8(
    (s.pressure ? FLAG_PRESSURE : 0) |
      (s.hidden ? FLAG_HIDDEN : 0) |
      (s.filled ? FLAG_FILLED : 0) |
      (s.seq !== 0 ? FLAG_SEQ : 0) |
      (s.sweptN !== 0 ? FLAG_SWEPT | (s.removed ? FLAG_REMOVED : 0) : 0) |
      (s.rot ? FLAG_ROT : 0) |
      (s.wrap ? FLAG_WRAP : 0),
  );
  w.u32(s.color).uvarint(s.width).uvarint(s.points.length);
  let px = 0;
  let py = 0;
  for (const p of s.points) {
    w.svarint(p.x - px).svarint(p.y - py).u8(p.p);
    px = p.x;
    py = p.y;
  }
  if (s.tool === TOOL_TEXT || s.tool === TOOL_IMAGE) w.str(s.text);
  if (s.wrap) w.uvarint(s.wrap);
  if (s.seq !== 0) w.uvarint(s.seq);
  if (s.sweptN !== 0) w.uvarint(s.sweptBy).uvarint(s.sweptN);
  if (s.rot) w.uvarint(s.rot);
}

/**
 * encodeBoardInSteps encodes b as encodeBoard does, a few strokes at a
 * time: each next() writes about `points` points' worth of strokes (at
 * least one stroke), and the last returns the bytes. A big board's
 * encoding is then spread over idle periods instead of one long task.
 * The caller must not let b change between steps: the bytes would mix
 * two boards (the board's saver checks b's seq and starts again).
 */
export function* encodeBoardInSteps(b: Board, points = 20000): Generator<void, Uint8Array, void> {
  const w = new ByteWriter(64 + b.points * 4);
  writeBoardHead(w, b);
  let done = 0;
  for (const s of b.strokes) {
    writeStroke(w, s);
    done += s.points.length + 1;
    if (done >= points) {
      done = 0;
      yield;
    }
  }
  return w.bytes();
}

/** encodeBoard returns the canonical encoding of b. */
export function encodeBoard(b: Board): Uint8Array {
  const w = new ByteWriter(64 + b.points * 4);
  writeBoard(w, b);
  return w.bytes();
}

/** decodeBoard decodes a board encoding that fills all of data. */
export function decodeBoard(data: Uint8Array): Board {
  const r = new ByteReader(data);
  const b = readBoard(r);
  r.done();
  return b;
}

/** readBoard reads a board encoding, validating it as strictly as an op. */
export function readBoard(r: ByteReader): Board {
  const epoch = r.u64();
  const seq = r.uvarint();
  const na = r.count('author', MAX_SNAPSHOT_AUTHORS, MIN_SNAPSHOT_AUTHOR);
  const authors: Array<[number, AuthorState]> = [];
  let last = -1;
  for (let i = 0; i < na; i++) {
    const id = r.uvarint32('author');
    const applied = r.uvarint();
    const open = r.uvarint32('stroke');
    if (id <= last) throw new ProtocolError('authors not in ascending order');
    last = id;
    authors.push([id, { applied, open }]);
  }
  const ns = r.count('stroke', MAX_SNAPSHOT_STROKES, MIN_SNAPSHOT_STROKE);
  const strokes: Stroke[] = [];
  // Stroke numbers seen, per author (no string per stroke: a big board has 100,000).
  const seen = new Map<number, Set<number>>();
  const wasSeen = (author: number, stroke: number): boolean => seen.get(author)?.has(stroke) ?? false;
  let total = 0;
  for (let i = 0; i < ns; i++) {
    const author = r.uvarint32('author');
    const stroke = r.uvarint32('stroke');
    const tool = r.u8();
    const flags = r.u8();
    const color = r.u32();
    const width = r.uvarint();
    const np = r.count('point', MAX_STROKE_POINTS, MIN_SNAPSHOT_POINT);
    if (stroke === 0) throw new ProtocolError('stroke number 0');
    if (tool > MAX_TOOL) throw new ProtocolError(`unknown tool ${tool}`);
    if ((flags & ~KNOWN_FLAGS) !== 0 || ((flags & FLAG_REMOVED) !== 0 && (flags & FLAG_SWEPT) === 0)) {
      throw new ProtocolError(`unknown stroke flags 0x${flags.toString(16)}`);
    }
    if ((flags & FLAG_WRAP) !== 0 && tool !== TOOL_TEXT) throw new ProtocolError(`wrap width on a tool ${tool} stroke`);
    if ((isShape(tool) && np !== 2) || (tool === TOOL_TEXT && np !== 1) || (tool === TOOL_IMAGE && np !== 2)) throw new ProtocolError(`tool ${tool} stroke with ${np} points`);
    if (width < 1 || width > MAX_WIDTH) throw new ProtocolError(`width ${width} out of range 1..${MAX_WIDTH}`);
    if (np === 0) throw new ProtocolError('stroke without points');
    if (total + np > MAX_SNAPSHOT_POINTS) throw new ProtocolError('snapshot holds too many points');
    if (wasSeen(author, stroke)) throw new ProtocolError('duplicate stroke');
    let byAuthor = seen.get(author);
    if (!byAuthor) seen.set(author, (byAuthor = new Set()));
    byAuthor.add(stroke);
    const points: Point[] = new Array(np);
    let x = 0;
    let y = 0;
    // The points' box, for the stroke's extent (kept on it: the landing and the index ask for every stroke's).
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let j = 0; j < np; j++) {
      x += r.svarint();
      y += r.svarint();
      const p = r.u8();
      if (x > COORD_LIMIT || x < -COORD_LIMIT || y > COORD_LIMIT || y < -COORD_LIMIT) {
        throw new ProtocolError(`coordinate beyond ±${COORD_LIMIT}`);
      }
      points[j] = new SnapshotPoint(x, y, p);
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    total += np;
    const text = tool === TOOL_TEXT ? r.str('text', MAX_TEXT_BYTES) : tool === TOOL_IMAGE ? r.str('image hash', 2 * IMAGE_HASH_BYTES) : '';
    if (tool === TOOL_IMAGE && !/^[0-9a-f]{64}$/.test(text)) throw new ProtocolError(`image hash ${JSON.stringify(text)}`);
    let wrap = 0;
    if ((flags & FLAG_WRAP) !== 0) {
      wrap = r.uvarint();
      if (wrap === 0 || wrap > MAX_WRAP) throw new ProtocolError(`wrap width ${wrap} outside 1..${MAX_WRAP}`);
    }
    let strokeSeq = 0;
    if ((flags & FLAG_SEQ) !== 0) {
      strokeSeq = r.uvarint();
      if (strokeSeq === 0 || strokeSeq > seq) throw new ProtocolError(`stroke seq ${strokeSeq} outside 1..${seq}`);
    }
    let sweptBy = 0;
    let sweptN = 0;
    if ((flags & FLAG_SWEPT) !== 0) {
      sweptBy = r.uvarint32('author');
      sweptN = r.uvarint32('sweep');
      if (sweptN === 0) throw new ProtocolError('sweep number 0');
    }
    let rot = 0;
    if ((flags & FLAG_ROT) !== 0) {
      rot = r.uvarint32('rotation');
      if (rot === 0 || rot >= FULL_TURN) throw new ProtocolError(`rotation ${rot} outside 1..${FULL_TURN - 1}`);
    }
    // A plain literal (no spread: a big board has 100,000 of them), the
    // optional fields added only when set.
    const s: { -readonly [K in keyof Stroke]: Stroke[K] } = {
      author,
      stroke,
      tool,
      pressure: (flags & FLAG_PRESSURE) !== 0,
      hidden: (flags & FLAG_HIDDEN) !== 0,
      filled: (flags & FLAG_FILLED) !== 0,
      color,
      width,
      points,
      text,
      seq: strokeSeq,
      sweptBy,
      sweptN,
      removed: (flags & FLAG_REMOVED) !== 0,
    };
    if (wrap) s.wrap = wrap;
    if (rot) s.rot = rot;
    // geometry/shape's strokeExtent for what it grows by the width alone.
    if (!rot && tool !== TOOL_TEXT && tool !== TOOL_ARROW && tool !== TOOL_IMAGE) keepDecodedExtent(points, width, { minX: minX - width, minY: minY - width, maxX: maxX + width, maxY: maxY + width });
    strokes.push(s);
  }
  for (const [id, a] of authors) {
    if (a.open !== 0 && !wasSeen(id, a.open)) {
      throw new ProtocolError(`open stroke ${a.open} of author ${id} not on the board`);
    }
    if (a.open !== 0 && strokes.some((s) => s.author === id && s.stroke === a.open && s.sweptN !== 0)) {
      throw new ProtocolError(`open stroke ${a.open} of author ${id} is swept`);
    }
  }
  // The strokes were made here and nobody else holds them: the board keeps them.
  return Board.restore(epoch, seq, authors, strokes, true);
}
