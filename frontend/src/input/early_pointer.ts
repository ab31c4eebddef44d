// The pointer before the page's input is attached. The page is built over
// a few tasks (page/page.ts), and the tools that take a stroke come last;
// a press in between must still draw. holdPointer keeps the canvas's
// pointer events from the first task on (captured, as attachPointer would),
// and the input replays them, in order, once it listens.

import { CANVAS_POINTER_EVENTS as HELD } from './pointer';

export interface HeldPointer {
  /** release stops holding and returns what came, oldest first. */
  release(): Event[];
}

/** holdPointer keeps el's pointer events until released. */
export function holdPointer(el: HTMLElement): HeldPointer {
  const held: Event[] = [];
  const keep = (e: Event): void => {
    // What attachPointer does at once, which cannot wait for the replay:
    // no page scroll or zoom, no context menu, and the pointer's moves
    // stay the canvas's when it leaves it.
    if (e.type === 'pointerdown' || e.type === 'contextmenu' || e.type === 'auxclick') e.preventDefault();
    if (e.type === 'pointerdown') {
      try {
        el.setPointerCapture((e as PointerEvent).pointerId);
      } catch {
        // a pointer already gone ends in the replay
      }
    }
    held.push(e);
  };
  for (const t of HELD) el.addEventListener(t, keep);
  return {
    release: () => {
      for (const t of HELD) el.removeEventListener(t, keep);
      return held.splice(0);
    },
  };
}
