// The mouse wheel and trackpad, as a pure function of the wheel event:
// Ctrl/Cmd + wheel (and a trackpad pinch, which browsers report as a wheel
// with ctrlKey) zooms at the pointer; a plain wheel pans; Shift + wheel pans
// sideways.

export interface WheelLike {
  readonly deltaX: number;
  readonly deltaY: number;
  /** 0 pixels, 1 lines, 2 pages. */
  readonly deltaMode: number;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

export type WheelAction =
  | { readonly kind: 'zoom'; readonly factor: number }
  | { readonly kind: 'pan'; readonly dx: number; readonly dy: number };

const LINE_PX = 16;
const PAGE_PX = 400;
/** Zoom speed: the factor is exp(-deltaY × ZOOM_RATE), deltaY clamped to ±MAX_ZOOM_DELTA. */
const ZOOM_RATE = 0.006;
const MAX_ZOOM_DELTA = 60;

/** wheelAction returns what a wheel event does to the view (pan deltas in CSS pixels). */
export function wheelAction(e: WheelLike): WheelAction {
  const unit = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? PAGE_PX : 1;
  let dx = e.deltaX * unit;
  let dy = e.deltaY * unit;
  if (e.ctrlKey || e.metaKey) {
    const d = Math.max(-MAX_ZOOM_DELTA, Math.min(MAX_ZOOM_DELTA, dy));
    return { kind: 'zoom', factor: Math.exp(-d * ZOOM_RATE) };
  }
  if (e.shiftKey && dx === 0) {
    dx = dy;
    dy = 0;
  }
  return { kind: 'pan', dx: -dx || 0, dy: -dy || 0 };
}
