// The toolbar's history button, made with the page's start: the panel it
// opens (history_panel.ts) is loaded when first opened (history_lazy.ts).

import { h, svgIcon } from '../ui/dom';

const CLOCK_ICON = 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z|M12 7v5l3 2';

export function historyButton(): HTMLButtonElement {
  const b = h('button', {
    type: 'button',
    class: 'tb-btn',
    'data-testid': 'history',
    'aria-label': 'History (Shift+H)',
    title: 'History: the board at any point, timelapse, restore (Shift+H)',
    'aria-expanded': 'false',
    'aria-controls': 'history-panel',
  });
  b.append(svgIcon(CLOCK_ICON));
  return b;
}
