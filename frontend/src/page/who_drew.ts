// Who drew what: hovering a stroke with the select or hand tool says who
// drew it and when, and so does selecting it (the label stays below the
// selection while it lasts; for several strokes, how many and by whom). The board knows each stroke's author and the sequence
// number of the op that put it there (PROTOCOL.md "Sweeps"), nothing
// more, to keep the wire lean; the rest comes from:
//   - the names of the people here (presence), and for those gone, the
//     names the board's history gives (GET /api/boards/{room}/history);
//   - when: the time this page saw the stroke arrive, for strokes drawn
//     while it was open; for older ones, the time of the first version
//     in the board's history at or after the stroke's number (so "by").
// The history is asked for once, when an older stroke is first hovered.

import type { Editor } from '../edit/editor';
import { SELF } from '../edit/history';
import { boardLength, toBoard, toScreen } from '../geometry/view';
import type { Board, Effect } from '../protocol/board';
import type { Renderer } from '../render/renderer';
import { ago, StrokeInfo } from '../ui/stroke_info';

/** What the history API says, as far as this needs it. */
interface Version {
  readonly seq: number;
  readonly time: string;
  readonly authors?: readonly { readonly author: number; readonly name: string }[];
}

export interface WhoDrewDeps {
  readonly canvas: HTMLCanvasElement;
  readonly editor: Editor;
  readonly renderer: Renderer;
  /** The name of a person on the board now, or undefined. */
  name(author: number): string | undefined;
  /** Whether hovering should say anything (the select and hand tools). */
  active(): boolean;
  /** Whether a selection is shown (the select and lasso tools). */
  selecting(): boolean;
  /** The board's path segment (its name or view id), for its history. */
  readonly segment: string;
  readonly token: string;
}

const HOVER_PX = 8;

export class WhoDrew {
  readonly info = new StrokeInfo();
  /** When this page saw each stroke ("author:n") arrive. */
  private readonly seen = new Map<string, number>();
  private history: Version[] | null = null;
  private asked = false;
  private last: { x: number; y: number } | null = null;
  /** The label is a hover's (not the selection's). */
  private hovering = false;
  /** A selection of several strokes' words, for the selected strokes (an array kept while nothing changed) at a time. */
  private many: { readonly of: readonly unknown[]; readonly at: number; readonly text: string } | null = null;
  /** Where the canvas is in the window: read again when the window is resized or pressed, not every frame (that lays the page out while the selection's frame moves). */
  private canvasAt: DOMRect | null = null;

  constructor(private readonly d: WhoDrewDeps) {
    d.canvas.addEventListener('pointermove', (e) => {
      if (e.buttons !== 0 || !d.active()) return this.unhover();
      const r = d.canvas.getBoundingClientRect();
      this.last = { x: e.clientX, y: e.clientY };
      this.at(e.clientX - r.left, e.clientY - r.top);
    });
    d.canvas.addEventListener('pointerleave', () => this.unhover());
    window.addEventListener('resize', () => (this.canvasAt = null));
    d.canvas.addEventListener('pointerdown', () => {
      this.canvasAt = null;
      this.hovering = false;
      this.info.hide();
    });
  }

  /**
   * frame shows who drew the selection below it, unless a hover is
   * saying something (called from the page's frame: it follows the view).
   */
  frame(): void {
    if (this.hovering) return;
    const { editor, renderer, canvas } = this.d;
    const sel = this.d.selecting() ? editor.selection : [];
    if (sel.length === 0) return this.info.hide();
    const me = editor.sync.author;
    const b = editor.board;
    let text: string | null;
    if (sel.length === 1) {
      const author = sel[0].author === SELF ? me : sel[0].author;
      text = this.describe(b, author, sel[0].stroke);
      if (author !== me && !this.seen.has(author + ':' + sel[0].stroke)) this.askHistory();
    } else {
      // Worked out again when the selection changed or a second passed (names may come), not every frame of a drag.
      const of = editor.arrange.selectedStrokes();
      const now = performance.now();
      if (this.many?.of !== of || now - this.many.at > 1000) {
        const names = [...new Set(sel.map((id) => (id.author === SELF ? me : id.author)))].map((a) => this.nameOf(a));
        this.many = { of, at: now, text: `${sel.length} strokes · by ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}` };
      }
      text = this.many.text;
    }
    if (!text) return this.info.hide();
    const r = editor.selectionBounds();
    const at = toScreen(renderer.view, r.minX, r.maxY);
    const c = (this.canvasAt ??= canvas.getBoundingClientRect());
    this.info.show(text, c.left + at.x - 14, c.top + at.y - 8);
  }

  private unhover(): void {
    // The label is the selection's, which the page's frame keeps in place: a drag's every move would work it out again.
    if (!this.hovering) return;
    this.hovering = false;
    this.info.hide();
    this.frame();
  }

  /** applied notes when strokes arrived, for ops applied live. */
  applied(e: Effect, author: number, live: boolean): void {
    if (!live) return;
    if (e.kind === 'begin' || e.kind === 'add') this.seen.set(author + ':' + e.stroke.stroke, Date.now());
  }

  /** describe says who drew stroke (author, n) of b and when, or null. */
  describe(b: Board, author: number, n: number): string | null {
    const s = b.stroke(author, n);
    if (!s) return null;
    const who = this.nameOf(author);
    const seen = this.seen.get(author + ':' + n);
    if (seen !== undefined) return `${who} · ${ago(seen, Date.now())}`;
    const v = this.versionOf(s.seq);
    if (v) return `${who} · by ${new Date(Date.parse(v.time)).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}`;
    return who;
  }

  private nameOf(author: number): string {
    if (author === this.d.editor.sync.author) return 'You';
    return this.d.name(author) ?? this.historyName(author) ?? `Someone (#${author})`;
  }

  private at(x: number, y: number): void {
    const { editor, renderer } = this.d;
    const p = toBoard(renderer.view, x, y);
    const id = editor.strokeAt(p, boardLength(renderer.view, HOVER_PX));
    if (!id) return this.unhover();
    const author = id.author === SELF ? editor.sync.author : id.author;
    const text = this.describe(editor.board, author, id.stroke);
    if (!text || !this.last) return this.unhover();
    this.hovering = true;
    this.info.show(text, this.last.x, this.last.y);
    if (!this.seen.has(author + ':' + id.stroke)) this.askHistory();
  }

  private historyName(author: number): string | undefined {
    for (const v of this.history ?? []) for (const a of v.authors ?? []) if (a.author === author && a.name) return a.name;
    return undefined;
  }

  /** versionOf returns the earliest version at or after seq (versions come newest first). */
  private versionOf(seq: number): Version | null {
    if (!this.history || seq === 0) return null;
    let found: Version | null = null;
    for (const v of this.history) if (v.seq >= seq) found = v;
    return found;
  }

  private askHistory(): void {
    if (this.asked) return;
    this.asked = true;
    const q = this.d.token ? `?limit=500&token=${encodeURIComponent(this.d.token)}` : '?limit=500';
    fetch(`/api/boards/${encodeURIComponent(this.d.segment)}/history${q}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((j: { versions?: Version[] } | null) => {
        this.history = j?.versions ?? [];
      })
      .catch(() => {
        this.history = [];
      });
  }
}
