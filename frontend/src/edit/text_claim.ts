// Who keeps a text two people opened at the same moment. Claims (Editing,
// Editors: PROTOCOL.md) are advisory and cross on the wire: each page sees
// the other's claim only after making its own. Every page applies the same
// rule to what it hears, so exactly one of them goes on typing without a
// word between them: the lowest author id keeps the text, and a page that
// holds a claim yields it as soon as it learns of a lower one.

import type { StrokeId } from '../protocol/types';

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
