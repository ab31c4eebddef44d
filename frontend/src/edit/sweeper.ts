// Sweeper: the board-wide steps of an editor (PROTOCOL.md "Sweeps"): a
// clear, anyone's undo of a clear, and a moderator's removal of one
// person's work. Each is one op named by a number from our own stroke
// count, so our undo (or anyone's undoSweep) names exactly what it hid.

import type { Op } from '../protocol/types';
import { SELF, type Action } from './history';

/** SweeperDeps is what a Sweeper needs of its editor. */
export interface SweeperDeps {
  readonly readOnly: () => boolean;
  /** me is our author id (0 before the room's Welcome). */
  readonly me: () => number;
  readonly endGestures: () => void;
  readonly newStroke: () => number;
  readonly push: (op: Op) => void;
  readonly record: (a: Action) => void;
  readonly dropSelection: () => void;
  readonly changed: () => void;
}

export class Sweeper {
  constructor(private readonly d: SweeperDeps) {}

  /**
   * clear hides every stroke, for everyone, as one undo step: it is a
   * sweep named by a number of ours, so our undo, or anyone's undoSweep,
   * shows exactly those strokes again. It returns the sweep's number (0
   * when this page cannot draw).
   */
  clear(): number {
    const d = this.d;
    if (d.readOnly()) return 0;
    d.endGestures();
    const n = d.newStroke();
    d.push({ type: 'clear', n });
    d.dropSelection();
    d.record({ kind: 'clear', n });
    d.changed();
    return n;
  }

  /** undoSweep undoes someone's clear (by: their author id) or, for a moderator, a removal. */
  undoSweep(by: number, n: number): boolean {
    const d = this.d;
    if (d.readOnly() || n === 0) return false;
    d.endGestures();
    d.push({ type: 'unsweep', by: by === d.me() ? SELF : by, n });
    d.changed();
    return true;
  }

  /**
   * removeAuthor hides everything author put on the board after seq since
   * (0: all of it), as one undo step: a moderator's sweep. The room refuses
   * it from a page that is not a moderator's.
   */
  removeAuthor(author: number, since = 0): number {
    const d = this.d;
    if (d.readOnly()) return 0;
    d.endGestures();
    const n = d.newStroke();
    d.push({ type: 'remove', n, author, since });
    d.record({ kind: 'remove', n, author, since });
    d.changed();
    return n;
  }
}
