// The text font is fetched when a text is first drawn, not with the page:
// it is three times the rest of the page's bytes, and most boards hold no
// text. Nothing waits for it: texts are laid out from the font's tables
// (geometry/text_metrics.ts), so only their look changes when it arrives,
// and whatever drew them in a fallback draws them again then.

import { FONT_FAMILY } from '../geometry/text_metrics';

/** TEXT_FONT is the CSS font family texts are drawn in (app.css loads it with @font-face). */
export const TEXT_FONT = `'${FONT_FAMILY}', sans-serif`;

let asked = false;

/**
 * wantTextFont starts fetching the text font once per page (a drawn text
 * or the text tool needs it). A browser fetches an @font-face font only
 * for text it lays out, and a canvas's text is not laid out: asked here.
 */
export function wantTextFont(): void {
  if (asked) return;
  asked = true;
  fonts()?.load(`16px ${TEXT_FONT}`).catch(() => undefined);
}

/**
 * onTextFont calls arrived each time the text font finishes loading,
 * whoever asked for it (wantTextFont, or the text editor's own field).
 */
export function onTextFont(arrived: () => void): void {
  fonts()?.addEventListener('loadingdone', (e) => {
    const faces = (e as FontFaceSetLoadEvent).fontfaces ?? [];
    if (faces.some((f) => f.family.replace(/^["']|["']$/g, '') === FONT_FAMILY)) arrived();
  });
}

/** textFontLoaded reports whether this page has fetched the text font (the service worker then keeps it too). */
export function textFontLoaded(): boolean {
  const set = fonts();
  if (!set) return false;
  for (const f of set) if (f.status === 'loaded' && f.family.replace(/^["']|["']$/g, '') === FONT_FAMILY) return true;
  return false;
}

/** fonts is the page's font set (none where there is no document: the unit tests). */
function fonts(): FontFaceSet | undefined {
  return typeof document === 'undefined' ? undefined : document.fonts;
}
