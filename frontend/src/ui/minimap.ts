// The minimap: a small canvas in the corner with the whole drawing, thinly,
// and a rectangle where the screen is ("you are here"). A click or drag on
// it centers the view there. The drawing is repainted at most every
// REPAINT_MS; the rectangle every frame it moves. When only the view moved
// (the screen's rectangle grew the picture), the picture painted is shown
// scaled and repainted once the view has been still for REPAINT_MS: a
// repaint strokes the whole board, which a pan of a big board must not do
// every few frames. Strokes added on top are painted on the picture alone;
// a big board keeps its picture as one path per color and width, so that
// a repaint at a new scale strokes those again without walking the board.

import { contains, isEmpty, union, EMPTY_RECT, type Rect } from '../geometry/bounds';
import { decimation, minimapView } from '../geometry/minimap';
import { sameView, screenRect, toBoard, toScreen, type View } from '../geometry/view';
import type { Stroke } from '../protocol/board';
import { appendedTo } from '../edit/committed_cache';
import { cssColor } from '../render/color';
import { h } from './dom';

const W = 168;
const H = 108;
const REPAINT_MS = 400;
/** Above this many strokes the picture is painted one path per color and width, z-order aside. */
const GROUP_MIN = 5000;

/** Group is the strokes of one color and width, as one path in board units. */
interface Group {
  readonly color: number;
  readonly width: number;
  readonly path: Path2D;
}

export interface MinimapSource {
  /** The shown strokes, bottom first (the same array while they are the same). */
  strokes(): readonly Stroke[];
  /** Whether a stroke is shown in the picture (erasers are not). */
  ink(s: Stroke): boolean;
  /** What a stroke may cover, in board units. */
  bounds(s: Stroke): Rect;
  /** A gesture is under way (a drag resizing a big selection changes the board at every step): a repaint due waits for its end. */
  busy?(): boolean;
  /** How a stroke looks in a small picture: polylines in board units. */
  skeleton(s: Stroke): ReadonlyArray<ReadonlyArray<{ readonly x: number; readonly y: number }>>;
  /** The width to draw the skeleton with, board units (0: a hairline). */
  lineWidth(s: Stroke): number;
}

export class Minimap {
  readonly el: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly picture: HTMLCanvasElement;
  private readonly pictureCtx: CanvasRenderingContext2D;
  private dirty = true;
  /** The strokes the picture shows, their points, and the decimation step it was painted with. */
  private painted: readonly Stroke[] | null = null;
  private total = 0;
  private step = 1;
  /**
   * On a big board, the picture's paths in board units, one per color and
   * width, for the strokes painted: grown as strokes are added, so that a
   * repaint at a new scale (the view went beyond the picture) strokes a
   * handful of paths instead of walking the board. null: not made yet.
   */
  private groups: Map<string, Group> | null = null;
  /** The drawing did not change, only the view: repaint when it is still. */
  private viewOnly = false;
  private movedAt = 0;
  /** The view the minimap shows now (mini while the picture is current). */
  private shown: View = { scale: 1, x: 0, y: 0 };
  private paintedAt = -Infinity;
  private timer: number | null = null;
  private mini: View = { scale: 1, x: 0, y: 0 };
  private content: Rect = EMPTY_RECT;
  private dpr = 1;
  private last: { view: View; w: number; h: number } | null = null;

  constructor(
    private readonly source: MinimapSource,
    /** Center the view on board point (x, y). */
    private readonly goTo: (x: number, y: number) => void,
  ) {
    this.canvas = h('canvas', { class: 'minimap-canvas', width: W, height: H, 'aria-hidden': 'true' });
    this.el = h(
      'div',
      { class: 'minimap', 'data-testid': 'minimap', role: 'img', 'aria-label': 'Minimap: the whole drawing and where you are' },
      this.canvas,
    );
    const ctx = this.canvas.getContext('2d');
    this.picture = document.createElement('canvas');
    const pctx = this.picture.getContext('2d');
    if (!ctx || !pctx) throw new Error('sketchpad: no 2d canvas context');
    this.ctx = ctx;
    this.pictureCtx = pctx;
    let dragging = false;
    const go = (e: PointerEvent): void => {
      const r = this.canvas.getBoundingClientRect();
      // The canvas may be shown smaller than W × H (phones): map back.
      const b = toBoard(this.shown, ((e.clientX - r.left) * W) / r.width, ((e.clientY - r.top) * H) / r.height);
      this.goTo(b.x, b.y);
    };
    this.canvas.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      go(e);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (dragging) go(e);
    });
    const stop = (): void => {
      dragging = false;
    };
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
    // Whether it is laid out (not under a display: none), as the browser
    // tells after its layout: asking offsetParent in each frame laid the
    // page out there and then, after the frame's other changes to it.
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver((entries) => {
        const r = entries[entries.length - 1].contentRect;
        const was = this.laidOut;
        this.laidOut = r.width > 0 || r.height > 0;
        if (this.laidOut && !was && this.last) this.update(this.last.view, this.last.w, this.last.h);
      }).observe(this.el);
    }
  }

  /** Laid out, as the last ResizeObserver entry said; null: not told yet (asked of offsetParent). */
  private laidOut: boolean | null = null;

  /**
   * boardChanged says the drawing may have changed. Strokes added on top
   * within the picture's bounds are painted on it at the next update; any
   * other change repaints the picture soon.
   */
  boardChanged(): void {
    this.changed = true;
  }

  private changed = true;
  /** When (performance.now()) the board last changed otherwise than by strokes added on top. */
  private replacedAt = 0;
  /** update runs from the repaint's own task: a repaint due is done now. */
  private repaintNow = false;

  /** paintAdded paints on the picture what list adds on top of what it shows, when that is all that changed and it lies within the picture's bounds. */
  private paintAdded(list: readonly Stroke[]): boolean {
    const added = this.painted && appendedTo(list, this.painted);
    if (!added) return false;
    let box: Rect = EMPTY_RECT;
    let n = 0;
    for (const s of added) {
      if (!this.source.ink(s)) continue;
      box = union(box, this.source.bounds(s));
      n += s.points.length;
    }
    if (!isEmpty(box) && !contains(this.content, box)) return false;
    this.painted = list;
    this.total += n;
    if (this.groups) this.group(added, this.groups);
    this.paintStrokes(added);
    return true;
  }

  /** update draws the minimap for the screen's view (w × h CSS pixels). */
  update(view: View, w: number, h: number): void {
    const prev = this.last;
    this.last = { view, w, h };
    if (this.el.hidden || !(this.laidOut ?? this.el.offsetParent !== null)) return;
    if (this.changed) {
      this.changed = false;
      const list = this.source.strokes();
      if (list !== this.painted && (this.dirty || !this.paintAdded(list))) {
        this.dirty = true;
        this.viewOnly = false;
        this.replacedAt = performance.now();
      }
    }
    const now = performance.now();
    const viewport = screenRect(view, w, h);
    const want = minimapView(this.content, viewport, W, H);
    this.shown = this.mini;
    if (!sameView(want, this.mini)) {
      // The screen went beyond the picture: it is repainted at the new scale.
      if (isEmpty(this.content)) this.mini = this.shown = want;
      else {
        if (!this.dirty) this.viewOnly = true;
        this.dirty = true;
        if (this.viewOnly) this.shown = want;
      }
    }
    if (prev && !sameView(prev.view, view)) this.movedAt = now;
    if (this.dirty) {
      const due = this.viewOnly ? Math.max(this.paintedAt, this.movedAt) + REPAINT_MS : this.paintedAt + REPAINT_MS;
      // A repaint walks the whole board: it runs in a task of its own after
      // the frame (a big board's first screen shows before its minimap).
      if (now >= due && this.repaintNow) this.repaint(view, w, h);
      else if (this.timer === null) this.timer = window.setTimeout(this.due, Math.max(0, due - now + 1));
    }
    this.compose(viewport);
  }

  /**
   * due repaints in a task of its own once a repaint is due; while a
   * gesture goes on, or the board's strokes changed otherwise than by
   * strokes added in the last REPAINT_MS (someone else dragging a big
   * selection: a Transform every few frames), it waits REPAINT_MS more: a
   * walk over the whole board between a drag's frames, every REPAINT_MS,
   * drops one of them each time.
   */
  private readonly due = (): void => {
    this.timer = null;
    if (this.source.busy?.() || performance.now() - this.replacedAt < REPAINT_MS) {
      this.timer = window.setTimeout(this.due, REPAINT_MS);
      return;
    }
    this.repaintNow = true;
    if (this.last) this.update(this.last.view, this.last.w, this.last.h);
    this.repaintNow = false;
  };

  private repaint(view: View, w: number, h: number): void {
    this.dirty = false;
    this.viewOnly = false;
    this.paintedAt = performance.now();
    const dpr = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    if (dpr !== this.dpr || this.canvas.width !== Math.round(W * dpr)) {
      this.dpr = dpr;
      this.canvas.width = this.picture.width = Math.round(W * dpr);
      this.canvas.height = this.picture.height = Math.round(H * dpr);
    }
    const strokes = this.source.strokes();
    if (strokes !== this.painted) {
      // Strokes only added on top: the bounds and paths grow by them; else the board is walked.
      const added = this.painted && this.groups ? appendedTo(strokes, this.painted) : null;
      if (!added) this.groups = null;
      let content: Rect = added ? this.content : EMPTY_RECT;
      let total = added ? this.total : 0;
      for (const s of added ?? strokes) {
        if (!this.source.ink(s)) continue;
        content = union(content, this.source.bounds(s));
        total += s.points.length;
      }
      if (added && this.groups) this.group(added, this.groups);
      this.content = content;
      this.painted = strokes;
      this.total = total;
      if (!added) this.step = decimation(total);
    }
    const m = minimapView(this.content, screenRect(view, w, h), W, H);
    this.mini = this.shown = m;
    const ctx = this.pictureCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.picture.width, this.picture.height);
    if (strokes.length <= GROUP_MIN) {
      this.paintStrokes(strokes);
      return;
    }
    this.groups ??= this.group(strokes, new Map());
    this.strokeGroups(this.groups.values());
  }

  /** group adds the skeletons of strokes to the path of their color and width in groups, and returns groups. */
  private group(strokes: readonly Stroke[], groups: Map<string, Group>): Map<string, Group> {
    const step = this.step;
    for (const s of strokes) {
      if (!this.source.ink(s)) continue;
      const width = this.source.lineWidth(s);
      const key = (s.color | 0xff) + ' ' + width;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { color: s.color | 0xff, width, path: new Path2D() }));
      for (const line of this.source.skeleton(s)) {
        if (line.length === 0) continue;
        g.path.moveTo(line[0].x, line[0].y);
        for (let i = step; i < line.length; i += step) g.path.lineTo(line[i].x, line[i].y);
        const last = line[line.length - 1];
        g.path.lineTo(last.x, last.y);
      }
    }
    return groups;
  }

  /** pictureInMini readies the picture's context to stroke in its transform (mini), round caps and joins. */
  private pictureInMini(): CanvasRenderingContext2D {
    const ctx = this.pictureCtx;
    const m = this.mini;
    const dpr = this.dpr;
    ctx.setTransform(m.scale * dpr, 0, 0, m.scale * dpr, m.x * dpr, m.y * dpr);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    return ctx;
  }

  /** strokeGroups strokes each group's path on the picture, in its transform (mini). */
  private strokeGroups(groups: Iterable<Group>): void {
    const ctx = this.pictureInMini();
    const m = this.mini;
    for (const g of groups) {
      ctx.strokeStyle = cssColor(g.color);
      ctx.lineWidth = Math.max(1 / m.scale, g.width);
      ctx.stroke(g.path);
    }
  }

  /**
   * paintStrokes paints strokes on the picture, in its transform (mini):
   * one path per run of strokes of the same color and width, in z-order;
   * on a big board one path per color and width (at this size who is on
   * top where two strokes cross does not show, and 100,000 stroke() calls
   * would).
   */
  private paintStrokes(strokes: readonly Stroke[]): void {
    this.pictureInMini(); // paintRun strokes in it
    const m = this.mini;
    const styleOf = (s: Stroke): string => (s.color | 0xff) + ' ' + Math.max(1 / m.scale, this.source.lineWidth(s));
    if (strokes.length > GROUP_MIN) {
      this.strokeGroups(this.group(strokes, new Map()).values());
      return;
    }
    let run: Stroke[] = [];
    let style = '';
    for (const s of strokes) {
      if (!this.source.ink(s)) continue;
      const k = styleOf(s);
      if (k !== style && run.length) {
        this.paintRun(run);
        run = [];
      }
      style = k;
      run.push(s);
    }
    if (run.length) this.paintRun(run);
  }

  /** paintRun paints strokes of one color and width as one path. */
  private paintRun(strokes: readonly Stroke[]): void {
    const ctx = this.pictureCtx;
    const step = this.step;
    ctx.strokeStyle = cssColor(strokes[0].color | 0xff);
    ctx.lineWidth = Math.max(1 / this.mini.scale, this.source.lineWidth(strokes[0]));
    ctx.beginPath();
    for (const s of strokes) {
      for (const line of this.source.skeleton(s)) {
        if (line.length === 0) continue;
        ctx.moveTo(line[0].x, line[0].y);
        for (let i = step; i < line.length; i += step) ctx.lineTo(line[i].x, line[i].y);
        const last = line[line.length - 1];
        ctx.lineTo(last.x, last.y);
      }
    }
    ctx.stroke();
  }

  private compose(viewport: Rect): void {
    const ctx = this.ctx;
    const k = this.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    // The picture as painted (mini), brought to the view shown.
    const m = this.mini;
    const v = this.shown;
    const f = v.scale / m.scale;
    ctx.setTransform(f, 0, 0, f, (v.x - m.x * f) * k, (v.y - m.y * f) * k);
    ctx.drawImage(this.picture, 0, 0);
    const a = toScreen(v, viewport.minX, viewport.minY);
    const b = toScreen(v, viewport.maxX, viewport.maxY);
    ctx.setTransform(k, 0, 0, k, 0, 0);
    ctx.fillStyle = 'rgba(25, 113, 194, 0.10)';
    ctx.strokeStyle = 'rgba(25, 113, 194, 0.9)';
    ctx.lineWidth = 1.5;
    const x = Math.max(1, a.x);
    const y = Math.max(1, a.y);
    const rw = Math.min(W - 1, b.x) - x;
    const rh = Math.min(H - 1, b.y) - y;
    ctx.fillRect(x, y, rw, rh);
    ctx.strokeRect(x, y, rw, rh);
  }
}
