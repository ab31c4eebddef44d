// A board's past as the history panel walks it: the board at some
// sequence number, and the steps that take it on, read from the server's
// history/ops answers (server messages, PROTOCOL.md). A Snapshot among
// them stands for the op at its sequence number (the server sends the
// checkpoint in place of an op it cannot read on its own): applying it is
// "the board is now this". Pure: no DOM, no network.

import type { Board, Effect } from '../protocol/board';
import type { ServerMsg } from '../protocol/server';
import { decodeBoard, encodeBoard } from '../protocol/snapshot';
import type { Op } from '../protocol/types';

/** Step takes the board one sequence number on: an op, or the board at that number. */
export type Step = { readonly kind: 'op'; readonly seq: number; readonly author: number; readonly op: Op } | { readonly kind: 'board'; readonly seq: number; readonly board: Board };

/** Stretch is one history/ops answer: the board it starts from (at=), if asked, and the steps after it. */
export interface Stretch {
  readonly base: Board | null;
  readonly steps: readonly Step[];
}

/**
 * stretchOf reads a history/ops answer. With at (the board asked for) the
 * first Snapshot at that number is the base; every later one is a step.
 */
export function stretchOf(msgs: readonly ServerMsg[], at: number | null): Stretch {
  let base: Board | null = null;
  const steps: Step[] = [];
  for (const m of msgs) {
    if (m.type === 'snapshot') {
      if (at !== null && base === null && steps.length === 0 && m.board.seq === at) base = m.board;
      else steps.push({ kind: 'board', seq: m.board.seq, board: m.board });
    } else if (m.type === 'ops') {
      m.ops.forEach((o, i) => steps.push({ kind: 'op', seq: m.firstSeq + i, author: o.author, op: o.op }));
    }
  }
  return { base, steps };
}

/** copyBoard returns a board of its own equal to b (steps never change a board they carry). */
export function copyBoard(b: Board): Board {
  return decodeBoard(encodeBoard(b));
}

/** Applied is what one step did: the op's effect, or the board a Snapshot put in place. */
export type Applied = { readonly kind: 'op'; readonly op: Op; readonly effect: Effect } | { readonly kind: 'board'; readonly before: Board };

/** Timeline is the board at one point of its past, taken on step by step. */
export class Timeline {
  private b: Board;

  constructor(board: Board) {
    this.b = board;
  }

  get board(): Board {
    return this.b;
  }

  get seq(): number {
    return this.b.seq;
  }

  /** apply takes the board on by s, which must be the step after it. */
  apply(s: Step): Applied {
    if (s.seq !== this.b.seq + 1) throw new Error(`history: step ${s.seq} after ${this.b.seq}`);
    if (s.kind === 'board') {
      const before = this.b;
      this.b = copyBoard(s.board);
      return { kind: 'board', before };
    }
    return { kind: 'op', op: s.op, effect: this.b.apply(s.author, s.op) };
  }
}

/**
 * isStrokeStep says whether what a step did is one step of a timelapse,
 * which goes stroke by stroke: a stroke finished (End, a shape or a text
 * added or edited), strokes erased or brought back, moved, the board
 * cleared, or a checkpoint. The points of a stroke being drawn and the
 * frames of a shape being dragged come with the step that finishes them.
 */
export function isStrokeStep(a: Applied): boolean {
  if (a.kind === 'board') return true;
  switch (a.op.type) {
    case 'end':
      return a.effect.kind === 'end';
    case 'shape':
    case 'image':
      return a.effect.kind === 'add';
    case 'text':
    case 'erase':
    case 'restore':
    case 'move':
    case 'clear':
    case 'unsweep':
    case 'remove':
      return a.effect.kind !== 'none' && !(a.effect.kind === 'sweep' && a.effect.strokes.length === 0);
    default:
      return false;
  }
}
