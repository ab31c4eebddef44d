// What was last copied, for a paste without a clipboard. A page may not
// read the system clipboard from a button: that needs the clipboard-read
// permission, which the page's Permissions-Policy denies
// (server/security_headers.go), and a phone has no Ctrl+V to fire the
// browser's paste event, which needs none. So the page keeps its last copy
// (Sketchpad's clipboard text, edit/clipboard) and the toolbar's Paste
// button pastes that.
//
// A copy in another open tab of this site counts too (a phone user copies
// on one board and pastes on another, as Ctrl+V does between tabs): each
// copy is posted on a BroadcastChannel, and every open tab keeps the last
// it heard. It is kept in memory only, never stored: a tab opened after
// the copy has nothing to paste, and nothing copied outlives the tabs (a
// board's drawing left in storage, or a copy of several megabytes of
// images against a storage quota, would be worse than that). An embed's
// channel is its host site's (browsers partition it), so a board embedded
// elsewhere does not hear this site's tabs.

/** The channel's name: every Sketchpad page of this origin listens on it. */
const CHANNEL = 'sketchpad-copy';

/** ChannelLike is the part of a BroadcastChannel this uses (a test passes its own). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

export class LastCopy {
  private last: string | null = null;

  /** changed hears each change of whether there is something to paste; channel null: this tab only. */
  constructor(
    private readonly changed: (has: boolean) => void,
    private readonly channel: ChannelLike | null = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL),
  ) {
    if (this.channel) {
      this.channel.onmessage = (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('{"sketchpad"')) this.keep(e.data);
      };
    }
  }

  /** text is what was last copied (here or in another open tab), or null. */
  get text(): string | null {
    return this.last;
  }

  /** copied keeps text, this tab's copy, and tells the other tabs. */
  copied(text: string): void {
    this.keep(text);
    this.channel?.postMessage(text);
  }

  /**
   * carried replaces the copy made as from with to, the same copy with its
   * images' bytes (made after the copy event, page/clipboard_picture); a
   * copy made since stands.
   */
  carried(from: string, to: string): void {
    if (this.last === from && to !== from) this.copied(to);
  }

  private keep(text: string): void {
    const had = this.last !== null;
    this.last = text;
    if (!had) this.changed(true);
  }
}
