// The committed strokes, worked out again only when what decides them
// changed: the renderer asks every frame, and on a board of 100,000
// strokes a walk over it costs more than the rest of a pan's frame.
// Points added to an open stroke do not change them (open strokes are
// drawn on top, not committed), so a board busy with others' drawing keeps
// its list until a stroke ends.

import type { Effect, Stroke } from '../protocol/board';
import { committedStrokes, type ShownState } from './shown';

export class CommittedCache {
  /** Bumped by every board change that can change the committed strokes. */
  private gen = 0;
  private key: readonly unknown[] = [];
  private value: Stroke[] = [];

  /** boardChanged notes an apply (e) or, without one, a board replaced, a welcome or a reset. */
  boardChanged(e?: Effect): void {
    if (e && (e.kind === 'none' || e.kind === 'begin' || e.kind === 'points')) return;
    this.gen++;
  }

  /** get returns the committed strokes of st (the same array while nothing that decides them changed). */
  get(st: ShownState): Stroke[] {
    const p = st.pending;
    const k = [st.board, this.gen, st.me, p, st.locals, st.locals.length, st.localByN.size, st.erasing, st.erasing?.size ?? 0, st.editingKey, st.solo ?? 0];
    if (k.length !== this.key.length || k.some((x, i) => x !== this.key[i])) {
      this.key = k;
      this.value = committedStrokes(st);
    }
    return this.value;
  }
}
