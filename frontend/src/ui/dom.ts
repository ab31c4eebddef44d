// A tiny helper to build DOM elements.

type Attrs = Record<string, string | number | boolean | undefined>;

/** h creates an element with attributes (false/undefined skipped) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

/**
 * setChildren makes parent's children exactly kids, in order, moving only
 * the ones not already in place: a node moved is laid out anew, and the
 * toolbar's fit places its controls several times in one frame.
 */
export function setChildren(parent: Element, kids: readonly Element[]): void {
  kids.forEach((kid, i) => {
    const at = parent.children[i];
    if (at !== kid) parent.insertBefore(kid, at ?? null);
  });
  while (parent.children.length > kids.length) parent.lastElementChild!.remove();
}

/** svgIcon returns an inline SVG icon (24×24 viewBox, stroked paths), hidden from screen readers. */
export function svgIcon(paths: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths.split('|')) {
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

export const ICONS = {
  laser: 'M4 20l7-7|M15 3v2|M21 9h-2|M19.2 4.8l-1.4 1.4|M13 9a2 2 0 1 0 4 0a2 2 0 1 0-4 0',
  pen: 'M4 20l4.5-1 10-10a2.1 2.1 0 0 0-3-3l-10 10L4 20z|M14 7l3 3',
  highlighter: 'M9 15l-3 3v2h5l2-2|M9 15l8-8a2 2 0 0 1 3 3l-8 8|M9 15l3 3|M14 20h6',
  eraser: 'M8 20h12|M5.5 14.5l8-8a2 2 0 0 1 2.8 0l2.2 2.2a2 2 0 0 1 0 2.8L12 18H9.5l-4-4a2 2 0 0 1 0-2.8',
  partialEraser: 'M5.5 14.5l8-8a2 2 0 0 1 2.8 0l2.2 2.2a2 2 0 0 1 0 2.8L12 18H9.5l-4-4a2 2 0 0 1 0-2.8|M9 10l5 5|M3 21h2|M8 21h2|M13 21h2|M18 21h2',
  select: 'M5 3l14 7-6 2-2 6z',
  lasso: 'M8.5 16.6C5.3 15.7 3 13.5 3 11c0-3.9 4-7 9-7s9 3.1 9 7-4 7-9 7c-1.1 0-2.1-.1-3.1-.4|M9 17a2 2 0 1 0-4 0c0 1.5 1.5 2 1.5 3.5', 
  hand: 'M8 13V5.5a1.5 1.5 0 0 1 3 0V12|M11 5.5v-1a1.5 1.5 0 0 1 3 0V12|M14 6.5a1.5 1.5 0 0 1 3 0V12|M17 9.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-2a6 6 0 0 1-5-2.7L4.3 14.5a1.6 1.6 0 0 1 2.6-1.9L8 14',
  line: 'M5 19L19 5',
  arrow: 'M5 19L19 5|M10 5h9v9',
  rect: 'M4 6h16v12H4z',
  ellipse: 'M12 5c4.4 0 8 3.1 8 7s-3.6 7-8 7-8-3.1-8-7 3.6-7 8-7z',
  text: 'M5 6V4h14v2|M12 4v16|M9 20h6',
  image: 'M4 5h16v14H4z|M4 16l5-5 4 4 2-2 5 5|M15 9.5a1.5 1.5 0 1 0 0-.01',
  fill: 'M5 12l7-7 7 7-7 7z|M12 5v14|M5 12h14',
  undo: 'M9 14L4 9l5-5|M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'M15 14l5-5-5-5|M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
  trash: 'M4 7h16|M10 11v6|M14 11v6|M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12|M9 7V4h6v3',
  plus: 'M12 5v14|M5 12h14',
  minus: 'M5 12h14',
  fit: 'M4 9V4h5|M20 9V4h-5|M4 15v5h5|M20 15v5h-5',
  share: 'M18 8a3 3 0 1 0-3-3|M6 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z|M18 22a3 3 0 1 0 0-6 3 3 0 0 0 0 6z|M8.6 13.5l6.8 4|M15.4 6.5l-6.8 4|M15 5a3 3 0 0 0 3 3',
  help: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z|M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14|M12 17.5v.01',
  theme: 'M12 21a9 9 0 1 0 0-18z|M12 3a9 9 0 0 0 0 18',
  download: 'M12 4v11|M7 10l5 5 5-5|M5 20h14',
  copy: 'M9 9h11v11H9z|M5 15H4V4h11v1',
  paste: 'M9 3h6v3H9z|M15 4.5h4v16.5H5V4.5h4|M9 12h6|M9 16h4',
  duplicate: 'M9 9h11v11H9z|M5 15H4V4h11v1|M14.5 12v5|M12 14.5h5',
  front: 'M4 15V4h11|M8 8h12v12H8z|M14 17v-6|M11.5 13.5L14 11l2.5 2.5',
  back: 'M8 8h12v12h-3|M4 4h11v11H4z|M9.5 7v6|M7 10.5L9.5 13l2.5-2.5',
  chevron: 'M6 9l6 6 6-6',
  more: 'M5 12h.01|M12 12h.01|M19 12h.01',
  people: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z|M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1|M16 3.1a4 4 0 0 1 0 7.8|M22 21v-1a6 6 0 0 0-4-5.7',
  map: 'M9 4L3 6v14l6-2 6 2 6-2V4l-6 2z|M9 4v14|M15 6v14',
  target: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z|M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z|M12 12h.01',
  follow: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z|M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
};

/**
 * dismissOn closes a popover the ways people expect: Escape inside `keys`
 * (kept from the page's own Escape, and focus goes back to the opener:
 * close(true)), or a press anywhere outside `root` while it is open.
 */
export function dismissOn(root: HTMLElement, keys: HTMLElement, isOpen: () => boolean, close: (refocus: boolean) => void): void {
  keys.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close(true);
    }
  });
  document.addEventListener('pointerdown', (e) => {
    if (isOpen() && e.target instanceof Node && !root.contains(e.target)) close(false);
  });
}
