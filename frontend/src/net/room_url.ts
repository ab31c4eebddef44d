// Where the board is: the room name from the page's path (/b/{room}) and the
// WebSocket URL of the room (/ws/{room} on the same host).

/** roomSegment returns the last path segment of /b/{room} as written (still URL-encoded), or ''. */
export function roomSegment(pathname: string): string {
  const parts = pathname.split('/').filter((p) => p !== '');
  return parts.length ? parts[parts.length - 1] : '';
}

/** roomName returns the room's name for people to read. */
export function roomName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** socketURL returns the room's WebSocket URL for a page at protocol//host. */
export function socketURL(protocol: string, host: string, segment: string): string {
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws/${segment}`;
}
