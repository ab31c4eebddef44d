// Sketchpad's browser app: the entry point. The page at /b/{room} draws at
// once; the connection to /ws/{room} comes and goes underneath. page/ holds
// the page's parts; page/page.ts wires them.

import { Page } from './page/page';
import { readSettings } from './page/settings';

function main(): void {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas#board');
  if (!canvas) throw new Error('sketchpad: no canvas#board');
  const settings = readSettings({
    pathname: location.pathname,
    search: location.search,
    meta: (name) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null,
  });
  new Page(canvas, settings).start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
