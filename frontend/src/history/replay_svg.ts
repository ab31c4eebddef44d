// The replay of a board as an animated SVG file: every stroke the board
// ever showed, in z-order, each shown from the step that drew it to the
// step that took it away (erased, cleared, moved: a moved stroke is a new
// element where it went), with SMIL <set> on visibility. No script: the
// file plays in any browser that opens it and in an <img>. Partial erasers
// are masks as in render/svg, their paths timed the same way, so they rub
// out only once drawn. Pure: no DOM.

import { exportArea, flatSVG, strokeSVG, type ImageHref, type SvgStroke } from '../render/svg';
import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import { isVisible, type Board, type Stroke } from '../protocol/board';
import { TOOL_ERASER, TOOL_HIGHLIGHTER } from '../protocol/types';
import { isStrokeStep, type Applied } from './timeline';

/** One stroke as shown from step `from` until step `to` (null: to the end). */
interface Shown {
  readonly key: string;
  /** The stroke object of the board being replayed (a checkpoint's board brings new ones). */
  stroke: Stroke;
  readonly from: number;
  to: number | null;
}

const keyOf = (s: Stroke): string => `${s.author}:${s.stroke}`;

/**
 * continues says whether a checkpoint's copy of a stroke is the stroke
 * as it was, possibly grown: the checkpoint stands for an op, which may
 * have added points to it (anything else it changed makes a new element).
 */
function continues(was: Stroke, now: Stroke): boolean {
  const n = was.points.length;
  if (was.tool !== now.tool || was.color !== now.color || was.width !== now.width || was.filled !== now.filled || was.text !== now.text || now.points.length < n) return false;
  const same = (i: number): boolean => i < 0 || (was.points[i].x === now.points[i].x && was.points[i].y === now.points[i].y);
  return same(0) && same(n - 1);
}

/** ReplaySVG records a replay (the board it starts from, then every step) and writes it as an animated SVG. */
export class ReplaySVG {
  private readonly list: Shown[] = [];
  private readonly open = new Map<string, Shown>();
  private t = 0;

  constructor(base: Board) {
    for (const s of base.strokes) if (isVisible(s)) this.start(s, null);
  }

  /** steps is how many timelapse steps were recorded. */
  get steps(): number {
    return this.t;
  }

  /** observe records what one step did; board is the board after it. */
  observe(a: Applied, board: Board): void {
    if (isStrokeStep(a)) this.t++;
    if (a.kind === 'board') {
      this.replaced(board);
      return;
    }
    const e = a.effect;
    switch (e.kind) {
      case 'begin':
      case 'add':
        this.start(e.stroke, null);
        break;
      case 'visibility':
      case 'sweep':
        for (const s of e.strokes) {
          if (!isVisible(s)) this.end(keyOf(s));
          else this.start(s, this.lastOf(keyOf(s)));
        }
        break;
      case 'clear':
        for (const k of [...this.open.keys()]) this.end(k);
        break;
      case 'replace':
        e.after.forEach((s) => {
          const k = keyOf(s);
          const at = this.lastOf(k);
          this.end(k);
          if (isVisible(s)) this.start(s, at);
        });
        break;
      default:
        break;
    }
  }

  /**
   * replaced takes a checkpoint's board: strokes that look the same go on
   * as its objects (which later ops grow), the rest end or start.
   */
  private replaced(board: Board): void {
    const now = new Map<string, Stroke>();
    for (const s of board.strokes) if (isVisible(s)) now.set(keyOf(s), s);
    for (const [k, sh] of [...this.open]) {
      const s = now.get(k);
      if (s && continues(sh.stroke, s)) sh.stroke = s;
      else this.end(k);
    }
    for (const [k, s] of now) if (!this.open.has(k)) this.start(s, this.lastOf(k));
  }

  /** lastOf returns the place in z-order of key's latest element, or null. */
  private lastOf(key: string): number | null {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].key === key) return i;
    return null;
  }

  /** start shows s from now on, placed after index at (its earlier self) or on top. */
  private start(s: Stroke, at: number | null): void {
    const k = keyOf(s);
    if (this.open.has(k)) return;
    const sh: Shown = { key: k, stroke: s, from: this.t, to: null };
    if (at === null) this.list.push(sh);
    else this.list.splice(at + 1, 0, sh);
    this.open.set(k, sh);
  }

  private end(key: string): void {
    const sh = this.open.get(key);
    if (!sh) return;
    sh.to = this.t;
    this.open.delete(key);
  }

  /** strokes are the strokes the replay shows, in z-order (their images are fetched before svg writes them). */
  strokes(): Stroke[] {
    return this.list.filter((s) => s.to === null || s.to > s.from).map((s) => s.stroke);
  }

  /**
   * svg writes the animation: one step every stepSeconds, the last board
   * held at the end. On white, as every export. imageHref gives the
   * images (data: URLs; without it, gray boxes).
   */
  svg(stepSeconds: number, imageHref?: ImageHref): string {
    const shown = this.list.filter((s) => s.to === null || s.to > s.from);
    const strokes: SvgStroke[] = shown.map((s) => ({ ...s.stroke, dx: 0, dy: 0 }));
    const r = exportArea(strokes);
    const x = Math.floor(r.minX);
    const y = Math.floor(r.minY);
    const w = Math.max(1, Math.ceil(r.maxX) - x);
    const h = Math.max(1, Math.ceil(r.maxY) - y);
    const sec = (step: number): string => `${Math.round(step * stepSeconds * 1000) / 1000}s`;
    const timed = (sh: Shown, body: string): string =>
      `<g visibility="hidden"><set attributeName="visibility" to="visible" begin="${sec(sh.from)}" fill="freeze"/>` +
      (sh.to === null ? '' : `<set attributeName="visibility" to="hidden" begin="${sec(sh.to)}" fill="freeze"/>`) +
      body +
      '</g>';
    let under = '';
    let ink = '';
    let defs = '';
    let masks = 0;
    shown.forEach((sh, i) => {
      const s = strokes[i];
      if (s.points.length === 0) return;
      if (s.tool === TOOL_ERASER) {
        const id = 'e' + ++masks;
        defs += `<mask id="${id}" maskUnits="userSpaceOnUse" x="${x}" y="${y}" width="${w}" height="${h}">`;
        defs += `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#fff"/>`;
        defs += timed(sh, flatSVG(s, '#000', '', ''));
        defs += '</mask>';
        if (under) under = `<g mask="url(#${id})">${under}</g>`;
        if (ink) ink = `<g mask="url(#${id})">${ink}</g>`;
      } else if (s.tool === TOOL_HIGHLIGHTER) {
        under += timed(sh, strokeSVG(s, imageHref));
      } else {
        ink += timed(sh, strokeSVG(s, imageHref));
      }
    });
    const px = (u: number): string => String(Math.round((u / BOARD_UNITS_PER_PX) * 100) / 100);
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${w} ${h}" width="${px(w)}" height="${px(h)}" data-steps="${this.t}" data-duration="${sec(this.t)}">` +
      `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#ffffff"/>` +
      (defs ? `<defs>${defs}</defs>` : '') +
      `<g data-layer="highlighter">${under}</g><g data-layer="ink">${ink}</g></svg>\n`
    );
  }
}
