// Text layout (PROTOCOL.md "Text layout"): where a text's lines break and
// how big its box is, in integers from the text font's advance table
// (text_metrics.ts, generated from the font the server measures with), so
// that every page and the server's SVG agree to the unit. The twin of
// canvas/textlayout.go; canvas/testdata/text_layout.json pins both. Pure.

import { ADVANCE_RUNS, ASCENT, DESCENT, FALLBACK_ADVANCE, UNITS_PER_EM } from './text_metrics';

let advances: Map<number, number> | null = null;

function advanceTable(): Map<number, number> {
  if (advances) return advances;
  advances = new Map();
  for (let i = 0; i < ADVANCE_RUNS.length; ) {
    const first = ADVANCE_RUNS[i];
    const n = ADVANCE_RUNS[i + 1];
    for (let k = 0; k < n; k++) advances.set(first + k, ADVANCE_RUNS[i + 2 + k]);
    i += 2 + n;
  }
  return advances;
}

/** advance returns a code point's advance in font units. */
export function advance(cp: number): number {
  return advanceTable().get(cp) ?? FALLBACK_ADVANCE;
}

/** TextLine is one laid-out line: its characters (trailing spaces included) and its width in font units without them. */
export interface TextLine {
  readonly text: string;
  readonly units: number;
}

/**
 * layoutText breaks text into lines: at every "\n", and, when wrap > 0,
 * wherever the next character would take the line wider than wrap board
 * units at font size `size`: before the word that does not fit (the spaces
 * before it hang at the line's end and count for nothing), or, for a word
 * wider than wrap alone, before the character that does not fit. A line
 * always keeps its first character.
 */
export function layoutText(text: string, size: number, wrap: number): TextLine[] {
  const lines: TextLine[] = [];
  for (const para of text.split('\n')) wrapParagraph(lines, Array.from(para), size, wrap);
  return lines;
}

function wrapParagraph(lines: TextLine[], rs: string[], size: number, wrap: number): void {
  const adv = rs.map((c) => advance(c.codePointAt(0)!));
  const emit = (start: number, end: number): void => {
    let last = end;
    while (last > start && rs[last - 1] === ' ') last--;
    let u = 0;
    for (let k = start; k < last; k++) u += adv[k];
    lines.push({ text: rs.slice(start, end).join(''), units: u });
  };
  const limit = wrap * UNITS_PER_EM;
  let start = 0;
  let word = 0;
  let w = 0;
  for (let j = 0; j < rs.length; j++) {
    const c = rs[j];
    const a = adv[j];
    if (c !== ' ' && j > start && rs[j - 1] === ' ') word = j;
    while (wrap > 0 && c !== ' ' && j > start && (w + a) * size > limit) {
      if (word > start) {
        emit(start, word);
        start = word;
      } else {
        emit(start, j);
        start = j;
      }
      w = 0;
      for (let k = start; k < j; k++) w += adv[k];
    }
    w += a;
  }
  emit(start, rs.length);
}

/** textSize returns a text's box size in board units: the widest line and the lines' height, each rounded up. */
export function textSize(text: string, size: number, wrap: number): { w: number; h: number; lines: TextLine[] } {
  const lines = layoutText(text, size, wrap);
  let widest = 0;
  for (const l of lines) widest = Math.max(widest, l.units);
  return {
    w: Math.floor((widest * size + UNITS_PER_EM - 1) / UNITS_PER_EM),
    h: Math.floor((lines.length * 5 * size + 3) / 4),
    lines,
  };
}

/** TEXT_LINE_HEIGHT is the line height, in font sizes. */
export const TEXT_LINE_HEIGHT = 1.25;

/** textBaseline returns how far below a text's top line i's baseline is: the font's ascent and descent centred in the line. */
export function textBaseline(size: number, i: number): number {
  return i * TEXT_LINE_HEIGHT * size + (TEXT_LINE_HEIGHT * size - ((ASCENT + DESCENT) * size) / UNITS_PER_EM) / 2 + (ASCENT * size) / UNITS_PER_EM;
}
