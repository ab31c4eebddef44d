// The board model and its deterministic apply (PROTOCOL.md "Apply"): every
// client and the server apply the same ops in the same order and hold
// byte-identical boards.
//
// A stroke object changes in place only while its author draws it (Points
// and Trace append to it). A Shape or Text that changes a stroke, and a Move, replace
// it with a new object at the same place in z-order, and so do a Restyle
// and an Order (the strokes it moved): whoever holds the old one (the
// renderer's cache) can tell it is gone by identity.

import { TraceState, clampCoord } from './delta';
import { reorder } from './order';
import { pointCount, resizedStrokes, scaledStroke, translation, turnedStroke } from './scaled_stroke';
import { rotCosSin } from './rotate';
import {
  MAX_STROKE_POINTS,
  PART_ALPHA,
  PART_FILL,
  PART_RGB,
  PART_WIDTH,
  TOOL_ELLIPSE,
  TOOL_RECT,
  TOOL_IMAGE,
  TOOL_TEXT,
  WHERE_ABOVE,
  isShape,
  type Op,
  type OrderOp,
  type Point,
  type RestyleOp,
  type TransformOp,
  type RotateOp,
  type StrokeId,
} from './types';
import type { AuthorState, Effect, MutableAuthor, MutableStroke, Stroke } from './stroke';

export { isVisible } from './stroke';
export type { AuthorState, Effect, Stroke } from './stroke';

const NONE: Effect = { kind: 'none' };

/**
 * Board is the state of one room after applying ops 1..seq. apply changes
 * the board itself and never the op it is given.
 */
/**
 * KnownResults has what some Transforms and Rotates make of their strokes,
 * worked out before they were applied (our own, shown while the room had
 * them not yet: edit/reshape), so the board need not copy every point of
 * a big selection a second time when the room echoes them.
 */
export interface KnownResults {
  /** results returns what op makes of before (the strokes it names as the board has them, each once, in the order named), or null. */
  results(op: TransformOp | RotateOp, before: readonly Stroke[]): readonly Stroke[] | null;
}

export class Board {
  /** Names this history; a new epoch means the old one was lost. */
  readonly epoch: bigint;
  private seqN = 0;
  private readonly authorsM = new Map<number, MutableAuthor>();
  private strokesA: MutableStroke[] = [];
  /** author -> stroke number -> position in strokesA (strokes are never removed one by one). */
  private readonly index = new Map<number, Map<number, number>>();
  private pointCount = 0;
  private sweptCount = 0;

  constructor(epoch: bigint) {
    this.epoch = epoch;
  }

  /** seq is the sequence number of the last op applied. */
  get seq(): number {
    return this.seqN;
  }

  /** strokes returns the strokes in z-order, bottom first. */
  get strokes(): readonly Stroke[] {
    return this.strokesA;
  }

  /** pointCount is the number of points on the board, hidden strokes included. */
  get points(): number {
    return this.pointCount;
  }

  /** author returns what the board knows of author a (zeros if nothing). */
  author(a: number): AuthorState {
    return this.authorsM.get(a) ?? { applied: 0, open: 0 };
  }

  /** authorIds returns the ids of every author that applied an op, ascending. */
  authorIds(): number[] {
    return [...this.authorsM.keys()].sort((x, y) => x - y);
  }

  /** stroke returns the stroke named (author, n), or undefined. */
  stroke(author: number, n: number): Stroke | undefined {
    return this.get(author, n);
  }

  /** position returns where s is in z-order (its index in strokes), or -1 when s is not on the board (a stroke it replaced). */
  position(s: Stroke): number {
    const z = this.index.get(s.author)?.get(s.stroke);
    return z !== undefined && this.strokesA[z] === s ? z : -1;
  }

  /** openStrokes returns the strokes still growing (one per author at most), bottom first: no walk over the board. */
  openStrokes(): Stroke[] {
    const out: Array<[number, Stroke]> = [];
    for (const [a, st] of this.authorsM) {
      if (st.open === 0) continue;
      const i = this.index.get(a)?.get(st.open);
      if (i !== undefined) out.push([i, this.strokesA[i]]);
    }
    return out.length < 2 ? out.map((e) => e[1]) : out.sort((x, y) => x[0] - y[0]).map((e) => e[1]);
  }

  /** isOpen reports whether s is its author's open stroke (still growing). */
  isOpen(s: Stroke): boolean {
    return this.authorsM.get(s.author)?.open === s.stroke;
  }

  /**
   * apply applies op by author as the next op (sequence seq + 1). known
   * may give what a Transform or Rotate makes of its strokes when that was
   * worked out already (our own op, folded when it was sent: edit/reshape).
   */
  apply(author: number, op: Op, known?: KnownResults): Effect {
    this.seqN++;
    const as = this.authorState(author);
    as.applied++;
    if (op.type === 'purge') {
      const dropped = this.purge();
      this.seqN--;
      as.applied--;
      const e = this.apply(author, op.op, known);
      return dropped ? { kind: 'clear' } : e;
    }
    return this.applyOne(author, as, op, known);
  }

  private applyOne(author: number, as: MutableAuthor, op: Exclude<Op, { type: 'purge' }>, known: KnownResults | undefined): Effect {
    switch (op.type) {
      case 'begin': {
        as.open = 0;
        if (this.get(author, op.stroke)) return NONE;
        const s: MutableStroke = {
          author,
          stroke: op.stroke,
          tool: op.tool,
          pressure: op.pressure,
          hidden: false,
          filled: false,
          color: op.color,
          width: op.width,
          points: [],
          text: '',
          seq: this.seqN,
          sweptBy: 0,
          sweptN: 0,
          removed: false,
        };
        this.appendPoints(s, 0, 0, op.points);
        this.add(s);
        as.open = op.stroke;
        return { kind: 'begin', stroke: s };
      }
      case 'points': {
        if (as.open === 0) return NONE;
        const s = this.get(author, as.open)!;
        const last = s.points[s.points.length - 1];
        const from = s.points.length;
        this.appendPoints(s, last.x, last.y, op.points);
        return { kind: 'points', stroke: s, from };
      }
      case 'trace': {
        if (as.open === 0) return NONE;
        const s = this.get(author, as.open)!;
        const from = s.points.length;
        const n = Math.min(MAX_STROKE_POINTS - from, op.residuals.length);
        // Each point is predicted from the stroke's last two points, as held.
        const t = new TraceState(s.points.slice(Math.max(0, from - 2)));
        for (let i = 0; i < n; i++) s.points.push(t.next(op.residuals[i]));
        if (n > 0) this.pointCount += n;
        return { kind: 'points', stroke: s, from };
      }
      case 'end': {
        if (as.open === 0) return NONE;
        const s = this.get(author, as.open)!;
        as.open = 0;
        return { kind: 'end', stroke: s };
      }
      case 'erase':
      case 'restore': {
        const hide = op.type === 'erase';
        const changed: Stroke[] = [];
        for (const id of op.strokes) {
          const s = this.get(id.author, id.stroke);
          if (s && s.hidden !== hide) {
            s.hidden = hide;
            changed.push(s);
          }
        }
        return changed.length ? { kind: 'visibility', strokes: changed } : NONE;
      }
      case 'clear': {
        for (const a of this.authorsM.values()) a.open = 0;
        if (op.n === 0) {
          // Version 3's clear, replayed from a log: for good.
          this.index.clear();
          this.strokesA = [];
          this.pointCount = 0;
          this.sweptCount = 0;
          return { kind: 'clear' };
        }
        return this.sweep('clear', author, op.n, false, () => true);
      }
      case 'remove': {
        const target = this.authorsM.get(op.author);
        if (target) target.open = 0;
        return this.sweep('remove', author, op.n, true, (s) => s.author === op.author && s.seq > op.since);
      }
      case 'unsweep': {
        const changed: MutableStroke[] = [];
        for (let z = 0; z < this.strokesA.length; z++) {
          const s = this.strokesA[z];
          if (s.sweptN === 0 || s.sweptN !== op.n || s.sweptBy !== op.by) continue;
          const t = { ...s, sweptBy: 0, sweptN: 0, removed: false };
          this.strokesA[z] = t;
          this.sweptCount--;
          changed.push(t);
        }
        return { kind: 'sweep', op: 'unsweep', by: op.by, n: op.n, strokes: changed };
      }
      case 'shape':
      case 'text':
      case 'image': {
        as.open = 0;
        const tool = op.type === 'text' ? TOOL_TEXT : op.type === 'image' ? TOOL_IMAGE : op.tool;
        const points: Point[] =
          op.type === 'text'
            ? [{ x: op.x, y: op.y, p: 0 }]
            : [
                { x: op.x0, y: op.y0, p: 0 },
                { x: op.x1, y: op.y1, p: 0 },
              ];
        const next = (old: MutableStroke | undefined): MutableStroke => ({
          author,
          stroke: op.stroke,
          tool,
          pressure: old?.pressure ?? false,
          hidden: old?.hidden ?? false,
          filled: op.type === 'shape' && op.filled,
          color: op.color,
          width: op.type === 'text' ? op.size : op.type === 'image' ? 1 : op.width,
          points,
          text: op.type === 'text' ? op.text : op.type === 'image' ? op.hash : '',
          ...(old?.wrap ? { wrap: old.wrap } : {}),
          seq: old?.seq ?? this.seqN,
          sweptBy: old?.sweptBy ?? 0,
          sweptN: old?.sweptN ?? 0,
          removed: old?.removed ?? false,
        });
        const z = this.index.get(author)?.get(op.stroke);
        if (z === undefined) {
          const s = next(undefined);
          this.add(s);
          this.pointCount += points.length;
          return { kind: 'add', stroke: s };
        }
        const old = this.strokesA[z];
        if (isShape(old.tool) !== isShape(tool) || (old.tool === TOOL_TEXT) !== (tool === TOOL_TEXT) || (old.tool === TOOL_IMAGE) !== (tool === TOOL_IMAGE)) {
          return NONE;
        }
        const s = next(old);
        this.pointCount += points.length - old.points.length;
        this.strokesA[z] = s;
        return { kind: 'replace', before: [old], after: [s] };
      }
      case 'textEdit':
      case 'textWrap': {
        // Anyone's text, hidden or swept or not; nothing else (text_ops.ts).
        const z = this.index.get(op.text.author)?.get(op.text.stroke);
        if (z === undefined || this.strokesA[z].tool !== TOOL_TEXT) return NONE;
        const old = this.strokesA[z];
        const s: MutableStroke = op.type === 'textEdit' ? { ...old, text: op.content } : { ...old, wrap: op.wrap };
        if (op.type === 'textWrap' && op.wrap === 0) delete s.wrap;
        this.strokesA[z] = s;
        return { kind: 'replace', before: [old], after: [s] };
      }
      case 'move': {
        const shift = translation(op.dx, op.dy);
        const before: Stroke[] = [];
        const after: Stroke[] = [];
        for (const id of op.strokes) {
          const z = this.index.get(id.author)?.get(id.stroke);
          if (z === undefined) continue;
          const old = this.strokesA[z];
          // Each point plus (dx, dy), clamped (clampCoord's arithmetic, scaled_stroke's translation), made only when read: a drag of a big selection moves all of it at every op, and most of those are moved again before anything reads their points.
          const s = scaledStroke(old, shift, old.width, undefined) as MutableStroke;
          this.strokesA[z] = s;
          before.push(old);
          after.push(s);
        }
        return before.length ? { kind: 'replace', before, after } : NONE;
      }
      case 'restyle':
        return this.restyle(op);
      case 'order':
        return this.order(op);
      case 'transform':
        return this.transform(op, known);
      case 'rotate':
        return this.rotate(op, known);
    }
  }

  /** sweptStrokes is how many strokes swept strokes are on the board (dropped by the next purge). */
  get sweptStrokes(): number {
    return this.sweptCount;
  }

  /**
   * sweep marks with (by, n) every stroke no sweep holds that take accepts.
   * Marked strokes are replaced by new objects (the renderer's caches go by
   * identity).
   */
  private sweep(op: 'clear' | 'remove', by: number, n: number, removed: boolean, take: (s: MutableStroke) => boolean): Effect {
    const changed: MutableStroke[] = [];
    for (let z = 0; z < this.strokesA.length; z++) {
      const s = this.strokesA[z];
      if (s.sweptN !== 0 || !take(s)) continue;
      const t = { ...s, sweptBy: by, sweptN: n, removed };
      this.strokesA[z] = t;
      this.sweptCount++;
      changed.push(t);
    }
    return { kind: 'sweep', op, by, n, strokes: changed };
  }

  /** purge drops every swept stroke for good; it reports whether there were any. */
  private purge(): boolean {
    if (this.sweptCount === 0) return false;
    const kept: MutableStroke[] = [];
    this.index.clear();
    for (const s of this.strokesA) {
      if (s.sweptN !== 0) {
        this.pointCount -= s.points.length;
        const a = this.authorsM.get(s.author);
        if (a && a.open === s.stroke) a.open = 0;
        continue;
      }
      this.add(s, kept);
    }
    this.strokesA = kept;
    this.sweptCount = 0;
    return true;
  }

  /** named returns the z-positions of the strokes ids names that the board has, each once, in the order named. */
  private named(ids: readonly StrokeId[]): number[] {
    const zs: number[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      const z = this.index.get(id.author)?.get(id.stroke);
      if (z === undefined || seen.has(z)) continue;
      seen.add(z);
      zs.push(z);
    }
    return zs;
  }

  /** transform resizes the named strokes about their box's center (PROTOCOL.md "Transform"); they become new objects, their points made when read (scaled_stroke). */
  private transform(op: TransformOp, known: KnownResults | undefined): Effect {
    const zs = this.named(op.strokes);
    if (zs.length === 0) return NONE;
    const before = zs.map((z) => this.strokesA[z]);
    const done = this.takeKnown(op, zs, before, known);
    if (done) return done;
    return this.replaceAt(zs, before, resizedStrokes(before, op));
  }

  /** replaceAt puts after in place of the strokes at zs (before, in order): what a Transform or Rotate made of them. The effect keeps both arrays. */
  private replaceAt(zs: readonly number[], before: readonly Stroke[], after: readonly Stroke[]): Effect {
    for (let i = 0; i < zs.length; i++) this.strokesA[zs[i]] = after[i] as MutableStroke;
    return { kind: 'replace', before, after };
  }

  /**
   * takeKnown puts known's results for op in place of the strokes at zs
   * (before, in order) when it has them: each is what the arithmetic makes
   * of before, worked out from these very objects. A stroke changed in
   * place since (hidden, points added) is not what they were made from.
   */
  private takeKnown(op: TransformOp | RotateOp, zs: readonly number[], before: readonly Stroke[], known: KnownResults | undefined): Effect | null {
    const got = known?.results(op, before);
    if (!got || got.length !== before.length) return null;
    for (let i = 0; i < got.length; i++) {
      const a = got[i];
      const b = before[i];
      // Counted without making the points of a stroke a pending resize scaled (scaled_stroke.ts).
      if (a.hidden !== b.hidden || pointCount(a) !== pointCount(b) || a.author !== b.author || a.stroke !== b.stroke) return null;
    }
    // The known results are the folder's own array: the effect gets a copy.
    return this.replaceAt(zs, before, got.slice());
  }

  /** rotate turns the named strokes (PROTOCOL.md "Rotate", rotate.ts); they become new objects, their points made when read (scaled_stroke). */
  private rotate(op: RotateOp, known: KnownResults | undefined): Effect {
    const zs = this.named(op.strokes);
    if (zs.length === 0) return NONE;
    const before = zs.map((z) => this.strokesA[z]);
    const done = this.takeKnown(op, zs, before, known);
    if (done) return done;
    const cs = rotCosSin(op.angle);
    return this.replaceAt(zs, before, before.map((s) => turnedStroke(s, op, cs)));
  }

  /** restyle sets the parts of the style op names on each named stroke (PROTOCOL.md "Restyle"). */
  private restyle(op: RestyleOp): Effect {
    const before: Stroke[] = [];
    const after: Stroke[] = [];
    for (const id of op.strokes) {
      const z = this.index.get(id.author)?.get(id.stroke);
      if (z === undefined) continue;
      const old = this.strokesA[z];
      let color = old.color;
      if (op.parts & PART_RGB) color = ((op.color & ~0xff) | (color & 0xff)) >>> 0;
      if (op.parts & PART_ALPHA) color = ((color & ~0xff) | (op.color & 0xff)) >>> 0;
      const fillable = old.tool === TOOL_RECT || old.tool === TOOL_ELLIPSE;
      const s: MutableStroke = {
        ...old,
        color,
        width: op.parts & PART_WIDTH ? op.width : old.width,
        filled: op.parts & PART_FILL && fillable ? op.filled : old.filled,
      };
      this.strokesA[z] = s;
      before.push(old);
      after.push(s);
    }
    return before.length ? { kind: 'replace', before, after } : NONE;
  }

  /** order changes the z-order of the named strokes (PROTOCOL.md "Order"); they become new objects. */
  private order(op: OrderOp): Effect {
    const named = new Set<MutableStroke>();
    for (const id of op.strokes) {
      const s = this.get(id.author, id.stroke);
      if (s) named.add(s);
    }
    let anchor: MutableStroke | null = null;
    if (op.where === WHERE_ABOVE && (op.anchor.author !== 0 || op.anchor.stroke !== 0)) {
      anchor = this.get(op.anchor.author, op.anchor.stroke) ?? null;
      if (!anchor) return NONE;
    }
    if (named.size === 0 || (anchor && named.has(anchor))) return NONE;
    const out = reorder(this.strokesA, named, op.where, anchor);
    if (out.every((s, i) => s === this.strokesA[i])) return NONE;
    const before: Stroke[] = [];
    const after: Stroke[] = [];
    for (let i = 0; i < out.length; i++) {
      let s = out[i];
      if (named.has(s)) {
        before.push(s);
        s = { ...s };
        after.push(s);
        out[i] = s;
      }
      if (s !== this.strokesA[i]) this.index.get(s.author)!.set(s.stroke, i);
    }
    this.strokesA = out;
    return { kind: 'replace', before, after };
  }

  private get(author: number, n: number): MutableStroke | undefined {
    const z = this.index.get(author)?.get(n);
    return z === undefined ? undefined : this.strokesA[z];
  }

  /** add puts a new stroke on top of the board (of strokes, when given: a board being rebuilt). */
  private add(s: MutableStroke, strokes = this.strokesA): void {
    let byN = this.index.get(s.author);
    if (!byN) {
      byN = new Map();
      this.index.set(s.author, byN);
    }
    byN.set(s.stroke, strokes.length);
    strokes.push(s);
  }

  private authorState(a: number): MutableAuthor {
    let s = this.authorsM.get(a);
    if (!s) {
      s = { applied: 0, open: 0 };
      this.authorsM.set(a, s);
    }
    return s;
  }

  /** appendPoints adds delta-coded pts to s starting from (x, y), clamping each
   *  coordinate and dropping points beyond MAX_STROKE_POINTS. */
  private appendPoints(s: MutableStroke, x: number, y: number, pts: readonly Point[]): void {
    const room = MAX_STROKE_POINTS - s.points.length;
    const n = Math.min(room, pts.length);
    for (let i = 0; i < n; i++) {
      const d = pts[i];
      x = clampCoord(x + d.x);
      y = clampCoord(y + d.y);
      s.points.push({ x, y, p: d.p });
    }
    if (n > 0) this.pointCount += n;
  }

  /**
   * restore builds a board from decoded snapshot parts. The caller (the
   * snapshot decoder) has validated them; they are copied, not kept,
   * unless owned says the caller made them for this board alone and holds
   * them no more (a big board's 100,000 strokes are then not made twice).
   */
  static restore(
    epoch: bigint,
    seq: number,
    authors: ReadonlyArray<readonly [number, AuthorState]>,
    strokes: readonly Stroke[],
    owned = false,
  ): Board {
    const b = new Board(epoch);
    b.seqN = seq;
    for (const [id, st] of authors) b.authorsM.set(id, { applied: st.applied, open: st.open });
    for (const s of strokes) {
      b.add(owned ? (s as MutableStroke) : { ...s, points: s.points.slice() });
      b.pointCount += s.points.length;
      if (s.sweptN !== 0) b.sweptCount++;
    }
    return b;
  }
}

/** strokeKey names a stroke as a string, for maps and sets. */
export function strokeKey(id: StrokeId): string {
  return id.author + ':' + id.stroke;
}
