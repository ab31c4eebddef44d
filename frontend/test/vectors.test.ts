// The shared test vectors (canvas/testdata/vectors.json): the Go codec and
// this one are both checked against them.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import { fromHex, toHex } from '../src/protocol/bytes';
import { decodeClientFrame, encodeClientMsg } from '../src/protocol/client';
import { decodeOp } from '../src/protocol/op';
import { decodeServerFrame, encodeServerFrame } from '../src/protocol/server';
import { decodeBoard, encodeBoard } from '../src/protocol/snapshot';
import { VERSION } from '../src/protocol/types';
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
const file = JSON.parse(readFileSync(path, 'utf8')) as { protocol: number; vectors: Vector[] };

test('vector file speaks this protocol version', () => {
  assert.equal(file.protocol, VERSION);
  for (const kind of ['client', 'server', 'bad-client', 'apply']) {
    assert.ok(file.vectors.some((v) => v.kind === kind), `no ${kind} vector`);
  }
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
        assert.equal(toHex(encodeBoard(again)), v.board);
        break;
      }
      default:
        assert.fail(`unknown vector kind ${String(v.kind)}`);
    }
  });
}
