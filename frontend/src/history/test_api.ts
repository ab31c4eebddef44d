// window.sketchpadHistory: what the end-to-end tests read from the history
// panel, beside window.sketchpad (api.ts).

export interface HistoryTestAPI {
  /** The panel is open. */
  open(): boolean;
  /** The sequence number the panel shows the board at (0 when closed). */
  seq(): number;
  /** The board's head when the panel opened. */
  head(): number;
  /** How many strokes the board shows at that point. */
  shown(): number;
  /** The timelapse is playing. */
  playing(): boolean;
  /** The last replay exported as an animated SVG ('' before one). */
  exported(): string;
}

declare global {
  interface Window {
    sketchpadHistory: HistoryTestAPI;
  }
}

/** HistoryReadout is what the tests read of the history panel (history_panel.ts, or history_lazy.ts before it is loaded). */
export interface HistoryReadout {
  readonly open: boolean;
  readonly seq: number;
  readonly lastHead: number;
  readonly playing: boolean;
  readonly exported: string;
  shownStrokes(): number;
}

export function exposeHistory(p: HistoryReadout): void {
  window.sketchpadHistory = {
    open: () => p.open,
    seq: () => (p.open ? p.seq : 0),
    head: () => p.lastHead,
    shown: () => p.shownStrokes(),
    playing: () => p.playing,
    exported: () => p.exported,
  };
}
