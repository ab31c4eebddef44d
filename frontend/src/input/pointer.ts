// Pointer and wheel input on the drawing surface. Every pointer is captured
// and fed, with every coalesced sample of a move (a pen reports many per
// frame), to the GestureMachine, which decides what it means (the tool, a
// pan, a pinch); the actions go to the handlers.

import { GestureMachine, type GestureAction, type PointerIn, type PointerKind, type Sample } from './gesture';
import { wheelAction } from './wheel';

export type { Sample as PointerSample } from './gesture';

export interface PointerHandlers {
  /** The tool gesture starts, moves through samples (oldest first), ends or is cancelled. */
  toolStart(s: Sample): void;
  toolMove(samples: readonly Sample[]): void;
  toolEnd(): void;
  toolCancel(): void;
  /** Pan by (dx, dy) CSS pixels. */
  pan(dx: number, dy: number): void;
  /** Zoom by factor keeping screen point (x, y) fixed. */
  zoom(x: number, y: number, factor: number): void;
  /** Two fingers moved from (a0, b0) to (a1, b1). */
  pinch(a0: { x: number; y: number }, b0: { x: number; y: number }, a1: { x: number; y: number }, b1: { x: number; y: number }): void;
  /** Any pointer moved over the surface (using the tool or not). */
  hover(s: Sample): void;
  /** The pointer left the surface. */
  leave(): void;
  /** A double click or double tap with the tool (primary button). */
  doubleClick(s: Sample): void;
}

export interface PointerControl {
  readonly machine: GestureMachine;
  detach(): void;
}

/** CANVAS_POINTER_EVENTS are the events attachPointer handles on its element (and input/early_pointer holds until it does). */
export const CANVAS_POINTER_EVENTS = ['pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'lostpointercapture', 'pointerleave', 'dblclick', 'contextmenu', 'auxclick'] as const;
type CanvasPointerEvent = (typeof CANVAS_POINTER_EVENTS)[number];

/**
 * attachPointer listens to el's pointer; panMode says whether the primary
 * button pans now. dismisses: a press that only closes something (an open
 * menu) and must not draw, pan or select. early are el's events that came
 * before (input/early_pointer), handled first.
 */
export function attachPointer(
  el: HTMLElement,
  h: PointerHandlers,
  panMode: () => boolean,
  dismisses: () => boolean = () => false,
  early: readonly Event[] = [],
): PointerControl {
  const m = new GestureMachine();
  // Read at the first event, not here: reading it now would lay the page
  // out while it is still being built.
  let rect: DOMRect | null = null;

  const kindOf = (e: PointerEvent): PointerKind =>
    e.pointerType === 'pen' ? 'pen' : e.pointerType === 'touch' ? 'touch' : 'mouse';

  const toIn = (e: PointerEvent): PointerIn => {
    rect ??= el.getBoundingClientRect();
    return {
      id: e.pointerId,
      kind: kindOf(e),
      button: e.button,
      x: e.clientX - rect.left,
      y: e.clientY - rect.top,
      pressure: e.pointerType === 'pen' ? e.pressure : null,
      t: e.timeStamp,
    };
  };

  const run = (actions: readonly GestureAction[]): void => {
    for (const a of actions) {
      switch (a.kind) {
        case 'tool-start':
          h.toolStart(a.s);
          break;
        case 'tool-move':
          h.toolMove(a.samples);
          break;
        case 'tool-end':
          h.toolEnd();
          break;
        case 'tool-cancel':
          h.toolCancel();
          break;
        case 'pan':
          h.pan(a.dx, a.dy);
          break;
        case 'pinch':
          h.pinch(a.a0, a.b0, a.a1, a.b1);
          break;
      }
    }
  };

  const down = (e: PointerEvent): void => {
    rect = el.getBoundingClientRect();
    e.preventDefault();
    try {
      el.setPointerCapture(e.pointerId);
    } catch {
      // capture is a nicety: a pointer that is already gone just ends later
    }
    // Take focus from the toolbar so keyboard shortcuts work again.
    const focused = document.activeElement;
    if (focused instanceof HTMLElement && focused !== document.body && focused.dataset.keepFocus === undefined) focused.blur();
    // The gesture machine never hears of this pointer: its moves and its
    // release are ignored as a stranger's.
    if (dismisses()) return;
    run(m.down(toIn(e), panMode()));
  };

  const move = (e: PointerEvent): void => {
    const list = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    run(m.move(e.pointerId, list.length ? list.map(toIn) : [toIn(e)]));
    if (e.pointerType !== 'touch' || !m.panning) h.hover(toIn(e));
  };

  const up = (e: PointerEvent): void => {
    run(m.up(e.pointerId));
  };

  const leave = (e: PointerEvent): void => {
    if (e.pointerType === 'mouse' && !m.toolActive) h.leave();
  };

  const wheel = (e: WheelEvent): void => {
    e.preventDefault();
    rect = el.getBoundingClientRect();
    const a = wheelAction(e);
    if (a.kind === 'zoom') h.zoom(e.clientX - rect.left, e.clientY - rect.top, a.factor);
    else h.pan(a.dx, a.dy);
  };

  const dbl = (e: MouseEvent): void => {
    rect = el.getBoundingClientRect();
    h.doubleClick({ x: e.clientX - rect.left, y: e.clientY - rect.top, pressure: null });
  };

  const noMenu = (e: Event): void => e.preventDefault();
  const blur = (): void => run(m.reset());
  const resize = (): void => {
    rect = el.getBoundingClientRect();
  };

  const onEl: Record<CanvasPointerEvent, EventListener> = {
    pointerdown: down as EventListener,
    pointermove: move as EventListener,
    pointerup: up as EventListener,
    pointercancel: up as EventListener,
    lostpointercapture: up as EventListener,
    pointerleave: leave as EventListener,
    dblclick: dbl as EventListener,
    contextmenu: noMenu,
    auxclick: noMenu,
  };
  for (const type of CANVAS_POINTER_EVENTS) el.addEventListener(type, onEl[type]);
  for (const e of early) onEl[e.type as CanvasPointerEvent]?.(e);
  el.addEventListener('wheel', wheel, { passive: false });
  window.addEventListener('resize', resize);
  window.addEventListener('blur', blur);
  return {
    machine: m,
    detach: () => {
      for (const type of CANVAS_POINTER_EVENTS) el.removeEventListener(type, onEl[type]);
      el.removeEventListener('wheel', wheel);
      window.removeEventListener('resize', resize);
      window.removeEventListener('blur', blur);
    },
  };
}
