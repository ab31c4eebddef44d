// Restyle, z-order and nudge of the selection through the Editor, against a
// fake room: each is seen by the others, is one undo step of its author's,
// and undo leaves what others did meanwhile in place.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { orderRuns, undoOrderOps } from '../src/edit/arrange_ops';
import { MAX_CLIP_IMAGE_BYTES, clipImages, withImages } from '../src/edit/clipboard';
import { SelectGesture } from '../src/edit/select_gesture';
import { SELF } from '../src/edit/history';
import { MAX_PASTE_OPS, parseClip, pasteOpsFor } from '../src/edit/clipboard';
import { selectionParts } from '../src/ui/style';
import { MAX_SCALE, PART_ALPHA, PART_FILL, PART_RGB, PART_WIDTH, WHERE_BACK, WHERE_FORWARD, WHERE_FRONT } from '../src/protocol/types';
import { FakeRoom } from './fake_room';
import { TestClient, adaAndGrace, roomHex, scribble, settle } from './harness';

const RECT = { tool: 5, color: 0x000000ff, width: 8, filled: false };

function rect(c: TestClient, x: number, y: number): void {
  c.ed.shapeStart({ x, y }, RECT);
  c.ed.shapeMove({ x: x + 100, y: y + 80 });
  c.ed.shapeEnd();
}

const keep = (s: { width: number }): number => s.width;

test('restyle: the selection of two people\'s strokes takes the color; the alpha of each stays; undo brings each back', () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 6);
  b.ed.beginStroke({ x: 0, y: 40, p: 0 }, { tool: 1, color: 0xf2c20066, width: 64, pressure: false });
  b.ed.extendStroke([{ x: 80, y: 40, p: 0 }]);
  b.ed.endStroke();
  rect(b, 200, 200);
  settle(a, b);
  a.ed.selectAll();
  assert.equal(a.ed.selection.length, 3);
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB, color: 0xe0313100, filled: false, width: keep }), true);
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.color.toString(16)), ['e03131ff', 'e0313166', 'e03131ff']);
  assert.equal(b.boardHex(), roomHex(room));
  assert.equal(a.ed.selection.length, 3, 'the selection stays');
  // Restyling to what it already is sends nothing and records nothing.
  const sent = a.sentOps().length;
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB, color: 0xe0313100, filled: false, width: keep }), false);
  assert.equal(a.sentOps().length, sent);
  a.ed.arrange.restyle({ parts: PART_ALPHA | PART_WIDTH | PART_FILL, color: 0x80, filled: true, width: () => 32 });
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => [s.color.toString(16), s.width, s.filled]), [
    ['e0313180', 32, false],
    ['e0313180', 32, false],
    ['e0313180', 32, true],
  ]);
  a.ed.undo();
  a.ed.undo();
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => [s.color.toString(16), s.width, s.filled]), [
    ['ff', 16, false],
    ['f2c20066', 64, false],
    ['ff', 8, false],
  ]);
  a.ed.redo();
  settle(a, b);
  assert.equal(room.board.strokes[1].color, 0xe0313166);
  assert.equal(b.boardHex(), roomHex(room));
});

test('order: to the front and back, one step, undone around what others drew and reordered', () => {
  const { room, a, b } = adaAndGrace();
  for (let i = 0; i < 4; i++) rect(a, i * 10, 0); // a:1..4
  settle(a, b);
  const order = (): number[] => room.board.strokes.map((s) => s.stroke + (s.author === b.ed.sync.author ? 100 : 0));
  a.ed.select([{ author: SELF, stroke: 1 }, { author: SELF, stroke: 2 }]);
  assert.equal(a.ed.arrange.order(WHERE_FRONT), true);
  settle(a, b);
  assert.deepEqual(order(), [3, 4, 1, 2]);
  assert.equal(a.ed.arrange.order(WHERE_FRONT), false, 'already at the front: no op, no undo step');
  rect(b, 500, 500); // b:1 on top
  settle(a, b);
  b.ed.select([{ author: a.ed.sync.author, stroke: 4 }]);
  b.ed.arrange.order(WHERE_BACK);
  settle(a, b);
  assert.deepEqual(order(), [4, 3, 1, 2, 101]);
  a.ed.undo();
  settle(a, b);
  assert.deepEqual(order(), [1, 2, 4, 3, 101], 'back where they were (the bottom); what the others did stays');
  a.ed.redo();
  settle(a, b);
  assert.deepEqual(order(), [4, 3, 101, 1, 2]);
  a.ed.select([{ author: SELF, stroke: 3 }]);
  a.ed.arrange.order(WHERE_FORWARD);
  settle(a, b);
  assert.deepEqual(order(), [4, 101, 3, 1, 2]);
  assert.equal(b.boardHex(), roomHex(room));
});

test('nudge: one Move per press, one undo step each', () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 4);
  settle(a, b);
  a.ed.selectAll();
  a.ed.arrange.nudge(4, 0);
  a.ed.arrange.nudge(0, -40);
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 4, y: -40, p: 0 });
  a.ed.undo();
  settle(a, b);
  assert.deepEqual(room.board.strokes[0].points[0], { x: 4, y: 0, p: 0 });
  assert.equal(b.boardHex(), roomHex(room));
});

test('order runs: adjacent named strokes make one run, each above the stroke beneath it', () => {
  const id = (n: number): { author: number; stroke: number } => ({ author: 1, stroke: n });
  const runs = orderRuns([id(1), id(2), id(3), id(4), id(5)], new Set(['1:1', '1:3', '1:4']));
  assert.deepEqual(runs, [
    { anchor: { author: 0, stroke: 0 }, strokes: [id(1)] },
    { anchor: id(2), strokes: [id(3), id(4)] },
  ]);
  assert.deepEqual(undoOrderOps(runs).map((o) => o.type === 'order' && o.anchor), [{ author: 0, stroke: 0 }, id(2)]);
});

test('resize: a corner handle dragged sends Transforms every frame; the anchor stays; undo after a move by someone else keeps their move', () => {
  const { room, a, b } = adaAndGrace();
  rect(a, 0, 0); // (0,0)-(100,80)
  rect(a, 200, 100); // (200,100)-(300,180)
  settle(a, b);
  a.ed.selectAll();
  // The box of the points is (0,0)-(300,180); drag the bottom-right corner to double it.
  a.ed.arrange.resizeStart({ x: 0, y: 0 }, { x: 300, y: 180 });
  a.ed.arrange.resizeTo({ x: 450, y: 270 }, false);
  a.ed.flush();
  settle(a, b);
  assert.deepEqual(room.board.strokes[1].points.map((p) => [p.x, p.y]), [[300, 150], [450, 270]], 'live: 1.5× about the anchor');
  assert.equal(b.boardHex(), roomHex(room));
  a.ed.arrange.resizeTo({ x: 600, y: 200 }, true); // Shift: the larger scale both ways
  a.ed.flush();
  a.ed.arrange.resizeEnd();
  settle(a, b);
  assert.deepEqual(room.board.strokes[1].points.map((p) => [p.x, p.y]), [[400, 200], [600, 360]]);
  assert.deepEqual(room.board.strokes[0].points.map((p) => [p.x, p.y]), [[0, 0], [200, 160]]);
  assert.equal(a.ed.history.done.length, 3, 'two rects and one resize');
  // Grace moves both; Ada undoes her resize: the move stays.
  b.ed.select(room.board.strokes.map((s) => ({ author: s.author, stroke: s.stroke })));
  b.ed.arrange.nudge(1000, -40);
  settle(a, b);
  a.ed.undo();
  settle(a, b);
  const near = (got: number[][], want: number[][]): void => {
    for (let i = 0; i < want.length; i++) {
      for (let k = 0; k < 2; k++) assert.ok(Math.abs(got[i][k] - want[i][k]) <= 1, `${got} near ${want}`);
    }
  };
  near(room.board.strokes[0].points.map((p) => [p.x, p.y]), [[1000, -40], [1100, 40]]);
  near(room.board.strokes[1].points.map((p) => [p.x, p.y]), [[1200, 60], [1300, 140]]);
  a.ed.redo();
  settle(a, b);
  near(room.board.strokes[1].points.map((p) => [p.x, p.y]), [[1400, 160], [1600, 320]]);
  assert.equal(b.boardHex(), roomHex(room));
});

test('resize: the frame leaves a big selection\'s resize to the task after it (flushLeft), which sends it and shows it at once', () => {
  const { room, a, b } = adaAndGrace();
  rect(a, 0, 0); // (0,0)-(100,80)
  rect(a, 200, 100); // (200,100)-(300,180)
  settle(a, b);
  a.ed.selectAll();
  a.ed.arrange.resizeStart({ x: 0, y: 0 }, { x: 300, y: 180 });
  a.ed.arrange.resizeTo({ x: 450, y: 270 }, false);
  // Two strokes are a big selection for a page that says so (the page says 64).
  assert.equal(a.ed.flush(2), true, 'left for after the frame');
  settle(a, b);
  const pts = (ss: readonly { points: readonly { x: number; y: number }[] }[]): number[][] => ss[1].points.map((p) => [p.x, p.y]);
  assert.deepEqual(pts(room.board.strokes), [[200, 100], [300, 180]], 'nothing sent by the frame');
  assert.equal(a.ed.flushLeft(), true, 'sent after it');
  assert.deepEqual(pts(a.ed.shown().map((it) => it.stroke)), [[300, 150], [450, 270]], 'shown at once, before the room has it');
  settle(a, b);
  assert.deepEqual(pts(room.board.strokes), [[300, 150], [450, 270]], '1.5× about the anchor');
  assert.equal(a.ed.flushLeft(), false, 'nothing more to send');
  a.ed.arrange.resizeEnd();
  settle(a, b);
  assert.equal(b.boardHex(), roomHex(room));
  assert.equal(a.ed.flush(), false, 'no drag: nothing left');
});

test('resize: a selection is never made smaller than a CSS pixel, and big scales are split into ops the protocol takes', () => {
  const { room, a } = adaAndGrace();
  a.ed.shapeStart({ x: 0, y: 0 }, RECT);
  a.ed.shapeMove({ x: 4000, y: 3000 });
  a.ed.shapeEnd();
  settle(a);
  a.ed.selectAll();
  a.ed.arrange.resizeStart({ x: 0, y: 0 }, { x: 4000, y: 3000 });
  a.ed.arrange.resizeTo({ x: 0, y: 0 }, false);
  a.ed.arrange.resizeEnd();
  settle(a);
  const [p0, p1] = room.board.strokes[0].points;
  assert.ok(p1.x - p0.x >= 3 && p1.y - p0.y >= 3, `${p1.x - p0.x}×${p1.y - p0.y}`);
  a.ed.undo();
  const undone = a.sentOps().filter((o) => o.type === 'transform').slice(-3);
  assert.ok(undone.length >= 2 && undone.every((o) => o.type === 'transform' && Math.abs(o.sx) <= MAX_SCALE), 'the 1000× undo is split');
  settle(a);
  const [q0, q1] = room.board.strokes[0].points;
  // Points a CSS pixel apart hold a quarter pixel's precision: grown 1000× back, within 1 %.
  assert.ok(Math.abs(q0.x) <= 40 && Math.abs(q0.y) <= 40 && Math.abs(q1.x - 4000) <= 40 && Math.abs(q1.y - 3000) <= 40, `${q0.x},${q0.y} ${q1.x},${q1.y}`);
});

test('clipboard: a copy pastes as new strokes of the paster, centered where it lands, on another board too; one undo step', () => {
  const { room, a, b } = adaAndGrace();
  scribble(a, 0, 0, 6);
  rect(a, 100, 100);
  a.ed.texts.add(300, 0, { color: 0x112233ff, size: 96 }, 'hi');
  settle(a, b);
  a.ed.selectAll();
  const text = a.ed.arrange.copyText()!;
  assert.match(text, /^\{"sketchpad":1,/);
  // Another board, another person.
  const room2 = new FakeRoom(2n);
  const c = new TestClient(room2, 'Lin');
  c.connect();
  settle(c);
  assert.equal(c.ed.arrange.paste(text, { x: 5000, y: 5000 }), 3);
  assert.equal(c.ed.selection.length, 3, 'what was pasted is selected, at once');
  settle(c);
  const pasted = room2.board.strokes;
  assert.deepEqual(pasted.map((s) => s.tool), room.board.strokes.map((s) => s.tool));
  assert.equal(pasted[2].text, 'hi');
  const xs = pasted.flatMap((s) => s.points.map((p) => p.x));
  assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - 5000) <= 1, 'centered where it lands');
  c.ed.undo();
  settle(c);
  assert.ok(room2.board.strokes.every((s) => s.hidden));
  // Duplicate on the first board: a copy beside the original.
  assert.equal(a.ed.arrange.duplicate(), 3);
  settle(a, b);
  assert.equal(room.board.strokes.length, 6);
  assert.deepEqual(room.board.strokes[3].points[0], { x: room.board.strokes[0].points[0].x + 40, y: room.board.strokes[0].points[0].y + 40, p: 0 });
  assert.equal(b.boardHex(), roomHex(room));
});

test('clipboard: a paste that needs more drawing ops than the server lets through at once is refused with a message, and sends nothing', () => {
  const { a } = adaAndGrace();
  const rects = (n: number): string => JSON.stringify({ sketchpad: 1, strokes: Array.from({ length: n }, () => ({ tool: 5, color: 255, width: 8, points: [[0, 0, 0], [9, 9, 0]] })) });
  const pens = (n: number): string => JSON.stringify({ sketchpad: 1, strokes: Array.from({ length: n }, () => ({ tool: 0, color: 255, width: 8, points: [[0, 0, 0], [9, 9, 0], [20, 5, 0]] })) });
  const sent = a.sentOps().length;
  assert.match(String(a.ed.arrange.paste(rects(1000), { x: 0, y: 0 })), /^Pasting 1,000 items at once is refused: .* at most 400 /);
  assert.match(String(a.ed.arrange.paste(rects(MAX_PASTE_OPS + 1), { x: 0, y: 0 })), /refused/);
  // Two ops each (Begin, End): 201 strokes are 402 ops.
  assert.match(String(a.ed.arrange.paste(pens(201), { x: 0, y: 0 })), /^Pasting 201 items at once is refused/);
  assert.equal(a.sentOps().length, sent);
  assert.equal(a.ed.arrange.paste(rects(MAX_PASTE_OPS), { x: 0, y: 0 }), MAX_PASTE_OPS);
  assert.equal(a.sentOps().length, sent + MAX_PASTE_OPS);
  // A duplicate of more than a paste may send is refused the same way, and says so.
  assert.equal(a.ed.arrange.paste(rects(1), { x: 0, y: 0 }), 1);
  a.ed.selectAll();
  const told: string[] = [];
  a.ed.arrange.refused = (m) => told.push(m);
  assert.equal(a.ed.arrange.duplicate(), 0);
  assert.equal(a.sentOps().length, sent + MAX_PASTE_OPS + 1);
  assert.match(told.join(), /^Duplicating 401 items at once is refused/);
  assert.equal(a.ed.arrange.paste('just text', { x: 0, y: 0 }), null, 'not ours: the browser pastes it as usual');
  assert.match(String(a.ed.arrange.paste('{"sketchpad":1,"strokes":[{"tool":9}]}', { x: 0, y: 0 })), /cannot take/);
  // The limit follows the server's drawing burst (its meta tag): four fifths of it.
  assert.equal(pasteOpsFor(500), MAX_PASTE_OPS);
  assert.equal(pasteOpsFor(null), MAX_PASTE_OPS);
  assert.equal(pasteOpsFor(100), 80);
  assert.equal(pasteOpsFor(1e9), 10_000);
  assert.match(String(parseClip(rects(81), 80)), /^Pasting 81 items at once is refused: .* at most 80 /);
  assert.equal((parseClip(rects(80), 80) as unknown[]).length, 80);
});

test('alt-drag: a drag of the selection with Alt moves a copy and leaves the original', () => {
  const { room, a, b } = adaAndGrace();
  rect(a, 0, 0);
  settle(a, b);
  a.ed.selectAll();
  const g = new SelectGesture(a.ed);
  g.start({ x: 50, y: 40 }, 4, false, true);
  g.move({ x: 150, y: 40 });
  a.ed.flush();
  g.end();
  a.ed.moveEnd();
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.points[0].x), [0, 100]);
  assert.equal(b.boardHex(), roomHex(room));
});

test('restyle: an image takes only the opacity; its color and width stay, so a color click on it alone changes nothing', () => {
  const { room, a, b } = adaAndGrace();
  const n = a.ed.addImage('ab'.repeat(32), { x: 0, y: 0 }, { x: 400, y: 240 });
  scribble(a, 0, 300, 6);
  settle(a, b);
  const img = () => room.board.strokes[0];
  const was = { color: img().color, width: img().width };
  a.ed.selectAll();
  assert.equal(a.ed.selection.length, 2);
  // A mixed selection: the pen's stroke takes the color and width, the image neither.
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB | PART_WIDTH, color: 0xe0313100, filled: false, width: () => 32 }), true);
  settle(a, b);
  assert.deepEqual([img().color, img().width], [was.color, was.width]);
  assert.deepEqual([room.board.strokes[1].color.toString(16), room.board.strokes[1].width], ['e03131ff', 32]);
  // The image alone: a color is no change (no op, no undo step); the opacity is.
  a.ed.select([{ author: SELF, stroke: n }]);
  const sent = a.sentOps().length;
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB, color: 0x1971c200, filled: false, width: keep }), false);
  assert.equal(a.sentOps().length, sent);
  assert.equal(a.ed.arrange.restyle({ parts: PART_ALPHA, color: 0x80, filled: false, width: keep }), true);
  settle(a, b);
  assert.equal(img().color & 0xff, 0x80);
  assert.equal(b.boardHex(), roomHex(room));
});

test('clipboard: a copied image carries its bytes by hash; a paste reads them, and only well-formed ones it names', () => {
  const { a } = adaAndGrace();
  const hash = 'ab'.repeat(32);
  const n = a.ed.addImage(hash, { x: 0, y: 0 }, { x: 400, y: 240 });
  a.ed.select([{ author: SELF, stroke: n }]);
  const text = a.ed.arrange.copyText() as string;
  assert.deepEqual(clipImages(text), { hashes: [hash], carried: new Map() });
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  const withBytes = withImages(text, new Map([[hash, png]]));
  assert.deepEqual(clipImages(withBytes), { hashes: [hash], carried: new Map([[hash, png]]) });
  // Still Sketchpad's text to a paste: the strokes are the same.
  assert.equal(a.ed.arrange.paste(withBytes, { x: 1000, y: 1000 }), 1);
  // An image it does not name, or bytes of a type no board takes, are left out.
  const other = JSON.stringify({ ...JSON.parse(text), images: { [hash]: 'data:image/svg+xml;base64,PHN2Zz4=', ['cd'.repeat(32)]: png } });
  assert.deepEqual(clipImages(other).carried, new Map());
  // Past the limit the copy carries no bytes at all.
  const big = 'data:image/png;base64,' + 'A'.repeat(Math.ceil((MAX_CLIP_IMAGE_BYTES * 4) / 3) + 8);
  assert.equal(withImages(text, new Map([[hash, big]])), text);
});

test('restyle: a partial eraser’s strokes in the selection keep their color and opacity (never painted); their width is theirs to change', () => {
  const { room, a, b } = adaAndGrace();
  // A pen stroke and an erasure over it, both selected (a paste selects what it made; a marquee never takes an erasure).
  const stroke = (tool: number, color: number, y: number): object => ({ tool, color, width: 16, points: [[0, y, 0], [40, y, 0], [80, y + 10, 0]] });
  const text = JSON.stringify({ sketchpad: 1, strokes: [stroke(0, 0x1e1e1eff, 0), stroke(2, 0x1e1e1eff, 4)] });
  assert.equal(a.ed.arrange.paste(text, { x: 0, y: 0 }), 2);
  settle(a, b);
  assert.deepEqual(selectionParts(room.board.strokes.map((s) => s.tool)), { color: true, opacity: true, width: true, fill: false });
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB, color: 0xe0313100, filled: false, width: keep }), true);
  assert.equal(a.ed.arrange.restyle({ parts: PART_ALPHA, color: 0x40, filled: false, width: keep }), true);
  settle(a, b);
  const colors = (): string[] => room.board.strokes.map((s) => s.color.toString(16));
  assert.deepEqual(colors(), ['e0313140', '1e1e1eff'], 'the pen took the color and opacity; the erasure did not');
  // The erasure alone: the menu offers its width only, and a color is no change (no op, no undo step).
  a.ed.select([{ author: SELF, stroke: room.board.strokes[1].stroke }]);
  assert.deepEqual(selectionParts([room.board.strokes[1].tool]), { color: false, opacity: false, width: true, fill: false });
  const sent = a.sentOps().length;
  assert.equal(a.ed.arrange.restyle({ parts: PART_RGB | PART_ALPHA, color: 0x1971c280, filled: false, width: keep }), false);
  assert.equal(a.sentOps().length, sent);
  assert.equal(a.ed.arrange.restyle({ parts: PART_WIDTH, color: 0, filled: false, width: () => 48 }), true);
  settle(a, b);
  assert.deepEqual(room.board.strokes.map((s) => s.width), [16, 48]);
  assert.deepEqual(colors(), ['e0313140', '1e1e1eff']);
  assert.equal(b.boardHex(), roomHex(room));
});
