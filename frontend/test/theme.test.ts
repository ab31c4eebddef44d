// The dark theme: what a person sees of the board through its filter.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boardFilter, darkHighlight, luminance, rgbOf } from '../src/render/dark_highlight';
import { DEFAULT_STYLES } from '../src/ui/style';

const PAGE_DARK: [number, number, number] = [0x12 / 255, 0x14 / 255, 0x16 / 255];

/** seen is what the dark page shows for paint (an RGBA u32) laid on it: filtered, then over the page. */
function seen(paint: number): [number, number, number] {
  const [c, a] = rgbOf(paint);
  const f = boardFilter(c);
  return [0, 1, 2].map((i) => a * f[i] + (1 - a) * PAGE_DARK[i]) as [number, number, number];
}

function contrast(x: [number, number, number], y: [number, number, number]): number {
  const [a, b] = [luminance(x), luminance(y)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

test('the default highlighter reads in the dark theme (it was about 1.4:1 against the page)', () => {
  const yellow = DEFAULT_STYLES.colors.highlighter | 0;
  const color = ((yellow & 0xffffff00) | DEFAULT_STYLES.alphas.highlighter) >>> 0;
  const before = contrast(seen(color), PAGE_DARK);
  const after = contrast(seen(darkHighlight(color)), PAGE_DARK);
  assert.ok(before < 1.6, `unfixed: ${before.toFixed(2)}`);
  assert.ok(after >= 3, `the dark theme's highlighter: ${after.toFixed(2)}:1`);
  // Still yellow: red and green well above blue.
  const s = seen(darkHighlight(color));
  assert.ok(s[0] > s[2] * 1.4 && s[1] > s[2] * 1.2, `looks ${s.map((v) => v.toFixed(2)).join(', ')}`);
});

test('a dark highlighter is left to the filter, which already makes it light', () => {
  const navy = 0x1c3d8a66;
  const painted = darkHighlight(navy);
  assert.equal(painted & 0xffffff00, navy & 0xffffff00, 'same color');
  assert.ok((painted & 0xff) > (navy & 0xff), 'more opaque on a dark page');
  assert.ok(contrast(seen(painted), PAGE_DARK) >= 3);
});
