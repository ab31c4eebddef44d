// The DOM side of the embed bridge: messages in from the parent window at
// the host origin only, messages out to the parent window with the host
// origin as targetOrigin (so nobody else can read them, even if the parent
// navigated elsewhere). The checks themselves are messages.acceptCommand.

import { acceptCommand, validHost, type CommandMsg, type OutMsg } from './messages';

export interface Channel {
  post(m: OutMsg): void;
}

/**
 * openChannel listens for the host's commands and returns how to post to
 * it, or null when there is no host to talk to (no valid host origin, or
 * the page is not framed).
 */
export function openChannel(host: string | null, onCommand: (c: CommandMsg) => void): Channel | null {
  if (!validHost(host)) return null;
  const parent = window.parent;
  if (!parent || parent === window) return null;
  window.addEventListener('message', (ev: MessageEvent) => {
    const c = acceptCommand({ source: ev.source, origin: ev.origin, data: ev.data }, parent, host);
    if (c) onCommand(c);
  });
  return {
    post: (m) => {
      try {
        parent.postMessage(m, host);
      } catch {
        // a value that cannot be cloned: nothing to send
      }
    },
  };
}
