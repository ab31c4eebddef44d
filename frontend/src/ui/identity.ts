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

/**
 * PERSON_COLORS are the colors people get (RGBA): ten hues far apart, each
 * at least 3:1 against both the light panel (#fff) and the dark one
 * (#25282c), so a dot, a cursor and its white label read in both themes.
 * The server hands out the same list (canvas.PersonColors); the shared
 * test vectors (personColors) pin the two.
 */
export const PERSON_COLORS: readonly number[] = [
  0xe03131ff, 0xe8590cff, 0xa0682aff, 0x808000ff, 0x2f9e44ff,
  0x0c8599ff, 0x1c7ed6ff, 0x845ef7ff, 0xbe4bdbff, 0xd6336cff,
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
