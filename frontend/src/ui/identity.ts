// Who this person is on the board: a friendly default name ("Swift Otter")
// and a color, chosen at random once. Pure; ui/prefs.ts remembers them.

import { MAX_NAME_BYTES } from '../protocol/types';

const ADJECTIVES = [
  'Swift', 'Brave', 'Calm', 'Clever', 'Bright', 'Gentle', 'Happy', 'Jolly', 'Kind', 'Lucky',
  'Merry', 'Nimble', 'Quiet', 'Quick', 'Sunny', 'Witty', 'Bold', 'Cosy', 'Eager', 'Fuzzy',
];

const ANIMALS = [
  'Otter', 'Fox', 'Heron', 'Panda', 'Koala', 'Lynx', 'Badger', 'Owl', 'Robin', 'Seal',
  'Tiger', 'Whale', 'Zebra', 'Falcon', 'Gecko', 'Hare', 'Ibis', 'Moose', 'Newt', 'Puffin',
];

/** PERSON_COLORS are the colors people get (RGBA), distinct on a white board. */
export const PERSON_COLORS: readonly number[] = [
  0xe6194bff, 0x3cb44bff, 0x4363d8ff, 0xf58231ff, 0x911eb4ff, 0x42d4f4ff,
  0xf032e6ff, 0x469990ff, 0x9a6324ff, 0x800000ff, 0x808000ff, 0x000075ff,
];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.min(list.length - 1, Math.floor(random() * list.length))];
}

/** randomName returns a friendly name such as "Swift Otter". */
export function randomName(random: () => number): string {
  return pick(ADJECTIVES, random) + ' ' + pick(ANIMALS, random);
}

/** randomPersonColor returns one of PERSON_COLORS. */
export function randomPersonColor(random: () => number): number {
  return pick(PERSON_COLORS, random);
}

/**
 * cleanName trims a name, folds runs of white space and cuts it to the
 * protocol's 64 bytes of UTF-8 without splitting a character (a grapheme
 * where the platform can tell). It returns '' for a name with nothing left.
 */
export function cleanName(name: string): string {
  const s = name.replace(/\s+/g, ' ').trim();
  const enc = new TextEncoder();
  if (enc.encode(s).length <= MAX_NAME_BYTES) return s;
  let out = '';
  let bytes = 0;
  for (const g of graphemes(s)) {
    const n = enc.encode(g).length;
    if (bytes + n > MAX_NAME_BYTES) break;
    out += g;
    bytes += n;
  }
  return out.trim();
}

function graphemes(s: string): string[] {
  const Seg = (Intl as { Segmenter?: new (l?: string, o?: { granularity: 'grapheme' }) => { segment(s: string): Iterable<{ segment: string }> } }).Segmenter;
  if (Seg) return Array.from(new Seg(undefined, { granularity: 'grapheme' }).segment(s), (x) => x.segment);
  return Array.from(s);
}
