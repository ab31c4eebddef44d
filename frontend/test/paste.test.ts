// A paste on the page (page/clipboard_paste): the board's paste limit is
// checked before any image of the paste is uploaded; the images a board
// lacks are uploaded, then placed under their hash here. And the last copy
// (page/clipboard_last) that the toolbar's Paste button pastes, heard from
// another open tab too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PASTE_OPS } from '../src/edit/clipboard';
import { LastCopy, type ChannelLike } from '../src/page/clipboard_last';
import { pasteText, type PasteDeps } from '../src/page/clipboard_paste';
import { TOOL_IMAGE } from '../src/protocol/types';
import { adaAndGrace, roomHex, settle } from './harness';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const HASH = 'ab'.repeat(32);

/** clip is Sketchpad's clipboard text: one image (its bytes carried) and n rectangles. */
function clip(n: number): string {
  const rects = Array.from({ length: n }, (_, i) => ({ tool: 5, color: 255, width: 8, points: [[i * 10, 0, 0], [i * 10 + 9, 9, 0]] }));
  const image = { tool: TOOL_IMAGE, color: 0xffffffff, width: 1, points: [[0, 100, 0], [400, 340, 0]], text: HASH };
  return JSON.stringify({ sketchpad: 1, strokes: [image, ...rects], images: { [HASH]: PNG } });
}

/** pasting is a paste's deps on a's page, with an upload that records what it was given and hashes as the server named. */
function pasting(serverHash = HASH): ReturnType<typeof adaAndGrace> & { d: PasteDeps; uploads: Blob[]; told: string[]; pasted: () => number } {
  const { room, a, b } = adaAndGrace();
  const uploads: Blob[] = [];
  const told: string[] = [];
  let n = 0;
  const d: PasteDeps = {
    editor: a.ed,
    tell: (m) => told.push(m),
    pasted: () => n++,
    images: {
      uploadHash: async (blob) => {
        uploads.push(blob);
        return serverHash;
      },
      url: (hash) => `/i/${hash}`,
    },
  };
  return { d, uploads, told, pasted: () => n, a, b, room };
}

test('paste: a paste over the board’s limit is refused before its images are uploaded, and sends nothing', async () => {
  const { d, uploads, told, pasted, a } = pasting();
  const sent = a.sentOps().length;
  await pasteText(d, clip(MAX_PASTE_OPS), { x: 0, y: 0 });
  assert.equal(uploads.length, 0, 'nothing uploaded for a paste the board refuses');
  assert.match(told.join(), /^Pasting 401 items at once is refused/);
  assert.equal(a.sentOps().length, sent);
  assert.equal(pasted(), 0);
  // The limit is the board's (its burst meta tag): a lower one refuses a smaller paste, still before the upload.
  a.ed.arrange.maxPasteOps = 5;
  await pasteText(d, clip(5), { x: 0, y: 0 });
  assert.equal(uploads.length, 0);
  assert.match(told.at(-1) ?? '', /^Pasting 6 items at once is refused: .* at most 5 /);
});

test('paste: under the limit, the image this board lacks is uploaded from the copy’s bytes, then placed under its hash here with the rest', async () => {
  const here = 'cd'.repeat(32);
  const { d, uploads, told, pasted, a, b, room } = pasting(here);
  await pasteText(d, clip(3), { x: 1000, y: 1000 });
  assert.equal(uploads.length, 1);
  assert.equal(uploads[0].type, 'image/png');
  assert.match(told.join(), /Uploading the pasted image/);
  assert.equal(pasted(), 1);
  assert.equal(a.ed.selection.length, 4, 'what was pasted is selected');
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.tool), [TOOL_IMAGE, 5, 5, 5]);
  assert.equal(room.board.strokes[0].text, here, 'the image is named by the hash this board gave it');
  assert.equal(b.boardHex(), roomHex(room));
  // Now the board holds it: a second paste uploads nothing.
  await pasteText(d, clip(1).split(HASH).join(here), { x: 0, y: 0 });
  assert.equal(uploads.length, 1);
  assert.equal(pasteText(d, 'just text', { x: 0, y: 0 }), null, 'not Sketchpad’s: the browser pastes it as usual');
});

/** channels makes two linked channels, as two tabs' BroadcastChannels of one name (a message reaches the other, not the sender). */
function channels(): [ChannelLike, ChannelLike] {
  const a: ChannelLike = { onmessage: null, postMessage: (m) => b.onmessage?.({ data: m } as MessageEvent) };
  const b: ChannelLike = { onmessage: null, postMessage: (m) => a.onmessage?.({ data: m } as MessageEvent) };
  return [a, b];
}

test('last copy: the Paste button is offered from the first copy, here or in another open tab; a picture’s text with images replaces only the copy it was made for', () => {
  const [ca, cb] = channels();
  const offered: string[] = [];
  const here = new LastCopy((has) => offered.push(`here ${has}`), ca);
  const there = new LastCopy((has) => offered.push(`there ${has}`), cb);
  assert.equal(here.text, null);
  const one = JSON.stringify({ sketchpad: 1, strokes: [] });
  here.copied(one);
  assert.deepEqual(offered, ['here true', 'there true']);
  assert.equal(there.text, one);
  const two = JSON.stringify({ sketchpad: 1, strokes: [], n: 2 });
  there.copied(two);
  assert.equal(here.text, two, 'the last copy of any tab');
  assert.equal(offered.length, 2, 'offered once');
  // The first copy's picture came late: the second copy stands.
  here.carried(one, one + ' ');
  assert.equal(here.text, two);
  here.carried(two, JSON.stringify({ sketchpad: 1, strokes: [], n: 2, images: {} }));
  assert.match(there.text ?? '', /"images"/);
  // Anything else on the channel is not a copy.
  cb.postMessage('hello');
  cb.postMessage({ sketchpad: 1 });
  assert.match(here.text ?? '', /"images"/);
  assert.equal(new LastCopy(() => assert.fail('nothing copied'), null).text, null);
});
