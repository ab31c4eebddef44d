// The toolbar: one row that never wraps, at any width. In order: the tools,
// then a "More" menu with what does not fit in the row (tools first, then
// page controls), undo, redo and clear, the page's controls (paste, once
// something was copied; image, history, share, help, theme), and last the
// style menu of the current tool (color, opacity, width, fill; hidden for
// tools without a style, and last so that showing or hiding it moves
// nothing else). ui/bar_plan decides the
// order in which controls leave the row as it narrows; fit measures.
// Every button has an accessible name (aria-label and title) and a stable
// data-testid.

import { selects, type ToolName } from '../input/shortcuts';
import { demotions, planAt, type Demotion, type Extra, type Plan } from './bar_plan';
import { ClearConfirm } from './clear_confirm';
import { ICONS, h, setChildren, svgIcon } from './dom';
import { Menu } from './menu';
import { StylePanel } from './style_panel';
import { button } from './tb_button';
import { isApple } from './key_caps';
import type { Styles } from './style';
import type { Stroke } from '../protocol/board';

export { PALETTE } from './style_panel';
export { button } from './tb_button';

export type Tool = ToolName;

/** ToolSpec is a tool button: its name (data-testid tool-<name>), label and icon. */
export interface ToolSpec {
  readonly name: Tool;
  readonly label: string;
  readonly icon: string;
  /** The tool changes the board (hidden on a view link). */
  readonly draws: boolean;
}

/** TOOLS are the tool buttons, in toolbar order. */
export const TOOLS: readonly ToolSpec[] = [
  { name: 'select', label: 'Select and move (V)', icon: ICONS.select, draws: true },
  { name: 'lasso', label: 'Lasso: select with a free-form loop (Shift+V)', icon: ICONS.lasso, draws: true },
  { name: 'hand', label: 'Hand: pan the board (H, or hold Space)', icon: ICONS.hand, draws: false },
  { name: 'pen', label: 'Pen (P)', icon: ICONS.pen, draws: true },
  { name: 'highlighter', label: 'Highlighter (M)', icon: ICONS.highlighter, draws: true },
  { name: 'eraser', label: 'Eraser: whole strokes (E)', icon: ICONS.eraser, draws: true },
  { name: 'partial-eraser', label: 'Partial eraser: rub out (Shift+E)', icon: ICONS.partialEraser, draws: true },
  { name: 'line', label: 'Line (L)', icon: ICONS.line, draws: true },
  { name: 'arrow', label: 'Arrow (A)', icon: ICONS.arrow, draws: true },
  { name: 'rect', label: 'Rectangle (R)', icon: ICONS.rect, draws: true },
  { name: 'ellipse', label: 'Ellipse (O)', icon: ICONS.ellipse, draws: true },
  { name: 'text', label: 'Text (T)', icon: ICONS.text, draws: true },
  // Draws nothing on the board, but shows to everyone: not on a view link.
  { name: 'laser', label: 'Laser pointer (K)', icon: ICONS.laser, draws: true },
];

export interface ToolbarActions {
  tool(t: Tool): void;
  color(c: number): void;
  /** Opacity, 1..255. */
  alpha(a: number): void;
  width(w: number): void;
  fill(): void;
  undo(): void;
  redo(): void;
  clear(): void;
}

/** ToolbarOptions shape the toolbar: an embedded board's is compact. */
export interface ToolbarOptions {
  /** The tool buttons shown (in toolbar order anyway); null: all. */
  readonly tools?: readonly Tool[] | null;
  /** Fewer controls: no opacity, no custom color. */
  readonly compact?: boolean;
}

export interface ToolbarState {
  readonly tool: Tool;
  readonly styles: Styles;
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly toolBtns = new Map<Tool, HTMLButtonElement>();
  private readonly toolSpecs: ToolSpec[] = [];
  private readonly toolsGroup: HTMLElement;
  private readonly toolsMenu: Menu;
  private readonly toolsMenuIcon: HTMLElement;
  /** The icon the "More" button wears (its paths). */
  private moreIcon = '';
  private readonly menuTools: HTMLElement;
  private readonly menuPage: HTMLElement;
  private readonly historyGroup: HTMLElement;
  private readonly pageGroup: HTMLElement;
  private readonly styleGroup: HTMLElement;
  private readonly undoBtn: HTMLButtonElement;
  private readonly redoBtn: HTMLButtonElement;
  private readonly clear: ClearConfirm;
  private readonly style: StylePanel;
  private readonly extras = new Map<Extra, HTMLElement>();
  /** Page controls kept out of the row and its menus until offered (paste: until something was copied). */
  private readonly withheld = new Set<Extra>();
  private readonly fixedPage: HTMLElement[] = [];
  private plan: Plan = { menuTools: new Set(), menuExtras: new Set() };
  private tool: Tool;
  /** The selected strokes whose style the menu shows (select tool), or null. */
  private selection: readonly Stroke[] | null = null;
  private readOnly = false;
  private limit = Infinity;
  /** The controls changed since the last fit: fit again even at the same limit. */
  private refit = true;

  constructor(actions: ToolbarActions, state: ToolbarState, opts: ToolbarOptions = {}) {
    const compact = opts.compact === true;
    const shown = opts.tools ?? null;
    this.tool = state.tool;
    this.toolsMenu = new Menu('more', 'More tools and controls', '', 'more-pop', true);
    this.toolsMenuIcon = h('span', { class: 'tb-menu-icon' });
    const chevron = svgIcon(ICONS.chevron);
    chevron.classList.add('tb-chevron');
    this.toolsMenu.button.append(this.toolsMenuIcon, chevron);
    this.toolsMenu.button.classList.add('tb-more');
    this.menuTools = h('div', { class: 'menu-row', role: 'group', 'aria-label': 'More tools' });
    this.menuPage = h('div', { class: 'menu-row', role: 'group', 'aria-label': 'More controls' });
    this.toolsMenu.panel.append(this.menuTools, this.menuPage);
    for (const t of TOOLS) {
      if (shown && !shown.includes(t.name)) continue;
      const b = button(`tool-${t.name}`, t.label, t.icon, { 'aria-pressed': 'false' });
      b.append(menuLabel(t.label));
      b.addEventListener('click', () => {
        actions.tool(t.name);
        this.toolsMenu.close(false);
      });
      this.toolBtns.set(t.name, b);
      this.toolSpecs.push(t);
    }
    this.toolsGroup = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Tools' });

    const mod = isApple(navigator) ? '⌘' : 'Ctrl';
    this.undoBtn = button('undo', `Undo (${mod}+Z)`, ICONS.undo);
    this.redoBtn = button('redo', `Redo (${mod}+Shift+Z)`, ICONS.redo);
    this.undoBtn.addEventListener('click', () => actions.undo());
    this.redoBtn.addEventListener('click', () => actions.redo());
    this.clear = new ClearConfirm(() => {
      actions.clear();
      this.toolsMenu.close(false);
    });
    this.extras.set('clear', this.clear.el);
    this.clear.el.querySelector('button')?.append(h('span', { class: 'tb-label', 'aria-hidden': 'true' }, EXTRA_LABELS.clear));
    this.historyGroup = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'History' });

    this.pageGroup = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Page' });

    this.style = new StylePanel(actions, compact);
    this.styleGroup = h('div', { class: 'tb-group', role: 'group', 'aria-label': 'Style' }, this.style.menu.el);

    this.el = h(
      'div',
      { class: compact ? 'toolbar compact' : 'toolbar', role: 'toolbar', 'aria-label': 'Drawing tools' },
      this.toolsGroup,
      this.historyGroup,
      this.pageGroup,
      this.styleGroup,
    );
    this.place();
    this.setTool(state.tool, state.styles);
    this.setHistory(false, false);
  }

  /**
   * addMore puts a page control in the toolbar's page group: share, help and
   * theme (named: they go to the "More" menu when the row is short) or an
   * unnamed one that always stays (the View only badge).
   */
  addMore(el: HTMLElement, name?: Extra): void {
    if (name) {
      this.extras.set(name, el);
      (el.matches('button') ? el : el.querySelector('button'))?.append(h('span', { class: 'tb-label', 'aria-hidden': 'true' }, EXTRA_LABELS[name]));
    }
    else this.fixedPage.push(el);
    this.refit = true;
    this.place();
  }

  /**
   * fit lays the row out within limit CSS pixels: as few controls in menus
   * as that allows. Each try is a layout the browser must do at once, which
   * on a slow phone is most of the page's start: a binary search tries
   * about log2 of the plans, and the same limit with the same controls is
   * not fitted twice (the page asks again on every resize callback).
   */
  fit(limit: number): void {
    if (limit === this.limit && !this.refit) return;
    this.limit = limit;
    this.refit = false;
    const tools = this.toolSpecs.filter((t) => !this.readOnly || !t.draws).map((t) => t.name);
    const extras = [...this.extras.keys()].filter((e) => this.has(e));
    const order: Demotion[] = demotions(tools, extras);
    // The style menu's place is kept whatever the tool, so that changing
    // tools never moves the row.
    const styleHidden = this.styleGroup.hidden;
    this.styleGroup.hidden = this.readOnly;
    const fits = (n: number): boolean => {
      this.plan = planAt(order, n);
      this.place();
      return this.el.offsetWidth <= limit;
    };
    // Nothing in a menu, else the fewest demotions that fit: from one on,
    // each moves one more control off the row, so the width only shrinks
    // (the first also brings the menu's button, hence tried on its own).
    let n = 0;
    if (!fits(0)) {
      n = this.search(order, limit, fits);
      this.plan = planAt(order, n);
      this.place();
    }
    this.styleGroup.hidden = styleHidden;
    this.setTool(this.tool, null);
  }

  /**
   * search finds the fewest demotions (from one) that fit, the row being
   * laid out with every control in it: their widths, read from that one
   * layout, say where to start (the menu's button counted as wide as the
   * first control, the gaps as the row's), and fits checks from there, one
   * step at a time, up or down: two or three layouts where a binary search
   * takes five or six.
   */
  private search(order: readonly Demotion[], limit: number, fits: (n: number) => boolean): number {
    const widths = order.map((d) => (d.kind === 'tool' ? this.toolBtns.get(d.name) : this.extras.get(d.name))?.offsetWidth ?? 0);
    const gap = parseFloat(getComputedStyle(this.toolsGroup).columnGap) || 0;
    let over = this.el.offsetWidth - limit + (widths[0] ?? 0) + gap;
    let n = 1;
    while (n < order.length && (over -= widths[n - 1] + gap) > 0) n++;
    if (fits(n)) {
      while (n > 1 && fits(n - 1)) n--;
    } else {
      while (n < order.length && !fits(++n));
    }
    return n;
  }

  /**
   * offer shows (on) or withholds a page control added with addMore: the
   * row is fitted again, so it takes or gives back its place.
   */
  offer(name: Extra, on: boolean): void {
    if (on !== this.withheld.has(name)) return;
    if (on) this.withheld.delete(name);
    else this.withheld.add(name);
    this.refit = true;
    if (Number.isFinite(this.limit)) this.fit(this.limit);
    else this.place();
  }

  /** has says whether a page control is in the toolbar now: added, offered, and not one that edits on a view link. */
  private has(e: Extra): boolean {
    return this.extras.has(e) && !this.withheld.has(e) && !(this.readOnly && (e === 'clear' || e === 'paste'));
  }

  /** setTool shows which tool is on and the style it draws with (styles null: unchanged). */
  setTool(t: Tool, styles: Styles | null): void {
    this.tool = t;
    for (const [name, b] of this.toolBtns) b.setAttribute('aria-pressed', String(name === t));
    this.el.dataset.tool = t;
    const sel = selects(t) ? this.selection : null;
    if (sel) this.style.setSelection(sel);
    else if (styles) this.style.set(t, styles);
    this.styleGroup.hidden = this.readOnly || !(sel ? this.style.offers : StylePanel.applies(t));
    // The "More tools" button wears the tool chosen from its menu.
    const inMenu = this.plan.menuTools.has(t) && this.toolBtns.has(t);
    this.toolsMenu.button.classList.toggle('on', inMenu);
    const spec = TOOLS.find((s) => s.name === t);
    const icon = inMenu && spec ? spec.icon : ICONS.more;
    if (icon !== this.moreIcon) this.toolsMenuIcon.replaceChildren(svgIcon(icon));
    this.moreIcon = icon;
  }

  /** setSelection shows the selected strokes' style in the style menu (with the select tool); null: none. */
  setSelection(strokes: readonly Stroke[] | null): void {
    this.selection = strokes;
    this.setTool(this.tool, null);
  }

  setHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoBtn.disabled = !canUndo;
    this.redoBtn.disabled = !canRedo;
  }

  /** setReadOnly hides everything that changes the board (a view link). */
  setReadOnly(ro: boolean): void {
    this.readOnly = ro;
    this.el.dataset.readonly = String(ro);
    this.refit = true;
    this.place();
    if (Number.isFinite(this.limit)) this.fit(this.limit);
    else this.setTool(this.tool, null);
  }

  /** place puts every control where the plan says. */
  private place(): void {
    const { menuTools, menuExtras } = this.plan;
    // A view link's drawing tools stay in the page, hidden.
    for (const t of this.toolSpecs) this.toolBtns.get(t.name)!.hidden = this.readOnly && t.draws;
    const bar = this.toolSpecs.filter((t) => !menuTools.has(t.name)).map((t) => this.toolBtns.get(t.name)!);
    const menu = this.toolSpecs.filter((t) => menuTools.has(t.name)).map((t) => this.toolBtns.get(t.name)!);
    setChildren(this.menuTools, menu);
    this.menuTools.hidden = menu.every((b) => b.hidden);

    const clearHere = this.has('clear') && !menuExtras.has('clear');
    setChildren(this.historyGroup, [this.undoBtn, this.redoBtn, ...(clearHere ? [this.clear.el] : [])]);
    this.historyGroup.hidden = this.readOnly;

    const order: Extra[] = ['clear', 'paste', 'image', 'history', 'share', 'help', 'theme'];
    const barExtras = order.filter((e) => e !== 'clear' && this.has(e) && !menuExtras.has(e)).map((e) => this.extras.get(e)!);
    const menuEls = order.filter((e) => this.has(e) && menuExtras.has(e)).map((e) => this.extras.get(e)!);
    setChildren(this.pageGroup, [...barExtras, ...this.fixedPage]);
    setChildren(this.menuPage, menuEls);
    this.menuPage.hidden = menuEls.length === 0;
    const any = !this.menuTools.hidden || menuEls.length > 0;
    setChildren(this.toolsGroup, [...bar, ...(any ? [this.toolsMenu.el] : [])]);
    if (!any) this.toolsMenu.close(false);
    this.pageGroup.hidden = barExtras.length === 0 && this.fixedPage.every((e) => e.hidden);
  }
}

/** What a page control is called in the More menu (beside its icon). */
const EXTRA_LABELS: Readonly<Record<Extra, string>> = { clear: 'Clear the board', paste: 'Paste', image: 'Add an image', history: 'History', share: 'Share and export', help: 'Help', theme: 'Light or dark' };

/** menuLabel is a tool's name as the More menu shows it beside the icon: its label up to the key. */
function menuLabel(label: string): HTMLElement {
  return h('span', { class: 'tb-label', 'aria-hidden': 'true' }, label.replace(/[:(].*$/, '').trim());
}
