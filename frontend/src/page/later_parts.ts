// Parts of the page made after its first frame (page.ts's later(), one per
// task): what they need of the page, and how each is made.

import type { HistoryDeps } from '../history/history_panel';
import { LazyHistoryPanel } from '../history/history_lazy';
import { exposeHistory } from '../history/test_api';
import { absoluteURL, roomName } from '../net/room_url';
import type { Renderer } from '../render/renderer';
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
      // Picked by hand: kept, never given way (ui/person_color).
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

/** historyPanel is the board's past (history/): the slider, the timelapse, restore, export; its code loads when first opened. */
export function historyPanel(s: PageSettings, canvas: HTMLCanvasElement, renderer: Renderer, d: Pick<HistoryDeps, 'readOnly' | 'schedule' | 'toggled'>): LazyHistoryPanel {
  const history = new LazyHistoryPanel({
    segment: s.segment,
    token: s.token,
    room: roomName(s.segment),
    canvas,
    view: () => renderer.view,
    dark: () => renderer.painter.dark,
    ...d,
  });
  document.querySelector('#ui')?.append(history.el);
  exposeHistory(history);
  return history;
}

/** here is the page's address without its fragment. */
export function here(): string {
  return location.href.replace(/#.*$/, '');
}
