// The service worker: it keeps the app's files and the board pages this
// browser opened, so a board link opens without a network. The page then
// shows the board as last seen (page/board_cache.ts keeps it in
// IndexedDB), lets people draw, and sends what they drew when the
// connection is back (net/sync.ts, as after any lost connection).
//
//   /static/*         cache first: the names carry their content's hash,
//                     so a kept file is never stale
//   /font/text.ttf    cache first, like /static/: the one text font (it
//                     changes only with a build, whose caches are new)
//   /b/{board} pages  network first (a page always gets the newest app when
//                     it can), a copy kept; without a network, the copy
//   anything else     not touched: WebSockets, the API, pictures, embeds
//                     (an embed's access is a token, which is not kept)
//
// The caches are named by the build (BUILD, a hash of every hashed name),
// so a new deployment's worker fills new caches and, once it takes over,
// deletes the old ones: no page is ever served with another build's files.
// Board pages are kept per build too, since a page names its build's files;
// a new build's worker carries the old build's pages over before it takes
// over (carry.ts), so a deployment costs no board its offline copy. The
// boards themselves are in IndexedDB (page/board_cache.ts), which no build
// versions.

import { carryPages } from './carry';

/** BUILD names this build (build.mjs). */
declare const BUILD: string;
/** SHELL is every file a page of this build loads (build.mjs). */
declare const SHELL: string[];

/** The worker's own scope, typed as what it is (lib.webworker types self as any worker). */
const worker = self as unknown as ServiceWorkerGlobalScope;

const PREFIX = 'sketchpad-';
const SHELL_CACHE = `${PREFIX}shell-${BUILD}`;
const PAGES_CACHE = `${PREFIX}pages-${BUILD}`;

/** The text font (server/text_font.go): fetched on a board's first text, kept for the board offline. */
const TEXT_FONT = '/font/text.ttf';

/** A board's page (an edit name or a view id), not its picture. */
const BOARD_PAGE = /^\/b\/[A-Za-z0-9_.-]+$/;

/**
 * Scripts are kept when the worker activates, not while it installs:
 * Chromium gives a script put in the cache during install a full V8 code
 * cache (every function compiled), and reading that back on each page load
 * held a phone's main thread several times longer than compiling the
 * script lazily does. Activation still ends before the worker takes a
 * page (clients.claim), and a script it missed is kept on first fetch.
 */
const isScript = (path: string): boolean => path.endsWith('.js');

worker.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((c) => c.addAll(SHELL.filter((p) => !isScript(p))))
      // Before the old caches go (activate): a failure only loses those pages.
      .then(() => carryPages(PAGES_CACHE, `${PREFIX}pages-`, SHELL).catch(() => undefined))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((c) => c.addAll(SHELL.filter(isScript)))
      .catch(() => undefined)
      .then(() => caches.keys())
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== SHELL_CACHE && n !== PAGES_CACHE).map((n) => caches.delete(n))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (url.pathname.startsWith('/static/') || url.pathname === TEXT_FONT) {
    e.respondWith(cacheFirst(req));
  } else if (req.mode === 'navigate' && BOARD_PAGE.test(url.pathname) && !url.pathname.endsWith('.svg')) {
    e.respondWith(networkFirst(req, url.origin + url.pathname));
  }
});

// A page opened before this worker controlled it (the first visit) did not
// come through it: the page asks for its own copy to be kept, and for the
// text font's if it had fetched it by then.
worker.addEventListener('message', (e) => {
  const data = e.data as { keep?: unknown; font?: unknown } | null;
  const path = data?.keep;
  if (typeof path !== 'string' || !BOARD_PAGE.test(path) || path.endsWith('.svg')) return;
  const key = worker.location.origin + path;
  const pending = [keepIn(PAGES_CACHE, key)];
  if (data?.font === true) pending.push(keepIn(SHELL_CACHE, worker.location.origin + TEXT_FONT));
  e.waitUntil(Promise.all(pending));
});

/** keepIn fetches key into the named cache unless it is there already. */
async function keepIn(name: string, key: string): Promise<void> {
  const cache = await caches.open(name);
  if (await cache.match(key)) return;
  const res = await fetch(key, { credentials: 'same-origin' });
  if (res.ok) await cache.put(key, res);
}

async function cacheFirst(req: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(req);
  if (hit) return isScript(new URL(req.url).pathname) ? uncached(hit) : hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

/**
 * uncached hands a kept script to the page as a response of the worker's
 * own making, not the cache's entry: Chromium keeps a V8 code cache beside
 * a Cache Storage entry and makes it on the script's second run from there,
 * serializing every compiled function in one task of the page's main thread
 * just after it starts, on every person's first return. The scripts are
 * compiled lazily and off the main thread as they stream, so the code cache
 * saves a return visit little, and a made response has none.
 */
function uncached(res: Response): Response {
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** networkFirst answers from the network, keeping a copy under key; offline, from the copy. */
async function networkFirst(req: Request, key: string): Promise<Response> {
  const cache = await caches.open(PAGES_CACHE);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(key, res.clone());
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}
