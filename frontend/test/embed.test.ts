// The embedded board's pure parts: the query string, and the postMessage
// bridge (who may talk to it, what commands do, which events the host
// hears and when).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bridge, FAILURES_BEFORE_ERROR, connectionError } from '../src/embed/bridge';
import { parseColor, runCommand, widthUnits, type BoardControl } from '../src/embed/commands';
import { acceptCommand, validHost, type CommandMsg, type EmbedEvent, type OutMsg } from '../src/embed/messages';
import { PeopleEvents } from '../src/embed/people_events';
import { TokenClock, tokenClaims, tokenProblem } from '../src/embed/token';
import { CLOSE_ABNORMAL, CLOSE_EXPIRED, CLOSE_READ_ONLY } from '../src/protocol/codes';
import { firstTool, parseEmbedConfig, parseTools, parseView } from '../src/embed/config';
import { toScreen } from '../src/geometry/view';

const HOST = 'https://host.example:8443';
const parent = { name: 'the parent window' };
const other = { name: 'another window' };
const cmd = (c: string, ...args: unknown[]): { sketchpad: number; id: number; cmd: string; args: unknown[] } => ({ sketchpad: 1, id: 7, cmd: c, args });

test('bridge: only the parent window at the host origin, exactly, is heard', () => {
  const ok = acceptCommand({ source: parent, origin: HOST, data: cmd('undo') }, parent, HOST);
  assert.deepEqual(ok, { id: 7, cmd: 'undo', args: [] });
  for (const origin of [
    'https://host.example',
    'https://host.example:8444',
    'http://host.example:8443',
    'https://host.example:8443/',
    'https://evil.host.example:8443',
    'null',
    '',
  ]) {
    assert.equal(acceptCommand({ source: parent, origin, data: cmd('undo') }, parent, HOST), null, origin);
  }
  // The right origin from another window (a sibling frame, a popup of the host's origin).
  assert.equal(acceptCommand({ source: other, origin: HOST, data: cmd('undo') }, parent, HOST), null);
  assert.equal(acceptCommand({ source: null, origin: HOST, data: cmd('undo') }, parent, HOST), null);
  assert.equal(acceptCommand({ source: null, origin: HOST, data: cmd('undo') }, null, HOST), null, 'no parent: nobody');
  // No host to talk to (the server gave none), or one that is not an origin.
  for (const host of ['', '*', 'null', 'https://host.example/path', 'host.example']) {
    assert.equal(acceptCommand({ source: parent, origin: host, data: cmd('undo') }, parent, host), null, host);
    assert.equal(validHost(host), false, host);
  }
  assert.ok(validHost(HOST) && validHost('http://127.0.0.1:5000') && !validHost(null));
});

test('bridge: only Sketchpad commands are taken', () => {
  const take = (data: unknown): CommandMsg | null => acceptCommand({ source: parent, origin: HOST, data }, parent, HOST);
  assert.equal(take('undo'), null);
  assert.equal(take(null), null);
  assert.equal(take({ id: 1, cmd: 'undo' }), null, 'no sketchpad: 1');
  assert.equal(take({ sketchpad: 2, id: 1, cmd: 'undo' }), null, 'another version');
  assert.equal(take({ sketchpad: 1, id: 1 }), null, 'no command');
  assert.equal(take({ sketchpad: 1, cmd: 'undo' }), null, 'no id to answer to');
  assert.equal(take({ sketchpad: 1, id: {}, cmd: 'undo' }), null);
  assert.equal(take({ sketchpad: 1, id: 1, cmd: 'undo', type: 'result' }), null, 'a result or event, not a command');
  assert.deepEqual(take({ sketchpad: 1, id: 'a', cmd: 'setTool', args: ['pen'] }), { id: 'a', cmd: 'setTool', args: ['pen'] });
  assert.deepEqual(take({ sketchpad: 1, id: 2, cmd: 'clear', args: 'x' }), { id: 2, cmd: 'clear', args: [] });
});

/** fakeBoard records what commands do. */
function fakeBoard(readOnly = false): BoardControl & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    readOnly: () => readOnly,
    setTool: (t) => calls.push(`tool ${t}`),
    setColor: (c, a) => calls.push(`color ${c.toString(16)} ${a}`),
    setWidth: (u) => calls.push(`width ${u}`),
    restyleSelection: (st) => (calls.push(`restyle ${st.color?.rgba.toString(16)} ${st.color?.alpha} ${st.units} ${st.fill}`), true),
    undo: () => (calls.push('undo'), true),
    redo: () => (calls.push('redo'), false),
    clear: () => calls.push('clear'),
    undoClear: () => (calls.push('undoClear'), true),
    exportPNG: (s) => Promise.resolve(`data:image/png;base64,${s}`),
    exportSVG: (s) => `<svg>${s}</svg>`,
    insertImage: (src) => Promise.resolve(calls.push(`image ${typeof src === 'string' ? src : src.type}`)),
    openHistory: () => calls.push('history open'),
    closeHistory: () => calls.push('history closed'),
  };
}

const run = (b: BoardControl, c: string, ...args: unknown[]): Promise<unknown> => runCommand({ id: 1, cmd: c, args }, b);

test('commands: each does what the toolbar does', async () => {
  const b = fakeBoard();
  assert.equal(await run(b, 'setTool', 'highlighter'), 'highlighter');
  assert.equal(await run(b, 'setTool', 'partial-eraser'), 'partial-eraser');
  assert.equal(await run(b, 'setTool', 'lasso'), 'lasso');
  assert.equal(await run(b, 'setTool', 'laser'), 'laser');
  assert.equal(await run(b, 'setColor', '#E03131'), null);
  assert.equal(await run(b, 'setColor', '#e0313180'), null);
  assert.equal(await run(b, 'setWidth', 4), null);
  assert.equal(await run(b, 'setWidth', 0.25), null);
  assert.equal(await run(b, 'restyleSelection', { color: '#2f9e4480', width: 8, fill: true }), true);
  assert.equal(await run(b, 'restyleSelection', { width: 2 }), true);
  assert.equal(await run(b, 'undo'), true);
  assert.equal(await run(b, 'redo'), false);
  assert.equal(await run(b, 'clear'), null);
  assert.equal(await run(b, 'undoClear'), true);
  assert.equal(await run(b, 'exportPNG'), 'data:image/png;base64,board');
  assert.equal(await run(b, 'exportPNG', 'view'), 'data:image/png;base64,view');
  assert.equal(await run(b, 'exportSVG', 'board'), '<svg>board</svg>');
  assert.equal(await run(b, 'insertImage', new Blob([new Uint8Array(8)], { type: 'image/png' })), 15);
  assert.equal(await run(b, 'insertImage', 'https://example.com/cat.png'), 16);
  assert.equal(await run(b, 'openHistory'), null);
  assert.equal(await run(b, 'closeHistory'), null);
  assert.deepEqual(b.calls, ['tool highlighter', 'tool partial-eraser', 'tool lasso', 'tool laser', 'color e03131ff false', 'color e0313180 true', 'width 16', 'width 1', 'restyle 2f9e4480 true 32 true', 'restyle undefined undefined 8 undefined', 'undo', 'redo', 'clear', 'undoClear', 'image image/png', 'image https://example.com/cat.png', 'history open', 'history closed']);
});

test('commands: bad arguments and unknown commands fail with a message, and do nothing', async () => {
  const b = fakeBoard();
  await assert.rejects(run(b, 'setTool', 'spray'), /unknown tool "spray"/);
  await assert.rejects(run(b, 'setTool'), /unknown tool/);
  for (const c of ['red', '#f00', '#e0313', '#e031311', 'e03131', 0xe03131ff]) await assert.rejects(run(b, 'setColor', c), /'#rrggbb' or '#rrggbbaa'/, String(c));
  for (const w of [0, 0.1, -4, 1025, NaN, Infinity, '4']) await assert.rejects(run(b, 'setWidth', w), /width must be/, String(w));
  for (const st of [undefined, {}, 'red']) await assert.rejects(run(b, 'restyleSelection', st), /restyleSelection takes/, String(st));
  await assert.rejects(run(b, 'restyleSelection', { color: 'red' }), /'#rrggbb'/);
  await assert.rejects(run(b, 'restyleSelection', { width: 0 }), /width must be/);
  await assert.rejects(run(b, 'restyleSelection', { fill: 1 }), /fill must be true or false/);
  await assert.rejects(run(b, 'exportPNG', 'page'), /scope must be/);
  await assert.rejects(run(b, 'exportSVG', 3), /scope must be/);
  for (const a of [undefined, '', 42, {}]) await assert.rejects(run(b, 'insertImage', a), /insertImage takes a Blob/, String(a));
  await assert.rejects(run(b, 'eval', 'alert(1)'), /unknown command "eval"/);
  await assert.rejects(run(b, 'constructor'), /unknown command/);
  assert.deepEqual(b.calls, []);
});

test('commands: a view-only board pans and exports, and refuses the rest', async () => {
  const b = fakeBoard(true);
  assert.equal(await run(b, 'setTool', 'hand'), 'hand');
  for (const [c, a] of [['setTool', 'pen'], ['setTool', 'lasso'], ['setTool', 'laser'], ['setColor', '#000000'], ['setWidth', 2], ['restyleSelection', { width: 2 }], ['undo'], ['redo'], ['clear'], ['undoClear'], ['insertImage', 'https://example.com/cat.png']] as const) {
    await assert.rejects(run(b, c, a), /view-only/, c);
  }
  assert.match(String(await run(b, 'exportPNG')), /^data:image\/png/);
  assert.deepEqual(b.calls, ['tool hand']);
});

test('colors and widths', () => {
  assert.deepEqual(parseColor('#1e1e1e'), { rgba: 0x1e1e1eff, alpha: false });
  assert.deepEqual(parseColor(' #FFFFFF00 '), { rgba: 0xffffff00, alpha: true });
  assert.equal(parseColor('#fff'), null);
  assert.equal(widthUnits(4), 16, 'CSS pixels at 100 %: 4 board units each');
  assert.equal(widthUnits(1024), 4096);
  assert.equal(widthUnits(1024.2), null);
  assert.equal(widthUnits(0.1), null);
});

/** host records what the bridge posts. */
function host(b: BoardControl = fakeBoard(), problem: string | null = null): { bridge: Bridge; got: OutMsg[]; events: () => EmbedEvent[] } {
  const got: OutMsg[] = [];
  const bridge = new Bridge((m) => got.push(m), b, () => problem);
  return { bridge, got, events: () => got.filter((m) => m.type !== 'result').map(({ sketchpad, ...e }) => (assert.equal(sketchpad, 1), e as EmbedEvent)) };
}

test('bridge: a command gets one result with its id; a failed one says why', async () => {
  const { bridge, got } = host();
  await bridge.command({ id: 'x1', cmd: 'setTool', args: ['rect'] });
  await bridge.command({ id: 2, cmd: 'nope', args: [] });
  await bridge.command({ id: 3, cmd: 'exportSVG', args: [] });
  assert.deepEqual(got, [
    { sketchpad: 1, type: 'result', id: 'x1', ok: true, value: 'rect' },
    { sketchpad: 1, type: 'result', id: 2, ok: false, error: 'unknown command "nope"' },
    { sketchpad: 1, type: 'result', id: 3, ok: true, value: '<svg>board</svg>' },
  ]);
});

test('bridge: load at once, ready once when live, change at most once per frame and only for a new seq', () => {
  const { bridge, events } = host(fakeBoard(true));
  bridge.loaded();
  bridge.frame(3);
  bridge.connection({ state: 'connecting' }, 0);
  assert.deepEqual(events(), [{ type: 'load' }], 'no change before ready');
  bridge.connection({ state: 'live' }, 5);
  bridge.frame(5);
  bridge.frame(6);
  bridge.frame(6);
  bridge.frame(9);
  bridge.connection({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: true, failures: 0 }, 9);
  bridge.connection({ state: 'live' }, 9);
  bridge.frame(9);
  assert.deepEqual(events(), [
    { type: 'load' },
    { type: 'ready', seq: 5, readOnly: true },
    { type: 'change', seq: 6 },
    { type: 'change', seq: 9 },
  ]);
});

test('bridge: a board that cannot connect says so after a couple of failed attempts, once', () => {
  const { bridge, events } = host();
  for (let f = 1; f <= 4; f++) bridge.connection({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: false, failures: f }, 0);
  assert.equal(FAILURES_BEFORE_ERROR, 2);
  assert.deepEqual(events(), [{ type: 'error', code: 'connect_failed', message: 'the board cannot connect: the server refused it or cannot be reached', fatal: true }]);

  // What the token says explains a refusal.
  const t = host(fakeBoard(), 'token_expired');
  t.bridge.connection({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: false, failures: 1 }, 0);
  t.bridge.connection({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: false, failures: 2 }, 0);
  assert.deepEqual(t.events(), [{ type: 'error', code: 'token_expired', message: 'the embed token has expired: mount the board again with a new token', fatal: true }]);
});

test('connection errors: 4410 stops for good, 4403 makes the page view-only, a lost board keeps trying', () => {
  assert.deepEqual(connectionError({ state: 'stopped', code: CLOSE_EXPIRED }, true, null), {
    code: 'token_expired',
    message: 'the embed token has expired: mount the board again with a new token',
    fatal: true,
  });
  const ro = connectionError({ state: 'offline', code: CLOSE_READ_ONLY, wasLive: true, failures: 0 }, true, null);
  assert.equal(ro?.code, 'read_only');
  assert.equal(ro?.fatal, false);
  assert.equal(connectionError({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: true, failures: 0 }, true, null), null, 'a drop is not an error yet');
  assert.equal(connectionError({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: false, failures: 1 }, true, null), null);
  const lost = connectionError({ state: 'offline', code: CLOSE_ABNORMAL, wasLive: false, failures: 2 }, true, null);
  assert.equal(lost?.code, 'connection_lost');
  assert.equal(lost?.fatal, false, 'it was live: it keeps trying');
  assert.equal(connectionError({ state: 'reload' }, true, null)?.code, 'out_of_date');
  assert.equal(connectionError({ state: 'live' }, true, null), null);
});

test('people: joined once per person, left when they go; a reconnect tells who left meanwhile', () => {
  const got: EmbedEvent[] = [];
  const p = new PeopleEvents((e) => got.push(e));
  // The first Welcome frame lists who is there.
  p.presence(2, 'Ada');
  p.presence(3, 'Bob');
  p.welcomed();
  p.presence(3, 'Bob B.'); // a rename is not a join
  p.presence(4, 'Cy');
  p.leave(2);
  p.leave(2);
  p.leave(99);
  assert.deepEqual(got.splice(0), [
    { type: 'joined', author: 2, name: 'Ada' },
    { type: 'joined', author: 3, name: 'Bob' },
    { type: 'joined', author: 4, name: 'Cy' },
    { type: 'left', author: 2, name: 'Ada' },
  ]);
  // Offline a while: Cy left, Dee came, Bob is still there.
  p.disconnected();
  p.disconnected();
  p.presence(3, 'Bob B.');
  p.presence(5, 'Dee');
  p.welcomed();
  assert.deepEqual(got, [
    { type: 'joined', author: 5, name: 'Dee' },
    { type: 'left', author: 4, name: 'Cy' },
  ]);
});

/** token makes a token as server/access/tokens.go does (the signature is not checked by the page). */
function token(claims: object): string {
  return Buffer.from(JSON.stringify(claims)).toString('base64url') + '.' + Buffer.from('signature').toString('base64url');
}

test('token claims explain a refusal: expired, another board, not a token', () => {
  const now = Date.UTC(2026, 0, 1);
  const t = token({ b: 'v.abc', c: 'draw', n: 'Zoë', e: now / 1000 + 60 });
  assert.deepEqual(tokenClaims(t), { board: 'v.abc', can: 'draw', name: 'Zoë', expires: now / 1000 + 60 });
  assert.equal(tokenProblem(t, 'v.abc', now), null);
  assert.equal(tokenProblem(t, 'team-board', now), null, 'a board by its name: the page cannot tell');
  assert.equal(tokenProblem(t, 'v.other', now), 'token_wrong_board');
  assert.equal(tokenProblem(t, 'v.abc', now + 60_000), 'token_expired');
  assert.equal(tokenProblem('', 'v.abc', now), null, 'no token');
  for (const bad of ['hello', '.x', '!!!.x', token({ b: 1, c: 'draw', e: 1 }), Buffer.from('{').toString('base64url') + '.x']) {
    assert.equal(tokenProblem(bad, 'v.abc', now), 'token_invalid', bad);
  }
});

test("token clock: expired by the page's clock, unless that clock already said so at load", () => {
  const exp = Date.UTC(2026, 0, 1) / 1000;
  const t = token({ b: 'v.abc', c: 'draw', e: exp });
  const c = new TokenClock(t, exp * 1000 - 60_000);
  assert.equal(c.expired(exp * 1000 - 1), false);
  assert.equal(c.expired(exp * 1000), true);
  // The server took the token, yet the page's clock said expired: it runs ahead; trust nothing.
  assert.equal(new TokenClock(t, exp * 1000 + 5).expired(exp * 1000 + 10_000_000), false);
  assert.equal(new TokenClock('', 0).expired(Number.MAX_SAFE_INTEGER), false, 'no token');
  assert.equal(new TokenClock('garbage', 0).expired(Number.MAX_SAFE_INTEGER), false);
});

test('embed query: tools, theme, readonly, view', () => {
  const q = (s: string): ReturnType<typeof parseEmbedConfig> => parseEmbedConfig(new URLSearchParams(s));
  assert.deepEqual(q(''), { tools: null, theme: null, readOnly: false, view: null });
  const c = q('tools=eraser,PEN,spray,laser,&theme=dark&readonly=1&view=100,-50,2');
  assert.deepEqual(c.tools, ['pen', 'eraser', 'laser'], 'toolbar order, unknown names skipped');
  assert.equal(c.theme, 'dark');
  assert.equal(c.readOnly, true);
  assert.equal(q('theme=blue').theme, null);
  assert.equal(q('readonly=0').readOnly, false);
  assert.equal(parseTools('spray'), null, 'nothing known: every tool');
  // view=x,y,zoom: board point (x, y) in CSS pixels at 100 % at the top-left corner.
  const v = parseView('100,-50,2');
  assert.ok(v);
  assert.deepEqual(toScreen(v, 400, -200), { x: 0, y: 0 });
  assert.equal(v.scale * 4, 2);
  assert.deepEqual(parseView('0,0,1'), { scale: 0.25, x: 0, y: 0 }, 'the home view');
  for (const bad of ['1,2', '1,2,3,4', 'a,b,c', '0,0,0', '0,0,100', ',0,1', '0,0,Infinity']) assert.equal(parseView(bad), null, bad);
  assert.equal(firstTool(null, false), 'pen');
  assert.equal(firstTool(['hand', 'eraser', 'pen'], false), 'pen');
  assert.equal(firstTool(['select', 'hand', 'rect'], false), 'rect');
  assert.equal(firstTool(['lasso', 'hand', 'text'], false), 'text');
  assert.equal(firstTool(['hand'], false), 'hand');
  assert.equal(firstTool(['pen'], true), 'hand');
});
