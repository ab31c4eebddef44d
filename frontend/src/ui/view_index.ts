// The views this browser remembers, one per board, in one small
// localStorage entry: at most MAX_BOARDS boards, the least recently seen
// forgotten first, so the entry stays a few kilobytes however many boards a
// person opens. Pure: ui/view_store reads and writes the entry.

import { validView, type View } from '../geometry/view';

/** MAX_BOARDS is how many boards' views are remembered. */
export const MAX_BOARDS = 50;
/** MAX_ROOM_CHARS: a longer board name is not remembered (it would crowd the entry). */
export const MAX_ROOM_CHARS = 200;

/** Remembered is a board's last view and when it was seen (ms since the epoch). */
export interface Remembered {
  readonly room: string;
  readonly view: View;
  readonly at: number;
}

/** ViewIndex is the remembered views, most recently seen first. */
export type ViewIndex = readonly Remembered[];

/** parseIndex reads the stored entry; anything malformed is skipped, never thrown. */
export function parseIndex(raw: string | null): ViewIndex {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  const out: Remembered[] = [];
  for (const [room, v] of Object.entries(data as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length !== 4 || room.length > MAX_ROOM_CHARS) continue;
    const [scale, x, y, at] = v as unknown[];
    const view = { scale, x, y };
    if (!validView(view) || typeof at !== 'number' || !Number.isFinite(at)) continue;
    out.push({ room, view: { scale: view.scale, x: view.x, y: view.y }, at });
  }
  out.sort((a, b) => b.at - a.at);
  return out.slice(0, MAX_BOARDS);
}

/** serializeIndex writes the entry: {room: [scale, x, y, at]}. */
export function serializeIndex(index: ViewIndex): string {
  const o: Record<string, [number, number, number, number]> = {};
  for (const r of index) o[r.room] = [r.view.scale, round(r.view.x), round(r.view.y), r.at];
  return JSON.stringify(o);
}

/** remember returns index with room's view set to v, seen at now; the oldest beyond max are dropped. */
export function remember(index: ViewIndex, room: string, v: View, now: number, max = MAX_BOARDS): ViewIndex {
  if (room.length > MAX_ROOM_CHARS || !validView(v)) return index;
  const rest = index.filter((r) => r.room !== room);
  return [{ room, view: { scale: v.scale, x: v.x, y: v.y }, at: now }, ...rest].slice(0, max);
}

/** recall returns the view remembered for room, or null. */
export function recall(index: ViewIndex, room: string): View | null {
  return index.find((r) => r.room === room)?.view ?? null;
}

/** Screen offsets to 1/100 pixel are plenty and keep the entry short. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
