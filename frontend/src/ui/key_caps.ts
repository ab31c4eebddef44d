// How the help panel writes a shortcut's keys (ui/help_tables): keycaps
// and the words between (or plain text, for a button's title), with ⌘ for
// Ctrl on Apple platforms, whose command key the keyboard takes as Ctrl
// (input/shortcuts). Pure.

/** isApple reports whether this is an Apple platform, whose command key is ⌘. */
export function isApple(nav: { readonly platform?: string; readonly userAgent?: string }): boolean {
  return /Mac|iPhone|iPad|iPod/.test(nav.platform || nav.userAgent || '');
}

/** keyParts splits "Ctrl+Shift+Z / Ctrl+Y" into keycaps ({ kbd }) and the words between, Ctrl as ⌘ when apple. Pure. */
export function keyParts(text: string, apple = false): Array<{ readonly kbd: string } | string> {
  const out: Array<{ readonly kbd: string } | string> = [];
  text.split(' / ').forEach((alt, i) => {
    if (i) out.push(' or ');
    alt.split('+').forEach((k, j) => {
      if (j) out.push('+');
      let key = k.trim();
      if (apple && key.startsWith('Ctrl')) key = '⌘' + key.slice(4);
      out.push(/^[A-Za-z0-9?!+−\-⌘]$|^(Ctrl|Shift|Space|Escape|Delete|Backspace|Enter)$/.test(key) ? { kbd: key } : key);
    });
  });
  return out;
}

/** keyText writes a shortcut's keys as plain text (a button's title), with ⌘ for Ctrl when apple. Pure. */
export function keyText(text: string, apple = false): string {
  return keyParts(text, apple)
    .map((p) => (typeof p === 'string' ? p : p.kbd))
    .join('');
}
