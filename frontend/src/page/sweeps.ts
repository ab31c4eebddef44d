// What the page says when a sweep lands (PROTOCOL.md "Sweeps"): who
// cleared the board or removed someone's work, with an Undo right there
// for whoever may undo it (anyone who can draw, for a clear; a moderator,
// for a removal). A viewer is told, without the Undo. Our own sweeps are
// undone with Ctrl/⌘+Z like any other step; the toast offers it too.

import type { Editor } from '../edit/editor';
import type { Effect } from '../protocol/board';
import type { Toast } from '../ui/toast';

export interface SweepDeps {
  readonly editor: Editor;
  readonly toast: Toast;
  /** A person's name (undefined: not on the board now). */
  name(author: number): string | undefined;
  readOnly(): boolean;
  moderator(): boolean;
}

export class SweepNotes {
  /** The last clear applied, for undoClear (null: none, or undone). */
  private lastClear: { by: number; n: number } | null = null;

  constructor(private readonly d: SweepDeps) {}

  /** undoClear undoes the last clear made on the board (by anyone), if it can be. */
  undoClear(): boolean {
    const c = this.lastClear;
    if (!c || this.d.readOnly()) return false;
    return this.d.editor.sweeps.undoSweep(c.by, c.n);
  }

  /** seen follows every sweep, live or replayed, for undoClear. */
  seen(e: Effect): void {
    if (e.kind !== 'sweep') return;
    if (e.op === 'clear') this.lastClear = { by: e.by, n: e.n };
    else if (e.op === 'unsweep' && this.lastClear?.by === e.by && this.lastClear.n === e.n) this.lastClear = null;
  }

  /** applied looks at an op applied live (not a replay while joining). */
  applied(e: Effect, author: number): void {
    if (e.kind !== 'sweep') return;
    const { editor, toast } = this.d;
    const mine = author === editor.sync.author;
    const who = mine ? 'You' : (this.d.name(author) ?? 'Someone');
    const undo = (label = 'Undo') => ({ label, run: () => editor.sweeps.undoSweep(e.by, e.n) });
    switch (e.op) {
      case 'clear':
        toast.show(`${who} cleared the board`, this.d.readOnly() ? null : undo());
        break;
      case 'remove': {
        const whose = e.strokes.length ? e.strokes[0].author : 0;
        const them = whose === editor.sync.author ? 'your' : `${this.d.name(whose) ?? 'someone'}'s`;
        const n = e.strokes.length;
        toast.show(`${who} removed ${them} work (${n} ${n === 1 ? 'stroke' : 'strokes'})`, this.d.moderator() && !this.d.readOnly() ? undo() : null);
        break;
      }
      case 'unsweep':
        if (e.strokes.length && !mine) toast.show(`${who} brought back ${e.strokes.length === 1 ? 'a stroke' : `${e.strokes.length} strokes`}`, null, 5000);
        else if (mine) toast.hide();
        break;
    }
  }
}
