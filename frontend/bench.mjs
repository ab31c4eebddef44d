// npm run bench: bundle bench/*.ts with esbuild into a temporary directory
// and run each with node (figures go to BENCHMARKS.md with the command).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const benches = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && (!only || f.includes(only)))
  .sort();
const out = mkdtempSync(join(tmpdir(), 'sketchpad-frontend-bench-'));
let status = 0;
try {
  await build({
    entryPoints: benches.map((f) => join(root, 'bench', f)),
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  for (const f of benches) {
    console.log(`# ${f}`);
    const r = spawnSync(process.execPath, [join(out, f.replace(/\.ts$/, '.mjs'))], { stdio: 'inherit' });
    status ||= r.status ?? 1;
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(status);
