// What the keyboard's commands do (input/shortcuts names them). A viewer
// may only look around; an embed's keyboard picks only the tools its
// toolbar shows and has no help panel.

import type { Editor } from '../edit/editor';
import type { EmbedConfig } from '../embed/config';
import { TOOL_NAMES, isNudge, selects, type Command } from '../input/shortcuts';
import { WHERE_BACK, WHERE_BACKWARD, WHERE_FORWARD, WHERE_FRONT } from '../protocol/types';
import type { HelpPanel } from '../ui/help';
import type { ShareMenu } from '../ui/share_menu';
import type { Tool } from '../ui/toolbar';
import type { Following } from './following';
import type { ToolControl } from './tool_control';
import type { ViewControl } from './view_control';
import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import { ZOOM_STEP } from '../geometry/view';

/** What a viewer may do from the keyboard. */
const VIEWER: readonly Command[] = ['hand', 'zoom-in', 'zoom-out', 'zoom-reset', 'zoom-fit', 'help', 'escape', 'history'];

export interface KeyDeps {
  readonly editor: Editor;
  readonly tools: ToolControl;
  readonly view: ViewControl;
  readonly following: Following;
  readonly help: HelpPanel;
  readonly share: ShareMenu;
  /** The history panel (history/history_panel); null: none. */
  readonly history: { readonly open: boolean; toggle(): void; close(): void } | null;
  /** An embedded board's configuration; null: a page of its own. */
  readonly embed: EmbedConfig | null;
  readonly readOnly: () => boolean;
}

export class KeyCommands {
  constructor(private readonly d: KeyDeps) {}

  /** run does command c, unless this page may not. */
  run(c: Command): void {
    const { editor, tools, view } = this.d;
    if ((this.d.readOnly() && !VIEWER.includes(c)) || this.hidden(c)) return;
    if (isNudge(c)) {
      // One CSS pixel of the board at 100 % (four units), ten with Shift.
      const step = (c.endsWith('-far') ? 10 : 1) * BOARD_UNITS_PER_PX;
      const [dx, dy] = c.startsWith('nudge-left') ? [-step, 0] : c.startsWith('nudge-right') ? [step, 0] : c.startsWith('nudge-up') ? [0, -step] : [0, step];
      editor.arrange.nudge(dx, dy);
      return;
    }
    switch (c) {
      case 'duplicate':
        if (selects(tools.tool)) editor.arrange.duplicate();
        break;
      case 'front':
      case 'back':
      case 'forward':
      case 'backward':
        editor.arrange.order({ front: WHERE_FRONT, back: WHERE_BACK, forward: WHERE_FORWARD, backward: WHERE_BACKWARD }[c]);
        break;
      case 'undo':
        editor.undo();
        break;
      case 'redo':
        editor.redo();
        break;
      case 'zoom-in':
        view.zoomBy(ZOOM_STEP);
        break;
      case 'zoom-out':
        view.zoomBy(1 / ZOOM_STEP);
        break;
      case 'zoom-reset':
        view.zoomReset();
        break;
      case 'zoom-fit':
        view.zoomToFit();
        break;
      case 'fill':
        tools.toggleFill();
        break;
      case 'delete':
        editor.deleteSelection();
        break;
      case 'select-all':
        if (!selects(tools.tool)) tools.setTool('select');
        editor.selectAll();
        break;
      case 'escape':
        if (this.d.help.open) this.d.help.close();
        else if (this.d.history?.open) this.d.history.close();
        else if (this.d.share.isOpen()) this.d.share.close(true);
        else if (editor.selection.length) editor.select([]);
        else this.d.following.stop();
        break;
      case 'help':
        this.d.help.toggle();
        break;
      case 'history':
        this.d.history?.toggle();
        break;
      default:
        tools.setTool(c);
        break;
    }
  }

  /** hidden: an embed's keyboard picks only the tools its toolbar shows; it has no help panel. */
  private hidden(c: Command): boolean {
    const embed = this.d.embed;
    return embed !== null && (c === 'help' || (embed.tools !== null && (TOOL_NAMES as readonly string[]).includes(c) && !embed.tools.includes(c as Tool)));
  }
}
