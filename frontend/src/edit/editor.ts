// The Editor turns what this person does (draw, erase, undo, redo, clear)
// into ops, and says what to show: the room's board as the SyncCore holds
// it, with our own unconfirmed work laid over it so that nothing waits for
// the server. DOM-free: input and rendering talk to it, tests drive it.
//
// What is shown:
//   committed()  strokes of the board that are closed and visible: the
//                cached layer
//   overlay()    strokes still growing (others' open strokes, then our own
//                strokes not yet confirmed), drawn on top every frame
// Our pending Erase/Restore/Clear ops apply to both at once (edit/pending).

import type { Board, Stroke } from '../protocol/board';
import type { Point, StrokeId } from '../protocol/types';
import { strokeBounds, type Rect } from '../geometry/bounds';
import { strokeHit, type EraserPath, type XY } from '../geometry/hit';
import type { StrokeShape } from '../geometry/outline';
import { SyncCore, type Identity, type SyncListener } from '../net/sync';
import {
  EMPTY_HISTORY,
  SELF,
  canRedo,
  canUndo,
  record,
  redo as redoHistory,
  undo as undoHistory,
  visibilityOps,
  type History,
} from './history';
import { accepts, beginOp, normalizePoint, pointsOps, type LocalStroke, type StrokeStyle } from './local_stroke';
import { NO_PENDING, displayKey, pendingView, type PendingView } from './pending';

/** Paintable is what a renderer needs of a stroke. */
export interface Paintable extends StrokeShape {
  readonly color: number;
}

export interface OverlayItem {
  readonly stroke: Paintable;
  /** The stroke has ended (perfect-freehand's `last`). */
  readonly complete: boolean;
}

/** Sample is a pointer sample in board units; p is the pressure byte (0 none). */
export interface Sample {
  readonly x: number;
  readonly y: number;
  readonly p: number;
}

export interface EditorListener extends SyncListener {
  /** What is shown changed: render the next frame. */
  changed?(): void;
  /** Undo or redo became possible or impossible. */
  historyChanged?(canUndo: boolean, canRedo: boolean): void;
}

interface EraseGesture {
  last: XY | null;
  readonly radius: number;
  readonly keys: Set<string>;
  readonly ids: StrokeId[];
  unsent: StrokeId[];
}

export class Editor {
  readonly sync: SyncCore;
  private locals: LocalStroke[] = [];
  private readonly localByN = new Map<number, LocalStroke>();
  private current: LocalStroke | null = null;
  private nextStroke = 1;
  private historyV: History = EMPTY_HISTORY;
  private pending: PendingView = NO_PENDING;
  private erasing: EraseGesture | null = null;
  private readonly bounds = new WeakMap<object, { n: number; r: Rect }>();

  constructor(send: (frame: Uint8Array) => void, private readonly listener: EditorListener, identity: Identity) {
    this.sync = new SyncCore(
      send,
      {
        reset: () => {
          this.dropLocal();
          listener.reset?.();
        },
        boardReplaced: (b) => {
          this.advanceStrokeNumber(b);
          listener.boardReplaced?.(b);
          this.changed();
        },
        applied: (e, author) => {
          if (e.kind === 'clear' && author !== this.sync.author) this.setHistory(EMPTY_HISTORY);
          listener.applied?.(e, author);
          this.changed();
        },
        acked: () => {
          this.retire();
          listener.acked?.();
        },
        welcomed: (w, epochChanged) => {
          this.advanceStrokeNumber(this.sync.board);
          this.retire();
          listener.welcomed?.(w, epochChanged);
          this.changed();
        },
        presence: (m) => listener.presence?.(m),
        leave: (a) => listener.leave?.(a),
        cursors: (c) => listener.cursors?.(c),
        notice: (m) => listener.notice?.(m),
        pausedChanged: (p) => listener.pausedChanged?.(p),
      },
      identity,
    );
  }

  get board(): Board {
    return this.sync.board;
  }

  get history(): History {
    return this.historyV;
  }

  /** drawing is true between beginStroke and endStroke. */
  get drawing(): boolean {
    return this.current !== null;
  }

  // ---- drawing ----

  /** beginStroke starts a stroke at s; the Begin is sent at once. */
  beginStroke(s: Sample, style: StrokeStyle): void {
    if (this.current) this.endStroke();
    const first = normalizePoint(s.x, s.y, s.p, style.pressure);
    const n = this.nextStroke++;
    const beginUid = this.push(beginOp(n, style, first));
    const l: LocalStroke = {
      stroke: n,
      color: style.color,
      width: style.width,
      pressure: style.pressure,
      points: [first],
      sent: 1,
      beginUid,
      endUid: 0,
    };
    this.locals.push(l);
    this.localByN.set(n, l);
    this.current = l;
    this.changed();
  }

  /** extendStroke adds samples to the stroke being drawn; they are sent at the next flush. */
  extendStroke(samples: readonly Sample[]): void {
    const l = this.current;
    if (!l) return;
    let added = false;
    for (const s of samples) {
      const p = normalizePoint(s.x, s.y, s.p, l.pressure);
      if (accepts(l.points[l.points.length - 1], p, l.points.length)) {
        l.points.push(p);
        added = true;
      }
    }
    if (added) this.changed();
  }

  /** endStroke ends the stroke being drawn: its last points and End are sent. */
  endStroke(): void {
    const l = this.current;
    if (!l) return;
    this.flushPoints();
    l.endUid = this.push({ type: 'end' });
    this.current = null;
    this.setHistory(record(this.historyV, { kind: 'stroke', stroke: l.stroke }));
    this.changed();
  }

  /**
   * cancelStroke ends the stroke being drawn and erases it, leaving no undo
   * step: the gesture was not meant (a palm, the first finger of a pinch).
   */
  cancelStroke(): void {
    const l = this.current;
    if (!l) return;
    this.flushPoints();
    l.endUid = this.push({ type: 'end' });
    this.current = null;
    this.push({ type: 'erase', strokes: [{ author: SELF, stroke: l.stroke }] });
    this.changed();
  }

  /**
   * flush sends what accumulated since the last call: one Points op (per
   * 2048 points) for the stroke being drawn, one Erase for the strokes the
   * eraser touched. Called once per animation frame.
   */
  flush(): void {
    this.flushPoints();
    this.flushErase();
  }

  // ---- erasing ----

  /** eraseStart starts an eraser gesture at s with the given radius (board units). */
  eraseStart(s: XY, radius: number): void {
    if (this.current) this.endStroke();
    this.eraseEnd();
    this.erasing = { last: null, radius, keys: new Set(), ids: [], unsent: [] };
    this.eraseMove([s]);
  }

  /** eraseMove erases every shown stroke the eraser touches on its way through samples. */
  eraseMove(samples: readonly XY[]): void {
    const g = this.erasing;
    if (!g) return;
    let hit = false;
    for (const s of samples) {
      const path: EraserPath = { from: g.last ?? s, to: s, radius: g.radius };
      g.last = s;
      for (const id of this.hitTest(path)) {
        const key = id.author + ':' + id.stroke;
        if (g.keys.has(key)) continue;
        g.keys.add(key);
        g.ids.push(id);
        g.unsent.push(id);
        hit = true;
      }
    }
    if (hit) this.changed();
  }

  /** eraseEnd ends the eraser gesture; what it erased becomes one undo step. */
  eraseEnd(): void {
    const g = this.erasing;
    if (!g) return;
    this.flushErase();
    this.erasing = null;
    if (g.ids.length) this.setHistory(record(this.historyV, { kind: 'erase', strokes: g.ids }));
  }

  /** eraseCancel ends the eraser gesture and restores what it erased, leaving no undo step. */
  eraseCancel(): void {
    const g = this.erasing;
    if (!g) return;
    this.flushErase();
    this.erasing = null;
    for (const op of visibilityOps('restore', g.ids)) this.push(op);
    this.changed();
  }

  /**
   * hitTest returns the names of the shown strokes the eraser path touches,
   * own strokes named with author SELF.
   */
  hitTest(path: EraserPath): StrokeId[] {
    const out: StrokeId[] = [];
    const me = this.sync.author;
    for (const s of this.board.strokes) {
      if (this.ownedLocally(s) || !this.boardVisible(s)) continue;
      if (strokeHit(s.points, s.width, path, this.boundsOf(s))) {
        out.push({ author: s.author === me && me !== 0 ? SELF : s.author, stroke: s.stroke });
      }
    }
    for (const l of this.locals) {
      if (l === this.current || !this.localVisible(l)) continue;
      if (strokeHit(l.points, l.width, path, this.boundsOf(l))) out.push({ author: SELF, stroke: l.stroke });
    }
    return out;
  }

  // ---- undo, redo, clear ----

  undo(): boolean {
    if (this.current || this.erasing) return false;
    const { history, ops } = undoHistory(this.historyV);
    if (!ops.length) return false;
    for (const op of ops) this.push(op);
    this.setHistory(history);
    this.changed();
    return true;
  }

  redo(): boolean {
    if (this.current || this.erasing) return false;
    const { history, ops } = redoHistory(this.historyV);
    if (!ops.length) return false;
    for (const op of ops) this.push(op);
    this.setHistory(history);
    this.changed();
    return true;
  }

  /** clear removes every stroke, for everyone, for good. */
  clear(): void {
    if (this.current) this.endStroke();
    this.eraseEnd();
    this.push({ type: 'clear' });
    this.setHistory(EMPTY_HISTORY);
    this.changed();
  }

  // ---- what is shown ----

  /** committed returns the closed, shown strokes of the board in z-order. */
  committed(): Stroke[] {
    const b = this.board;
    const out: Stroke[] = [];
    for (const s of b.strokes) {
      if (!b.isOpen(s) && !this.ownedLocally(s) && this.boardVisible(s)) out.push(s);
    }
    return out;
  }

  /** overlay returns the strokes drawn on top each frame, bottom first. */
  overlay(): OverlayItem[] {
    const b = this.board;
    const out: OverlayItem[] = [];
    for (const s of b.strokes) {
      if (b.isOpen(s) && !this.ownedLocally(s) && this.boardVisible(s)) out.push({ stroke: s, complete: false });
    }
    for (const l of this.locals) {
      if (this.localVisible(l)) out.push({ stroke: l, complete: l.endUid !== 0 });
    }
    return out;
  }

  /** localStrokes is how many of our strokes wait for the room's confirmation. */
  get localStrokes(): number {
    return this.locals.length;
  }

  // ---- internals ----

  private push(op: Parameters<SyncCore['push']>[0]): number {
    const uid = this.sync.push(op);
    if (op.type === 'erase' || op.type === 'restore' || op.type === 'clear') this.refreshPending();
    return uid;
  }

  private flushPoints(): void {
    const l = this.current;
    if (!l) return;
    const ops = pointsOps(l);
    l.sent = l.points.length;
    for (const op of ops) this.push(op);
  }

  private flushErase(): void {
    const g = this.erasing;
    if (!g || !g.unsent.length) return;
    const ids = g.unsent;
    g.unsent = [];
    for (const op of visibilityOps('erase', ids)) this.push(op);
  }

  private refreshPending(): void {
    this.pending = pendingView(this.sync.outbox.entries());
  }

  /** retire forgets local strokes whose End the room has applied: the board shows them now. */
  private retire(): void {
    const ob = this.sync.outbox;
    const keep = this.locals.filter((l) => l.endUid === 0 || ob.has(l.endUid));
    if (keep.length !== this.locals.length) {
      for (const l of this.locals) if (!keep.includes(l)) this.localByN.delete(l.stroke);
      this.locals = keep;
    }
    if (this.pending !== NO_PENDING) this.refreshPending();
    this.changed();
  }

  private dropLocal(): void {
    this.locals = [];
    this.localByN.clear();
    this.current = null;
    this.erasing = null;
    this.pending = NO_PENDING;
    this.nextStroke = 1;
    this.setHistory(EMPTY_HISTORY);
    this.changed();
  }

  private advanceStrokeNumber(b: Board): void {
    const me = this.sync.author;
    if (me === 0) return;
    for (const s of b.strokes) if (s.author === me && s.stroke >= this.nextStroke) this.nextStroke = s.stroke + 1;
  }

  private ownedLocally(s: Stroke): boolean {
    const me = this.sync.author;
    return me !== 0 && s.author === me && this.localByN.has(s.stroke);
  }

  private boardVisible(s: Stroke): boolean {
    if (this.pending.clearUid) return false;
    const key = displayKey(s.author, s.stroke, this.sync.author);
    if (this.erasing?.keys.has(key)) return false;
    return !(this.pending.hidden.get(key) ?? s.hidden);
  }

  private localVisible(l: LocalStroke): boolean {
    if (this.pending.clearUid && l.beginUid < this.pending.clearUid) return false;
    const key = SELF + ':' + l.stroke;
    if (this.erasing?.keys.has(key)) return false;
    return !(this.pending.hidden.get(key) ?? false);
  }

  private boundsOf(s: { readonly points: readonly Point[]; readonly width: number }): Rect {
    const c = this.bounds.get(s);
    if (c && c.n === s.points.length) return c.r;
    const r = strokeBounds(s.points, s.width);
    this.bounds.set(s, { n: s.points.length, r });
    return r;
  }

  private setHistory(h: History): void {
    const before = this.historyV;
    this.historyV = h;
    if (canUndo(before) !== canUndo(h) || canRedo(before) !== canRedo(h)) {
      this.listener.historyChanged?.(canUndo(h), canRedo(h));
    }
  }

  private changed(): void {
    this.listener.changed?.();
  }
}
