// What each tool draws with: a color, an opacity, a width (a font size for
// text), and whether shapes are filled. Pure; ui/prefs remembers it.

import type { ToolName } from '../input/shortcuts';
import { shownParts } from '../edit/arrange_ops';
import { PART_ALPHA, PART_FILL, PART_RGB, PART_WIDTH } from '../protocol/types';

/** StyleKey groups the tools that share a style. */
export type StyleKey = 'pen' | 'highlighter' | 'partial-eraser' | 'shape' | 'text';

export const STYLE_KEYS: readonly StyleKey[] = ['pen', 'highlighter', 'partial-eraser', 'shape', 'text'];

/** styleKey returns the style a tool draws with, or null (select, hand, stroke eraser). */
export function styleKey(t: ToolName): StyleKey | null {
  switch (t) {
    case 'pen':
    case 'highlighter':
    case 'partial-eraser':
    case 'text':
      return t;
    case 'line':
    case 'arrow':
    case 'rect':
    case 'ellipse':
      return 'shape';
    default:
      return null;
  }
}

/** strokeStyleKey returns the style a stroke of tool byte t was drawn with. */
export function strokeStyleKey(t: number): StyleKey {
  return t === 0 ? 'pen' : t === 1 ? 'highlighter' : t === 2 ? 'partial-eraser' : t === 7 ? 'text' : 'shape';
}

/**
 * SIZES are the four widths (board units) the width buttons offer per style,
 * the buttons keep their names (width-8, width-16, width-32, width-64) for
 * every style: they are steps.
 */
export const SIZES: Readonly<Record<StyleKey, readonly number[]>> = {
  pen: [8, 16, 32, 64],
  highlighter: [32, 64, 96, 160],
  'partial-eraser': [32, 64, 128, 256],
  shape: [8, 16, 32, 64],
  text: [64, 96, 144, 224],
};

/** STEP_WIDTHS are the width buttons' names. */
export const STEP_WIDTHS: readonly number[] = [8, 16, 32, 64];

export interface Styles {
  /** Opaque colors (alpha 0xff) per style. */
  readonly colors: Readonly<Record<StyleKey, number>>;
  /** Alpha (0..255) per style. */
  readonly alphas: Readonly<Record<StyleKey, number>>;
  readonly widths: Readonly<Record<StyleKey, number>>;
  readonly filled: boolean;
}

export const DEFAULT_STYLES: Styles = {
  colors: { pen: 0x1e1e1eff, highlighter: 0xf2c200ff, 'partial-eraser': 0x000000ff, shape: 0x1e1e1eff, text: 0x1e1e1eff },
  alphas: { pen: 255, highlighter: 0x66, 'partial-eraser': 255, shape: 255, text: 255 },
  widths: { pen: 16, highlighter: 64, 'partial-eraser': 64, shape: 16, text: 96 },
  filled: false,
};

/** withAlpha returns color (RGBA) with its alpha byte replaced. */
export function withAlpha(color: number, alpha: number): number {
  return ((color & 0xffffff00) | (Math.max(0, Math.min(255, Math.round(alpha))) & 0xff)) >>> 0;
}

/** INK_KEYS share one color: the pen, shapes and text (the highlighter keeps its own). */
export const INK_KEYS: readonly StyleKey[] = ['pen', 'shape', 'text'];

/** withColor returns colors with c (made opaque) set for k, and for every ink style when k is one. */
export function withColor(colors: Readonly<Record<StyleKey, number>>, k: StyleKey, c: number): Record<StyleKey, number> {
  const out = { ...colors };
  for (const key of INK_KEYS.includes(k) ? INK_KEYS : [k]) out[key] = withAlpha(c, 255);
  return out;
}

/** drawColor returns the RGBA color the style draws with. */
export function drawColor(s: Styles, k: StyleKey): number {
  return withAlpha(s.colors[k], s.alphas[k]);
}

/** cleanStyles fills what is missing or wrong in styles read from storage with defaults. */
export function cleanStyles(v: unknown): Styles {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<Record<keyof Styles, unknown>>;
  const pick = (field: 'colors' | 'alphas' | 'widths', ok: (x: unknown) => x is number): Record<StyleKey, number> => {
    const src = (typeof o[field] === 'object' && o[field] !== null ? o[field] : {}) as Record<string, unknown>;
    const out = { ...DEFAULT_STYLES[field] };
    for (const k of STYLE_KEYS) {
      const x = src[k];
      if (ok(x)) out[k] = x;
    }
    return out;
  };
  const isColor = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
  const isAlpha = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 255;
  const isWidth = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 4096;
  const colors = pick('colors', isColor);
  for (const k of STYLE_KEYS) colors[k] = withAlpha(colors[k], 255);
  return { colors, alphas: pick('alphas', isAlpha), widths: pick('widths', isWidth), filled: o.filled === true };
}

/** styleParts is what the style menu offers for a style (null: a tool without one). */
export function styleParts(key: StyleKey | null): { color: boolean; opacity: boolean; width: boolean; fill: boolean } {
  return {
    color: key !== null && key !== 'partial-eraser',
    opacity: key !== null && key !== 'partial-eraser',
    width: key !== null,
    fill: key === 'shape',
  };
}

/** StyleParts says which parts of a style the style menu offers. */
export type StyleParts = ReturnType<typeof styleParts>;

/**
 * selectionParts is what the style menu offers for selected strokes of
 * these tool bytes (PROTOCOL.md tools): each part that shows on at least
 * one of them (edit/arrange_ops shownParts), as a restyle changes only the
 * strokes a part shows on. A partial eraser's stroke has a width only; an
 * image has an opacity only (it paints with its alpha: no color, no
 * width); fill is for rectangles and ellipses.
 */
export function selectionParts(tools: readonly number[]): StyleParts {
  let parts = 0;
  for (const t of tools) parts |= shownParts(t);
  return { color: (parts & PART_RGB) !== 0, opacity: (parts & PART_ALPHA) !== 0, width: (parts & PART_WIDTH) !== 0, fill: (parts & PART_FILL) !== 0 };
}
