// What the pointers on the board mean, as a pure state machine: which one
// drives the current tool, which ones pan or pinch. The DOM layer
// (pointer.ts) feeds it pointer events and carries out the actions.
//
//	mouse, left button          the tool (or pan when panMode: hand tool, space held, view link)
//	mouse, middle button        pan
//	pen                         the tool; from then on the page is in pen mode
//	one finger                  the tool, unless in pen mode or panMode: then pan
//	two fingers                 pan and pinch zoom
//
// Palm rejection: once a pen has been used, fingers never draw (they pan and
// pinch). A finger that lands first waits up to HOLD_MS (or until it moved
// HOLD_PX) before it starts the tool, so that a second finger landing at
// once makes a pinch and draws nothing; a pen landing while a finger draws
// cancels what the finger did (tool-cancel: it was a palm).

export type PointerKind = 'mouse' | 'pen' | 'touch';

/** PointerIn is one pointer sample, in CSS pixels relative to the board. */
export interface PointerIn {
  readonly id: number;
  readonly kind: PointerKind;
  /** The button that went down (pointerdown only): 0 primary, 1 middle, 2 secondary. */
  readonly button: number;
  readonly x: number;
  readonly y: number;
  /** Device pressure in 0..1 for pens, null otherwise. */
  readonly pressure: number | null;
  /** Milliseconds, any clock. */
  readonly t: number;
}

export interface Sample {
  readonly x: number;
  readonly y: number;
  readonly pressure: number | null;
}

export interface XY {
  readonly x: number;
  readonly y: number;
}

export type GestureAction =
  | { readonly kind: 'tool-start'; readonly s: Sample }
  | { readonly kind: 'tool-move'; readonly samples: readonly Sample[] }
  | { readonly kind: 'tool-end' }
  /** The tool gesture was not meant (a palm, the first finger of a pinch): undo what it did. */
  | { readonly kind: 'tool-cancel' }
  | { readonly kind: 'pan'; readonly dx: number; readonly dy: number }
  | { readonly kind: 'pinch'; readonly a0: XY; readonly b0: XY; readonly a1: XY; readonly b1: XY };

/** A finger waits this long (ms) before it draws... */
export const HOLD_MS = 80;
/** ...or until it moved this far (CSS px). */
export const HOLD_PX = 10;
/** A second finger within this long (ms) of the first one starting the tool cancels it. */
export const LATE_PINCH_MS = 250;

interface Pending {
  readonly id: number;
  readonly t0: number;
  readonly samples: PointerIn[];
}

const sample = (p: PointerIn): Sample => ({ x: p.x, y: p.y, pressure: p.pressure });

export class GestureMachine {
  private penModeV = false;
  private tool: { readonly id: number; readonly kind: PointerKind; readonly t0: number } | null = null;
  private pending: Pending | null = null;
  /** Pointers that pan (one) or pinch (two), with their last position, in the order they came. */
  private readonly pans = new Map<number, XY>();
  /** Pointers ignored until they go up (palms, extra fingers). */
  private readonly ignored = new Set<number>();

  /** penMode: a pen was used on this page, so fingers pan instead of drawing. */
  get penMode(): boolean {
    return this.penModeV;
  }

  /** toolActive: a pointer is driving the tool now. */
  get toolActive(): boolean {
    return this.tool !== null;
  }

  /** panning: some pointer pans or pinches now. */
  get panning(): boolean {
    return this.pans.size > 0;
  }

  /** down handles a pointerdown; panMode says the primary button pans (hand tool, space, view link). */
  down(e: PointerIn, panMode: boolean): GestureAction[] {
    const out: GestureAction[] = [];
    if (e.kind === 'pen') {
      this.penModeV = true;
      if (this.pending) {
        this.ignored.add(this.pending.id); // the finger that waited was a palm
        this.pending = null;
      }
      if (this.tool && this.tool.kind === 'touch') {
        this.ignored.add(this.tool.id);
        this.tool = null;
        out.push({ kind: 'tool-cancel' });
      }
    }
    if (e.kind === 'mouse' && e.button === 1) {
      this.pans.set(e.id, { x: e.x, y: e.y });
      return out;
    }
    if (e.kind !== 'touch') {
      if (e.button !== 0) return out;
      if (this.tool || this.pending) return out;
      if (panMode) {
        this.pans.set(e.id, { x: e.x, y: e.y });
        return out;
      }
      this.tool = { id: e.id, kind: e.kind, t0: e.t };
      out.push({ kind: 'tool-start', s: sample(e) });
      return out;
    }
    // A finger.
    if (this.penModeV || panMode || this.pans.size > 0) {
      this.addPan(e);
      return out;
    }
    if (this.pending) {
      // A second finger while the first waited: a pinch, nothing drawn.
      const first = this.pending.samples[this.pending.samples.length - 1];
      this.pending = null;
      this.addPan(first);
      this.addPan(e);
      return out;
    }
    if (this.tool) {
      if (this.tool.kind !== 'touch') {
        this.ignored.add(e.id);
        return out;
      }
      // A second finger while the first draws: a late pinch cancels the
      // stroke just begun; a later one ends it and pans from here.
      out.push({ kind: e.t - this.tool.t0 <= LATE_PINCH_MS ? 'tool-cancel' : 'tool-end' });
      this.ignored.add(this.tool.id);
      this.tool = null;
      this.addPan(e);
      return out;
    }
    this.pending = { id: e.id, t0: e.t, samples: [e] };
    return out;
  }

  /** move handles a pointermove with its coalesced samples (oldest first; the last is the current position). */
  move(id: number, samples: readonly PointerIn[]): GestureAction[] {
    if (samples.length === 0 || this.ignored.has(id)) return [];
    const last = samples[samples.length - 1];
    const p = this.pending;
    if (p && p.id === id) {
      p.samples.push(...samples);
      const s0 = p.samples[0];
      if (last.t - p.t0 >= HOLD_MS || Math.hypot(last.x - s0.x, last.y - s0.y) >= HOLD_PX) return this.promote();
      return [];
    }
    if (this.tool && this.tool.id === id) return [{ kind: 'tool-move', samples: samples.map(sample) }];
    const prev = this.pans.get(id);
    if (!prev) return [];
    const now = { x: last.x, y: last.y };
    const ids = [...this.pans.keys()];
    if (ids.length === 1) {
      this.pans.set(id, now);
      return now.x === prev.x && now.y === prev.y ? [] : [{ kind: 'pan', dx: now.x - prev.x, dy: now.y - prev.y }];
    }
    // Two (or more) pointers: the first two pinch; others only keep their place.
    const i = ids.indexOf(id);
    this.pans.set(id, now);
    if (i > 1) return [];
    const other = this.pans.get(ids[1 - i])!;
    return i === 0
      ? [{ kind: 'pinch', a0: prev, b0: other, a1: now, b1: other }]
      : [{ kind: 'pinch', a0: other, b0: prev, a1: other, b1: now }];
  }

  /** up handles pointerup, pointercancel and lost capture. */
  up(id: number): GestureAction[] {
    this.ignored.delete(id);
    const p = this.pending;
    if (p && p.id === id) {
      // A tap: the tool gets it whole (a dot, a click).
      const out = this.promote();
      out.push({ kind: 'tool-end' });
      this.tool = null;
      return out;
    }
    if (this.tool && this.tool.id === id) {
      this.tool = null;
      return [{ kind: 'tool-end' }];
    }
    this.pans.delete(id);
    return [];
  }

  /** reset forgets every pointer (the page lost focus); a tool gesture in progress ends. */
  reset(): GestureAction[] {
    const out: GestureAction[] = this.tool ? [{ kind: 'tool-end' }] : [];
    this.tool = null;
    this.pending = null;
    this.pans.clear();
    this.ignored.clear();
    return out;
  }

  private promote(): GestureAction[] {
    const p = this.pending!;
    this.pending = null;
    this.tool = { id: p.id, kind: 'touch', t0: p.samples[p.samples.length - 1].t };
    const out: GestureAction[] = [{ kind: 'tool-start', s: sample(p.samples[0]) }];
    if (p.samples.length > 1) out.push({ kind: 'tool-move', samples: p.samples.slice(1).map(sample) });
    return out;
  }

  private addPan(e: XY & { readonly id: number }): void {
    this.pans.set(e.id, { x: e.x, y: e.y });
  }
}
