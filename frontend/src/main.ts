// Sketchpad's browser app: the entry point. The page at /b/{room} draws at
// once; the connection to /ws/{room} comes and goes underneath. page/ holds
// the page's parts; page/page.ts wires them.

import { Page } from './page/page';
import { readSettings } from './page/settings';
import { yieldToMain } from './page/start_tasks';

async function main(): Promise<void> {
  const canvas = document.querySelector<HTMLCanvasElement>('canvas#board');
  if (!canvas) throw new Error('sketchpad: no canvas#board');
  const settings = readSettings({
    pathname: location.pathname,
    search: location.search,
    meta: (name) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null,
  });
  // The board is made (and holds strokes) in this task, the rest of the
  // page in the next few (page.built; the row fitted and the canvas sized
  // in the first frame after them); then the kept board and the connection
  // in a task of their own.
  const page = new Page(canvas, settings);
  await page.built;
  await yieldToMain();
  page.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void main());
else void main();
