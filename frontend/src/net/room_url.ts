// Where the board is: the room name from the page's path (/b/{room}, or a
// view link /b/v.{id}), and the WebSocket URL of the room (/ws/{segment}
// on the same host, the segment taken verbatim).

/** VIEW_PREFIX starts the path segment of a read-only view link. */
export const VIEW_PREFIX = 'v.';

/** roomSegment returns the last path segment of /b/{room} as written (still URL-encoded), or ''. */
export function roomSegment(pathname: string): string {
  const parts = pathname.split('/').filter((p) => p !== '');
  return parts.length ? parts[parts.length - 1] : '';
}

/** isViewLink reports whether a path segment is a view link's (read-only: /b/v.{id}). */
export function isViewLink(segment: string): boolean {
  return segment.startsWith(VIEW_PREFIX);
}

/** roomName returns the room's name for people to read. */
export function roomName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * socketURL returns the room's WebSocket URL for a page at protocol//host.
 * An embed token (the page's token query parameter) goes along.
 */
export function socketURL(protocol: string, host: string, segment: string, token = ''): string {
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws/${segment}${q}`;
}

/** imageURL is where an image of the board is fetched (the segment as the page has it; a view link's works). */
export function imageURL(segment: string, hash: string, token = ''): string {
  return `/b/${segment}/img/${hash}` + (token ? `?token=${encodeURIComponent(token)}` : '');
}

/** imageUploadURL is where the page uploads an image to the board. */
export function imageUploadURL(segment: string, token = ''): string {
  return `/api/boards/${segment}/images` + (token ? `?token=${encodeURIComponent(token)}` : '');
}

/** absoluteURL resolves a link (such as the view link's path) against the page's address. */
export function absoluteURL(link: string, base: string): string {
  try {
    return new URL(link, base).href;
  } catch {
    return link;
  }
}
