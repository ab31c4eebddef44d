// Primitive encodings, delta coding and ops: table tests and random round trips.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import { ByteReader, ByteWriter, ProtocolError, fromHex, toHex } from '../src/protocol/bytes';
import { decodeClientFrame, encodeClientMsg } from '../src/protocol/client';
import { chunk, fromDeltas, toDeltas } from '../src/protocol/delta';
import { decodeOp, encodeOp } from '../src/protocol/op';
import { decodeServerFrame } from '../src/protocol/server';
import { decodeBoard, encodeBoard, encodeBoardInSteps } from '../src/protocol/snapshot';
import type { Op, Point } from '../src/protocol/types';
import { int, seeded } from './rand';

test('uvarint: table (as Go encoding/binary)', () => {
  const table: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16384, '808001'],
    [2 ** 32 - 1, 'ffffffff0f'],
    [2 ** 40, '808080808020'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
  ];
  for (const [v, hex] of table) {
    assert.equal(toHex(new ByteWriter().uvarint(v).bytes()), hex, `encode ${v}`);
    assert.equal(new ByteReader(fromHex(hex)).uvarint(), v, `decode ${hex}`);
  }
  // Not the shortest form, still accepted (PROTOCOL.md).
  assert.equal(new ByteReader(fromHex('8100')).uvarint(), 1);
  assert.equal(new ByteReader(fromHex('80808080808080808000')).uvarint(), 0);
});

test('uvarint: malformed, truncated and too large values are refused', () => {
  for (const hex of ['', '80', 'ffff', 'ffffffffffffffffff02', 'ffffffffffffffffffff01', '8080808080808080808000']) {
    assert.throws(() => new ByteReader(fromHex(hex)).uvarint(), ProtocolError, hex);
  }
  assert.throws(() => new ByteReader(fromHex('8080808080808010')).uvarint(), /too large/); // 2^53
});

test('svarint: zigzag table', () => {
  const table: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-2, '03'],
    [63, '7e'],
    [-64, '7f'],
    [64, '8001'],
    [1 << 24, '80808010'],
    [-(1 << 24), 'ffffff0f'],
  ];
  for (const [v, hex] of table) {
    assert.equal(toHex(new ByteWriter().svarint(v).bytes()), hex, `encode ${v}`);
    assert.equal(new ByteReader(fromHex(hex)).svarint(), v, `decode ${hex}`);
  }
});

test('svarint: the same value whether it ends its message or bytes follow, at every length boundary', () => {
  const edges = [0, 63, 64, 8191, 8192, 2 ** 20 - 1, 2 ** 20, 2 ** 27, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 51];
  for (const e of edges) {
    for (const v of [e, -e, e - 1, -e - 1].map((x) => x + 0)) { // + 0: no -0
      const alone = new ByteWriter().svarint(v).bytes();
      const followed = new ByteWriter().svarint(v).u32(0xffffffff).bytes();
      assert.equal(new ByteReader(alone).svarint(), v, `alone ${v}`);
      const rd = new ByteReader(followed);
      assert.equal(rd.svarint(), v, `followed ${v}`);
      assert.equal(rd.u32(), 0xffffffff, `after ${v}`);
      rd.done();
    }
  }
  assert.throws(() => new ByteReader(fromHex('8080')).svarint(), /truncated/);
});

test('varints, u64, u32, strings: random round trips', () => {
  const r = seeded(1);
  for (let i = 0; i < 5000; i++) {
    const bits = int(r, 0, 53);
    const u = Math.floor(r() * 2 ** bits);
    const s = Math.floor((r() - 0.5) * 2 ** int(r, 0, 52));
    const u32 = Math.floor(r() * 2 ** 32);
    const u64 = (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    const str = String.fromCodePoint(...Array.from({ length: int(r, 0, 8) }, () => int(r, 32, 0x1f000))).replace(/[\ud800-\udfff]/g, '');
    const w = new ByteWriter(1).uvarint(u).svarint(s).u32(u32).u64(u64).str(str);
    const rd = new ByteReader(w.bytes());
    assert.equal(rd.uvarint(), u);
    assert.equal(rd.svarint(), s);
    assert.equal(rd.u32(), u32);
    assert.equal(rd.u64(), u64);
    assert.equal(rd.str('s', 1 << 20), str);
    rd.done();
  }
});

test('delta coding: random round trips, first delta absolute', () => {
  const r = seeded(2);
  for (let i = 0; i < 500; i++) {
    const n = int(r, 1, 300);
    const pts: Point[] = [];
    let x = int(r, -1e6, 1e6);
    let y = int(r, -1e6, 1e6);
    for (let j = 0; j < n; j++) {
      x += int(r, -500, 500);
      y += int(r, -500, 500);
      pts.push({ x, y, p: int(r, 0, 255) });
    }
    const prev = r() < 0.5 ? undefined : { x: int(r, -1e6, 1e6), y: int(r, -1e6, 1e6) };
    const d = toDeltas(pts, prev);
    assert.deepEqual(fromDeltas(d, prev), pts);
    if (!prev) assert.deepEqual(d[0], pts[0]);
    assert.equal(pts.length, n, 'input kept');
  }
});

test('a freehand sample costs 2 bytes, 3 with pressure', () => {
  const pts: Point[] = [];
  for (let i = 0; i < 100; i++) pts.push({ x: 4000 + i * 12, y: 3000 + ((i * 7) % 20) - 10, p: 128 });
  const deltas = toDeltas(pts.slice(1), pts[0]);
  const plain = encodeOp({ type: 'points', pressure: false, points: deltas });
  const withP = encodeOp({ type: 'points', pressure: true, points: deltas });
  assert.equal(plain.length, 2 + 99 * 2);
  assert.equal(withP.length, 2 + 99 * 3);
});

test('chunk splits at 2048 points', () => {
  const pts = Array.from({ length: 5000 }, (_, i) => i);
  const c = chunk(pts);
  assert.deepEqual(c.map((x) => x.length), [2048, 2048, 904]);
  assert.deepEqual(c.flat(), pts);
});

test('ops: random round trips through client frames', () => {
  const r = seeded(3);
  const randPts = (pressure: boolean): Point[] =>
    Array.from({ length: int(r, 1, 50) }, () => ({ x: int(r, -(2 ** 24), 2 ** 24), y: int(r, -(2 ** 24), 2 ** 24), p: pressure ? int(r, 0, 255) : 0 }));
  for (let i = 0; i < 2000; i++) {
    const kind = int(r, 0, 4);
    const pressure = r() < 0.5;
    let op: Op;
    if (kind === 0) {
      op = { type: 'begin', stroke: int(r, 1, 2 ** 32 - 1), tool: 0, pressure, color: int(r, 0, 2 ** 32 - 1), width: int(r, 1, 4096), points: randPts(pressure) };
    } else if (kind === 1) op = { type: 'points', pressure, points: randPts(pressure) };
    else if (kind === 2) {
      op = { type: r() < 0.5 ? 'erase' : 'restore', strokes: Array.from({ length: int(r, 1, 20) }, () => ({ author: int(r, 0, 2 ** 32 - 1), stroke: int(r, 1, 2 ** 32 - 1) })) };
    } else op = kind === 3 ? { type: 'end' } : { type: 'clear', n: int(r, 1, 2 ** 32 - 1) };
    const b = encodeOp(op);
    assert.deepEqual(decodeOp(b), op);
    assert.deepEqual(decodeClientFrame(b), op);
    assert.deepEqual(encodeClientMsg(op), b);
  }
});

test('boards: random ops applied, encoded, decoded, encoded again: same bytes', () => {
  const r = seeded(4);
  for (let round = 0; round < 50; round++) {
    const b = new Board(BigInt(int(r, 0, 1e9)));
    for (let i = 0; i < 200; i++) {
      const author = int(r, 1, 4);
      const k = int(r, 0, 9);
      let op: Op;
      if (k < 2) op = { type: 'begin', stroke: int(r, 1, 6), tool: 0, pressure: r() < 0.5, color: int(r, 0, 2 ** 32 - 1), width: int(r, 1, 64), points: [{ x: int(r, -1000, 1000), y: int(r, -1000, 1000), p: 0 }] };
      else if (k < 6) op = { type: 'points', pressure: r() < 0.5, points: [{ x: int(r, -9, 9), y: int(r, -9, 9), p: int(r, 0, 255) }] };
      else if (k < 7) op = { type: 'end' };
      else if (k < 9) op = { type: r() < 0.5 ? 'erase' : 'restore', strokes: [{ author: int(r, 1, 4), stroke: int(r, 1, 6) }] };
      else if (r() < 0.3) op = { type: 'rotate', strokes: [{ author: int(r, 1, 4), stroke: int(r, 1, 6) }], angle: int(r, 1, 36000) * (r() < 0.5 ? -1 : 1), px: int(r, -2000, 2000), py: int(r, -2000, 2000) };
      else op = r() < 0.1 ? { type: 'clear', n: int(r, 0, 2) } : r() < 0.1 ? { type: 'unsweep', by: int(r, 1, 4), n: int(r, 1, 2) } : { type: 'end' };
      b.apply(author, op);
    }
    const enc = encodeBoard(b);
    const again = decodeBoard(enc);
    assert.deepEqual(encodeBoard(again), enc);
    assert.equal(again.seq, 200);
    // In steps (the board's saver, over idle periods): the same bytes, whatever the step.
    for (const points of [1, 3, 50, 1e9]) {
      const steps = encodeBoardInSteps(b, points);
      let n = 0;
      let r = steps.next();
      for (; !r.done; r = steps.next()) n++;
      assert.deepEqual(r.value, enc, `in steps of ${points} points`);
      if (points === 1) assert.equal(n, b.strokes.length, 'a step a stroke');
    }
  }
});

test('snapshot decoder refuses what a canonical board cannot be', () => {
  const b = new Board(1n);
  b.apply(2, { type: 'begin', stroke: 1, tool: 0, pressure: false, color: 0, width: 8, points: [{ x: 1, y: 1, p: 0 }] });
  b.apply(1, { type: 'end' });
  const good = toHex(encodeBoard(b));
  // Flags 08: the stroke's seq (1) follows it.
  assert.equal(good, '0000000000000001' + '02' + '02' + '010100' + '020101' + '01' + '0201' + '0008' + '00000000' + '08' + '01' + '020200' + '01');
  decodeBoard(fromHex(good));
  const bad: Array<[string, RegExp]> = [
    [good + '00', /trailing/],
    ['0000000000000001' + '02' + '02' + '020101' + '010100' + '01' + '0201' + '0000' + '00000000' + '08' + '01' + '020200', /ascending/],
    ['0000000000000001' + '02' + '01' + '010102' + '01' + '0201' + '0000' + '00000000' + '08' + '01' + '020200', /open stroke/],
    ['0000000000000001' + '02' + '00' + '02' + '0201' + '0000' + '00000000' + '08' + '01' + '020200' + '0201' + '0000' + '00000000' + '08' + '01' + '020200', /duplicate/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0080' + '00000000' + '08' + '01' + '020200', /wrap width on a tool 0 stroke/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0040' + '00000000' + '08' + '01' + '020200' + '00', /rotation 0/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0040' + '00000000' + '08' + '01' + '020200' + 'a09902', /rotation 36000/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0020' + '00000000' + '08' + '01' + '020200', /flags/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0008' + '00000000' + '08' + '01' + '020200' + '03', /seq/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0010' + '00000000' + '08' + '01' + '020200' + '0100', /sweep number 0/],
    ['0000000000000001' + '02' + '00' + '01' + '0201' + '0000' + '00000000' + '00' + '01' + '020200', /width/],
  ];
  for (const [hex, re] of bad) assert.throws(() => decodeBoard(fromHex(hex)), re, hex);
});

test('server frames: unknown message types are skipped by their length', () => {
  const msgs = decodeServerFrame(fromHex('9903aabbcc' + '840104'));
  assert.deepEqual(msgs, [{ type: 'leave', author: 4 }]);
  assert.throws(() => decodeServerFrame(fromHex('840204')), /truncated/);
  assert.throws(() => decodeServerFrame(fromHex('84020400')), /trailing/);
});
