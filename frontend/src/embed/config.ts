// What an embedded board's page (/embed/{board}) takes from its query
// string: the tools its compact toolbar shows, the theme, a forced
// view-only UI, and the first view. Pure.
//
//	tools=pen,eraser   only these tool buttons (names as in TOOL_NAMES); default all
//	theme=light|dark   default: the system's
//	readonly=1         the view-only UI even with a token that may draw
//	view=x,y,zoom      the board point at the frame's top-left corner, in CSS
//	                   pixels at 100 % (board units / 4), and the zoom (1 = 100 %)

import { MAX_ZOOM, MIN_ZOOM, type View } from '../geometry/view';
import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import { TOOL_NAMES, type ToolName } from '../input/shortcuts';

export interface EmbedConfig {
  /** The tools the toolbar shows, in toolbar order; null: all of them. */
  readonly tools: readonly ToolName[] | null;
  readonly theme: 'light' | 'dark' | null;
  /** readonly=1: the view-only UI, whatever the token allows. */
  readonly readOnly: boolean;
  /** The first view; null: the remembered one, or home. */
  readonly view: View | null;
}

/** Params is what the config reads: URLSearchParams, or anything with get. */
export interface Params {
  get(name: string): string | null;
}

export function parseEmbedConfig(q: Params): EmbedConfig {
  const theme = q.get('theme');
  const ro = q.get('readonly');
  return {
    tools: parseTools(q.get('tools')),
    theme: theme === 'light' || theme === 'dark' ? theme : null,
    readOnly: ro === '1' || ro === 'true',
    view: parseView(q.get('view')),
  };
}

/** parseTools reads a comma-separated list of tool names; unknown names are skipped; none known: null (all). */
export function parseTools(s: string | null): ToolName[] | null {
  if (s === null) return null;
  const asked = new Set(s.split(',').map((t) => t.trim().toLowerCase()));
  const tools = TOOL_NAMES.filter((t) => asked.has(t));
  return tools.length ? tools : null;
}

/** parseView reads "x,y,zoom" (see above), or null when it is not three finite numbers with a zoom in range. */
export function parseView(s: string | null): View | null {
  if (s === null) return null;
  const parts = s.split(',');
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) return null;
  const [x, y, zoom] = parts.map(Number);
  if (![x, y, zoom].every(Number.isFinite) || zoom < MIN_ZOOM || zoom > MAX_ZOOM) return null;
  if (Math.abs(x) > 1e9 || Math.abs(y) > 1e9) return null;
  // Board point (x·4, y·4) at screen (0, 0): 0 = x·4·scale + vx.
  const scale = zoom / BOARD_UNITS_PER_PX;
  return { scale, x: -x * zoom + 0, y: -y * zoom + 0 };
}

/** firstTool is the tool a page starts with: the pen if shown, else the first shown tool that draws, else the hand. */
export function firstTool(tools: readonly ToolName[] | null, readOnly: boolean): ToolName {
  if (readOnly) return 'hand';
  if (tools === null || tools.includes('pen')) return 'pen';
  return tools.find((t) => t !== 'hand' && t !== 'select' && t !== 'lasso') ?? tools[0] ?? 'pen';
}
