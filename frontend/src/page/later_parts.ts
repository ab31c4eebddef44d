// Parts of the page page.ts makes from its settings: the name box (after
// the first frame, page.ts's later()) and the share menu (a button whose
// links are made when it first opens): what they need of the page, and how
// each is made.

import { absoluteURL } from '../net/room_url';
import type { Exports } from '../ui/exports';
import { NameBox } from '../ui/name_box';
import { ShareMenu } from '../ui/share_menu';
import type { PagePrefs } from './page_prefs';
import type { PageSettings } from './settings';

/** nameBox is this person's name and color, as typed and picked: remembered, and announced (announce). */
export function nameBox(prefs: PagePrefs, announce: () => void): NameBox {
  const me = prefs.current;
  const box = new NameBox(
    me.name,
    (name) => {
      prefs.update((p) => ({ ...p, name }));
      announce();
    },
    (color) => {
      // Picked by hand: the server keeps it (ui/person_color).
      prefs.update((p) => ({ ...p, color, colorPicked: true }));
      announce();
    },
  );
  box.setColor(me.color);
  return box;
}

/** shareMenu is the share menu with this board's links (a view link's page shares only its own). */
export function shareMenu(exports: Exports, s: PageSettings, readOnly: boolean): ShareMenu {
  const share = new ShareMenu({
    exportPNG: (scope, size) => void exports.downloadPNG(scope, size),
    exportSVG: (scope) => void exports.downloadSVG(scope),
  });
  share.setLinks(readOnly ? { edit: null, view: here() } : {
    edit: here(),
    view: s.viewLink ? absoluteURL(s.viewLink, location.href) : null,
    mod: s.modLink ? absoluteURL(s.modLink, location.href) : null,
  });
  return share;
}

/** here is the page's address without its fragment. */
export function here(): string {
  return location.href.replace(/#.*$/, '');
}
