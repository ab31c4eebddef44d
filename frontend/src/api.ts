// window.sketchpad: what the end-to-end tests (Go driving headless Chromium)
// read from the page.

import { isVisible } from './protocol/board';
import type { Editor } from './edit/editor';
import type { View } from './geometry/view';
import type { ConnState } from './net/connection';
import type { RenderStats } from './render/renderer';
import { toHex } from './protocol/bytes';
import { encodeBoard } from './protocol/snapshot';

export interface SketchpadAPI {
  /** 'connecting' | 'live' | 'offline' ('offline' also while the page asks for a reload). */
  status(): 'connecting' | 'live' | 'offline';
  /** The sequence number of the last op applied to the local board. */
  seq(): number;
  /** This client's author id, 0 before the first Welcome. */
  author(): number;
  /** Hex of the canonical snapshot encoding of the local board. */
  boardHex(): string;
  /** Hex of the SHA-256 of that encoding: a big board compared without moving megabytes of hex. */
  boardDigest(): Promise<string>;
  /** Ops in the outbox the room has not acknowledged. */
  pendingOps(): number;
  /** The room has paused drawing: its storage is unreachable (Notice 1, until Notice 2 or a new Welcome). */
  paused(): boolean;
  /** What the connection indicator says. */
  statusText(): string;
  /** Rendering counters: frames, the last full repaint of the committed layer (ms), and more. */
  renderStats(): RenderStats;
  /** This person's view: CSS pixels per board unit (scale), the board origin on the screen (x, y), zoom (1 = 100 %). */
  view(): { scale: number; x: number; y: number; zoom: number };
  /** setView moves this person's view (as a pan or zoom would; it stops following). */
  setView(v: { scale: number; x: number; y: number }): void;
  /**
   * A PNG (data URL) of the whole board ('board', the default: the drawing
   * and a margin) or of the visible area ('view'), at size 1, 2 or 3 PNG
   * pixels per CSS pixel (default: the screen's density).
   */
  exportPNG(scope?: 'board' | 'view', size?: number): Promise<string>;
  /** An SVG document of the whole board or the visible area, drawn as PROTOCOL.md "Rendering" says. */
  exportSVG(scope?: 'board' | 'view'): Promise<string>;
  /** The page cannot change the board (a view link /b/v.{id}): no drawing tools, no ops sent. */
  readOnly(): boolean;
  /** Strokes drawn now (neither erased nor swept by a clear or a removal). */
  visibleStrokes(): number;
  /** removeAuthor removes everything author put on the board after seq since (0: all), as a moderator does; it returns the sweep's number. */
  removeAuthor(author: number, since?: number): number;
  /** whoDrew says who drew stroke (author, n) and when, as hovering it does, or null. */
  whoDrew(author: number, n: number): string | null;
  /** How many strokes are selected. */
  selected(): number;
}

/** Hooks are what the API reads from the rest of the page. */
export interface APIHooks {
  readonly renderStats: () => RenderStats;
  readonly view: () => View;
  readonly setView: (v: View) => void;
  readonly exportPNG: (scope: 'board' | 'view', size?: number) => Promise<string>;
  readonly exportSVG: (scope: 'board' | 'view') => Promise<string>;
  readonly readOnly: () => boolean;
  readonly whoDrew: (author: number, n: number) => string | null;
}

declare global {
  interface Window {
    sketchpad: SketchpadAPI;
  }
}

export function makeAPI(editor: Editor, state: () => ConnState, hooks: APIHooks): SketchpadAPI {
  return {
    status: () => {
      const s = state().state;
      return s === 'live' ? 'live' : s === 'connecting' ? 'connecting' : 'offline';
    },
    seq: () => editor.board.seq,
    author: () => editor.sync.author,
    boardHex: () => toHex(encodeBoard(editor.board)),
    boardDigest: async () => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encodeBoard(editor.board) as Uint8Array<ArrayBuffer>))),
    visibleStrokes: () => editor.board.strokes.filter(isVisible).length,
    removeAuthor: (author, since = 0) => editor.sweeps.removeAuthor(author, since),
    whoDrew: (author, n) => hooks.whoDrew(author, n),
    pendingOps: () => editor.sync.outbox.length,
    paused: () => editor.sync.paused,
    statusText: () => document.querySelector('[data-testid="status"]')?.textContent ?? '',
    renderStats: () => hooks.renderStats(),
    view: () => {
      const v = hooks.view();
      return { scale: v.scale, x: v.x, y: v.y, zoom: v.scale * 4 };
    },
    setView: (v) => hooks.setView({ scale: v.scale, x: v.x, y: v.y }),
    exportPNG: (scope, size) =>
      Promise.resolve().then(() => hooks.exportPNG(scope === 'view' ? 'view' : 'board', size === 1 || size === 2 || size === 3 ? size : undefined)),
    exportSVG: (scope) => Promise.resolve().then(() => hooks.exportSVG(scope === 'view' ? 'view' : 'board')),
    readOnly: () => hooks.readOnly(),
    selected: () => editor.selection.length,
  };
}
