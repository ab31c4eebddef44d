// Which toolbar controls sit in the bar and which in its menus, as the bar
// narrows. Pure: the toolbar demotes one control at a time, in this order,
// to its "More" menu until the bar fits its row (ui/toolbar measures). The
// tools one reaches for at once (the pen, the eraser, select, hand) stay in
// the bar longest; the rarely used page controls go first.

import type { ToolName } from '../input/shortcuts';

/** The page controls that may go to the "more" menu, by their data-testid. */
export type Extra = 'theme' | 'help' | 'history' | 'clear' | 'share' | 'image' | 'paste';

export type Demotion = { readonly kind: 'tool'; readonly name: ToolName } | { readonly kind: 'extra'; readonly name: Extra };

/** TOOL_PRIORITY: the tools in the order they leave the bar last (first: kept longest). */
export const TOOL_PRIORITY: readonly ToolName[] = [
  'pen',
  'eraser',
  'select',
  'hand',
  'rect',
  'text',
  'arrow',
  'ellipse',
  'line',
  'highlighter',
  'lasso',
  'partial-eraser',
  'laser',
];

/** MIN_TOOLS stay in the bar whatever its width. */
export const MIN_TOOLS = 2;
/** Tools kept before the clear and share buttons go to the menu. */
const KEEP_TOOLS_OVER_PAGE = 4;

/**
 * demotions returns the order in which controls leave the bar: theme,
 * help, history and paste (Ctrl/⌘+V pastes without it); the tools beyond
 * the first four; image, clear and share; the tools down to
 * MIN_TOOLS. tools are the tools this toolbar shows, extras its page
 * controls.
 */
export function demotions(tools: readonly ToolName[], extras: readonly Extra[]): Demotion[] {
  const ranked = [...tools].sort((a, b) => rank(a) - rank(b));
  const out: Demotion[] = [];
  const extra = (names: readonly Extra[]): void => {
    for (const n of names) if (extras.includes(n)) out.push({ kind: 'extra', name: n });
  };
  const toolsDownTo = (keep: number): void => {
    for (let i = ranked.length - 1; i >= keep; i--) {
      const name = ranked[i];
      if (!out.some((d) => d.kind === 'tool' && d.name === name)) out.push({ kind: 'tool', name });
    }
  };
  extra(['theme', 'help', 'history', 'paste']);
  toolsDownTo(KEEP_TOOLS_OVER_PAGE);
  extra(['image', 'clear', 'share']);
  toolsDownTo(MIN_TOOLS);
  return out;
}

/** Plan is where each control goes after some demotions. */
export interface Plan {
  readonly menuTools: ReadonlySet<ToolName>;
  readonly menuExtras: ReadonlySet<Extra>;
}

/** planAt returns the plan after the first n demotions. */
export function planAt(order: readonly Demotion[], n: number): Plan {
  const menuTools = new Set<ToolName>();
  const menuExtras = new Set<Extra>();
  for (const d of order.slice(0, Math.max(0, n))) {
    if (d.kind === 'tool') menuTools.add(d.name);
    else menuExtras.add(d.name);
  }
  return { menuTools, menuExtras };
}

function rank(t: ToolName): number {
  const i = TOOL_PRIORITY.indexOf(t);
  return i < 0 ? TOOL_PRIORITY.length : i;
}
