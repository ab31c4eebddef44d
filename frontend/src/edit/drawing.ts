// Drawing: the freehand stroke (pen, highlighter, partial eraser) or the
// shape (line, arrow, rectangle, ellipse) this person is drawing, and an
// image put on the board (made whole at once). Its local
// copy is shown at once; its ops go out as it grows (Begin at once, Points
// and Shape at each flush, End at the end); a finished one is an undo step.
// DOM-free: the Editor is its host.

import type { XY } from '../geometry/hit';
import { constrainShape } from '../geometry/shape';
import type { Op, Point } from '../protocol/types';
import { SELF } from './history';
import {
  accepts,
  beginOp,
  freehand,
  imageOp,
  imageShown,
  normalizePoint,
  pointsOps,
  shapeOp,
  shapeShown,
  type LocalItem,
  type ShapeStyle,
  type StrokeStyle,
} from './local';

/** Sample is a pointer sample in board units; p is the pressure byte (0 none). */
export interface Sample {
  readonly x: number;
  readonly y: number;
  readonly p: number;
}

/** DrawHost is what drawing needs of the editor. */
export interface DrawHost {
  /** readOnly: this page may not change the board. */
  readOnly(): boolean;
  /** endGestures ends whatever gesture is going on before another starts. */
  endGestures(): void;
  /** newStroke returns the number of our next stroke. */
  newStroke(): number;
  /** push sends an op (queued in the outbox) and returns its outbox uid. */
  push(op: Op): number;
  /** addLocal shows our unconfirmed stroke l; dropItem stops showing it. */
  addLocal(l: LocalItem): void;
  dropItem(l: LocalItem): void;
  /** recordStroke makes our finished stroke n an undo step. */
  recordStroke(n: number): void;
  /** changed: what is shown changed. */
  changed(): void;
}

type Current =
  | { readonly kind: 'freehand'; readonly item: LocalItem }
  | { readonly kind: 'shape'; readonly item: LocalItem; readonly anchor: Point; readonly style: ShapeStyle; dirty: boolean };

export class Drawing {
  /** The stroke or shape being drawn; null: none. */
  private current: Current | null = null;

  constructor(private readonly host: DrawHost) {}

  /** image places image hash (uploaded to the board) in the box with corners a and b, an undo step; it returns its stroke number (0: none). */
  image(hash: string, a: XY, b: XY): number {
    const h = this.host;
    if (h.readOnly()) return 0;
    h.endGestures();
    const n = h.newStroke();
    const shown = imageShown(n, hash, { ...a, p: 0 }, { ...b, p: 0 });
    const uid = h.push(imageOp(shown));
    h.addLocal({ stroke: n, shown, pts: null, sent: 0, firstUid: uid, lastUid: uid });
    h.recordStroke(n);
    h.changed();
    return n;
  }

  /** active is true while a freehand stroke or a shape is being drawn. */
  get active(): boolean {
    return this.current !== null;
  }

  /** item is the local copy of what is being drawn, if anything is. */
  get item(): LocalItem | undefined {
    return this.current?.item;
  }

  /** endAny ends the stroke or shape being drawn, if any. */
  endAny(): void {
    if (this.current?.kind === 'freehand') this.endStroke();
    else if (this.current?.kind === 'shape') this.shapeEnd();
  }

  /** reset forgets what was being drawn (the room was reset). */
  reset(): void {
    this.current = null;
  }

  /** flush sends what the stroke or shape gained since the last flush. */
  flush(): void {
    this.flushPoints();
    this.flushShape();
  }

  /** beginStroke starts a freehand stroke at s; the Begin is sent at once. */
  beginStroke(s: Sample, style: StrokeStyle): void {
    if (this.host.readOnly()) return;
    this.host.endGestures();
    const n = this.host.newStroke();
    const l = freehand(n, style, normalizePoint(s.x, s.y, s.p, style.pressure));
    l.firstUid = this.host.push(beginOp(l));
    this.host.addLocal(l);
    this.current = { kind: 'freehand', item: l };
    this.host.changed();
  }

  /** extendStroke adds samples to the stroke being drawn; they are sent at the next flush. */
  extendStroke(samples: readonly Sample[]): void {
    const c = this.current;
    if (c?.kind !== 'freehand') return;
    const pts = c.item.pts!;
    let added = false;
    for (const s of samples) {
      const p = normalizePoint(s.x, s.y, s.p, c.item.shown.pressure);
      if (accepts(pts[pts.length - 1], p, pts.length)) {
        pts.push(p);
        added = true;
      }
    }
    if (added) this.host.changed();
  }

  /** endStroke ends the stroke being drawn: its last points and End are sent. */
  endStroke(): void {
    const c = this.current;
    if (c?.kind !== 'freehand') return;
    this.flushPoints();
    c.item.lastUid = this.host.push({ type: 'end' });
    this.current = null;
    this.host.recordStroke(c.item.stroke);
    this.host.changed();
  }

  /**
   * cancelStroke ends the freehand stroke or shape being drawn and erases
   * it, leaving no undo step: the gesture was not meant (a palm, the first
   * finger of a pinch).
   */
  cancelStroke(): void {
    const c = this.current;
    if (!c) return;
    if (c.kind === 'freehand') {
      this.flushPoints();
      c.item.lastUid = this.host.push({ type: 'end' });
    } else {
      this.flushShape();
    }
    this.current = null;
    if (c.item.firstUid !== 0) this.host.push({ type: 'erase', strokes: [{ author: SELF, stroke: c.item.stroke }] });
    else this.host.dropItem(c.item);
    this.host.changed();
  }

  /** shapeStart starts a shape at p; nothing is sent until it has a size. */
  shapeStart(p: XY, style: ShapeStyle): void {
    if (this.host.readOnly()) return;
    this.host.endGestures();
    const n = this.host.newStroke();
    const a = normalizePoint(p.x, p.y, 0, false);
    const item: LocalItem = { stroke: n, shown: shapeShown(n, style, a, a), pts: null, sent: 0, firstUid: 0, lastUid: 0 };
    this.host.addLocal(item);
    this.current = { kind: 'shape', item, anchor: a, style, dirty: false };
    this.host.changed();
  }

  /** shapeMove drags the shape's second corner to p; constrain (Shift) snaps lines to 45° and makes squares and circles. */
  shapeMove(p: XY, constrain = false): void {
    const c = this.current;
    if (c?.kind !== 'shape') return;
    let b = normalizePoint(p.x, p.y, 0, false);
    if (constrain) {
      const q = constrainShape(c.style.tool, c.anchor, b);
      b = normalizePoint(q.x, q.y, 0, false);
    }
    const old = c.item.shown.points[1];
    if (old.x === b.x && old.y === b.y) return;
    c.item.shown = shapeShown(c.item.stroke, c.style, c.anchor, b);
    c.dirty = true;
    this.host.changed();
  }

  /** shapeEnd ends the shape: its last geometry is sent; a shape never dragged is dropped. */
  shapeEnd(): void {
    const c = this.current;
    if (c?.kind !== 'shape') return;
    this.flushShape();
    this.current = null;
    if (c.item.firstUid === 0) this.host.dropItem(c.item);
    else this.host.recordStroke(c.item.stroke);
    this.host.changed();
  }

  /** flushPoints sends the points the freehand stroke gained since the last flush. */
  private flushPoints(): void {
    const c = this.current;
    if (c?.kind !== 'freehand') return;
    const ops = pointsOps(c.item);
    c.item.sent = c.item.pts!.length;
    for (const op of ops) this.host.push(op);
  }

  /** flushShape sends the shape's geometry when it changed since the last flush. */
  private flushShape(): void {
    const c = this.current;
    if (c?.kind !== 'shape' || !c.dirty) return;
    c.dirty = false;
    const uid = this.host.push(shapeOp(c.item.shown));
    if (c.item.firstUid === 0) c.item.firstUid = uid;
    c.item.lastUid = uid;
  }
}
