// What the page is, read once at load from its address and the server's
// meta tags: the board, the token, an embed's configuration, whether the
// page may draw. Pure: main.ts hands it the address and a meta reader.

import { parseEmbedConfig, type EmbedConfig } from '../embed/config';
import { tokenClaims } from '../embed/token';
import { isViewLink, roomName, roomSegment } from '../net/room_url';

/** PageEnv is what the settings are read from. */
export interface PageEnv {
  readonly pathname: string;
  readonly search: string;
  /** The content of the page's <meta name="…">, or null. */
  meta(name: string): string | null;
}

export interface PageSettings {
  /** The board's path segment as written: a room name, or a view id (v.…). */
  readonly segment: string;
  /** The token= of the address ('' without one). */
  readonly token: string;
  /** An embedded board (/embed/{board}): a compact toolbar, configured by the query string; null: a page of its own. */
  readonly embed: EmbedConfig | null;
  /**
   * A view link, a view token or readonly=1 cannot change the board. An
   * embed's path names the board by its view id whatever the token allows:
   * there only the server's meta tag (from the token) and readonly=1 count.
   */
  readonly readOnly: boolean;
  readonly title: string;
  /**
   * The name an embed token carries (the server forces it): the page shows
   * and sends it without remembering it; null: the person's own.
   */
  readonly forcedName: string | null;
  /** The board's view link as the server offers it (relative or absolute), or null. */
  readonly viewLink: string | null;
  /** The board's moderator link as the server offers it to an edit page, or null. */
  readonly modLink: string | null;
  /** The page came through a moderator link or a moderate token: it may remove someone's work. */
  readonly moderator: boolean;
  /** The host origin an embed's postMessage API talks to, or null. */
  readonly embedHost: string | null;
  /** Why the server refused the embed (a bad token) while still sending the page, or null. */
  readonly embedError: string | null;
}

/** readSettings reads the page's settings from env. */
export function readSettings(env: PageEnv): PageSettings {
  const segment = roomSegment(env.pathname) || 'lobby';
  const query = new URLSearchParams(env.search);
  const token = query.get('token') ?? '';
  const embed = env.meta('sketchpad-embed') === '1' ? parseEmbedConfig(query) : null;
  const serverReadOnly = env.meta('sketchpad-read-only') === '1';
  return {
    segment,
    token,
    embed,
    readOnly: embed ? serverReadOnly || embed.readOnly : isViewLink(segment) || serverReadOnly,
    title: embed ? 'Sketchpad' : isViewLink(segment) ? 'View only · Sketchpad' : `${roomName(segment)} · Sketchpad`,
    forcedName: embed ? tokenClaims(token)?.name || null : null,
    viewLink: env.meta('sketchpad-view-link'),
    modLink: embed ? null : env.meta('sketchpad-mod-link'),
    moderator: env.meta('sketchpad-moderator') === '1',
    embedHost: embed ? env.meta('sketchpad-embed-host') : null,
    embedError: embed ? env.meta('sketchpad-embed-error') : null,
  };
}
