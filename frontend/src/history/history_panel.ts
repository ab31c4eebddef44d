// The history panel: the board's whole life on a slider (op 0 to the
// head), the board as it was at any point drawn read-only over the live
// one by a renderer of its own (the page's Renderer, on a canvas above
// the board), the versions marked on the slider (checkpoints, clears,
// with their time and authors), a timelapse that replays the drawing
// stroke by stroke, restore as a new board, and the replay exported as an
// animated SVG. "Back to live" (or Escape) leaves it. While it is open
// the slider grows with the live board (headMoved): a panel showing the
// latest point keeps showing it, new ops included.
//
// Moving the slider forward by a little applies the ops in between; any
// other move asks the server for the board at that point (nearest
// checkpoint plus ops, history/ops?at=). A later move supersedes one still
// loading (gen).

import type { View } from '../geometry/view';
import type { OverlayItem } from '../edit/editor';
import { Board, isVisible, type Stroke } from '../protocol/board';
import { Renderer } from '../render/renderer';
import { download } from '../render/export';
import { h } from '../ui/dom';
import { historyButton } from './history_button';
import { HistoryAPI, type Version } from './history_api';
import { ReplaySVG } from './replay_svg';
import { fetchImages, imageHashes } from '../render/image_fetch';
import { imageURL } from '../net/room_url';
import { Timeline, isStrokeStep, type Step } from './timeline';

export interface HistoryDeps {
  readonly segment: string;
  readonly token: string;
  /** The board's name, for the exported file's name. */
  readonly room: string;
  /** The page's drawing surface: the past is drawn on a canvas just above it. */
  readonly canvas: HTMLCanvasElement;
  readonly view: () => View;
  readonly dark: () => boolean;
  readonly readOnly: () => boolean;
  readonly schedule: () => void;
  /** The panel opened or closed (the page takes drawing tools away meanwhile). */
  readonly toggled: (open: boolean) => void;
}

/** Scrubbing forward by at most this many ops applies them; further, the server builds the board. */
const FORWARD_OPS = 2000;
/** Timelapse steps a second at 1×. */
const STEPS_PER_SECOND = 4;
/** The most ops an exported replay covers. */
const MAX_EXPORT_OPS = 200_000;

export class HistoryPanel {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly api: HistoryAPI;
  private readonly surface: HTMLCanvasElement;
  private readonly renderer: Renderer;
  private readonly slider: HTMLInputElement;
  private readonly marks: HTMLElement;
  private readonly label: HTMLElement;
  private readonly playBtn: HTMLButtonElement;
  private readonly speed: HTMLSelectElement;
  private readonly restoreBtn: HTMLButtonElement;
  private readonly exportBtn: HTMLButtonElement;
  private readonly restored: HTMLElement;
  private readonly error: HTMLElement;
  private timeline: Timeline | null = null;
  private head = 0;
  private versions: readonly Version[] = [];
  /** Supersedes board loads: a load whose gen is not the latest drops its result. */
  private gen = 0;
  private playTimer: number | null = null;
  /** Steps fetched ahead for the timelapse, and whether a fetch is under way. */
  private ahead: Step[] = [];
  private fetching = false;
  /** The board's strokes as drawn (recomputed when the timeline moves). */
  private drawn: { committed: Stroke[]; overlay: OverlayItem[] } = { committed: [], overlay: [] };
  private lastExport = '';
  /** Where a drag of the slider wants to be next, and whether a load is under way (one at a time, the latest wins). */
  private wanted: number | null = null;
  private loading = false;
  /** The panel follows the live head (it was at the head when last moved there by a person or on opening). */
  private live = false;
  /** A retry of following the head is due (the server's history had not caught up). */
  private followTimer: number | null = null;
  /** A read of the versions is due (the live board moved on while open). */
  private versionsTimer: number | null = null;

  /** button: the toolbar's button when it was made before the panel (history_lazy.ts clicks through to toggle); else the panel makes and listens to its own. */
  constructor(private readonly d: HistoryDeps, button?: HTMLButtonElement) {
    this.api = new HistoryAPI(d.segment, d.token);
    this.button = button ?? historyButton();
    if (!button) this.button.addEventListener('click', () => this.toggle());

    this.surface = h('canvas', { class: 'history-board', 'data-testid': 'history-board', 'aria-label': 'The board as it was', hidden: true });
    d.canvas.after(this.surface);
    this.renderer = new Renderer(this.surface, { committed: () => this.drawn.committed, overlay: () => this.drawn.overlay }, d.schedule);

    this.slider = h('input', { type: 'range', min: '0', max: '0', step: '1', value: '0', class: 'history-slider', 'data-testid': 'history-slider', 'aria-label': 'Point in the board’s history' });
    this.slider.addEventListener('input', () => {
      this.stop();
      this.live = Number(this.slider.value) >= this.head;
      this.scrub(Number(this.slider.value));
    });
    this.marks = h('div', { class: 'history-marks', 'aria-label': 'Versions' });
    this.label = h('div', { class: 'history-label', 'data-testid': 'history-label', 'aria-live': 'polite' }, 'Loading…');
    this.playBtn = h('button', { type: 'button', class: 'tb-btn history-play', 'data-testid': 'history-play', 'aria-label': 'Play the timelapse' }, '▶');
    this.playBtn.addEventListener('click', () => (this.playTimer === null ? this.play() : this.stop()));
    this.speed = h('select', { class: 'history-speed', 'data-testid': 'history-speed', 'aria-label': 'Timelapse speed' });
    for (const x of [1, 2, 4, 8, 16, 64]) this.speed.append(h('option', { value: String(x) }, `${x}×`));
    this.speed.value = '4';
    this.speed.addEventListener('change', () => {
      if (this.playTimer !== null) this.schedulePlay();
    });
    this.restoreBtn = h('button', { type: 'button', class: 'history-action', 'data-testid': 'history-restore', title: 'A new board with this version on it; this board stays as it is' }, 'Restore as a new board');
    this.restoreBtn.addEventListener('click', () => void this.restore());
    this.exportBtn = h('button', { type: 'button', class: 'history-action', 'data-testid': 'history-export', title: 'Download the replay as an animated SVG' }, 'Export replay');
    this.exportBtn.addEventListener('click', () => void this.exportReplay(true));
    const live = h('button', { type: 'button', class: 'history-action history-live', 'data-testid': 'history-live' }, 'Back to live');
    live.addEventListener('click', () => this.close());
    this.restored = h('div', { class: 'history-restored', 'data-testid': 'history-restored', hidden: true });
    this.error = h('div', { class: 'history-error', 'data-testid': 'history-error', role: 'alert', hidden: true });
    this.el = h(
      'section',
      { id: 'history-panel', class: 'history', 'data-testid': 'history-panel', role: 'dialog', 'aria-label': 'History', hidden: true },
      h('div', { class: 'history-track' }, this.marks, this.slider),
      h('div', { class: 'history-row' }, this.playBtn, this.speed, this.label),
      h('div', { class: 'history-row history-actions' }, this.restoreBtn, this.exportBtn, live),
      this.restored,
      this.error,
    );
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  get seq(): number {
    return this.timeline?.seq ?? 0;
  }

  get lastHead(): number {
    return this.head;
  }

  get playing(): boolean {
    return this.playTimer !== null;
  }

  /** shownStrokes counts the strokes the board shows at the panel's point. */
  shownStrokes(): number {
    return this.timeline ? this.timeline.board.strokes.filter(isVisible).length : 0;
  }

  toggle(): void {
    if (this.open) this.close();
    else void this.show();
  }

  /** show opens the panel at the board's latest point. */
  async show(): Promise<void> {
    if (this.open) return;
    this.el.hidden = false;
    this.surface.hidden = false;
    this.d.canvas.dataset.history = 'true';
    this.button.setAttribute('aria-expanded', 'true');
    this.restoreBtn.hidden = this.d.readOnly();
    this.restored.hidden = true;
    this.d.toggled(true);
    this.timeline = null;
    this.setDrawn();
    await this.refresh();
  }

  close(): void {
    if (!this.open) return;
    this.stop();
    this.gen++;
    this.el.hidden = true;
    this.surface.hidden = true;
    delete this.d.canvas.dataset.history;
    this.button.setAttribute('aria-expanded', 'false');
    this.timeline = null;
    if (this.versionsTimer !== null) window.clearTimeout(this.versionsTimer);
    this.versionsTimer = null;
    if (this.followTimer !== null) window.clearTimeout(this.followTimer);
    this.followTimer = null;
    this.setDrawn();
    this.d.toggled(false);
    this.d.schedule();
  }

  /**
   * headMoved follows the live board (seq: its head) while the panel is
   * open: the slider reaches the new head, and a panel at the head (not
   * dragged, not loading, not playing) moves on to it. A timelapse playing
   * plays on into the new ops.
   */
  headMoved(seq: number): void {
    if (!this.open || !this.timeline || seq <= this.head) return;
    this.head = seq;
    this.slider.max = String(seq);
    if (this.live && !this.playing) this.scrub(seq);
    else this.moved();
    if (this.versionsTimer === null) this.versionsTimer = window.setTimeout(() => void this.rereadVersions(), 3000);
  }

  private followSoon(): void {
    if (this.followTimer !== null) return;
    this.followTimer = window.setTimeout(() => {
      this.followTimer = null;
      if (this.open && this.live && !this.playing) this.scrub(this.head);
    }, 250);
  }

  /** rereadVersions shows the versions marked since the panel opened. */
  private async rereadVersions(): Promise<void> {
    this.versionsTimer = null;
    if (!this.open) return;
    try {
      const v = await this.api.versions();
      if (!this.open) return;
      this.versions = v.versions;
      this.drawMarks();
    } catch {
      // The marks stay as they were; the slider still follows.
    }
  }

  /** frame draws the past over the board, in the page's view (called from the page's frame). */
  frame(): void {
    if (!this.open) return;
    this.renderer.resize();
    this.renderer.setDark(this.d.dark());
    this.renderer.setView(this.d.view());
    this.renderer.frame();
  }

  /** refresh reads the versions and the head again and shows the head. */
  private async refresh(): Promise<void> {
    try {
      const v = await this.api.versions();
      this.head = v.head;
      this.versions = v.versions;
    } catch (e) {
      // A board nobody drew on has no history: an empty past.
      if ((e as { code?: string }).code !== 'no_board') return this.fail(e);
      this.head = 0;
      this.versions = [];
    }
    this.slider.max = String(this.head);
    this.slider.value = String(this.head);
    this.live = true;
    this.drawMarks();
    if (this.head === 0) {
      // Nothing drawn yet: the empty board it began as, with nothing to ask.
      this.gen++;
      this.timeline = new Timeline(new Board(0n));
      this.moved();
      return;
    }
    await this.goTo(this.head);
  }

  private drawMarks(): void {
    const head = Math.max(1, this.head);
    this.marks.replaceChildren(
      ...this.versions.map((v) => {
        const b = h('button', {
          type: 'button',
          class: `history-mark history-mark-${v.kind}`,
          'data-testid': 'history-mark',
          'data-seq': String(v.seq),
          title: describe(v),
          'aria-label': describe(v),
        });
        // Through the CSSOM: the page's policy allows no style attributes.
        b.style.left = `${(v.seq / head) * 100}%`;
        b.addEventListener('click', () => {
          this.stop();
          this.live = false;
          this.slider.value = String(v.seq);
          void this.goTo(v.seq);
        });
        return b;
      }),
    );
  }

  /**
   * scrub follows the slider: one load at a time, and when it is done the
   * latest place the slider asked for, so a drag costs the server a
   * request per load, not one per pixel.
   */
  private scrub(seq: number): void {
    this.wanted = seq;
    if (this.loading) return;
    this.loading = true;
    void (async () => {
      try {
        while (this.wanted !== null) {
          const next = this.wanted;
          this.wanted = null;
          await this.goTo(next);
        }
      } finally {
        this.loading = false;
      }
    })();
  }

  /** goTo shows the board after op seq. */
  async goTo(seq: number): Promise<void> {
    const my = ++this.gen;
    this.ahead = [];
    try {
      const tl = this.timeline;
      if (tl && seq >= tl.seq && seq - tl.seq <= FORWARD_OPS) {
        while (tl.seq < seq) {
          const s = await this.api.stretch({ after: tl.seq, to: seq });
          if (my !== this.gen || this.timeline !== tl) return;
          for (const st of s.steps) tl.apply(st);
        }
      } else {
        const s = await this.api.stretch({ at: seq, to: seq });
        if (my !== this.gen) return;
        if (!s.base) throw new Error('the server sent no board');
        this.timeline = new Timeline(s.base);
      }
      this.error.hidden = true;
    } catch (e) {
      if (my !== this.gen) return;
      // Following the live board, the page can see an op a moment before
      // the board's stored history holds it (a replica on its own numbers
      // ahead of its store): try again shortly.
      if (this.live && (e as { code?: string }).code === 'not_drawn_yet') this.followSoon();
      else this.fail(e);
      return;
    }
    this.moved();
  }

  /** moved shows where the timeline is now. */
  private moved(): void {
    this.setDrawn();
    const seq = this.seq;
    // Not under a drag still going on: the thumb stays where the hand is.
    if (this.wanted === null) this.slider.value = String(seq);
    let at: Version | undefined;
    for (const v of this.versions) if (v.seq <= seq && (!at || v.seq > at.seq)) at = v;
    this.label.textContent = `After op ${seq} of ${this.head}` + (at ? ` · since ${describe(at)}` : '');
    this.el.dataset.seq = String(seq);
    this.d.schedule();
  }

  private setDrawn(): void {
    const b = this.timeline?.board;
    if (!b) {
      this.drawn = { committed: [], overlay: [] };
      return;
    }
    const committed: Stroke[] = [];
    const overlay: OverlayItem[] = [];
    for (const s of b.strokes) {
      if (!isVisible(s)) continue;
      if (b.isOpen(s)) overlay.push({ stroke: s, complete: false, dx: 0, dy: 0 });
      else committed.push(s);
    }
    this.drawn = { committed, overlay };
  }

  /** play replays the board stroke by stroke from where the slider is (from the start when at the end). */
  play(): void {
    if (!this.timeline) return;
    if (this.head === 0) return;
    if (this.seq >= this.head) {
      void this.goTo(0).then(() => this.play());
      return;
    }
    this.live = false;
    this.playBtn.textContent = '⏸';
    this.playBtn.setAttribute('aria-label', 'Pause the timelapse');
    this.el.dataset.playing = 'true';
    this.ahead = [];
    this.schedulePlay();
  }

  private schedulePlay(): void {
    if (this.playTimer !== null) window.clearInterval(this.playTimer);
    this.playTimer = window.setInterval(() => this.tick(), 1000 / (STEPS_PER_SECOND * Number(this.speed.value)));
  }

  stop(): void {
    if (this.playTimer === null) return;
    window.clearInterval(this.playTimer);
    this.playTimer = null;
    this.playBtn.textContent = '▶';
    this.playBtn.setAttribute('aria-label', 'Play the timelapse');
    delete this.el.dataset.playing;
  }

  /** tick applies the steps up to the next stroke step, fetching more ahead. */
  private tick(): void {
    const tl = this.timeline;
    if (!tl) return this.stop();
    const end = this.ahead.length ? this.ahead[this.ahead.length - 1].seq : tl.seq;
    if (this.ahead.length < FORWARD_OPS && end < this.head && !this.fetching) {
      this.fetching = true;
      const my = this.gen;
      void this.api
        .stretch({ after: end, to: this.head, limit: FORWARD_OPS })
        .then((s) => {
          if (my === this.gen && this.timeline === tl) this.ahead.push(...s.steps);
        })
        .catch((e) => {
          this.stop();
          this.fail(e);
        })
        .finally(() => (this.fetching = false));
    }
    let moved = false;
    while (this.ahead.length) {
      const st = this.ahead.shift()!;
      if (st.seq <= tl.seq) continue;
      moved = true;
      if (isStrokeStep(tl.apply(st))) break;
    }
    if (moved) this.moved();
    if (tl.seq >= this.head) {
      // Played to the end: from here on it follows the live board.
      this.stop();
      this.live = true;
    }
  }

  /** restore copies the board at the panel's point to a new board and opens it. */
  private async restore(): Promise<void> {
    const seq = this.seq;
    this.restoreBtn.disabled = true;
    try {
      const url = await this.api.restore(seq);
      const a = h('a', { href: url, target: '_blank', rel: 'noopener', 'data-testid': 'history-restored-link' }, new URL(url, location.href).href);
      this.restored.replaceChildren(`Version ${seq} is now a new board: `, a);
      this.restored.hidden = false;
      window.open(url, '_blank', 'noopener');
    } catch (e) {
      this.fail(e);
    } finally {
      this.restoreBtn.disabled = false;
    }
  }

  /**
   * exportReplay replays the whole board from op 0 and returns it as an
   * animated SVG (downloaded when save).
   */
  async exportReplay(save: boolean): Promise<string> {
    this.exportBtn.disabled = true;
    try {
      const first = await this.api.stretch({ at: 0, to: 0 });
      if (!first.base) throw new Error('the server sent no board');
      const head = Math.min(first.head, MAX_EXPORT_OPS);
      const tl = new Timeline(first.base);
      const rec = new ReplaySVG(first.base);
      while (tl.seq < head) {
        const s = await this.api.stretch({ after: tl.seq, to: head });
        for (const st of s.steps) rec.observe(tl.apply(st), tl.board);
        if (!s.steps.length) break;
      }
      // Every image the replay ever shows, as data: URLs: the file stands alone.
      const hashes = imageHashes(rec.strokes());
      const images = hashes.length ? await fetchImages(hashes, (hash) => imageURL(this.d.segment, hash, this.d.token), { data: true }) : null;
      const svg = rec.svg(Math.min(0.5, 30 / Math.max(1, rec.steps)), images ? (hash) => images.dataURL(hash) : undefined);
      this.lastExport = svg;
      if (save) {
        const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
        download(url, `${this.d.room}-replay-${new Date().toISOString().slice(0, 10)}.svg`);
        window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
      return svg;
    } catch (e) {
      this.fail(e);
      return '';
    } finally {
      this.exportBtn.disabled = false;
    }
  }

  /** exported is the last replay exported ('' before one). */
  get exported(): string {
    return this.lastExport;
  }

  private fail(e: unknown): void {
    this.error.textContent = e instanceof Error ? e.message : String(e);
    this.error.hidden = false;
  }
}

/** describe says what a version is: its kind, when, and who drew since the one before. */
function describe(v: Version): string {
  const when = new Date(v.time);
  const time = Number.isNaN(when.getTime()) ? v.time : when.toLocaleString();
  const who = v.authors.map((a) => a.name || `#${a.author}`).join(', ');
  const kind = v.kind === 'clear' ? 'before a clear' : v.kind === 'removal' ? 'before a removal' : 'checkpoint';
  return `op ${v.seq} (${kind}), ${time}` + (who ? ` by ${who}` : '');
}
