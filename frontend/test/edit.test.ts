// Undo history, pending view, shortcuts, names and colors: pure pieces of the UI.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_HISTORY, HISTORY_LIMIT, SELF, canRedo, canUndo, record, redo, undo, visibilityOps } from '../src/edit/history';
import { NO_PENDING, displayKey, pendingView } from '../src/edit/pending';
import { commandFor, isTextEntry } from '../src/input/shortcuts';
import { cssColor, hexColor, parseHexColor } from '../src/render/color';
import { cleanName, randomName, randomPersonColor, PERSON_COLORS } from '../src/ui/identity';
import { BOARD_FULL_NOTE, PAUSED_TEXT, RATE_LIMITED_NOTE, RESUMED_NOTE, embedErrorText, noticeNote, statusText } from '../src/ui/status_text';
import { CLOSE_GOING_AWAY, CLOSE_RATE_LIMITED, CLOSE_SLOW, CLOSE_TRY_AGAIN, NOTICE_BOARD_FULL, NOTICE_RATE_LIMITED } from '../src/protocol/codes';
import { PNG_SCALES, defaultPNGScale, exportFileName } from '../src/ui/export_name';
import { seeded } from './rand';

test('history: undo and redo of a stroke and of an erase', () => {
  let h = record(EMPTY_HISTORY, { kind: 'stroke', stroke: 4 });
  h = record(h, { kind: 'erase', strokes: [{ author: 9, stroke: 1 }, { author: SELF, stroke: 2 }] });
  const frozen = JSON.stringify(h);
  let r = undo(h);
  assert.deepEqual(r.ops, [{ type: 'restore', strokes: [{ author: 9, stroke: 1 }, { author: SELF, stroke: 2 }] }]);
  r = undo(r.history);
  assert.deepEqual(r.ops, [{ type: 'erase', strokes: [{ author: SELF, stroke: 4 }] }]);
  assert.equal(canUndo(r.history), false);
  assert.deepEqual(undo(r.history).ops, []);
  let s = redo(r.history);
  assert.deepEqual(s.ops, [{ type: 'restore', strokes: [{ author: SELF, stroke: 4 }] }]);
  s = redo(s.history);
  assert.deepEqual(s.ops, [{ type: 'erase', strokes: [{ author: 9, stroke: 1 }, { author: SELF, stroke: 2 }] }]);
  assert.equal(canRedo(s.history), false);
  assert.equal(JSON.stringify(h), frozen, 'inputs never mutated');
  // A new action drops what could be redone.
  const u = undo(h).history;
  assert.equal(canRedo(record(u, { kind: 'stroke', stroke: 5 })), false);
});

test('history: bounded, oldest forgotten', () => {
  let h = EMPTY_HISTORY;
  for (let i = 1; i <= HISTORY_LIMIT + 10; i++) h = record(h, { kind: 'stroke', stroke: i });
  assert.equal(h.done.length, HISTORY_LIMIT);
  assert.deepEqual(h.done[0], { kind: 'stroke', stroke: 11 });
});

test('visibilityOps splits at 1024 strokes per op', () => {
  const ids = Array.from({ length: 2500 }, (_, i) => ({ author: 1, stroke: i + 1 }));
  const ops = visibilityOps('erase', ids);
  assert.deepEqual(ops.map((o) => (o.type === 'erase' ? o.strokes.length : 0)), [1024, 1024, 452]);
});

test('pending view: erase, restore and clear fold in order', () => {
  assert.equal(pendingView([]), NO_PENDING);
  assert.equal(pendingView([{ uid: 1, op: { type: 'end' } }]), NO_PENDING);
  const v = pendingView([
    { uid: 1, op: { type: 'erase', strokes: [{ author: 0, stroke: 1 }, { author: 5, stroke: 2 }] } },
    { uid: 2, op: { type: 'restore', strokes: [{ author: 5, stroke: 2 }] } },
  ]);
  assert.equal(v.hidden.get('0:1'), true);
  assert.equal(v.hidden.get('5:2'), false);
  assert.equal(v.clearUid, 0);
  const c = pendingView([
    { uid: 1, op: { type: 'erase', strokes: [{ author: 5, stroke: 2 }] } },
    { uid: 7, op: { type: 'clear', n: 3 } },
    { uid: 8, op: { type: 'erase', strokes: [{ author: 0, stroke: 9 }] } },
  ]);
  assert.equal(c.clearUid, 7);
  assert.equal(c.hidden.get('5:2'), true, 'a clear hides, it does not forget: its undo shows the stroke still erased');
  assert.equal(c.hidden.get('0:9'), true);
  assert.equal(displayKey(3, 4, 3), '0:4');
  assert.equal(displayKey(3, 4, 5), '3:4');
  assert.equal(displayKey(3, 4, 0), '3:4');
});

test('shortcuts: P, E, Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y', () => {
  const k = (key: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
    commandFor({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...m });
  assert.equal(k('p'), 'pen');
  assert.equal(k('P'), 'pen');
  assert.equal(k('e'), 'eraser');
  assert.equal(k('k'), 'laser');
  assert.equal(k('z', { ctrlKey: true }), 'undo');
  assert.equal(k('z', { metaKey: true }), 'undo');
  assert.equal(k('Z', { ctrlKey: true, shiftKey: true }), 'redo');
  assert.equal(k('z', { metaKey: true, shiftKey: true }), 'redo');
  assert.equal(k('y', { ctrlKey: true }), 'redo');
  assert.equal(k('z'), null);
  assert.equal(k('p', { ctrlKey: true }), null);
  assert.equal(k('e', { altKey: true }), null);
  assert.equal(k('Enter'), null);
  assert.equal(isTextEntry({ tagName: 'INPUT', type: 'text' }), true);
  assert.equal(isTextEntry({ tagName: 'INPUT', type: 'color' }), false);
  assert.equal(isTextEntry({ tagName: 'BUTTON' }), false);
  assert.equal(isTextEntry({ tagName: 'DIV', isContentEditable: true }), true);
  assert.equal(isTextEntry(null), false);
});

test('names: friendly defaults; cleaned to 64 bytes of UTF-8', () => {
  const r = seeded(11);
  for (let i = 0; i < 50; i++) assert.match(randomName(r), /^[A-Z][a-z]+ [A-Z][a-z]+$/);
  assert.ok(PERSON_COLORS.includes(randomPersonColor(r)));
  assert.equal(cleanName('  Ada   \n Lovelace '), 'Ada Lovelace');
  assert.equal(cleanName('   '), '');
  const long = '✏️'.repeat(40); // 6 bytes each
  const c = cleanName(long);
  assert.ok(new TextEncoder().encode(c).length <= 64);
  assert.ok(long.startsWith(c));
  assert.equal(c.length % 2, 0, 'no character split');
});

test('colors: RGBA u32 to CSS and back', () => {
  assert.equal(cssColor(0x1e1e1eff), '#1e1e1e');
  assert.equal(cssColor(0xff000080), 'rgba(255,0,0,0.502)');
  assert.equal(hexColor(0x1971c2ff), '#1971c2');
  assert.equal(parseHexColor('#1971C2'), 0x1971c2ff);
  assert.equal(parseHexColor('#abc'), 0xaabbccff);
  assert.equal(parseHexColor('blue'), null);
});

test('status words', () => {
  assert.equal(statusText({ state: 'connecting', resync: false }, 0), 'connecting…');
  assert.equal(statusText({ state: 'connecting', resync: true }, 0), 'resyncing…');
  assert.equal(statusText({ state: 'live' }, 0), 'live');
  assert.equal(statusText({ state: 'offline', retryAt: 4200 }, 1000), 'offline — reconnecting in 4s');
  assert.equal(statusText({ state: 'offline', retryAt: 4200, code: 1006 }, 1000), 'offline — reconnecting in 4s');
  // Dropped as too slow (4008): the page says so, not "offline".
  assert.equal(statusText({ state: 'offline', retryAt: 3000, code: CLOSE_SLOW }, 1000), 'connection too slow — reconnecting in 2s');
  assert.match(statusText({ state: 'reload' }, 0), /reload/);
  assert.equal(statusText({ state: 'stopped', code: 4410 }, 0), 'Access to this board has expired');
  assert.equal(statusText({ state: 'stopped', code: 0, reason: 'This site is not allowed to show this board.' }, 0), 'This site is not allowed to show this board.');
  assert.equal(statusText({ state: 'stopped', code: 4000 }, 0), 'Disconnected from the board');
});

test('status words a person understands: no codes, no tokens, no milliseconds', () => {
  const offline = (code: number): string => statusText({ state: 'offline', retryAt: 3000, code }, 1000);
  assert.equal(offline(CLOSE_RATE_LIMITED), 'you drew faster than this board allows — reconnecting in 2s');
  assert.equal(offline(CLOSE_TRY_AGAIN), 'the board is busy — reconnecting in 2s');
  assert.equal(offline(CLOSE_GOING_AWAY), 'the server is restarting — reconnecting in 2s');
  assert.equal(noticeNote({ code: NOTICE_RATE_LIMITED, message: 'slow down: retry after 4 ms' }), RATE_LIMITED_NOTE);
  assert.equal(RATE_LIMITED_NOTE, "You're drawing faster than this board allows; it catches up in a moment.");
  assert.equal(noticeNote({ code: NOTICE_BOARD_FULL, message: 'board_strokes' }), BOARD_FULL_NOTE);
  for (const code of ['token_expired', 'token_wrong_board', 'token_invalid', 'host_not_allowed', 'something_new']) {
    const text = embedErrorText(code);
    assert.doesNotMatch(text, /token|_|mount/i, code);
    assert.match(text, /^This /, code);
  }
});

test('status words while the room has paused drawing', () => {
  assert.equal(statusText({ state: 'live' }, 0, true), PAUSED_TEXT);
  assert.match(PAUSED_TEXT, /^Drawing paused/);
  assert.match(PAUSED_TEXT, /kept and will be sent/);
  assert.equal(statusText({ state: 'live' }, 0, false), 'live');
  // The connection's own trouble is what shows while it lasts.
  assert.equal(statusText({ state: 'offline', retryAt: 2000 }, 1000, true), 'offline — reconnecting in 1s');
  assert.equal(statusText({ state: 'connecting', resync: true }, 0, true), 'resyncing…');
  assert.equal(noticeNote({ code: 1, message: 'storage unreachable' }), null, 'the indicator shows a pause');
  assert.equal(noticeNote({ code: 2, message: 'back' }), RESUMED_NOTE);
  assert.equal(noticeNote({ code: 9, message: 'a hint' }), 'a hint');
  assert.equal(noticeNote({ code: 9, message: '' }), null);
});

test('export file names carry the board and the local date and time, and the PNG size', () => {
  const when = new Date(2026, 11, 3, 9, 5); // local time: 3 December 2026, 09:05
  assert.equal(exportFileName('team-plan', when, 'png'), 'team-plan-2026-12-03-0905.png');
  assert.equal(exportFileName('team-plan', when, 'png', 3), 'team-plan-2026-12-03-0905@3x.png');
  assert.equal(exportFileName('team-plan', when, 'svg', 2), 'team-plan-2026-12-03-0905.svg', 'an SVG has no pixel size');
  assert.equal(exportFileName('Ünïcode board/ä', when, 'png'), 'Ünïcode_board_ä-2026-12-03-0905.png');
  assert.equal(exportFileName('../..', when, 'svg'), 'sketchpad-2026-12-03-0905.svg', 'nothing of a path survives');
  assert.equal(exportFileName('', when, 'png'), 'sketchpad-2026-12-03-0905.png');
  assert.deepEqual(PNG_SCALES, [1, 2, 3]);
  assert.equal(defaultPNGScale(1), 1);
  assert.equal(defaultPNGScale(2.625), 3);
  assert.equal(defaultPNGScale(1.25), 1);
  assert.equal(defaultPNGScale(0), 1);
});
