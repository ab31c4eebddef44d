// The page's settings, read from its address and the server's meta tags:
// a room, a view link, an embed (its query string, a token's forced name,
// the server's read-only and error tags).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings, type PageEnv } from '../src/page/settings';

const env = (pathname: string, search: string, meta: Record<string, string> = {}): PageEnv => ({
  pathname,
  search,
  meta: (name) => meta[name] ?? null,
});

/** token makes a token as the server does (the page never checks the signature). */
function token(claims: object): string {
  return Buffer.from(JSON.stringify(claims)).toString('base64url') + '.' + Buffer.from('signature').toString('base64url');
}

test('page settings: a room draws; its view link only looks', () => {
  const room = readSettings(env('/b/team%20plan', '', { 'sketchpad-view-link': '/b/v.abc' }));
  assert.equal(room.segment, 'team%20plan');
  assert.equal(room.readOnly, false);
  assert.equal(room.embed, null);
  assert.equal(room.title, 'team plan · Sketchpad');
  assert.equal(room.viewLink, '/b/v.abc');
  assert.equal(room.forcedName, null);
  assert.equal(room.embedHost, null);
  const view = readSettings(env('/b/v.abc', ''));
  assert.equal(view.readOnly, true);
  assert.equal(view.title, 'View only · Sketchpad');
  assert.equal(readSettings(env('/', '')).segment, 'lobby');
  assert.equal(readSettings(env('/b/room', '', { 'sketchpad-read-only': '1' })).readOnly, true);
});

test('page settings: an embed reads its query string, its token’s name and the server’s tags', () => {
  const t = token({ b: 'v.abc', c: 'draw', n: 'Zoë', e: 2e9 });
  const meta = { 'sketchpad-embed': '1', 'sketchpad-embed-host': 'https://host.example', 'sketchpad-embed-error': 'token_expired' };
  const s = readSettings(env('/embed/v.abc', `?token=${t}&tools=pen,eraser&theme=dark`, meta));
  assert.equal(s.token, t);
  assert.deepEqual(s.embed?.tools, ['pen', 'eraser']);
  assert.equal(s.embed?.theme, 'dark');
  // The path names the board by its view id: only the server's tag and readonly=1 make it read-only.
  assert.equal(s.readOnly, false);
  assert.equal(s.title, 'Sketchpad');
  assert.equal(s.forcedName, 'Zoë');
  assert.equal(s.embedHost, 'https://host.example');
  assert.equal(s.embedError, 'token_expired');
  assert.equal(readSettings(env('/embed/v.abc', '?readonly=1', { 'sketchpad-embed': '1' })).readOnly, true);
  assert.equal(readSettings(env('/embed/v.abc', '', { 'sketchpad-embed': '1', 'sketchpad-read-only': '1' })).readOnly, true);
  assert.equal(readSettings(env('/embed/v.abc', `?token=${token({ b: 'v.abc', c: 'draw', e: 2e9 })}`, { 'sketchpad-embed': '1' })).forcedName, null);
});
