// The laser pointer: trails that fade out over about a second, this
// person's and everyone else's, drawn on a canvas over the board. A trail
// is relayed (Laser, Lasers: PROTOCOL.md) and never stored: nothing of it
// is in the board, its history or an export.

import { toScreen, type View } from '../geometry/view';
import { cssColor } from '../render/color';
import { h } from './dom';
import { opaque } from './person_color';
import { LASER_SEND_MS } from '../net/laser_out';

/** How long a point of a trail takes to fade out. */
export const LASER_FADE_MS = 1000;
/** A pause longer than this between an author's points starts a new trail. */
const BREAK_MS = 200;
/** The trail's width in CSS pixels. */
const WIDTH_PX = 4;

interface Sample {
  readonly x: number;
  readonly y: number;
  readonly t: number;
}

interface Trail {
  color: number;
  /** Runs of points drawn joined, oldest first. */
  runs: Sample[][];
  last: number;
}

type Pt = { readonly x: number; readonly y: number };

export class LaserTrails {
  readonly el: HTMLCanvasElement;
  private readonly trails = new Map<number, Trail>();
  /** The canvas shows something: the next draw clears it even with no trail left. */
  private shown = false;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.el = h('canvas', { class: 'lasers', 'data-testid': 'lasers', 'aria-hidden': 'true' }) as HTMLCanvasElement;
    this.el.dataset.points = '0';
  }

  /**
   * add appends points (board units, oldest first) to author's trail. Points
   * that came in one batch are spread over the time since the author's last
   * ones, so a remote trail fades as smoothly as it was drawn.
   */
  add(author: number, points: readonly Pt[], color: number): void {
    if (points.length === 0) return;
    const t = this.now();
    let tr = this.trails.get(author);
    if (!tr) {
      tr = { color, runs: [], last: -Infinity };
      this.trails.set(author, tr);
    }
    tr.color = color;
    const gap = t - tr.last;
    if (gap > BREAK_MS || tr.runs.length === 0) tr.runs.push([]);
    const run = tr.runs[tr.runs.length - 1];
    const span = Math.min(gap, LASER_SEND_MS);
    points.forEach((p, i) => run.push({ x: p.x, y: p.y, t: t - (span * (points.length - 1 - i)) / points.length }));
    tr.last = t;
  }

  /** remove forgets author's trail (they left). */
  remove(author: number): void {
    this.trails.delete(author);
  }

  clear(): void {
    this.trails.clear();
  }

  /** draw draws every trail as it is now; it returns whether any is still fading (draw again next frame). */
  draw(view: View): boolean {
    // Nothing to draw on a clear canvas (most frames, and every frame of the
    // page's start): no sizing, no clearing, no work.
    if (this.trails.size === 0 && !this.shown) return false;
    const t = this.now();
    const c = this.el;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(c.clientWidth * dpr);
    const hgt = Math.round(c.clientHeight * dpr);
    if (c.width !== w || c.height !== hgt) {
      c.width = w;
      c.height = hgt;
    }
    const ctx = c.getContext('2d');
    let live = 0;
    ctx?.clearRect(0, 0, c.width, c.height);
    for (const [author, tr] of this.trails) {
      tr.runs = tr.runs.map((run) => run.filter((s) => t - s.t < LASER_FADE_MS)).filter((run) => run.length > 0);
      if (tr.runs.length === 0) {
        this.trails.delete(author);
        continue;
      }
      for (const run of tr.runs) {
        live += run.length;
        if (ctx) drawRun(ctx, run, view, t, cssColor(opaque(tr.color)), dpr);
      }
    }
    c.dataset.points = String(live);
    this.shown = live > 0;
    return live > 0;
  }
}

function drawRun(ctx: CanvasRenderingContext2D, run: readonly Sample[], view: View, t: number, color: string, dpr: number): void {
  ctx.save();
  ctx.scale(dpr, dpr);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.shadowColor = color;
  ctx.shadowBlur = 8;
  let prev = toScreen(view, run[0].x, run[0].y);
  if (run.length === 1) {
    ctx.globalAlpha = 1 - (t - run[0].t) / LASER_FADE_MS;
    ctx.beginPath();
    ctx.arc(prev.x, prev.y, WIDTH_PX / 2, 0, 2 * Math.PI);
    ctx.fill();
  }
  for (let i = 1; i < run.length; i++) {
    const p = toScreen(view, run[i].x, run[i].y);
    // Older pieces are fainter and thinner: the trail tapers as it fades.
    const life = 1 - (t - run[i].t) / LASER_FADE_MS;
    ctx.globalAlpha = Math.max(0, life);
    ctx.lineWidth = WIDTH_PX * (0.4 + 0.6 * life);
    ctx.beginPath();
    ctx.moveTo(prev.x, prev.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    prev = p;
  }
  ctx.restore();
}
