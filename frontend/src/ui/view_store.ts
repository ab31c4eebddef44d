// Each person's view of each room (pan and zoom), remembered in
// localStorage so a reload comes back to the same place. Storage may be
// missing or refuse: then the view starts at home.

import { validView, type View } from '../geometry/view';

const PREFIX = 'sketchpad.view.v1:';
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
    const raw = storage()?.getItem(PREFIX + room);
    if (!raw) return null;
    const v: unknown = JSON.parse(raw);
    return validView(v) ? { scale: v.scale, x: v.x, y: v.y } : null;
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
      storage()?.setItem(PREFIX + this.room, JSON.stringify({ scale: v.scale, x: v.x, y: v.y }));
    } catch {
      // not remembered; nothing else lost
    }
  }
}
