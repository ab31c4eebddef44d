// What the page remembers in localStorage: name, person color (and whether
// the person picked it: a picked color is kept; else it is the last color
// the server handed out, which the page asks for again), and how each
// tool draws (color, opacity, width, fill; the pen's color and width also as
// penColor and penWidth, as before). Storage may be missing or refuse
// (private modes): then nothing is remembered and everything still works.

import { PERSON_COLORS, cleanName, randomName, randomPersonColor } from './identity';
import { cleanStyles, type Styles } from './style';

const KEY = 'sketchpad.prefs.v1';

export type Theme = 'light' | 'dark';

/**
 * Folds are the panels this person folded or unfolded by hand (true:
 * folded); a panel not in it starts as the screen's size suggests.
 */
export interface Folds {
  readonly people?: boolean;
  readonly map?: boolean;
}

export interface Prefs {
  readonly name: string;
  readonly color: number;
  /** The person picked color by hand (ui/person_color: kept; else the server hands one out, preferring color). */
  readonly colorPicked: boolean;
  readonly penColor: number;
  readonly penWidth: number;
  readonly styles: Styles;
  /** The theme chosen with the toggle; null follows the system (prefers-color-scheme). */
  readonly theme: Theme | null;
  readonly folds: Folds;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** loadPrefs returns the remembered prefs, filling what is missing (and remembering it). */
export function loadPrefs(random: () => number = Math.random): Prefs {
  let saved: Partial<Record<keyof Prefs, unknown>> = {};
  try {
    const raw = storage()?.getItem(KEY);
    if (raw) saved = JSON.parse(raw) as Partial<Record<keyof Prefs, unknown>>;
  } catch {
    saved = {};
  }
  const name = typeof saved.name === 'string' && cleanName(saved.name) ? cleanName(saved.name) : randomName(random);
  const known = isColor(saved.color) && PERSON_COLORS.includes(saved.color);
  const color = known ? (saved.color as number) : randomPersonColor(random);
  const colorPicked = known && saved.colorPicked === true;
  let styles = cleanStyles(saved.styles);
  // Prefs from before styles: the pen's color and width.
  if (saved.styles === undefined) {
    if (isColor(saved.penColor)) styles = { ...styles, colors: { ...styles.colors, pen: (saved.penColor | 0xff) >>> 0 } };
    const w = saved.penWidth;
    if (typeof w === 'number' && Number.isInteger(w) && w >= 1 && w <= 4096) styles = { ...styles, widths: { ...styles.widths, pen: w } };
  }
  const theme = saved.theme === 'light' || saved.theme === 'dark' ? saved.theme : null;
  const folds = cleanFolds(saved.folds);
  const p: Prefs = { name, color, colorPicked, penColor: styles.colors.pen, penWidth: styles.widths.pen, styles, theme, folds };
  savePrefs(p);
  return p;
}

/** savePrefs remembers p. */
export function savePrefs(p: Prefs): void {
  try {
    const q: Prefs = { ...p, penColor: p.styles.colors.pen, penWidth: p.styles.widths.pen };
    storage()?.setItem(KEY, JSON.stringify(q));
  } catch {
    // storage full or refused: not remembered, nothing else lost
  }
}

function cleanFolds(v: unknown): Folds {
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  return {
    ...(typeof o.people === 'boolean' ? { people: o.people } : {}),
    ...(typeof o.map === 'boolean' ? { map: o.map } : {}),
  };
}

function isColor(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
