// The board as an SVG document, following PROTOCOL.md "Rendering" the way
// the server's /b/{room}.svg does (canvas/svg.go): highlighters in a layer
// under everything else, partial erasers as masks over what came before
// them in both layers, shapes, texts. Unlike the server's, pen strokes are
// their perfect-freehand outlines, as the page draws them. Coordinates stay
// in board units; the viewBox maps them (4 units are one CSS pixel). Pure:
// no DOM.

import { EMPTY_RECT, isEmpty, union, type Rect } from '../geometry/bounds';
import { BOARD_UNITS_PER_PX, strokeOutline } from '../geometry/outline';
import { arrowHead, corners, strokeExtent } from '../geometry/shape';
import { layoutText, textBaseline } from '../geometry/text_layout';
import { FONT_FAMILY } from '../geometry/text_metrics';
import { center } from '../protocol/rotate';
import type { Stroke } from '../protocol/stroke';
import { TOOL_ARROW, TOOL_ELLIPSE, TOOL_ERASER, TOOL_HIGHLIGHTER, TOOL_IMAGE, TOOL_LINE, TOOL_RECT, TOOL_TEXT } from '../protocol/types';

/** SvgStroke is a stroke as shown: what it is (the fields of a Stroke that drawing reads) and where (moved by dx, dy). */
export type SvgStroke = Pick<Stroke, 'author' | 'stroke' | 'tool' | 'pressure' | 'filled' | 'color' | 'width' | 'points' | 'text' | 'wrap' | 'rot'> & {
  readonly dx: number;
  readonly dy: number;
};

/** PAD is the margin (board units) around the drawing when the whole board is exported. */
export const PAD = 40;

/** contentBounds returns the union of the extents of what is drawn (erasers do not count), moved. */
export function contentBounds(strokes: readonly SvgStroke[]): Rect {
  let r: Rect = EMPTY_RECT;
  for (const s of strokes) {
    if (s.tool === TOOL_ERASER || s.points.length === 0) continue;
    const e = strokeExtent(s);
    r = union(r, { minX: e.minX + s.dx, minY: e.minY + s.dy, maxX: e.maxX + s.dx, maxY: e.maxY + s.dy });
  }
  return r;
}

/** exportArea returns the board rectangle to export: the given one, or the drawing and a margin (a default page when empty). */
export function exportArea(strokes: readonly SvgStroke[], area?: Rect): Rect {
  if (area && !isEmpty(area)) return area;
  const c = contentBounds(strokes);
  if (isEmpty(c)) return { minX: 0, minY: 0, maxX: 1600, maxY: 1200 };
  return { minX: Math.floor(c.minX - PAD), minY: Math.floor(c.minY - PAD), maxX: Math.ceil(c.maxX + PAD), maxY: Math.ceil(c.maxY + PAD) };
}

const num = (v: number): string => {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};

function hex(c: number): string {
  return '#' + ((c >>> 8) & 0xffffff).toString(16).padStart(6, '0');
}

function alpha(prop: string, c: number): string {
  const a = c & 0xff;
  return a === 255 ? '' : ` ${prop}="${(a / 255).toFixed(3)}"`;
}

/** escapeXML escapes text for XML content and attributes, dropping characters XML 1.0 forbids. */
export function escapeXML(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 && ch !== '\t' && ch !== '\n') continue;
    if (code === 0xfffe || code === 0xffff) continue;
    out += ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : ch === '"' ? '&quot;' : ch === "'" ? '&apos;' : ch;
  }
  return out;
}

function dataAttr(s: SvgStroke): string {
  return ` data-stroke="${s.author}-${s.stroke}"`;
}

/** moveAttr moves s by (dx, dy) and turns it about its center (as canvas/svg.go writes rotate()). */
function moveAttr(s: SvgStroke): string {
  const move = s.dx === 0 && s.dy === 0 ? '' : `translate(${num(s.dx)} ${num(s.dy)})`;
  let turn = '';
  if (s.rot) {
    const [cx, cy] = center(s.points);
    turn = `rotate(${num(s.rot / 100)} ${cx} ${cy})`;
  }
  return move || turn ? ` transform="${[move, turn].filter(Boolean).join(' ')}"` : '';
}

/** polyline draws a flat path (highlighter, eraser): round caps and joins; one point is a dot. */
function polyline(s: SvgStroke, color: string, opacity: string, attrs: string): string {
  const pts = s.points;
  if (pts.length === 1) {
    return `<circle${attrs} cx="${num(pts[0].x)}" cy="${num(pts[0].y)}" r="${num(s.width / 2)}" fill="${color}"${opacity.replace('stroke-opacity', 'fill-opacity')}/>`;
  }
  let d = '';
  for (let i = 0; i < pts.length; i++) d += (i ? 'L' : 'M') + num(pts[i].x) + ' ' + num(pts[i].y);
  return `<path${attrs} d="${d}" fill="none" stroke="${color}" stroke-width="${s.width}" stroke-linecap="round" stroke-linejoin="round"${opacity}/>`;
}

/** outlineD is a pen stroke's outline as path data (midpoint quadratics, as the canvas draws it). */
export function outlineD(outline: readonly number[][]): string {
  const n = outline.length;
  if (n === 0) return '';
  const p = (i: number): string => num(outline[i][0]) + ' ' + num(outline[i][1]);
  if (n < 3) {
    let d = 'M' + p(0);
    for (let i = 0; i < n; i++) d += 'L' + p(i);
    return d + 'Z';
  }
  const mid = (i: number, j: number): string => num((outline[i][0] + outline[j][0]) / 2) + ' ' + num((outline[i][1] + outline[j][1]) / 2);
  let d = 'M' + mid(0, 1);
  for (let i = 1; i <= n; i++) {
    const a = i % n;
    const b = (i + 1) % n;
    d += 'Q' + p(a) + ' ' + mid(a, b);
  }
  return d + 'Z';
}

/** ImageHref gives an image's href by hash (a data: URL, so the SVG stands alone), or null: a gray box. */
export type ImageHref = (hash: string) => string | null;

function element(s: SvgStroke, imageHref?: ImageHref): string {
  const color = hex(s.color);
  const attrs = dataAttr(s) + moveAttr(s);
  const outline = `stroke="${color}" stroke-width="${s.width}" stroke-linecap="round" stroke-linejoin="round"${alpha('stroke-opacity', s.color)}`;
  const [a, b] = [s.points[0], s.points[1] ?? s.points[0]];
  switch (s.tool) {
    case TOOL_LINE:
      return `<line${attrs} x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" ${outline}/>`;
    case TOOL_ARROW: {
      const [l, r] = arrowHead(a, b, s.width);
      return (
        `<g${attrs}><line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" ${outline}/>` +
        `<polygon points="${b.x},${b.y} ${l.x},${l.y} ${r.x},${r.y}" fill="${color}"${alpha('fill-opacity', s.color)} ${outline}/></g>`
      );
    }
    case TOOL_RECT:
    case TOOL_ELLIPSE: {
      const q = corners(a, b);
      const fill = s.filled ? `fill="${color}"${alpha('fill-opacity', s.color)}` : 'fill="none"';
      if (s.tool === TOOL_RECT) return `<rect${attrs} x="${q.minX}" y="${q.minY}" width="${q.maxX - q.minX}" height="${q.maxY - q.minY}" ${fill} ${outline}/>`;
      return `<ellipse${attrs} cx="${num((q.minX + q.maxX) / 2)}" cy="${num((q.minY + q.maxY) / 2)}" rx="${num((q.maxX - q.minX) / 2)}" ry="${num((q.maxY - q.minY) / 2)}" ${fill} ${outline}/>`;
    }
    case TOOL_TEXT: {
      let out = `<text${attrs} font-family="'${FONT_FAMILY}', sans-serif" font-size="${s.width}" font-kerning="none" fill="${color}"${alpha('fill-opacity', s.color)} xml:space="preserve">`;
      layoutText(s.text, s.width, s.wrap ?? 0).forEach((line, i) => {
        out += `<tspan x="${a.x}" y="${(a.y + textBaseline(s.width, i)).toFixed(2)}">${escapeXML(line.text)}</tspan>`;
      });
      return out + '</text>';
    }
    case TOOL_HIGHLIGHTER:
      return polyline(s, color, alpha('stroke-opacity', s.color), attrs);
    case TOOL_IMAGE: {
      const q = corners(a, b);
      const box = `x="${q.minX}" y="${q.minY}" width="${q.maxX - q.minX}" height="${q.maxY - q.minY}"`;
      const href = imageHref?.(s.text) ?? null;
      const op = alpha('opacity', s.color);
      if (href === null) return `<rect${attrs} ${box} fill="#d0d0d0"${op}/>`;
      return `<image${attrs} ${box} preserveAspectRatio="none" href="${escapeXML(href)}"${op}/>`;
    }
    default: {
      // pen: its outline, filled
      const d = outlineD(strokeOutline(s, true));
      return `<path${attrs} d="${d}" fill="${color}"${alpha('fill-opacity', s.color)}/>`;
    }
  }
}

/**
 * boardSVG returns a standalone SVG document of strokes (shown, in z-order)
 * over area (board units; default: the drawing and a margin), on white.
 */
export function boardSVG(strokes: readonly SvgStroke[], area?: Rect, imageHref?: ImageHref): string {
  const r = exportArea(strokes, area);
  const x = Math.floor(r.minX);
  const y = Math.floor(r.minY);
  const w = Math.max(1, Math.ceil(r.maxX) - x);
  const h = Math.max(1, Math.ceil(r.maxY) - y);
  let under = '';
  let ink = '';
  let defs = '';
  let masks = 0;
  for (const s of strokes) {
    if (s.points.length === 0) continue;
    if (s.tool === TOOL_ERASER) {
      const id = 'e' + ++masks;
      defs += `<mask id="${id}" maskUnits="userSpaceOnUse" x="${x}" y="${y}" width="${w}" height="${h}">`;
      defs += `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#fff"/>`;
      defs += polyline(s, '#000', '', moveAttr(s));
      defs += '</mask>';
      if (under) under = `<g mask="url(#${id})">${under}</g>`;
      if (ink) ink = `<g mask="url(#${id})">${ink}</g>`;
    } else if (s.tool === TOOL_HIGHLIGHTER) {
      under += element(s);
    } else {
      ink += element(s, imageHref);
    }
  }
  const px = (u: number): string => num(u / BOARD_UNITS_PER_PX);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${w} ${h}" width="${px(w)}" height="${px(h)}">` +
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#ffffff"/>` +
    (defs ? `<defs>${defs}</defs>` : '') +
    `<g data-layer="highlighter">${under}</g><g data-layer="ink">${ink}</g></svg>\n`
  );
}

/** strokeSVG is one stroke's element as boardSVG writes it; flatSVG a flat path (an eraser's, in a mask). */
export { element as strokeSVG, polyline as flatSVG };
