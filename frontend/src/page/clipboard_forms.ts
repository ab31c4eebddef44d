// Which clipboard types a copy's SVG goes under (page/clipboard_picture).
// DOM-free, so the unit tests check it.

/** pictureForms returns the MIME type this browser's clipboard takes the SVG as: a standard type, else a web custom format; null for neither. */
export function pictureForms(supports: ((type: string) => boolean) | undefined): { svg: string | null } {
  // Without ClipboardItem.supports (Chromium before 121) custom formats are tried, and dropped if the write fails.
  if (!supports) return { svg: 'web image/svg+xml' };
  if (supports('image/svg+xml')) return { svg: 'image/svg+xml' };
  return { svg: supports('web image/svg+xml') ? 'web image/svg+xml' : null };
}
