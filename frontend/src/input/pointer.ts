// Pointer input on the drawing surface: one drawing pointer at a time, every
// coalesced sample of a move (a pen reports many per frame), pressure from
// pens only.

/** PointerSample is a position in CSS pixels relative to the surface. */
export interface PointerSample {
  readonly x: number;
  readonly y: number;
  /** Device pressure in 0..1 for pens, null for mice and touch. */
  readonly pressure: number | null;
}

export interface PointerHandlers {
  /** A drawing gesture starts. */
  down(s: PointerSample): void;
  /** The drawing pointer moved through samples (oldest first). */
  move(samples: readonly PointerSample[]): void;
  /** The gesture ended (pointerup, pointercancel, or capture lost). */
  up(): void;
  /** Any pointer moved over the surface (drawing or not). */
  hover(s: PointerSample): void;
  /** The pointer left the surface. */
  leave(): void;
}

/** attachPointer listens on el and returns a function that stops listening. */
export function attachPointer(el: HTMLElement, h: PointerHandlers): () => void {
  let active: number | null = null;
  let rect = el.getBoundingClientRect();

  const sample = (e: PointerEvent): PointerSample => ({
    x: e.clientX - rect.left,
    y: e.clientY - rect.top,
    pressure: e.pointerType === 'pen' ? e.pressure : null,
  });

  const down = (e: PointerEvent): void => {
    if (active !== null) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    active = e.pointerId;
    rect = el.getBoundingClientRect();
    try {
      el.setPointerCapture(e.pointerId);
    } catch {
      // capture is a nicety: a pointer that is already gone just ends later
    }
    // Take focus from the toolbar so keyboard shortcuts work again.
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && focused !== document.body) focused.blur();
    h.down(sample(e));
  };

  const move = (e: PointerEvent): void => {
    if (e.pointerId === active) {
      const list = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
      h.move(list.length ? list.map(sample) : [sample(e)]);
    }
    h.hover(sample(e));
  };

  const up = (e: PointerEvent): void => {
    if (e.pointerId !== active) return;
    active = null;
    h.up();
  };

  const leave = (e: PointerEvent): void => {
    if (e.pointerId !== active) h.leave();
  };

  const resize = (): void => {
    rect = el.getBoundingClientRect();
  };

  const onEl: Array<[string, (e: PointerEvent) => void]> = [
    ['pointerdown', down],
    ['pointermove', move],
    ['pointerup', up],
    ['pointercancel', up],
    ['lostpointercapture', up],
    ['pointerleave', leave],
  ];
  for (const [type, fn] of onEl) el.addEventListener(type, fn as EventListener);
  window.addEventListener('resize', resize);
  return () => {
    for (const [type, fn] of onEl) el.removeEventListener(type, fn as EventListener);
    window.removeEventListener('resize', resize);
  };
}
