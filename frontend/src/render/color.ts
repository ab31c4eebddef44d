// Colors on the wire are u32 RGBA (0xRRGGBBAA).

/** cssColor returns a CSS color for an RGBA u32. */
export function cssColor(c: number): string {
  const r = (c >>> 24) & 0xff;
  const g = (c >>> 16) & 0xff;
  const b = (c >>> 8) & 0xff;
  const a = c & 0xff;
  if (a === 0xff) return '#' + hex2(r) + hex2(g) + hex2(b);
  return `rgba(${r},${g},${b},${+(a / 255).toFixed(3)})`;
}

/** hexColor returns #rrggbb for an RGBA u32 (alpha dropped), as <input type=color> wants. */
export function hexColor(c: number): string {
  return '#' + hex2((c >>> 24) & 0xff) + hex2((c >>> 16) & 0xff) + hex2((c >>> 8) & 0xff);
}

/** parseHexColor reads #rrggbb (or #rgb) as an opaque RGBA u32, or null. */
export function parseHexColor(s: string): number | null {
  let hex = s.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = hex.replace(/./g, (d) => d + d);
  if (!/^[0-9a-f]{6}$/i.test(hex)) return null;
  return ((parseInt(hex, 16) << 8) | 0xff) >>> 0;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16);
}
