// Landing on the drawing: the free area the panels leave, fitting into it,
// the toolbar's overflow order, and the bounded store of views per board.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boardBox, fitFree, fitInBox, freeArea, showsWhole, type Box } from '../src/geometry/free_area';
import { FIT_MIN_ZOOM, MIN_ZOOM, zoomAt, zoomOf, toScreen } from '../src/geometry/view';
import { MIN_TOOLS, demotions, planAt } from '../src/ui/bar_plan';
import { MAX_BOARDS, parseIndex, recall, remember, serializeIndex } from '../src/ui/view_index';
import type { ToolName } from '../src/input/shortcuts';
import { selectionParts, styleKey, styleParts } from '../src/ui/style';
import { TOOL_ERASER, TOOL_IMAGE, TOOL_PEN, TOOL_RECT } from '../src/protocol/types';

const inside = (p: { x: number; y: number }, b: Box, eps = 1e-6): boolean =>
  p.x >= b.left - eps && p.x <= b.right + eps && p.y >= b.top - eps && p.y <= b.bottom + eps;

test('free area: a toolbar across a phone is cut away as a top band', () => {
  const toolbar: Box = { left: 6, top: 6, right: 384, bottom: 60 };
  const a = freeArea(390, 844, [toolbar]);
  assert.deepEqual(a, { left: 0, top: 68, right: 390, bottom: 844 });
});

test('free area: a people panel in a wide window is cut away as a right band, the toolbar as a top band', () => {
  const toolbar: Box = { left: 8, top: 8, right: 720, bottom: 54 };
  const people: Box = { left: 1172, top: 8, right: 1392, bottom: 300 };
  const corner: Box = { left: 1150, top: 700, right: 1392, bottom: 892 };
  const a = freeArea(1400, 900, [toolbar, people, corner]);
  assert.equal(a.top, 62);
  assert.equal(a.right, 1142);
  assert.equal(a.bottom, 900);
  assert.equal(a.left, 0);
});

test('free area: no obstacles is the whole screen; obstacles covering everything give the whole screen back', () => {
  assert.deepEqual(freeArea(800, 600, []), { left: 0, top: 0, right: 800, bottom: 600 });
  assert.deepEqual(freeArea(800, 600, [{ left: 0, top: 0, right: 800, bottom: 600 }]), { left: 0, top: 0, right: 800, bottom: 600 });
});

test('fit: the content lands whole inside the free area, never under the toolbar', () => {
  const toolbar: Box = { left: 6, top: 6, right: 384, bottom: 60 };
  // A wide drawing: 40,000 board units across, 2,000 down.
  const r = { minX: -1000, minY: 500, maxX: 39000, maxY: 2500 };
  const v = fitFree(r, 390, 844, [toolbar], 24, 1);
  assert.ok(v);
  const free = freeArea(390, 844, [toolbar]);
  assert.ok(inside(toScreen(v, r.minX, r.minY), free) && inside(toScreen(v, r.maxX, r.maxY), free));
  assert.ok(toScreen(v, r.minX, r.minY).y > toolbar.bottom);
  assert.ok(showsWhole(v, r, free));
});

test('fit: below the hand zoom floor when the drawing is that wide; zooming out by hand goes no lower', () => {
  const r = { minX: 0, minY: 0, maxX: 4_000_000, maxY: 1000 };
  const v = fitInBox(r, { left: 0, top: 60, right: 390, bottom: 844 }, 16, 1);
  assert.ok(v);
  assert.ok(zoomOf(v) < MIN_ZOOM && zoomOf(v) >= FIT_MIN_ZOOM, `zoom ${zoomOf(v)}`);
  assert.equal(zoomOf(zoomAt(v, 100, 100, 0.5)), zoomOf(v));
  assert.ok(zoomOf(zoomAt(v, 100, 100, 2)) > zoomOf(v));
});

test('fit: a small drawing is not blown up past maxZoom; nothing drawn gives null', () => {
  const v = fitInBox({ minX: 0, minY: 0, maxX: 40, maxY: 40 }, { left: 0, top: 0, right: 1000, bottom: 800 }, 40, 1);
  assert.ok(v);
  assert.equal(zoomOf(v), 1);
  assert.equal(fitInBox({ minX: 1, minY: 1, maxX: 0, maxY: 0 }, { left: 0, top: 0, right: 10, bottom: 10 }), null);
  assert.equal(fitFree({ minX: 1, minY: 1, maxX: 0, maxY: 0 }, 100, 100, []), null);
});

test('boardBox inverts the view', () => {
  const v = { scale: 0.5, x: 10, y: -20 };
  const b = boardBox(v, { left: 10, top: -20, right: 110, bottom: 80 });
  assert.deepEqual(b, { minX: 0, minY: 0, maxX: 200, maxY: 200 });
});

const ALL: ToolName[] = ['select', 'hand', 'pen', 'highlighter', 'eraser', 'partial-eraser', 'line', 'arrow', 'rect', 'ellipse', 'text'];

test('bar plan: page controls go first, then tools, the pen and eraser last', () => {
  const order = demotions(ALL, ['share', 'help', 'theme', 'clear']);
  assert.deepEqual(order.slice(0, 2), [
    { kind: 'extra', name: 'theme' },
    { kind: 'extra', name: 'help' },
  ]);
  const tools = order.filter((d) => d.kind === 'tool').map((d) => d.name);
  assert.equal(tools.length, ALL.length - MIN_TOOLS);
  assert.ok(!tools.includes('pen') && !tools.includes('eraser'));
  assert.deepEqual(tools.slice(-2), ['hand', 'select']);
  const all = planAt(order, order.length);
  assert.equal(all.menuTools.size, ALL.length - MIN_TOOLS);
  assert.equal(all.menuExtras.size, 4);
  assert.equal(planAt(order, 0).menuTools.size, 0);
});

test('bar plan: an embed with three tools and no page controls keeps at least two tools', () => {
  const order = demotions(['hand', 'pen', 'eraser'], []);
  assert.deepEqual(order, [{ kind: 'tool', name: 'hand' }]);
});

test('view index: remembers per board, most recent first, bounded, and survives a round trip', () => {
  let ix = parseIndex(null);
  for (let i = 0; i < MAX_BOARDS + 10; i++) ix = remember(ix, `board-${i}`, { scale: 0.25, x: i, y: -i }, 1000 + i);
  assert.equal(ix.length, MAX_BOARDS);
  assert.equal(recall(ix, 'board-0'), null);
  assert.deepEqual(recall(ix, `board-${MAX_BOARDS + 9}`), { scale: 0.25, x: MAX_BOARDS + 9, y: -(MAX_BOARDS + 9) });
  ix = remember(ix, 'board-20', { scale: 0.5, x: 1.234, y: 5 }, 99999);
  assert.equal(ix[0].room, 'board-20');
  const raw = serializeIndex(ix);
  assert.ok(raw.length < 4096, `${raw.length} bytes`);
  const back = parseIndex(raw);
  assert.equal(back.length, MAX_BOARDS);
  assert.deepEqual(recall(back, 'board-20'), { scale: 0.5, x: 1.23, y: 5 });
});

test('view index: malformed entries are skipped, never thrown', () => {
  assert.deepEqual(parseIndex('{'), []);
  assert.deepEqual(parseIndex('[1,2]'), []);
  const ix = parseIndex(JSON.stringify({ a: [0.25, 0, 0, 1], b: [1e9, 0, 0, 1], c: 'x', d: [0.25, NaN, 0, 1] }));
  assert.deepEqual(ix.map((r) => r.room), ['a']);
  assert.equal(remember([], 'x'.repeat(500), { scale: 0.25, x: 0, y: 0 }, 1).length, 0);
});

test('style menu: each tool shows only the style that applies to it', () => {
  assert.deepEqual(styleParts(styleKey('pen')), { color: true, opacity: true, width: true, fill: false });
  assert.deepEqual(styleParts(styleKey('rect')), { color: true, opacity: true, width: true, fill: true });
  assert.deepEqual(styleParts(styleKey('partial-eraser')), { color: false, opacity: false, width: true, fill: false });
  for (const t of ['eraser', 'select', 'hand'] as const) {
    assert.equal(styleKey(t), null);
    assert.deepEqual(styleParts(null), { color: false, opacity: false, width: false, fill: false });
  }
});

test('style menu: a selected image offers its opacity only; a mixed selection offers what applies to some of it', () => {
  assert.deepEqual(selectionParts([TOOL_IMAGE]), { color: false, opacity: true, width: false, fill: false });
  assert.deepEqual(selectionParts([TOOL_IMAGE, TOOL_IMAGE]), { color: false, opacity: true, width: false, fill: false });
  assert.deepEqual(selectionParts([TOOL_IMAGE, TOOL_PEN]), { color: true, opacity: true, width: true, fill: false });
  assert.deepEqual(selectionParts([TOOL_IMAGE, TOOL_ERASER]), { color: false, opacity: true, width: true, fill: false });
  assert.deepEqual(selectionParts([TOOL_RECT, TOOL_IMAGE]), { color: true, opacity: true, width: true, fill: true });
  assert.deepEqual(selectionParts([TOOL_ERASER]), { color: false, opacity: false, width: true, fill: false });
});
