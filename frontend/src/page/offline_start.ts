// The page's offline side at start (not in an embed, whose access is a
// token's): the board as this device last saw it, the work an earlier
// page of this board left unsent, and the service worker that keeps the
// page and the app's files (sw/sw.ts).

import type { Editor } from '../edit/editor';
import { loadBoard, markAll, mayHaveKept } from './board_cache';
import { textFontLoaded } from '../render/text_font';
import { afterLoad, afterPaint, yieldToMain } from './start_tasks';
import { scriptURL } from './script_url';
import { UnsavedGuard } from './unsaved_guard';
import { takeOverWork, WorkKeeper } from './work_cache';

export interface OfflineStart {
  /** The board's path segment (an edit name or a view id). */
  readonly segment: string;
  readonly editor: Editor;
  /** The page cannot change the board: it takes over no work. */
  readonly readOnly: () => boolean;
  /** The board shown is the one kept on this device (the status says so). */
  readonly cachedShown: () => void;
}

/**
 * keepForOffline shows the board as this device last saw it, takes over
 * what an earlier page of this board left unsent, keeps the work as it
 * changes, and registers the service worker. It resolves when the Hello
 * may go (the Hello says what the page has and who it is): at once when
 * nothing is kept for this board on this device (a first visit, a late
 * joiner), else once the kept board and work are read. None of it draws the first frame, so it starts after that frame, one
 * step per task (start_tasks.ts); the worker after the page's load.
 */
export async function keepForOffline(o: OfflineStart): Promise<void> {
  const { segment, editor } = o;
  const sw = navigator.serviceWorker;
  if (sw) {
    afterLoad(() => {
      sw.register(scriptURL('/sw.js')).catch(() => undefined);
      // The first visit's page did not come through the worker: have it
      // kept, and the text font if this page fetched it already.
      void sw.ready.then((r) => r.active?.postMessage({ keep: location.pathname, font: textFontLoaded() }));
    });
  }
  // Warns before unload when unsent work cannot be kept on this device.
  const guard = new UnsavedGuard(() => editor.sync.outbox.length);
  document.querySelector('#ui')?.append(guard.el);
  const restore = async (): Promise<void> => {
    await afterPaint();
    const b = await loadBoard(segment);
    if (b) {
      // Decoding the kept board was one task; showing it is the next.
      await yieldToMain();
      if (editor.sync.restore(b)) o.cachedShown();
    }
    if (o.readOnly()) return;
    await yieldToMain();
    // Work taken after a Hello could no longer be sent as its author's: left for the next page.
    const w = await takeOverWork(segment, (w) => w.epoch === editor.sync.board.epoch && !editor.sync.helloSent);
    if (w) editor.restoreWork(w.epoch, w.author, w.base, w.ops);
    const sync = editor.sync;
    new WorkKeeper(
      segment,
      () => ({ epoch: sync.board.epoch, author: sync.author, base: sync.outbox.base, ops: sync.outbox.entries().map((e) => e.op) }),
      (ok) => guard.storage(ok),
    );
  };
  const kept = mayHaveKept(segment);
  const restoring = restore().then(() => markAll());
  if (!kept) return;
  // IndexedDB answers in milliseconds; one that hangs must not keep the
  // page from connecting.
  await Promise.race([restoring, new Promise((resolve) => window.setTimeout(resolve, 3000))]);
}

