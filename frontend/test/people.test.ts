// People on a board: distinct colors readable in both themes, a viewer
// marked as one, and where each one's pointer is.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Board } from '../src/protocol/board';
import { TOOL_PEN, TOOL_RECT } from '../src/protocol/types';
import { PERSON_COLORS } from '../src/ui/identity';
import { cursorOf } from '../src/ui/op_cursor';
import { asking, asViewer, isViewer, opaque, sentColor } from '../src/ui/person_color';

const [RED, ORANGE, BROWN] = PERSON_COLORS;

function luminance(rgba: number): number {
  const lin = (c: number): number => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin((rgba >>> 24) & 255) + 0.7152 * lin((rgba >>> 16) & 255) + 0.0722 * lin((rgba >>> 8) & 255);
}

function contrast(a: number, b: number): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

test('every person color reads at 3:1 or more on the light and the dark panel, and no two are alike', () => {
  for (const c of PERSON_COLORS) {
    assert.ok(contrast(c, 0xffffffff) >= 3, `${c.toString(16)} on white: ${contrast(c, 0xffffffff).toFixed(2)}`);
    assert.ok(contrast(c, 0x25282cff) >= 3, `${c.toString(16)} on the dark panel: ${contrast(c, 0x25282cff).toFixed(2)}`);
  }
  assert.equal(new Set(PERSON_COLORS).size, PERSON_COLORS.length);
});

test('a color not picked asks the server for one, preferring it; a picked one is sent as it is', () => {
  assert.equal(sentColor({ color: BROWN, colorPicked: false }), (BROWN & 0xffffff00) >>> 0, 'alpha 0: asks, RGB: the color it had');
  assert.equal(sentColor({ color: BROWN, colorPicked: true }), BROWN);
  assert.equal(asking(ORANGE) & 0xff, 0);
  assert.equal(opaque(asking(ORANGE)), ORANGE);
});

test('a viewer is marked by a transparent color and shown opaque', () => {
  const v = asViewer(RED);
  assert.ok(isViewer(v));
  assert.ok(!isViewer(RED));
  assert.equal(opaque(v), RED);
  for (const c of PERSON_COLORS) assert.ok(!isViewer(c), 'no person color is transparent');
});

test("a person drawing sends no cursor: peers place it at the last point of the stroke or the shape's dragged corner", () => {
  const b = new Board(1n);
  const pt = (x: number, y: number): { x: number; y: number; p: number } => ({ x, y, p: 0 });
  const begin = b.apply(3, { type: 'begin', stroke: 1, tool: TOOL_PEN, pressure: false, color: 0xff, width: 8, points: [pt(100, 200), pt(10, 5)] });
  assert.deepEqual(cursorOf(begin), { x: 110, y: 205 });
  const more = b.apply(3, { type: 'points', pressure: false, points: [pt(1, 1), pt(4, -2)] });
  assert.deepEqual(cursorOf(more), { x: 115, y: 204 });
  assert.equal(cursorOf(b.apply(3, { type: 'end' })), null, 'the end says nothing new');
  const shape = { type: 'shape' as const, stroke: 2, tool: TOOL_RECT, filled: false, color: 0xff, width: 8, x0: 0, y0: 0, x1: 40, y1: 30 };
  assert.deepEqual(cursorOf(b.apply(3, shape)), { x: 40, y: 30 }, 'a new shape: its dragged corner');
  assert.deepEqual(cursorOf(b.apply(3, { ...shape, x1: 60, y1: 50 })), { x: 60, y: 50 }, 'the drag goes on');
  const move = b.apply(4, { type: 'move', strokes: [{ author: 3, stroke: 2 }], dx: 5, dy: 5 });
  assert.equal(cursorOf(move), null, 'a move is no drag of a corner');
  const text = b.apply(3, { type: 'text', stroke: 3, color: 0xff, size: 96, x: 7, y: 8, text: 'hi' });
  assert.equal(cursorOf(text), null);
});
