// The shared test vectors (canvas/testdata/vectors.json): the Go codec and
// this one are both checked against them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import * as codes from '../src/protocol/codes';
import { fromHex, toHex } from '../src/protocol/bytes';
import { decodeClientFrame, encodeClientMsg } from '../src/protocol/client';
import { decodeOp } from '../src/protocol/op';
import { decodeServerFrame, encodeServerFrame } from '../src/protocol/server';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { keptExtent } from '../src/geometry/kept_extent';
import { strokeExtent } from '../src/geometry/shape';
import { VERSION } from '../src/protocol/types';
import { PERSON_COLORS } from '../src/ui/identity';
import { boardJSON, clientJSON, serverJSON } from './vector_json';

interface Vector {
  name: string;
  kind: 'client' | 'server' | 'bad-client' | 'apply';
  hex?: string;
  value?: unknown;
  error?: string;
  epoch?: string;
  ops?: { author: number; hex: string }[];
  board?: string;
}

const path = process.env.SKETCHPAD_VECTORS ?? new URL('../../canvas/testdata/vectors.json', import.meta.url).pathname;
const file = JSON.parse(readFileSync(path, 'utf8')) as {
  protocol: number;
  codes: { close: Record<string, number>; notice: Record<string, number> };
  personColors: number[];
  vectors: Vector[];
};

test('vector file speaks this protocol version', () => {
  assert.equal(file.protocol, VERSION);
  for (const kind of ['client', 'server', 'bad-client', 'apply']) {
    assert.ok(file.vectors.some((v) => v.kind === kind), `no ${kind} vector`);
  }
});

test('codes.ts has every close and notice code of canvas/codes.go, by the same name and number, and no other', () => {
  // CloseGoingAway in Go is CLOSE_GOING_AWAY here.
  const upper = (goName: string) => goName.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  const want: Record<string, number> = {};
  for (const [name, code] of [...Object.entries(file.codes.close), ...Object.entries(file.codes.notice)]) want[upper(name)] = code;
  assert.ok(Object.keys(file.codes.close).length >= 10 && Object.keys(file.codes.notice).length >= 2, 'the vector file lists the codes');
  assert.deepEqual({ ...codes }, want);
  for (const prefix of ['CLOSE_', 'NOTICE_']) {
    const values = Object.entries(codes).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
    assert.equal(new Set(values).size, values.length, `two ${prefix}* names share a code`);
  }
});

test('the colors a person picks from are those the server hands out (canvas.PersonColors)', () => {
  assert.deepEqual([...PERSON_COLORS], file.personColors);
});

for (const v of file.vectors) {
  test(`${v.kind}: ${v.name}`, () => {
    const bytes = fromHex(v.hex ?? '');
    switch (v.kind) {
      case 'client': {
        const m = decodeClientFrame(bytes);
        assert.deepEqual(clientJSON(m), v.value);
        assert.equal(toHex(encodeClientMsg(m)), v.hex);
        break;
      }
      case 'server': {
        const msgs = decodeServerFrame(bytes);
        assert.deepEqual(msgs.map(serverJSON), v.value);
        assert.equal(toHex(encodeServerFrame(msgs)), v.hex);
        break;
      }
      case 'bad-client':
        assert.throws(() => decodeClientFrame(bytes), /sketchpad: /);
        break;
      case 'apply': {
        const b = new Board(BigInt(v.epoch ?? '0'));
        for (const o of v.ops ?? []) b.apply(o.author, decodeOp(fromHex(o.hex)));
        assert.equal(toHex(encodeBoard(b)), v.board);
        assert.deepEqual(boardJSON(b), v.value);
        const again = decodeBoard(fromHex(v.board ?? ''));
        assert.deepEqual(boardJSON(again), v.value);
        // The extent the decoder keeps on a stroke is the one worked out from the stroke.
        for (const s of again.strokes) assert.deepEqual(keptExtent(s), strokeExtent(s), `${s.author}:${s.stroke}`);
        assert.equal(toHex(encodeBoard(again)), v.board);
        break;
      }
      default:
        assert.fail(`unknown vector kind ${String(v.kind)}`);
    }
  });
}
