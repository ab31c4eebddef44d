// Each person's view of each board (pan and zoom), remembered in
// localStorage so a return visit comes back to the same place. One entry
// holds every board's view, bounded (ui/view_index). Storage may be missing
// or refuse: then nothing is remembered and the page lands as on a first
// visit.

import type { View } from '../geometry/view';
import { parseIndex, recall, remember, serializeIndex } from './view_index';

const KEY = 'sketchpad.views.v2';
/** The entry of the first version: one key per board. Read once, then removed. */
const OLD_PREFIX = 'sketchpad.view.v1:';
const SAVE_MS = 300;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** loadView returns the view remembered for room, or null. */
export function loadView(room: string): View | null {
  try {
    const s = storage();
    if (!s) return null;
    const v = recall(parseIndex(s.getItem(KEY)), room);
    if (v) return v;
    const old = s.getItem(OLD_PREFIX + room);
    if (old === null) return null;
    s.removeItem(OLD_PREFIX + room);
    const o: unknown = JSON.parse(old);
    const moved = remember(parseIndex(s.getItem(KEY)), room, o as View, Date.now());
    s.setItem(KEY, serializeIndex(moved));
    return recall(moved, room);
  } catch {
    return null;
  }
}

/** ViewStore remembers the latest view of a room, at most every SAVE_MS. */
export class ViewStore {
  private timer: number | null = null;
  private latest: View | null = null;

  constructor(private readonly room: string) {
    window.addEventListener('pagehide', () => this.flush());
  }

  save(v: View): void {
    this.latest = v;
    if (this.timer === null) this.timer = window.setTimeout(() => this.flush(), SAVE_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const v = this.latest;
    if (!v) return;
    try {
      const s = storage();
      if (!s) return;
      // Read again: another tab may have remembered another board meanwhile.
      s.setItem(KEY, serializeIndex(remember(parseIndex(s.getItem(KEY)), this.room, v, Date.now())));
    } catch {
      // not remembered; nothing else lost
    }
  }
}
