// Who keeps a text two people opened at the same moment. Claims (Editing,
// Editors: PROTOCOL.md) are advisory and cross on the wire: each page sees
// the other's claim only after making its own. Every page applies the same
// rule to what it hears, so exactly one of them goes on typing without a
// word between them: the lowest author id keeps the text, and a page that
// holds a claim yields it as soon as it learns of a lower one.

import type { StrokeId } from '../protocol/types';

/** ClaimSync is what a TextClaim needs of the SyncCore. */
export interface ClaimSync {
  readonly author: number;
  /** Our claim, board names ({0, 0}: none). */
  readonly claimed: StrokeId;
  setEditing(text: StrokeId): void;
  /** Who else claims which text, by author. */
  editing(): ReadonlyMap<number, StrokeId>;
}

/** TextClaim holds this page's claim on a text and gives it up by the rule (yieldTo). */
export class TextClaim {
  /** Closes the text field when our claim gives way (claim's onYield). */
  private onYield: (() => void) | null = null;

  /** sync is the page's SyncCore (made after us); unedit stops hiding the text being edited in place. */
  constructor(
    private readonly sync: () => ClaimSync,
    private readonly unedit: () => void,
  ) {}

  /** claim makes or drops our claim (id null: none; ours with author SELF); onYield is called, once, if it gives way. */
  claim(id: StrokeId | null, onYield?: () => void): void {
    this.onYield = id ? (onYield ?? null) : null;
    this.sync().setEditing(id ?? { author: 0, stroke: 0 });
    this.check();
  }

  /** check gives up our claim when someone with a lower author id claims the same text: on every Editors, and when we claim. */
  check(): void {
    const s = this.sync();
    if (!yieldTo(s.author, s.claimed, s.editing())) return;
    const f = this.onYield;
    this.onYield = null;
    if (f) f();
    // Whatever the field did, the claim is given up.
    if (s.claimed.stroke !== 0) {
      s.setEditing({ author: 0, stroke: 0 });
      this.unedit();
    }
  }
}

/**
 * yieldTo returns the person our claim on text mine (board names) gives
 * way to: the lowest author id among others claiming the same text, when
 * it is lower than ours (me); 0 when we keep it (or claim nothing).
 */
export function yieldTo(me: number, mine: StrokeId, others: ReadonlyMap<number, StrokeId>): number {
  if (mine.stroke === 0 || me === 0) return 0;
  let to = 0;
  for (const [who, id] of others) {
    if (who === me || id.author !== mine.author || id.stroke !== mine.stroke) continue;
    if (who < me && (to === 0 || who < to)) to = who;
  }
  return to;
}
