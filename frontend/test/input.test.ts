// Input as pure functions: the gesture machine (tool, pan, pinch, palm
// rejection), the wheel, the keyboard shortcuts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GestureMachine, HOLD_MS, type GestureAction, type PointerIn, type PointerKind } from '../src/input/gesture';
import { SHORTCUTS, TOOL_NAMES, commandFor } from '../src/input/shortcuts';
import { wheelAction } from '../src/input/wheel';
import { isApple, keyParts } from '../src/ui/key_caps';

let clock = 0;
function ev(id: number, kind: PointerKind, x: number, y: number, o: Partial<PointerIn> = {}): PointerIn {
  return { id, kind, button: 0, x, y, pressure: kind === 'pen' ? 0.5 : null, t: clock, ...o };
}
const kinds = (a: readonly GestureAction[]): string[] => a.map((x) => x.kind);

test('gesture: a mouse drag drives the tool; the middle button pans', () => {
  const m = new GestureMachine();
  assert.deepEqual(kinds(m.down(ev(1, 'mouse', 10, 10), false)), ['tool-start']);
  const mv = m.move(1, [ev(1, 'mouse', 11, 10), ev(1, 'mouse', 12, 11)]);
  assert.deepEqual(mv, [{ kind: 'tool-move', samples: [{ x: 11, y: 10, pressure: null }, { x: 12, y: 11, pressure: null }] }]);
  assert.deepEqual(kinds(m.up(1)), ['tool-end']);
  assert.deepEqual(m.up(1), [], 'lost capture after up: nothing more');
  assert.deepEqual(m.down(ev(2, 'mouse', 5, 5, { button: 1 }), false), []);
  assert.deepEqual(m.move(2, [ev(2, 'mouse', 9, 2)]), [{ kind: 'pan', dx: 4, dy: -3 }]);
  assert.deepEqual(m.up(2), []);
  assert.deepEqual(m.down(ev(3, 'mouse', 5, 5, { button: 2 }), false), [], 'right button: nothing');
});

test('gesture: pan mode (hand tool, space) pans with the primary button', () => {
  const m = new GestureMachine();
  assert.deepEqual(m.down(ev(1, 'mouse', 0, 0), true), []);
  assert.deepEqual(m.move(1, [ev(1, 'mouse', 3, 4)]), [{ kind: 'pan', dx: 3, dy: 4 }]);
  assert.equal(m.panning, true);
  m.up(1);
  assert.equal(m.panning, false);
});

test('gesture: a finger draws after a short hold or a move; a tap is a dot', () => {
  clock = 1000;
  const m = new GestureMachine();
  assert.deepEqual(m.down(ev(1, 'touch', 100, 100), false), []);
  clock += 10;
  assert.deepEqual(m.move(1, [ev(1, 'touch', 102, 100)]), [], 'waits');
  clock += HOLD_MS;
  const a = m.move(1, [ev(1, 'touch', 104, 100)]);
  assert.deepEqual(kinds(a), ['tool-start', 'tool-move']);
  assert.deepEqual(a[0], { kind: 'tool-start', s: { x: 100, y: 100, pressure: null } });
  assert.equal((a[1] as unknown as { samples: unknown[] }).samples.length, 2, 'the samples it held are not lost');
  assert.deepEqual(kinds(m.up(1)), ['tool-end']);
  // A tap.
  m.down(ev(2, 'touch', 5, 5), false);
  assert.deepEqual(kinds(m.up(2)), ['tool-start', 'tool-end']);
  // Moving far starts at once.
  m.down(ev(3, 'touch', 0, 0), false);
  assert.deepEqual(kinds(m.move(3, [ev(3, 'touch', 20, 0)])), ['tool-start', 'tool-move']);
});

test('gesture: two fingers pinch, nothing drawn', () => {
  clock = 5000;
  const m = new GestureMachine();
  m.down(ev(1, 'touch', 100, 100), false);
  clock += 20;
  assert.deepEqual(m.down(ev(2, 'touch', 200, 100), false), []);
  const a = m.move(2, [ev(2, 'touch', 300, 100)]);
  assert.deepEqual(a, [{ kind: 'pinch', a0: { x: 100, y: 100 }, b0: { x: 200, y: 100 }, a1: { x: 100, y: 100 }, b1: { x: 300, y: 100 } }]);
  const b = m.move(1, [ev(1, 'touch', 90, 100)]);
  assert.deepEqual(b, [{ kind: 'pinch', a0: { x: 100, y: 100 }, b0: { x: 300, y: 100 }, a1: { x: 90, y: 100 }, b1: { x: 300, y: 100 } }]);
  m.up(2);
  assert.deepEqual(m.move(1, [ev(1, 'touch', 95, 100)]), [{ kind: 'pan', dx: 5, dy: 0 }], 'one finger left: it pans');
  m.up(1);
  assert.equal(m.toolActive, false);
});

test('gesture: a second finger soon after the first started drawing cancels the stroke', () => {
  clock = 9000;
  const m = new GestureMachine();
  m.down(ev(1, 'touch', 0, 0), false);
  m.move(1, [ev(1, 'touch', 30, 0)]);
  clock += 100;
  assert.deepEqual(kinds(m.down(ev(2, 'touch', 100, 0), false)), ['tool-cancel']);
  assert.deepEqual(m.move(1, [ev(1, 'touch', 40, 0)]), [], 'the first finger is done');
  assert.deepEqual(m.move(2, [ev(2, 'touch', 110, 0)]), [{ kind: 'pan', dx: 10, dy: 0 }]);
  // Much later, a second finger only ends the stroke.
  const n = new GestureMachine();
  n.down(ev(1, 'touch', 0, 0), false);
  n.move(1, [ev(1, 'touch', 30, 0)]);
  clock += 2000;
  assert.deepEqual(kinds(n.down(ev(2, 'touch', 100, 0), false)), ['tool-end']);
});

test('gesture: palm rejection — once a pen was used, fingers pan; a pen cancels a palm', () => {
  clock = 20000;
  const m = new GestureMachine();
  // A palm lands and starts "drawing"; then the pen comes down.
  m.down(ev(1, 'touch', 300, 300), false);
  m.move(1, [ev(1, 'touch', 330, 300)]);
  assert.equal(m.toolActive, true);
  assert.deepEqual(kinds(m.down(ev(7, 'pen', 50, 50), false)), ['tool-cancel', 'tool-start']);
  assert.equal(m.penMode, true);
  assert.deepEqual(m.move(1, [ev(1, 'touch', 340, 300)]), [], 'the palm is ignored');
  assert.deepEqual(kinds(m.move(7, [ev(7, 'pen', 55, 50)])), ['tool-move']);
  m.up(7);
  m.up(1);
  // From now on a finger pans.
  assert.deepEqual(m.down(ev(2, 'touch', 0, 0), false), []);
  assert.deepEqual(m.move(2, [ev(2, 'touch', 0, 8)]), [{ kind: 'pan', dx: 0, dy: 8 }]);
  m.up(2);
  // A finger waiting when the pen lands is dropped without drawing.
  const n = new GestureMachine();
  n.down(ev(1, 'touch', 0, 0), false);
  assert.deepEqual(kinds(n.down(ev(2, 'pen', 9, 9), false)), ['tool-start']);
  assert.deepEqual(n.up(1), []);
});

test('wheel: ctrl zooms, plain pans, shift pans sideways, lines are 16 px', () => {
  const base = { deltaX: 0, deltaY: 0, deltaMode: 0, ctrlKey: false, metaKey: false, shiftKey: false };
  const z = wheelAction({ ...base, deltaY: 100, ctrlKey: true });
  assert.equal(z.kind, 'zoom');
  assert.ok(z.kind === 'zoom' && z.factor < 1 && z.factor > 0.5);
  const zi = wheelAction({ ...base, deltaY: -3, metaKey: true });
  assert.ok(zi.kind === 'zoom' && zi.factor > 1 && zi.factor < 1.05, 'a trackpad pinch zooms gently');
  assert.deepEqual(wheelAction({ ...base, deltaX: 5, deltaY: 30 }), { kind: 'pan', dx: -5, dy: -30 });
  assert.deepEqual(wheelAction({ ...base, deltaY: 30, shiftKey: true }), { kind: 'pan', dx: -30, dy: 0 });
  assert.deepEqual(wheelAction({ ...base, deltaY: 3, deltaMode: 1 }), { kind: 'pan', dx: 0, dy: -48 });
});

test('shortcuts: every tool has a key, and the help table lists it', () => {
  const k = (key: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean; code: string }> = {}) =>
    commandFor({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...m });
  for (const t of TOOL_NAMES) assert.ok(SHORTCUTS.some((s) => s.command === t), `no shortcut for ${t}`);
  const seen = new Set<string>();
  for (const s of SHORTCUTS) {
    if (!s.command) continue;
    assert.ok(!seen.has(s.command), `${s.command} twice`);
    seen.add(s.command);
  }
  assert.equal(k('v'), 'select');
  assert.equal(k('h'), 'hand');
  assert.equal(k('m'), 'highlighter');
  assert.equal(k('E', { shiftKey: true }), 'partial-eraser');
  assert.equal(k('V', { shiftKey: true }), 'lasso');
  assert.equal(k('l'), 'line');
  assert.equal(k('a'), 'arrow');
  assert.equal(k('r'), 'rect');
  assert.equal(k('o'), 'ellipse');
  assert.equal(k('t'), 'text');
  assert.equal(k('f'), 'fill');
  assert.equal(k('+', { shiftKey: true }), 'zoom-in');
  assert.equal(k('='), 'zoom-in');
  assert.equal(k('-'), 'zoom-out');
  assert.equal(k('0'), 'zoom-reset');
  assert.equal(k('!', { shiftKey: true, code: 'Digit1' }), 'zoom-fit');
  assert.equal(k('1', { shiftKey: true, code: 'Digit1' }), 'zoom-fit', 'any layout');
  assert.equal(k('?', { shiftKey: true }), 'help');
  assert.equal(k('Delete'), 'delete');
  assert.equal(k('Backspace'), 'delete');
  assert.equal(k('Escape'), 'escape');
  assert.equal(k('a', { ctrlKey: true }), 'select-all');
  assert.equal(k('ArrowLeft'), 'nudge-left');
  assert.equal(k('ArrowDown', { shiftKey: true }), 'nudge-down-far');
  assert.equal(k(']'), 'front');
  assert.equal(k('['), 'back');
  assert.equal(k(']', { ctrlKey: true }), 'forward');
  assert.equal(k('ü', { metaKey: true, code: 'BracketLeft' }), 'backward', 'any layout');
  assert.equal(k('P', { shiftKey: true }), null);
  assert.equal(k('1'), null);
});

test('help: on Apple platforms the shortcuts say ⌘ where others say Ctrl', () => {
  assert.equal(isApple({ platform: 'MacIntel' }), true);
  assert.equal(isApple({ platform: '', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' }), true);
  assert.equal(isApple({ platform: 'Win32' }), false);
  assert.equal(isApple({ platform: 'Linux x86_64' }), false);
  assert.deepEqual(keyParts('Ctrl+Shift+Z / Ctrl+Y', true), [{ kbd: '⌘' }, '+', { kbd: 'Shift' }, '+', { kbd: 'Z' }, ' or ', { kbd: '⌘' }, '+', { kbd: 'Y' }]);
  assert.deepEqual(keyParts('Ctrl+D, Alt+drag', false)[0], { kbd: 'Ctrl' });
  assert.deepEqual(keyParts('Delete / Backspace'), [{ kbd: 'Delete' }, ' or ', { kbd: 'Backspace' }]);
  for (const s of SHORTCUTS) {
    assert.ok(!keyParts(s.keys, true).some((p) => (typeof p === 'string' ? p : p.kbd).includes('Ctrl')), `${s.keys}: Ctrl left on a Mac`);
  }
});
