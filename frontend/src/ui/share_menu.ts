// The share menu: the board's edit link and view link with copy buttons,
// and export as PNG or SVG (the whole board or the visible area). A small
// popover under its toolbar button; it blocks nothing, and a click
// elsewhere or Escape closes it.

import { ICONS, h, svgIcon, dismissOn } from './dom';
import { PNG_SCALES, defaultPNGScale } from './export_name';

export type ExportScope = 'board' | 'view';

export interface ShareActions {
  /** size: PNG pixels per CSS pixel (1, 2 or 3). */
  exportPNG(scope: ExportScope, size: number): void;
  exportSVG(scope: ExportScope): void;
}

export interface ShareLinks {
  /** The link that lets people draw (null: this page cannot give it, a view link). */
  readonly edit: string | null;
  /** The read-only link (null: the server gave none). */
  readonly view: string | null;
  /** The moderator link: draws, and may remove someone's work (null: not offered). */
  readonly mod?: string | null;
}

export class ShareMenu {
  readonly el: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly pop: HTMLElement;
  /** The popover's contents, made when it first opens (build): most visits never open it. */
  private scope: HTMLSelectElement | null = null;
  private links: HTMLElement | null = null;
  private shown: ShareLinks = { edit: null, view: null };

  constructor(private readonly actions: ShareActions) {
    this.button = h('button', {
      type: 'button',
      class: 'tb-btn',
      'data-testid': 'share',
      'aria-label': 'Share and export',
      title: 'Share and export',
      'aria-expanded': 'false',
      'aria-controls': 'share-menu',
    });
    this.button.append(svgIcon(ICONS.share));
    this.pop = h('div', { id: 'share-menu', class: 'popover share-pop', role: 'dialog', 'aria-label': 'Share and export', hidden: true });
    this.el = h('div', { class: 'tb-pop' }, this.button, this.pop);
    this.button.addEventListener('click', () => (this.isOpen() ? this.close(false) : this.open()));
    dismissOn(this.el, this.pop, () => this.isOpen(), (refocus) => this.close(refocus));
  }

  /** build makes the popover's contents, once. */
  private build(): void {
    if (this.links) return;
    const links = h('div', { class: 'share-links' });
    const scope = h(
      'select',
      { 'data-testid': 'export-scope', 'aria-label': 'What to export', title: 'What to export' },
      h('option', { value: 'board' }, 'Whole board'),
      h('option', { value: 'view' }, 'Visible area'),
    );
    // The PNG's size: the screen's density by default; 3× for print.
    const dflt = defaultPNGScale(window.devicePixelRatio);
    const size = h(
      'select',
      { 'data-testid': 'export-size', 'aria-label': 'PNG size', title: 'PNG size (pixels per screen pixel)' },
      ...PNG_SCALES.map((k) => h('option', { value: k, selected: k === dflt }, `${k}×`)),
    );
    const png = h('button', { type: 'button', class: 'pop-btn', 'data-testid': 'export-png', 'aria-label': 'Export as PNG', title: 'Export as PNG' }, 'PNG');
    const svg = h('button', { type: 'button', class: 'pop-btn', 'data-testid': 'export-svg', 'aria-label': 'Export as SVG', title: 'Export as SVG' }, 'SVG');
    png.prepend(svgIcon(ICONS.download));
    svg.prepend(svgIcon(ICONS.download));
    png.addEventListener('click', () => this.actions.exportPNG(this.scopeValue(), Number(size.value) || 1));
    svg.addEventListener('click', () => this.actions.exportSVG(this.scopeValue()));
    this.pop.append(links, h('p', { class: 'pop-title' }, 'Export'), h('div', { class: 'export-row' }, scope, size, png, svg));
    this.links = links;
    this.scope = scope;
    this.showLinks();
  }

  /** setLinks shows the links people can be given. */
  setLinks(l: ShareLinks): void {
    this.shown = l;
    this.showLinks();
  }

  private showLinks(): void {
    const l = this.shown;
    if (!this.links) return;
    const rows: HTMLElement[] = [];
    if (l.edit) rows.push(this.linkRow('Edit link: anyone with it can draw', 'share-edit-link', 'share-copy-edit', l.edit));
    if (l.view) rows.push(this.linkRow('View link: look, but not draw', 'share-view-link', 'share-copy-view', l.view));
    if (l.mod) rows.push(this.linkRow("Moderator link: draw, and remove someone's work", 'share-mod-link', 'share-copy-mod', l.mod));
    if (rows.length) rows.unshift(h('p', { class: 'pop-title' }, 'Share'));
    this.links.replaceChildren(...rows);
  }

  isOpen(): boolean {
    return !this.pop.hidden;
  }

  open(): void {
    this.build();
    this.pop.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    // Under the button, kept inside the window.
    this.pop.style.left = '0px';
    const r = this.pop.getBoundingClientRect();
    const over = r.right - (window.innerWidth - 8);
    if (over > 0) this.pop.style.left = `${-Math.min(over, r.left - 8)}px`;
  }

  close(refocus: boolean): void {
    if (!this.isOpen()) return;
    this.pop.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    if (refocus) this.button.focus();
  }

  private scopeValue(): ExportScope {
    return this.scope?.value === 'view' ? 'view' : 'board';
  }

  private linkRow(label: string, testid: string, copyId: string, url: string): HTMLElement {
    const input = h('input', { type: 'text', class: 'share-url', readonly: true, value: url, 'data-testid': testid, 'aria-label': label, title: label });
    input.addEventListener('focus', () => input.select());
    const copy = h('button', { type: 'button', class: 'pop-btn', 'data-testid': copyId, 'aria-label': `Copy: ${label}`, title: 'Copy' });
    copy.append(svgIcon(ICONS.copy), 'Copy');
    copy.addEventListener('click', () => {
      void copyText(input).then((ok) => {
        copy.lastChild!.textContent = ok ? 'Copied' : 'Select and copy';
        window.setTimeout(() => (copy.lastChild!.textContent = 'Copy'), 1500);
      });
    });
    return h('label', { class: 'share-row' }, h('span', { class: 'share-label' }, label), h('span', { class: 'share-line' }, input, copy));
  }
}

/** copyText puts an input's text on the clipboard (the Clipboard API, else the old way). */
async function copyText(input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
