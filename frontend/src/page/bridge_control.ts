// The embed's postMessage API, as the page answers it: what a host page may
// ask of the board (embed/commands' BoardControl) done with the page's
// parts, and the channel opened when the server named a host origin and the
// page is framed.

import type { Editor } from '../edit/editor';
import { Bridge } from '../embed/bridge';
import { openChannel } from '../embed/channel';
import type { BoardControl } from '../embed/commands';
import { tokenProblem } from '../embed/token';
import type { LazyHistoryPanel } from '../history/history_lazy';
import { PART_ALPHA, PART_FILL, PART_RGB, PART_WIDTH } from '../protocol/types';
import type { Exports } from '../ui/exports';
import { ImageControl, fetchImage } from './image_control';
import type { SweepNotes } from './sweeps';
import type { ToolControl } from './tool_control';

/** BridgeParts is what the host's commands act on. */
export interface BridgeParts {
  readonly readOnly: () => boolean;
  readonly tools: ToolControl;
  readonly editor: Editor;
  readonly sweeps: SweepNotes;
  readonly exports: Exports;
  readonly images: ImageControl;
  readonly history: LazyHistoryPanel;
}

/** boardControl is the host's commands, each done with the page's parts. */
function boardControl(p: BridgeParts): BoardControl {
  const { tools, editor } = p;
  return {
    readOnly: p.readOnly,
    setTool: (t) => tools.setTool(t),
    setColor: (rgba, alpha) => {
      tools.setColor(rgba);
      if (alpha) tools.setAlpha(rgba & 0xff);
    },
    setWidth: (units) => tools.setWidth(units),
    restyleSelection: (st) => {
      const parts = (st.color ? PART_RGB | (st.color.alpha ? PART_ALPHA : 0) : 0) | (st.units ? PART_WIDTH : 0) | (st.fill !== undefined ? PART_FILL : 0);
      const units = st.units ?? 0;
      return editor.arrange.restyle({ parts, color: st.color?.rgba ?? 0, filled: st.fill ?? false, width: () => units });
    },
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    clear: () => void editor.sweeps.clear(),
    undoClear: () => p.sweeps.undoClear(),
    exportPNG: (scope) => p.exports.png(scope),
    exportSVG: (scope) => p.exports.svg(scope),
    insertImage: async (src) => p.images.insert(typeof src === 'string' ? await fetchImage(src) : src),
    openHistory: () => void p.history.show(),
    closeHistory: () => p.history.close(),
  };
}

/**
 * openBridge opens the postMessage API to the host page at host (the origin
 * the server allowed) and says the board loaded; null when the page is not
 * framed by it.
 */
export function openBridge(host: string | null, token: string, segment: string, parts: BridgeParts): Bridge | null {
  let bridge: Bridge | null = null;
  const channel = openChannel(host, (c) => void bridge?.command(c));
  if (!channel) return null;
  bridge = new Bridge((m) => channel.post(m), boardControl(parts), () => tokenProblem(token, segment, Date.now()));
  bridge.loaded();
  return bridge;
}
