// The highlighter in the dark theme. Pure.
//
// The dark theme shows the board through the CSS filter
// `invert(1) hue-rotate(180deg)` (app.css --board-filter): black ink turns
// white and hues stay. For a highlighter that is wrong: a light wash (the
// yellow one) turns into a dark brown one, about 1.4:1 against the dark
// page, which reads as dirt, not as a highlight. So in the dark theme a
// highlighter shows as the lighter of its color and its inverted color: a
// light highlighter is painted with the color the filter turns back into
// it (as near as the filter's clamping allows), and a dark one is left to
// the filter, which makes it light. A translucent wash also says less on a
// dark page than on white, so its opacity is raised (α → 1 − (1 − α)²: 40 %
// becomes 64 %); highlighters lie under the ink, so no ink is hidden.
// Wire colors and exports are untouched.

type RGB = readonly [number, number, number];

// hue-rotate(180deg) as CSS Filter Effects defines it (on sRGB values); it
// is its own inverse.
const H: readonly RGB[] = [
  [-0.574, 1.43, 0.144],
  [0.426, 0.43, 0.144],
  [0.426, 1.43, -0.856],
];

const clamp = (v: number): number => Math.min(1, Math.max(0, v));

function hueRotate180(c: RGB): RGB {
  return [0, 1, 2].map((i) => clamp(H[i][0] * c[0] + H[i][1] * c[1] + H[i][2] * c[2])) as unknown as RGB;
}

/** boardFilter is what the dark theme's filter makes of a color (channels 0..1). */
export function boardFilter(c: RGB): RGB {
  return hueRotate180([1 - c[0], 1 - c[1], 1 - c[2]]);
}

/** unfilter is the color the filter turns into c, as near as its clamping allows. */
function unfilter(c: RGB): RGB {
  const t = hueRotate180(c);
  return [1 - t[0], 1 - t[1], 1 - t[2]];
}

/** luminance is the relative luminance (WCAG) of sRGB channels 0..1. */
export function luminance(c: RGB): number {
  const lin = (v: number): number => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

/** rgbOf splits an RGBA u32 into channels 0..1 and its alpha 0..1. */
export function rgbOf(rgba: number): [RGB, number] {
  return [[((rgba >>> 24) & 255) / 255, ((rgba >>> 16) & 255) / 255, ((rgba >>> 8) & 255) / 255], (rgba & 255) / 255];
}

/**
 * darkHighlight returns the RGBA u32 to paint a highlighter of color rgba
 * with in the dark theme (before the board's filter).
 */
export function darkHighlight(rgba: number): number {
  const [c, a] = rgbOf(rgba);
  const shown = luminance(c) > luminance(boardFilter(c)) ? unfilter(c) : c;
  const alpha = 1 - (1 - a) ** 2;
  const b = (v: number): number => Math.round(clamp(v) * 255);
  return ((b(shown[0]) << 24) | (b(shown[1]) << 16) | (b(shown[2]) << 8) | b(alpha)) >>> 0;
}
