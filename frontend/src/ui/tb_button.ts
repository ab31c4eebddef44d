// A toolbar button: an icon, an accessible name (aria-label and title) and
// a stable data-testid.

import { h, svgIcon } from './dom';

/** button makes a toolbar button with an icon, an accessible name and a data-testid. */
export function button(testid: string, label: string, icon: string, extra: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'tb-btn', 'data-testid': testid, 'aria-label': label, title: label, ...extra });
  b.append(svgIcon(icon));
  return b;
}
