// npm run build: bundle src/main.ts into dist/ with app.css, the icons, the
// favicon, the web app manifest and index.html. The output depends only on
// the sources and the pinned tool versions: two builds give identical bytes.
//
// The app is an ES module split in chunks: what the first screen needs
// (app.js and the chunk it imports), and the parts loaded on first use
// (src/later.ts: the history panel, the help's tables, the exports), so
// a first visit fetches, parses and runs less.
//
// Every file the page loads by a name written here carries its content's
// hash (app.3f9a0c1b2d.js, later.0c1b2d3f9a.js), so the server can
// let browsers keep it for a year (immutable) and a new build is new names; index.html, favicon.ico and
// manifest.webmanifest keep fixed names (people and browsers ask for them
// by name) and are revalidated by ETag instead. Text files get gzip and
// Brotli copies beside them (name.gz, name.br), made once here at the
// highest levels, which would be too slow per request.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ico, png } from './tools/icons.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

/** bundled builds one minified script for the browser, in memory. */
const bundled = (entry, outfile, options = {}) =>
  build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    write: false,
    bundle: true,
    // SKETCHPAD_BUILD_NAMES=1 keeps the functions' names, for profiles (not for what is committed).
    ...(process.env.SKETCHPAD_BUILD_NAMES ? { minifyWhitespace: true, minifySyntax: true } : { minify: true }),
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    ...options,
  });

/** HASH_LEN hex digits of SHA-256 name a file; the server checks them against the bytes. */
const HASH_LEN = 10;
const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, HASH_LEN);
const TEXT = /\.(js|css|svg|webmanifest)$/;

/** names maps each source name to the name it is served under. */
const names = new Map();

function emit(name, bytes) {
  writeFileSync(join(dist, name), bytes);
  if (!TEXT.test(name)) return;
  const gz = gzipSync(bytes, { level: 9 });
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  // A copy no smaller than the file itself is not worth a second request header.
  if (gz.length < bytes.length) writeFileSync(join(dist, name + '.gz'), gz);
  if (br.length < bytes.length) writeFileSync(join(dist, name + '.br'), br);
}

/** emitHashed writes bytes as name.HASH.ext; key is what names keeps it under (default: name). */
function emitHashed(name, bytes, key = name) {
  const dot = name.lastIndexOf('.');
  const hashed = `${name.slice(0, dot)}.${hashOf(bytes)}${name.slice(dot)}`;
  names.set(key, hashed);
  emit(hashed, bytes);
  return hashed;
}

// The socket worker (src/net/socket_worker.ts) reads the board's frames
// off the main thread; the app names it by its hashed name, so it is made
// first.
const socketWorker = await bundled('src/net/socket_worker.ts', 'dist/socket_worker.js');
const socketWorkerName = emitHashed('socket_worker.js', Buffer.from(socketWorker.outputFiles[0].contents));

// The app: esbuild names its chunks by a hash of its own; they are
// renamed below by their bytes' SHA-256, as every other hashed file.
const app = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.ts' },
  outdir: 'dist',
  write: false,
  bundle: true,
  splitting: true,
  format: 'esm',
  metafile: true,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  ...(process.env.SKETCHPAD_BUILD_NAMES ? { minifyWhitespace: true, minifySyntax: true } : { minify: true }),
  target: 'es2020',
  platform: 'browser',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  define: { SOCKET_WORKER: JSON.stringify(`/static/${socketWorkerName}`) },
});

/** preload: the chunks app.js imports (not those it loads on first use), for index.html to ask for at once. */
const preload = emitChunks(app);
/**
 * emitChunks writes the app's chunks under hashed names, each after the
 * chunks it names (a chunk's name is in its importers' bytes, so theirs
 * hash comes after), and returns the hashed names of the chunks app.js
 * imports statically, nearest first.
 */
function emitChunks(result) {
  const outputs = result.metafile.outputs;
  const bytes = new Map(result.outputFiles.map((f) => [relative(root, f.path).replaceAll('\\', '/'), Buffer.from(f.contents)]));
  const base = (p) => p.slice(p.lastIndexOf('/') + 1);
  /** The source name of an esbuild output: "history_panel-ABCD1234.js" is "history_panel.js". */
  const sourceName = (p) => base(p).replace(/-[A-Z0-9]{8}\.js$/, '.js');
  const entry = Object.keys(outputs).find((p) => outputs[p].entryPoint === 'src/main.ts');
  /** The outputs a first visit runs: app.js and the chunks it imports, transitively. */
  const first = new Set([entry]);
  const reach = (p) => {
    for (const imp of outputs[p].imports) {
      if (imp.kind !== 'import-statement' || first.has(imp.path)) continue;
      first.add(imp.path);
      reach(imp.path);
    }
  };
  reach(entry);
  const done = new Map();
  const visit = (p) => {
    if (done.has(p)) return done.get(p);
    done.set(p, null); // a cycle would leave a name unhashed: esbuild makes none
    let text = bytes.get(p).toString('utf8');
    for (const imp of outputs[p].imports) {
      if (imp.external) continue;
      const hashed = visit(imp.path);
      if (!hashed) throw new Error(`build: ${p} and ${imp.path} import each other`);
      text = text.replaceAll(`./${base(imp.path)}`, `./${hashed}`);
    }
    // What the page runs as it starts is compiled as it streams in, off the
    // main thread (V8's explicit compile hints): most of its functions run
    // at once, and each would otherwise be compiled on the main thread at
    // its first call, in the tasks a phone's first tap waits behind. The
    // parts loaded on first use stay lazily compiled.
    if (first.has(p)) text = `//# allFunctionsCalledOnLoad\n${text}`;
    const name = sourceName(p);
    const hashed = emitHashed(name, Buffer.from(text), name === 'app.js' ? 'app.js' : p);
    done.set(p, hashed);
    return hashed;
  };
  for (const p of Object.keys(outputs)) if (p.endsWith('.js')) visit(p);
  const statics = [];
  const walk = (p) => {
    for (const imp of outputs[p].imports) {
      if (imp.kind !== 'import-statement' || statics.includes(done.get(imp.path))) continue;
      statics.push(done.get(imp.path));
      walk(imp.path);
    }
  };
  walk(entry);
  return statics;
}

// One style sheet, kept in two files for their length: the page's frame and
// toolbar (app.css), then its panels and other parts (app_panels.css).
emitHashed('app.css', Buffer.concat(['app.css', 'app_panels.css'].map((f) => readFileSync(join(root, 'src', f)))));
// The page's icons are PNGs: Chromium decodes a page's favicon (and the
// manifest icon it picks) in the page's own renderer, and an SVG one as a
// document of its own (a page, a frame, a layout) on the page's main thread
// while the page starts; a PNG is a plain image decode.
emitHashed('icon-32.png', png(32));
const png192 = png(192);
emitHashed('icon-192.png', png192);
emitHashed('icon-512.png', png(512));
emitHashed('icon-maskable-512.png', png(512, true));
emit('favicon.ico', ico(png(32), 32));

const manifest = {
  name: 'Sketchpad',
  short_name: 'Sketchpad',
  description: 'Draw together in real time.',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1971c2',
  icons: [
    { src: `/static/${names.get('icon-192.png')}`, sizes: '192x192', type: 'image/png' },
    { src: `/static/${names.get('icon-512.png')}`, sizes: '512x512', type: 'image/png' },
    { src: `/static/${names.get('icon-maskable-512.png')}`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};
emit('manifest.webmanifest', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));

// The service worker keeps this build's files (SHELL) in caches named by
// BUILD, a hash of their names: each name is its file's hash, so BUILD
// changes exactly when a page would load something else. Its own name is
// fixed (/sw.js): browsers check it for a new build on every page load.
const shell = [...names.values()].sort().map((n) => `/static/${n}`);
shell.push('/manifest.webmanifest', '/favicon.ico');
const sw = await bundled('sw/sw.ts', 'dist/sw.js', {
  define: { BUILD: JSON.stringify(hashOf(shell.join('\n'))), SHELL: JSON.stringify(shell) },
});
emit('sw.js', Buffer.from(sw.outputFiles[0].contents));

// index.html names its files as in src/ (/static/app.js); point each at
// its hashed name, and fail on a reference to a file the build did not make.
let html = readFileSync(join(root, 'src', 'index.html'), 'utf8');
html = html.replace(/\/static\/([A-Za-z0-9_.-]+)/g, (m, name) => {
  const hashed = names.get(name);
  if (!hashed) throw new Error(`index.html refers to ${m}, which the build does not make`);
  return `/static/${hashed}`;
});
// The chunks app.js imports are asked for beside it, not after it has
// been read (a module's imports are found only when it is parsed). Like
// the script (index.html), at low priority, as a deferred classic script
// is: a module and its preloads are otherwise fetched at high priority,
// as if the first paint waited for them (it does not: a module runs after
// the page is parsed), and Lighthouse then counts running the app as
// part of the first paint.
const preloads = preload.map((n) => `<link rel="modulepreload" href="/static/${n}" fetchpriority="low">\n`).join('');
html = html.replace(/(<script type="module"[^>]*><\/script>\n)/, (m) => preloads + m);
writeFileSync(join(dist, 'index.html'), html);
