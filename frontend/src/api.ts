// window.sketchpad: what the end-to-end tests (Go driving headless Chromium)
// read from the page.

import type { Editor } from './edit/editor';
import type { ConnState } from './net/connection';
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
  /** Ops in the outbox the room has not acknowledged. */
  pendingOps(): number;
  /** The room has paused drawing: its storage is unreachable (Notice 1, until Notice 2 or a new Welcome). */
  paused(): boolean;
  /** What the connection indicator says. */
  statusText(): string;
}

declare global {
  interface Window {
    sketchpad: SketchpadAPI;
  }
}

export function makeAPI(editor: Editor, state: () => ConnState): SketchpadAPI {
  return {
    status: () => {
      const s = state().state;
      return s === 'live' ? 'live' : s === 'connecting' ? 'connecting' : 'offline';
    },
    seq: () => editor.board.seq,
    author: () => editor.sync.author,
    boardHex: () => toHex(encodeBoard(editor.board)),
    pendingOps: () => editor.sync.outbox.length,
    paused: () => editor.sync.paused,
    statusText: () => document.querySelector('[data-testid="status"]')?.textContent ?? '',
  };
}
