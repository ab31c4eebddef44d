// npm test: bundle every test/*.test.ts with esbuild into a temporary
// directory, then run them with node's built-in test runner.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const tests = readdirSync(join(root, 'test'))
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => join(root, 'test', f));
const out = mkdtempSync(join(tmpdir(), 'sketchpad-frontend-test-'));
let status = 1;
try {
  await build({
    entryPoints: tests,
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const files = readdirSync(out).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join(out, f));
  const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...files], {
    stdio: 'inherit',
    env: { ...process.env, SKETCHPAD_VECTORS: resolve(root, '..', 'canvas', 'testdata', 'vectors.json') },
  });
  status = r.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(status);
