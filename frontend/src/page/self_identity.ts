// This person's name and color on the board: what the server is told (a
// Name now, or the next Hello), what the people panel shows as theirs and
// the name box's swatch. Two ways in: the person changed them (or the page
// became a viewer), or the server handed out a color (issue 17: the least
// used one) that the person had not picked themselves.

import type { SyncCore } from '../net/sync';
import type { NameBox } from '../ui/name_box';
import type { PeopleList } from '../ui/people';
import { opaque, sentColor } from '../ui/person_color';
import type { PagePrefs } from './page_prefs';

export class SelfIdentity {
  /** The name box (not in an embed; built after the board). */
  nameBox: NameBox | null = null;

  constructor(
    private readonly prefs: PagePrefs,
    private readonly sync: SyncCore,
    private readonly people: PeopleList,
  ) {}

  /** announce sends this person's name and color (now, or in the next Hello) and shows them here. */
  announce(): void {
    const p = this.prefs.current;
    this.sync.setIdentity({ name: p.name, color: sentColor(p) });
    this.show(p.name, p.color);
  }

  /** handedOut takes the color the server handed this person (its own Presence), unless they picked one (ui/person_color). */
  handedOut(color: number): void {
    const c = opaque(color);
    if (this.prefs.current.colorPicked || c === this.prefs.current.color) return;
    this.prefs.update((q) => ({ ...q, color: c }));
    const p = this.prefs.current;
    // The server holds it already: no Name goes out, the next Hello prefers it.
    this.sync.adoptIdentity({ name: p.name, color: sentColor(p) });
    this.show(p.name, c);
  }

  private show(name: string, color: number): void {
    this.people.setSelf(this.sync.author, { name, color });
    this.nameBox?.setColor(color);
  }
}
