// The person's prefs as this page uses them: remembered in localStorage
// (ui/prefs), except a name an embed token forces, which the page shows and
// sends but never remembers.

import { savePrefs, type Prefs } from '../ui/prefs';

export class PagePrefs {
  private prefs: Prefs;
  /** The remembered name, saved in place of a forced one. */
  private readonly ownName: string;

  constructor(
    loaded: Prefs,
    private readonly forcedName: string | null,
  ) {
    this.ownName = loaded.name;
    this.prefs = forcedName ? { ...loaded, name: forcedName } : loaded;
  }

  get current(): Prefs {
    return this.prefs;
  }

  /** update changes the prefs with f and remembers them. */
  update(f: (p: Prefs) => Prefs): void {
    this.prefs = f(this.prefs);
    savePrefs(this.forcedName ? { ...this.prefs, name: this.ownName } : this.prefs);
  }
}
