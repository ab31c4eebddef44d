// Our own resizes and turns shown before the room echoes them: the pending
// Moves, Transforms and Rotates (edit/pending) folded, in the order sent,
// over the strokes a pending Transform or Rotate names, with the very
// arithmetic the board applies (protocol/transform, protocol/rotate). When
// the echo comes, the board holds what was shown and the outbox no longer
// has the op, so nothing jumps. Inputs are never changed.
//
// A Folder keeps what each pending op made of the strokes it names, so an
// op is folded once, when it is sent, not again every frame: while a
// handle of a big selection is dragged a Transform goes out every few
// frames and comes back a round trip later, and folding every pending op
// anew into fresh copies of every point at each of those moments was most
// of the frames that missed their time. When the room applies one of our
// ops, the board's strokes are the shown ones the fold made (the same
// arithmetic), which is checked point by point before the later steps are
// kept; anything else (someone's op came between, a stroke was erased)
// folds everything again. A Transform's, a Move's and a Rotate's strokes
// are scaled strokes (protocol/scaled_stroke; a Move and a Rotate's shift
// are scales that only translate): their points are made only when read,
// and most steps of a drag are replaced before anything reads them.

import type { KnownResults, Stroke } from '../protocol/board';
import { rotCosSin } from '../protocol/rotate';
import { resizedStrokes, scaledStroke, translation, turnedStroke } from '../protocol/scaled_stroke';
import type { Point, RotateOp, TransformOp } from '../protocol/types';
import { strokeKeys, type Reshape } from './pending';

/** Folding is one stroke to fold over: shown under key; ops up to uid after are in it already (a local copy's last op). */
export interface Folding {
  readonly key: string;
  readonly stroke: Stroke;
  readonly after: number;
}

/** Step is one op folded: the strokes it changed, by key, as they are after it, and their keys in the order the op names them. */
interface Step {
  readonly r: Reshape;
  readonly out: Map<string, Stroke>;
  readonly keys: readonly string[];
}

/** Folder folds pending reshapes over strokes, keeping each op's result until the op is gone. */
export class Folder implements KnownResults {
  /** What the steps were folded over, by key. */
  private base = new Map<string, Folding>();
  private steps: Step[] = [];
  /** The last answer, for the same items and reshapes (asked several times a frame). */
  private lastIn: readonly Folding[] | null = null;
  private lastR: readonly Reshape[] | null = null;
  private lastOut: Stroke[] = [];

  /** fold returns each stroke of items with the reshapes after its own `after` applied, in the order of items. */
  fold(items: readonly Folding[], reshapes: readonly Reshape[]): Stroke[] {
    if (this.lastR === reshapes && this.lastIn && sameItems(this.lastIn, items)) return this.lastOut;
    if (!this.reuse(items, reshapes)) {
      this.base = new Map(items.map((f) => [f.key, f]));
      this.steps = [];
    }
    for (let i = this.steps.length; i < reshapes.length; i++) this.steps.push(this.step(reshapes[i]));
    const out = items.map((f) => this.state(f.key, this.steps.length));
    this.lastIn = items.slice();
    this.lastR = reshapes;
    this.lastOut = out;
    return out;
  }

  /**
   * reuse keeps the steps still pending when items are what the steps
   * before them made (the room applied those ops): it drops those steps
   * and makes items the base. It returns false when the fold must start
   * again from items.
   */
  private reuse(items: readonly Folding[], reshapes: readonly Reshape[]): boolean {
    const steps = this.steps;
    if (steps.length === 0 || reshapes.length === 0 || items.length !== this.base.size) return false;
    // The steps the room has applied are those before the first pending op.
    const first = reshapes[0].uid;
    let j = 0;
    while (j < steps.length && steps[j].r.uid < first) j++;
    for (let i = j; i < steps.length; i++) {
      const r = reshapes[i - j];
      if (!r || r.uid !== steps[i].r.uid || r.op !== steps[i].r.op) return false;
    }
    let rebased = false;
    for (const f of items) {
      const was = this.base.get(f.key);
      if (!was) return false;
      // Whether each op still pending applies to the stroke must not change.
      if (was.after !== f.after && (was.after >= first || f.after >= first)) return false;
      const before = this.state(f.key, j);
      if (f.stroke === before) continue;
      if (!sameShape(f.stroke, before)) return false;
      rebased = true;
    }
    if (j === 0 && !rebased && sameItems([...this.base.values()], items)) return true;
    const kept = steps.slice(j);
    // The strokes after each kept step take what is not their shape (a color someone set meanwhile) from the new base.
    if (rebased) {
      const byKey = new Map(items.map((f) => [f.key, f.stroke]));
      for (const st of kept) {
        for (const [k, s] of st.out) {
          const b = byKey.get(k);
          if (b && !sameExceptShape(b, s)) {
            st.out.set(k, { ...b, points: s.points, width: s.width, ...(s.rot !== undefined ? { rot: s.rot } : {}), ...(s.wrap !== undefined ? { wrap: s.wrap } : {}) });
          }
        }
      }
    }
    this.base = new Map(items.map((f) => [f.key, f]));
    this.steps = kept;
    return true;
  }

  /**
   * results returns what a folded op made of before, when before are the
   * very strokes it was folded over (so the room's echo of our own op is
   * not worked out again, and what is shown stays the same objects):
   * the same arithmetic of the same inputs, whoever sent it.
   */
  results(op: TransformOp | RotateOp, before: readonly Stroke[]): readonly Stroke[] | null {
    for (let i = 0; i < this.steps.length; i++) {
      const st = this.steps[i];
      if (st.keys.length !== before.length || !sameParams(st.r.op, op)) continue;
      let same = true;
      for (let k = 0; k < before.length && same; k++) same = this.state(st.keys[k], i) === before[k];
      if (same) return st.keys.map((k) => st.out.get(k)!);
    }
    return null;
  }

  /** state is key's stroke after the first n steps. */
  private state(key: string, n: number): Stroke {
    for (let i = n - 1; i >= 0; i--) {
      const s = this.steps[i].out.get(key);
      if (s) return s;
    }
    return this.base.get(key)!.stroke;
  }

  /** step folds r over the strokes it names as the steps so far left them. */
  private step(r: Reshape): Step {
    const out = new Map<string, Stroke>();
    const n = this.steps.length;
    const keys: string[] = [];
    const members: { key: string; s: Stroke }[] = [];
    // A Set: an op naming 1,000 strokes checked by a list was half a
    // million comparisons per pending op.
    const seen = new Set<string>();
    for (const key of strokeKeys(r.op.strokes)) {
      const f = this.base.get(key);
      if (!f || f.after >= r.uid || seen.has(key)) continue;
      seen.add(key);
      keys.push(key);
      members.push({ key, s: this.state(key, n) });
    }
    const op = r.op;
    switch (op.type) {
      // A Move and a Rotate shift the points: made only when read, as a resize's (protocol/scaled_stroke).
      case 'move': {
        const t = translation(op.dx, op.dy);
        for (const m of members) out.set(m.key, scaledStroke(m.s, t, m.s.width, undefined));
        break;
      }
      case 'rotate': {
        const cs = rotCosSin(op.angle);
        for (const m of members) out.set(m.key, turnedStroke(m.s, op, cs));
        break;
      }
      case 'transform': {
        const after = resizedStrokes(
          members.map((m) => m.s),
          op,
        );
        members.forEach((m, k) => out.set(m.key, after[k]));
        break;
      }
    }
    return { r, out, keys };
  }
}

/** sameParams reports whether a and b are the same op but for the names of their strokes. */
function sameParams(a: Reshape['op'], b: TransformOp | RotateOp): boolean {
  if (a.type !== b.type) return false;
  for (const k of Object.keys(b) as (keyof typeof b)[]) {
    if (k !== 'strokes' && (a as typeof b)[k] !== b[k]) return false;
  }
  return true;
}

function sameItems(a: readonly Folding[], b: readonly Folding[]): boolean {
  return a.length === b.length && a.every((f, i) => f.stroke === b[i].stroke && f.key === b[i].key && f.after === b[i].after);
}

/** sameShape reports whether a and b have the same points, width, wrap width and turn (what a reshape changes). */
function sameShape(a: Stroke, b: Stroke): boolean {
  return a.width === b.width && (a.rot ?? 0) === (b.rot ?? 0) && (a.wrap ?? 0) === (b.wrap ?? 0) && samePoints(a.points, b.points);
}

function samePoints(a: readonly Point[], b: readonly Point[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i];
    const q = b[i];
    if (p.x !== q.x || p.y !== q.y || p.p !== q.p) return false;
  }
  return true;
}

/** sameExceptShape reports whether a and b agree on everything a reshape leaves alone. */
function sameExceptShape(a: Stroke, b: Stroke): boolean {
  for (const k of Object.keys(a) as (keyof Stroke)[]) {
    if (k === 'points' || k === 'width' || k === 'rot' || k === 'wrap') continue;
    if (a[k] !== b[k]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length;
}

const shared = new Folder();

/** fold is Folder.fold on one Folder shared by callers that keep none. */
export function fold(items: readonly Folding[], reshapes: readonly Reshape[]): Stroke[] {
  return shared.fold(items, reshapes);
}
