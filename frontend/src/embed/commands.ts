// The commands a host may send an embedded board: their arguments checked,
// then done through BoardControl (the page implements it). Pure.

import type { ToolName } from '../input/shortcuts';
import { TOOL_NAMES } from '../input/shortcuts';
import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import { MAX_WIDTH } from '../protocol/types';
import type { CommandMsg, Scope } from './messages';

/** parseColor reads '#rrggbb' (opaque) or '#rrggbbaa' as an RGBA u32 and whether it carried an alpha. */
export function parseColor(v: unknown): { rgba: number; alpha: boolean } | null {
  if (typeof v !== 'string') return null;
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v.trim());
  if (!m) return null;
  const rgb = parseInt(m[1], 16);
  const a = m[2] === undefined ? 0xff : parseInt(m[2], 16);
  return { rgba: ((rgb << 8) | a) >>> 0, alpha: m[2] !== undefined };
}

/** widthUnits turns setWidth's CSS pixels (at 100 %) into board units, or null when out of range. */
export function widthUnits(px: unknown): number | null {
  if (typeof px !== 'number' || !Number.isFinite(px)) return null;
  const units = Math.round(px * BOARD_UNITS_PER_PX);
  return units >= 1 && units <= MAX_WIDTH ? units : null;
}

/** BoardControl is what commands do on the page. */
export interface BoardControl {
  /** The page cannot change the board (a view token, readonly=1, or the server refused an op). */
  readOnly(): boolean;
  setTool(t: ToolName): void;
  /** The current tool's color (rgba is opaque unless alpha: then its alpha is the tool's opacity too). */
  setColor(rgba: number, alpha: boolean): void;
  /** The current tool's width, in board units. */
  setWidth(units: number): void;
  /** Restyles the selection (what is given of it); false when nothing changed. */
  restyleSelection(s: { readonly color: { rgba: number; alpha: boolean } | undefined; readonly units: number | undefined; readonly fill: boolean | undefined }): boolean;
  undo(): boolean;
  redo(): boolean;
  clear(): void;
  /** undoClear undoes the board's last clear, whoever made it; false when there is none to undo. */
  undoClear(): boolean;
  exportPNG(scope: Scope): string | Promise<string>;
  exportSVG(scope: Scope): string | Promise<string>;
  /** Uploads an image (its bytes, or a URL to fetch them from) and places it in the middle of the view; resolves to its item's number. */
  insertImage(src: Blob | string): Promise<number>;
  /** Opens or closes the history panel (history/): the board's past, read-only. */
  openHistory(): void;
  closeHistory(): void;
}

const VIEW_ONLY = 'the board is view-only here';

/** COMMANDS are the commands the board takes (embed.js has the same list). */
export const COMMANDS = ['setTool', 'setColor', 'setWidth', 'restyleSelection', 'undo', 'redo', 'clear', 'undoClear', 'exportPNG', 'exportSVG', 'insertImage', 'openHistory', 'closeHistory'] as const;

function scopeOf(v: unknown): Scope {
  if (v === undefined || v === null || v === 'board') return 'board';
  if (v === 'view') return 'view';
  throw new Error(`scope must be 'board' or 'view', not ${JSON.stringify(v)}`);
}

/** runCommand does c on the board and returns its value; it throws with a message for the host when it cannot. */
export async function runCommand(c: CommandMsg, b: BoardControl): Promise<unknown> {
  const a = c.args[0];
  const editing = (): void => {
    if (b.readOnly()) throw new Error(VIEW_ONLY);
  };
  switch (c.cmd) {
    case 'setTool': {
      if (typeof a !== 'string' || !(TOOL_NAMES as readonly string[]).includes(a)) {
        throw new Error(`unknown tool ${JSON.stringify(a)}: one of ${TOOL_NAMES.join(', ')}`);
      }
      if (a !== 'hand') editing();
      b.setTool(a as ToolName);
      return a;
    }
    case 'setColor': {
      const col = parseColor(a);
      if (!col) throw new Error(`color must be '#rrggbb' or '#rrggbbaa', not ${JSON.stringify(a)}`);
      editing();
      b.setColor(col.rgba, col.alpha);
      return null;
    }
    case 'setWidth': {
      const units = widthUnits(a);
      if (units === null) throw new Error(`width must be a number of CSS pixels from ${1 / BOARD_UNITS_PER_PX} to ${MAX_WIDTH / BOARD_UNITS_PER_PX}`);
      editing();
      b.setWidth(units);
      return null;
    }
    case 'restyleSelection': {
      const o = (typeof a === 'object' && a !== null ? a : null) as { color?: unknown; width?: unknown; fill?: unknown } | null;
      if (!o || (o.color === undefined && o.width === undefined && o.fill === undefined)) {
        throw new Error("restyleSelection takes {color: '#rrggbb' or '#rrggbbaa', width: CSS pixels, fill: true or false}, one of them at least");
      }
      const color = o.color === undefined ? undefined : parseColor(o.color);
      if (color === null) throw new Error(`color must be '#rrggbb' or '#rrggbbaa', not ${JSON.stringify(o.color)}`);
      const units = o.width === undefined ? undefined : widthUnits(o.width);
      if (units === null) throw new Error(`width must be a number of CSS pixels from ${1 / BOARD_UNITS_PER_PX} to ${MAX_WIDTH / BOARD_UNITS_PER_PX}`);
      if (o.fill !== undefined && typeof o.fill !== 'boolean') throw new Error('fill must be true or false');
      editing();
      return b.restyleSelection({ color, units, fill: o.fill as boolean | undefined });
    }
    case 'undo':
      editing();
      return b.undo();
    case 'redo':
      editing();
      return b.redo();
    case 'clear':
      editing();
      b.clear();
      return null;
    case 'undoClear':
      editing();
      return b.undoClear();
    case 'exportPNG':
      return await b.exportPNG(scopeOf(a));
    case 'exportSVG':
      return await b.exportSVG(scopeOf(a));
    case 'insertImage': {
      const isBlob = typeof Blob !== 'undefined' && a instanceof Blob;
      if (!isBlob && (typeof a !== 'string' || a === '')) throw new Error('insertImage takes a Blob (or File) of a PNG, JPEG, GIF or WebP image, or its URL');
      editing();
      return await b.insertImage(a as Blob | string);
    }
    case 'openHistory':
      b.openHistory();
      return null;
    case 'closeHistory':
      b.closeHistory();
      return null;
    default:
      throw new Error(`unknown command ${JSON.stringify(c.cmd)}`);
  }
}
