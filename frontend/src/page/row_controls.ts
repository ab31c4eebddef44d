// The page's controls in the toolbar's row (page.ts's buildControls): the
// exports, the theme switch, images, the View only badge, share, help and
// the history panel. Each is a button whose panel is made when first
// opened (the share menu's links, the help's tables, the history panel
// itself), so all are in the row before its first fit, which places them
// once.

import type { Editor } from '../edit/editor';
import { LazyHistoryPanel as HistoryPanel } from '../history/history_lazy';
import { exposeHistory } from '../history/test_api';
import { SHORTCUTS, selects } from '../input/shortcuts';
import { roomName } from '../net/room_url';
import type { Renderer } from '../render/renderer';
import { h } from '../ui/dom';
import { Exports } from '../ui/exports';
import { HelpPanel } from '../ui/help';
import type { ShareMenu } from '../ui/share_menu';
import { ThemeSwitch } from '../ui/theme';
import { ImageControl } from './image_control';
import { shareMenu } from './later_parts';
import type { PagePrefs } from './page_prefs';
import type { PageSettings } from './settings';
import type { ToolControl } from './tool_control';

/** ControlDeps is what the row's controls work on. */
export interface ControlDeps {
  readonly s: PageSettings;
  readonly canvas: HTMLCanvasElement;
  readonly editor: Editor;
  readonly renderer: Renderer;
  readonly prefs: PagePrefs;
  readonly tools: ToolControl;
  readonly readOnly: () => boolean;
  /** Where this person's pointer is on the board (an image is pasted there). */
  readonly pointer: () => { x: number; y: number } | null;
  readonly tell: (message: string) => void;
  readonly schedule: () => void;
  /** The history panel opened or closed. */
  readonly historyToggled: (open: boolean) => void;
}

export interface RowControls {
  readonly exports: Exports;
  readonly theme: ThemeSwitch;
  readonly images: ImageControl;
  readonly badge: HTMLElement;
  readonly share: ShareMenu;
  readonly help: HelpPanel;
  readonly history: HistoryPanel;
}

/** rowControls makes the controls and puts them in the toolbar's row (an embed gets fewer). */
export function rowControls(d: ControlDeps): RowControls {
  const { s, renderer } = d;
  const embed = s.embed;
  const exports = new Exports(renderer, d.editor, roomName(s.segment), d.tell);
  // An embed's theme is the host's (theme=light|dark, else the system's), never remembered.
  const themed = (t: 'light' | 'dark'): void => renderer.setDark(t === 'dark');
  const theme = embed
    ? new ThemeSwitch(embed.theme, () => undefined, themed)
    : new ThemeSwitch(d.prefs.current.theme, (t) => d.prefs.update((p) => ({ ...p, theme: t })), themed);
  const images = new ImageControl({
    editor: d.editor,
    segment: s.segment,
    token: s.token,
    readOnly: d.readOnly,
    pointer: d.pointer,
    view: () => ({ view: renderer.view, width: renderer.width, height: renderer.height }),
    tell: d.tell,
    placed: () => {
      if (!selects(d.tools.tool)) d.tools.setTool('select');
    },
  });
  const badge = h('span', { class: 'tb-badge', 'data-testid': 'read-only', title: 'This link can look at the board but not draw', hidden: true }, 'View only');
  const share = shareMenu(exports, s, d.readOnly());
  const help = new HelpPanel(SHORTCUTS);
  const history = new HistoryPanel({
    segment: s.segment,
    token: s.token,
    room: roomName(s.segment),
    canvas: d.canvas,
    view: () => renderer.view,
    dark: () => renderer.painter.dark,
    readOnly: d.readOnly,
    schedule: d.schedule,
    toggled: d.historyToggled,
  });
  exposeHistory(history);
  const toolbar = d.tools.toolbar;
  if (!embed) {
    // An embed has no share menu (the host decides who gets what), no help, no theme switch.
    toolbar.addMore(history.button, 'history');
    toolbar.addMore(share.el, 'share');
    toolbar.addMore(help.button, 'help');
    toolbar.addMore(theme.button, 'theme');
  }
  if (!d.readOnly()) toolbar.addMore(images.button, 'image');
  toolbar.addMore(badge);
  return { exports, theme, images, badge, share, help, history };
}
