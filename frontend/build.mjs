// npm run build: bundle src/main.ts into dist/ with app.css, the icons, the
// favicon, the web app manifest and index.html. The output depends only on
// the sources and the pinned tool versions: two builds give identical bytes.
//
// Every file the page loads by a name written here carries its content's
// hash (app.3f9a0c1b2d.js), so the server can let browsers keep it for a
// year (immutable) and a new build is new names; index.html, favicon.ico and
// manifest.webmanifest keep fixed names (people and browsers ask for them
// by name) and are revalidated by ETag instead. Text files get gzip and
// Brotli copies beside them (name.gz, name.br), made once here at the
// highest levels, which would be too slow per request.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ico, png, svg } from './tools/icons.mjs';

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

const bundle = await bundled('src/main.ts', 'dist/app.js');

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

function emitHashed(name, bytes) {
  const dot = name.lastIndexOf('.');
  const hashed = `${name.slice(0, dot)}.${hashOf(bytes)}${name.slice(dot)}`;
  names.set(name, hashed);
  emit(hashed, bytes);
  return hashed;
}

emitHashed('app.js', Buffer.from(bundle.outputFiles[0].contents));
emitHashed('app.css', readFileSync(join(root, 'src', 'app.css')));
emitHashed('icon.svg', Buffer.from(svg()));
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
    { src: `/static/${names.get('icon.svg')}`, sizes: 'any', type: 'image/svg+xml' },
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
writeFileSync(join(dist, 'index.html'), html);
