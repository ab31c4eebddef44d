// People's colors on one board, as the page sends and shows them. Pure.
//
// The server hands out the colors (protocol version 6, PROTOCOL.md
// "Colors"): a page whose person did not pick a color asks for one by
// sending it with alpha 0 in Hello and Name, its RGB the color it had (the
// server gives it back when it is among the least used on the board), and
// learns what it got from the Presence of its own author. A picked color
// goes with alpha 0xff and is kept as it is, even when someone else shows
// it. In Presence the server marks a person who can only look (a view
// link or token) with alpha 0: a person's ink is never transparent, so
// alpha 0 is free to mean "a viewer"; pages show that color opaque and the
// person as viewing.

/** asking returns the color a page sends to ask the server for one, preferring color. */
export function asking(color: number): number {
  return (color & 0xffffff00) >>> 0;
}

/** asViewer returns color marked as a viewer's (alpha 0), as Presence has it. */
export function asViewer(color: number): number {
  return (color & 0xffffff00) >>> 0;
}

/** isViewer tells whether a presence color marks a viewer. */
export function isViewer(color: number): boolean {
  return (color & 0xff) === 0;
}

/** opaque returns the color to show for a presence color (a viewer's made opaque). */
export function opaque(color: number): number {
  return (color | 0xff) >>> 0;
}

/** sentColor is the color a page sends in Hello and Name for its person's: a picked one as it is, else a request preferring it. */
export function sentColor(p: { readonly color: number; readonly colorPicked: boolean }): number {
  return p.colorPicked ? opaque(p.color) : asking(p.color);
}
