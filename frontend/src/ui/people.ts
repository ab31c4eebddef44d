// The people list: everyone on the board (from Presence and Leave), each
// with their color, this person first. Clicking someone follows them (the
// view goes where their cursor goes) until you pan or draw; clicking again
// stops. The panel collapses to its button in the top row (collapsed at
// first on a phone-sized screen); this person's row holds the name box.
// A viewer (a page that cannot draw: the server gives its color alpha 0,
// see person_color.ts) is marked "viewing". Each other person's row has an
// "Only" toggle that shows their work alone and, on a moderator's page, a
// "Remove" that opens how much to remove (everything they drew, or only
// the last ten minutes' or hour's: page/remove_since.ts), each one step,
// undoable.

import { cssColor } from '../render/color';
import { ICONS, h, svgIcon } from './dom';
import { isViewer, opaque } from './person_color';

interface Person {
  name: string;
  color: number;
}

/** PersonActions are the per-person tools of the list (each optional). */
export interface PersonActions {
  /** Show only author's work (0: everyone's again). */
  solo?(author: number): void;
  /** The ways to remove author's work (a moderator's page only). */
  removeChoices?(author: number): readonly RemoveChoice[];
  /** Remove what author put on the board after seq since (0: everything). */
  remove?(author: number, since: number): void;
}

/** RemoveChoice is one entry of a person's Remove menu. */
export interface RemoveChoice {
  readonly key: string;
  readonly label: string;
  readonly since: number;
  /** Strokes it removes (0: the entry is disabled). */
  readonly count: number;
}

export class PeopleList {
  readonly el: HTMLElement;
  /** The button that opens and closes the panel (in the top row). */
  readonly toggle: HTMLButtonElement;
  private readonly toggleCount: HTMLElement;
  private selfRow: HTMLElement | null = null;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private readonly people = new Map<number, Person>();
  private me = 0;
  private self: Person;
  private following = 0;
  private soloOf = 0;
  /** Whose Remove menu is open (0: nobody's), and its buttons by choice key. */
  private removing = 0;
  private readonly removeButtons = new Map<string, HTMLButtonElement>();

  constructor(
    self: Person,
    private readonly onFollow: (author: number) => void = () => {},
    private readonly onToggle: () => void = () => {},
    private readonly actions: PersonActions = {},
  ) {
    this.self = { ...self };
    this.list = h('ul', { class: 'people-list', 'data-testid': 'people-list', 'aria-label': 'People on the board' });
    this.count = h('span', { class: 'people-count' });
    this.el = h('section', { id: 'people-panel', class: 'people', 'aria-label': 'People' }, h('h2', {}, 'On the board ', this.count), this.list);
    this.toggleCount = h('span', { class: 'tb-count' });
    this.toggle = h('button', {
      type: 'button',
      class: 'tb-btn tb-people',
      'data-testid': 'people-toggle',
      'aria-expanded': 'true',
      'aria-controls': 'people-panel',
    });
    this.toggle.append(svgIcon(ICONS.people), this.toggleCount);
    this.toggle.addEventListener('click', () => this.setCollapsed(!this.collapsed));
    this.render();
  }

  get collapsed(): boolean {
    return this.el.hidden;
  }

  /** setCollapsed shows or hides the panel (its button stays). */
  setCollapsed(c: boolean): void {
    this.el.hidden = c;
    this.toggle.setAttribute('aria-expanded', String(!c));
    this.render();
    this.onToggle();
  }

  /** setSelfRow puts el (the name box) on this person's row instead of their name. */
  setSelfRow(el: HTMLElement): void {
    // Its own row above the list, never re-rendered: typing a name is not
    // interrupted when someone comes or goes.
    this.selfRow = el;
    this.list.before(h('div', { class: 'people-self' }, el));
    this.render();
  }

  /** colors returns every other person's author and presence color. */
  colors(): Map<number, number> {
    const out = new Map<number, number>();
    for (const [a, p] of this.people) if (a !== this.me) out.set(a, p.color);
    return out;
  }

  /** setSelf sets this person's author id (0 before the first Welcome), name and color. */
  setSelf(author: number, p: Person): void {
    this.me = author;
    this.self = { ...p };
    this.render();
  }

  set(author: number, p: Person): void {
    this.people.set(author, { ...p });
    this.render();
  }

  remove(author: number): void {
    if (this.removing === author) this.removing = 0;
    if (this.people.delete(author)) this.render();
  }

  /** reset forgets everyone else (a new connection announces them again). */
  reset(): void {
    this.people.clear();
    this.render();
  }

  /** setFollowing marks whom this person follows (0: nobody). */
  setFollowing(author: number): void {
    if (author === this.following) return;
    this.following = author;
    this.render();
  }

  /** setSolo marks whose work alone is shown (0: everyone's). */
  setSolo(author: number): void {
    if (author === this.soloOf) return;
    this.soloOf = author;
    this.render();
  }

  /**
   * refresh shows an open Remove menu's choices again (their counts
   * changed), in the same buttons: one about to be clicked stays put.
   */
  refresh(): void {
    const choices = this.removing ? this.actions.removeChoices?.(this.removing) : undefined;
    for (const c of choices ?? []) {
      const b = this.removeButtons.get(c.key);
      if (b) setChoice(b, this.name(this.removing)?.name ?? '', c);
    }
  }

  name(author: number): Person | undefined {
    return author === this.me ? this.self : this.people.get(author);
  }

  private render(): void {
    const others = [...this.people.entries()].filter(([a]) => a !== this.me).sort((x, y) => x[0] - y[0]);
    const rows = this.selfRow ? [] : [this.row(this.self, true, this.me)];
    for (const [a, p] of others) rows.push(this.row(p, false, a));
    this.list.replaceChildren(...rows);
    const n = others.length + 1;
    this.count.textContent = `(${n})`;
    this.toggleCount.textContent = String(n);
    const label = `${this.collapsed ? 'Show' : 'Hide'} the people on the board (${n})`;
    this.toggle.setAttribute('aria-label', label);
    this.toggle.title = label;
  }

  private row(p: Person, self: boolean, author: number): HTMLLIElement {
    const dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    dot.style.background = cssColor(opaque(p.color));
    const name = h('span', { class: 'person-name' }, p.name);
    if (self) return h('li', { 'data-author': author || undefined }, dot, name, h('span', { class: 'person-you' }, ' (you)'));
    const viewer = isViewer(p.color);
    const on = author === this.following;
    const who = viewer ? `${p.name} (viewing only)` : p.name;
    const label = on ? `Stop following ${who}` : `Follow ${who}`;
    const b = h(
      'button',
      { type: 'button', class: 'person', 'data-testid': 'follow', 'data-author': author, 'data-viewer': viewer || undefined, 'aria-pressed': String(on), 'aria-label': label, title: label },
      dot,
      name,
    );
    if (viewer) b.append(h('span', { class: 'person-role', 'data-testid': 'viewer-mark' }, 'viewing'));
    b.addEventListener('click', () => this.onFollow(author));
    return h('li', { 'data-author': author }, b, ...this.tools(p.name, author));
  }

  /** tools are a row's per-person buttons, and its Remove menu when open. */
  private tools(name: string, author: number): HTMLElement[] {
    const { solo, remove, removeChoices } = this.actions;
    const out: HTMLButtonElement[] = [];
    if (solo) {
      const on = author === this.soloOf;
      const label = on ? "Show everyone's work" : `Show only ${name}'s work`;
      const b = h('button', { type: 'button', class: 'person-tool', 'data-testid': 'person-solo', 'aria-pressed': String(on), 'aria-label': label, title: label }, 'Only');
      b.addEventListener('click', () => solo(on ? 0 : author));
      out.push(b);
    }
    let menu: HTMLElement | null = null;
    if (remove && removeChoices) {
      const open = author === this.removing;
      const label = `Remove ${name}'s work: everything, or only the latest (undoable)`;
      const b = h('button', { type: 'button', class: 'person-tool', 'data-testid': 'person-remove', 'aria-expanded': String(open), 'aria-label': label, title: label }, 'Remove');
      b.addEventListener('click', () => {
        this.removing = open ? 0 : author;
        this.render();
      });
      out.push(b);
      if (open) menu = this.removeMenu(name, author, removeChoices(author), remove);
    }
    const tools = out.length ? [h('span', { class: 'person-tools' }, ...out)] : [];
    return menu ? [...tools, menu] : tools;
  }

  /** removeMenu lists how much of author's work to remove, with how many strokes each takes. */
  private removeMenu(name: string, author: number, choices: readonly RemoveChoice[], remove: (author: number, since: number) => void): HTMLElement {
    this.removeButtons.clear();
    const items = choices.map((c) => {
      const b = h('button', { type: 'button', class: 'person-remove-choice', 'data-testid': `person-remove-${c.key}` });
      setChoice(b, name, c);
      b.addEventListener('click', () => {
        this.removing = 0;
        remove(author, Number(b.dataset.since));
        this.render();
      });
      this.removeButtons.set(c.key, b);
      return b;
    });
    return h('div', { class: 'person-remove-menu', 'data-testid': 'person-remove-menu', role: 'group', 'aria-label': `Remove ${name}'s work` }, ...items);
  }
}

/** setChoice shows choice c of name's Remove menu on button b (its since kept on the button for the click). */
function setChoice(b: HTMLButtonElement, name: string, c: RemoveChoice): void {
  const strokes = `${c.count} ${c.count === 1 ? 'stroke' : 'strokes'}`;
  b.textContent = `${c.label} · ${strokes}`;
  b.dataset.count = String(c.count);
  b.dataset.since = String(c.since);
  b.setAttribute('aria-label', `Remove ${name}'s work: ${c.label.toLowerCase()} (${strokes})`);
  b.disabled = c.count === 0;
}
