// What an export is called and how big a PNG is: pure. A file name carries
// the board's name and the local date and time, so a second export of the
// same board a minute later does not overwrite (or get renamed "(1)" by the
// browser), and the files sort by when they were made.

/** PNG_SCALES are the sizes offered: PNG pixels per CSS pixel of the exported area. */
export const PNG_SCALES: readonly number[] = [1, 2, 3];

/** defaultPNGScale is the screen's own density (devicePixelRatio), as offered. */
export function defaultPNGScale(dpr: number): number {
  return Math.max(1, Math.min(3, Math.round(dpr || 1)));
}

/**
 * exportFileName is board-YYYY-MM-DD-HHMM[@Nx].ext in local time: the board's
 * name made safe for any file system ('sketchpad' if nothing is left), and
 * the PNG size when it is not 1×, in the @2x form designers know.
 */
export function exportFileName(board: string, when: Date, ext: 'png' | 'svg', scale = 1): string {
  const safe = board.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^[_.]+|[_.]+$/g, '').slice(0, 80) || 'sketchpad';
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${p(when.getMonth() + 1)}-${p(when.getDate())}-${p(when.getHours())}${p(when.getMinutes())}`;
  return `${safe}-${stamp}${ext === 'png' && scale !== 1 ? `@${scale}x` : ''}.${ext}`;
}
