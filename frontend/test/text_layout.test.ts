// Text layout: the page breaks lines and sizes boxes exactly as the server
// does (canvas/testdata/text_layout.json, made by canvas/textlayout_test.go).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { layoutText, textSize } from '../src/geometry/text_layout';

interface Case {
  text: string;
  size: number;
  wrap: number;
  lines: string[];
  units: number[];
  box: [number, number];
}

// Beside the vectors (test.mjs says where they are: tests run bundled elsewhere).
const vectors = process.env.SKETCHPAD_VECTORS ?? new URL('../../canvas/testdata/vectors.json', import.meta.url).pathname;
const path = vectors.replace(/vectors\.json$/, 'text_layout.json');
const cases = JSON.parse(readFileSync(path, 'utf8')) as Case[];

test('text layout: lines, widths and boxes match the server for every case', () => {
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const lines = layoutText(c.text, c.size, c.wrap);
    assert.deepEqual(
      lines.map((l) => l.text),
      c.lines,
      `lines of ${JSON.stringify(c.text)}`,
    );
    assert.deepEqual(
      lines.map((l) => l.units),
      c.units,
      `widths of ${JSON.stringify(c.text)}`,
    );
    const { w, h } = textSize(c.text, c.size, c.wrap);
    assert.deepEqual([w, h], c.box, `box of ${JSON.stringify(c.text)}`);
  }
});

test('text layout: a narrower wrap makes more lines, never a line wider than it (but one character)', () => {
  const text = 'the quick brown fox jumps over the lazy dog';
  const wide = layoutText(text, 20, 400);
  const narrow = layoutText(text, 20, 100);
  assert.ok(narrow.length > wide.length);
  for (const l of narrow) assert.ok(l.units * 20 <= 100 * 2048 || Array.from(l.text).length === 1, l.text);
});
