// People's colors on one board: distinct where possible, and a viewer's
// marked as such. Pure.
//
// The server passes a person's color through as the page sent it (Hello,
// Name), so both rules are kept by the pages themselves, with no change to
// the wire:
//   - A person whose color was not picked by hand gives way when someone
//     with a smaller author id has the same one, and takes the color fewest
//     people here have. The smallest author of a clash never moves, so two
//     pages that join at once settle in a step or two, never swap forever.
//   - A page that cannot draw (a view link, or one the server made
//     read-only) sends its color with alpha 0: a person's ink is never
//     transparent, so alpha 0 is free to mean "a viewer". Other pages show
//     the color opaque and mark the person as a viewer.

import { PERSON_COLORS } from './identity';

/** asViewer returns color marked as a viewer's (alpha 0). */
export function asViewer(color: number): number {
  return (color & 0xffffff00) >>> 0;
}

/** isViewer tells whether a presence color marks a viewer. */
export function isViewer(color: number): boolean {
  return (color & 0xff) === 0;
}

/** opaque returns the color to show for a presence color (a viewer's made opaque). */
export function opaque(color: number): number {
  return (color | 0xff) >>> 0;
}

/**
 * leastUsedColor returns the palette color the fewest of taken share
 * (alpha ignored); ties go to the first in the palette.
 */
export function leastUsedColor(taken: Iterable<number>, palette: readonly number[] = PERSON_COLORS): number {
  const uses = new Map<number, number>();
  for (const c of taken) uses.set(opaque(c), (uses.get(opaque(c)) ?? 0) + 1);
  let best = palette[0];
  let fewest = Infinity;
  for (const c of palette) {
    const n = uses.get(c) ?? 0;
    if (n < fewest) {
      best = c;
      fewest = n;
    }
  }
  return best;
}

/**
 * giveWay returns the color this person (author me, color mine) moves to
 * because someone with a smaller author id already shows it, or null to
 * keep mine. others maps the other people's authors to their colors.
 */
export function giveWay(me: number, mine: number, others: ReadonlyMap<number, number>): number | null {
  if (me === 0) return null;
  let clash = false;
  for (const [a, c] of others) if (a < me && opaque(c) === opaque(mine)) clash = true;
  if (!clash) return null;
  return leastUsedColor([...others].filter(([a]) => a !== me).map(([, c]) => c));
}
