// The selection's action bar: where it sits beside the selection (clear of
// the handles, inside the free area) and how its titles write shortcuts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAR_GAP, HANDLE_REACH, ROTATE_REACH, placeBar } from '../src/geometry/bar_place';
import type { Box } from '../src/geometry/free_area';
import { keyText } from '../src/ui/key_caps';

// A phone's screen under a 54 px toolbar; the bar at 5 buttons of 44 px.
const phone: Box = { left: 8, top: 62, right: 382, bottom: 836 };
const bar = { w: 236, h: 52 };

/** handles are the boxes the selection's handles take (ui/decor): corners, edge middles and the rotate handle. */
function handles(s: Box): Box[] {
  const r = HANDLE_REACH;
  const xs = [s.left, (s.left + s.right) / 2, s.right];
  const ys = [s.top, (s.top + s.bottom) / 2, s.bottom];
  const out: Box[] = [];
  for (const x of xs) for (const y of ys) if (x !== xs[1] || y !== ys[1]) out.push({ left: x - r, top: y - r, right: x + r, bottom: y + r });
  const cx = xs[1];
  out.push({ left: cx - r, top: s.top - ROTATE_REACH, right: cx + r, bottom: s.top });
  return out;
}

function check(sel: Box, area: Box): { x: number; y: number } {
  const at = placeBar(sel, bar, area);
  const b: Box = { left: at.x, top: at.y, right: at.x + bar.w, bottom: at.y + bar.h };
  assert.ok(b.left >= area.left && b.right <= area.right && b.top >= area.top && b.bottom <= area.bottom, `bar ${JSON.stringify(b)} outside the free area`);
  for (const hd of handles(sel)) {
    const over = hd.left < b.right && b.left < hd.right && hd.top < b.bottom && b.top < hd.bottom;
    assert.ok(!over, `bar ${JSON.stringify(b)} covers a handle at ${JSON.stringify(hd)} of ${JSON.stringify(sel)}`);
  }
  return at;
}

test('the bar sits above the selection, clear of the rotate handle, centered on it', () => {
  const sel = { left: 100, top: 300, right: 300, bottom: 400 };
  const at = check(sel, phone);
  assert.equal(at.y, 300 - ROTATE_REACH - BAR_GAP - bar.h);
  assert.equal(at.x + bar.w / 2, 200);
});

test('a selection near the toolbar puts the bar below it, clear of the bottom handles', () => {
  const sel = { left: 100, top: 90, right: 300, bottom: 200 };
  const at = check(sel, phone);
  assert.equal(at.y, 200 + HANDLE_REACH + BAR_GAP);
});

test('a selection at the edge of the screen keeps the bar inside it', () => {
  assert.equal(check({ left: 0, top: 400, right: 40, bottom: 440 }, phone).x, phone.left);
  assert.equal(check({ left: 360, top: 400, right: 420, bottom: 440 }, phone).x, phone.right - bar.w);
});

test('a selection as tall as the screen puts the bar inside it, under its top handles', () => {
  const sel = { left: 60, top: 100, right: 330, bottom: 800 };
  const at = check(sel, phone);
  assert.equal(at.y, 100 + HANDLE_REACH + BAR_GAP);
});

test('a selection taller than the screen, or off it, keeps the bar inside the free area', () => {
  check({ left: -500, top: -2000, right: 900, bottom: 3000 }, phone);
  // Off the screen: the bar stays reachable at the edge nearest it (handles there are off the screen too).
  const below = placeBar({ left: 100, top: 2000, right: 200, bottom: 2100 }, bar, phone);
  assert.equal(below.y, phone.bottom - bar.h);
  const above = placeBar({ left: 100, top: -900, right: 200, bottom: -800 }, bar, phone);
  assert.equal(above.y, phone.top);
});

test('the titles write the shortcut with Ctrl, or ⌘ on Apple platforms', () => {
  assert.equal(keyText('Ctrl+D', false), 'Ctrl+D');
  assert.equal(keyText('Ctrl+D', true), '⌘+D');
  assert.equal(keyText('Delete / Backspace', true), 'Delete or Backspace');
});
