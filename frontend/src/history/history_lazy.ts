// The history panel as the page holds it from its start: the toolbar's
// button, at once; the panel itself (history_panel.ts: the slider, the
// timelapse, the replay's export, a renderer of its own) is loaded when
// the panel first opens (later.ts). Most visits never open it, and
// a phone's start should not parse, run or lay it out. Until then the
// panel is closed, which is all the page asks of it.

import type { HistoryDeps, HistoryPanel } from './history_panel';
import type { HistoryReadout } from './test_api';
import { historyButton } from './history_button';

export class LazyHistoryPanel implements HistoryReadout {
  /** Where the panel goes when made (it takes this element's place). */
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private panel: HistoryPanel | null = null;
  private loading: Promise<HistoryPanel> | null = null;

  constructor(private readonly d: HistoryDeps) {
    this.button = historyButton();
    this.button.addEventListener('click', () => this.toggle());
    this.el = document.createElement('div');
    this.el.hidden = true;
  }

  /** load makes the panel, once: its code is fetched on the first call (offline, from the service worker's cache). */
  load(): Promise<HistoryPanel> {
    this.loading ??= import('../later').then(({ HistoryPanel }) => {
      const p = new HistoryPanel(this.d, this.button);
      this.el.replaceWith(p.el);
      this.panel = p;
      return p;
    });
    return this.loading;
  }

  get open(): boolean {
    return this.panel?.open ?? false;
  }

  get seq(): number {
    return this.panel?.seq ?? 0;
  }

  get lastHead(): number {
    return this.panel?.lastHead ?? 0;
  }

  get playing(): boolean {
    return this.panel?.playing ?? false;
  }

  get exported(): string {
    return this.panel?.exported ?? '';
  }

  shownStrokes(): number {
    return this.panel?.shownStrokes() ?? 0;
  }

  toggle(): void {
    if (this.panel) this.panel.toggle();
    else void this.show();
  }

  /** show opens the panel at the board's latest point (once its code is here). */
  async show(): Promise<void> {
    await (await this.load()).show();
  }

  close(): void {
    this.panel?.close();
  }

  /** headMoved: a closed panel ignores the live head (it reads it on opening). */
  headMoved(seq: number): void {
    this.panel?.headMoved(seq);
  }

  frame(): void {
    this.panel?.frame();
  }
}
