// What a board holds: its strokes, what it remembers of each author, and
// what one apply changed (the Effect its users redraw from). Types only,
// beside the board model (board.ts) that makes and changes them.

import type { Point } from './types';

/** Stroke is a stroke on the board, with absolute points. Read it, never change it. */
export interface Stroke {
  readonly author: number;
  readonly stroke: number;
  readonly tool: number;
  /** The Begin carried pressure. */
  readonly pressure: boolean;
  /** Erased (and not restored). */
  readonly hidden: boolean;
  /** A filled shape. */
  readonly filled: boolean;
  readonly color: number;
  /** The width, or a text's font size. */
  readonly width: number;
  /** Freehand: its path; a shape: its two corners; a text: its top-left corner. */
  readonly points: readonly Point[];
  /** A text's text, an image's hash (64 hex digits); '' for other tools. */
  readonly text: string;
  /** A text's wrap width in board units; absent or 0: its lines break only at newlines. */
  readonly wrap?: number;
  /** The sequence number of the op that put it on the board (0: before version 4): when, in the board's history. */
  readonly seq: number;
  /** The sweep (a clear or a removal) that hides it: (sweptBy, sweptN); sweptN 0 when none. */
  readonly sweptBy: number;
  readonly sweptN: number;
  /** The sweep was a moderator's removal. */
  readonly removed: boolean;
  /** Its rotation in 1/100 degree about its center (rotate.ts); absent or 0: not turned. */
  readonly rot?: number;
}

/** isVisible reports whether s is drawn: neither erased nor swept. */
export function isVisible(s: Stroke): boolean {
  return !s.hidden && s.sweptN === 0;
}

/** MutableStroke is a Stroke as the board holds it (board.ts alone changes it). */
export interface MutableStroke {
  author: number;
  stroke: number;
  tool: number;
  pressure: boolean;
  hidden: boolean;
  filled: boolean;
  color: number;
  width: number;
  points: Point[];
  text: string;
  wrap?: number;
  seq: number;
  sweptBy: number;
  sweptN: number;
  removed: boolean;
  rot?: number;
}

/** AuthorState is what the board remembers of one author. */
export interface AuthorState {
  /** Ops of this author applied: the index its next op must have. */
  readonly applied: number;
  /** The author's open stroke number, 0 when none. */
  readonly open: number;
}

/** MutableAuthor is an AuthorState as the board holds it. */
export interface MutableAuthor {
  applied: number;
  open: number;
}

/** Effect says what one apply changed, for whoever draws the board. */
export type Effect =
  | { readonly kind: 'none' }
  | { readonly kind: 'begin'; readonly stroke: Stroke }
  | { readonly kind: 'points'; readonly stroke: Stroke; readonly from: number }
  | { readonly kind: 'end'; readonly stroke: Stroke }
  | { readonly kind: 'visibility'; readonly strokes: readonly Stroke[] }
  /** Everything may have changed: version 3's clear, or a purge that dropped strokes. */
  | { readonly kind: 'clear' }
  /** A sweep hid strokes, or its undo showed them again (by: who swept, n: the sweep's number). */
  | { readonly kind: 'sweep'; readonly op: 'clear' | 'remove' | 'unsweep'; readonly by: number; readonly n: number; readonly strokes: readonly Stroke[] }
  /** A Shape or Text added a stroke on top. */
  | { readonly kind: 'add'; readonly stroke: Stroke }
  /** Strokes were replaced (a Shape or Text changed one; a Move, Restyle or Order changed some). */
  | { readonly kind: 'replace'; readonly before: readonly Stroke[]; readonly after: readonly Stroke[] };
