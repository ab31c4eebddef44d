// What the page remembers in localStorage: name, person color, pen color and
// width. Storage may be missing or refuse (private modes): then nothing is
// remembered and everything still works.

import { PERSON_COLORS, cleanName, randomName, randomPersonColor } from './identity';

const KEY = 'sketchpad.prefs.v1';

export interface Prefs {
  readonly name: string;
  readonly color: number;
  readonly penColor: number;
  readonly penWidth: number;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** loadPrefs returns the remembered prefs, filling what is missing (and remembering it). */
export function loadPrefs(defaults: { penColor: number; penWidth: number }, random: () => number = Math.random): Prefs {
  let saved: Partial<Prefs> = {};
  try {
    const raw = storage()?.getItem(KEY);
    if (raw) saved = JSON.parse(raw) as Partial<Prefs>;
  } catch {
    saved = {};
  }
  const name = typeof saved.name === 'string' && cleanName(saved.name) ? cleanName(saved.name) : randomName(random);
  const color = isColor(saved.color) && PERSON_COLORS.includes(saved.color) ? saved.color : randomPersonColor(random);
  const penColor = isColor(saved.penColor) ? saved.penColor : defaults.penColor;
  const penWidth = typeof saved.penWidth === 'number' && saved.penWidth >= 1 && saved.penWidth <= 4096 ? Math.round(saved.penWidth) : defaults.penWidth;
  const p: Prefs = { name, color, penColor, penWidth };
  savePrefs(p);
  return p;
}

/** savePrefs remembers p. */
export function savePrefs(p: Prefs): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(p));
  } catch {
    // storage full or refused: not remembered, nothing else lost
  }
}

function isColor(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
