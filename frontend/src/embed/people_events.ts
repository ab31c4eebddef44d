// Presence turned into the embed API's joined and left events. Pure.

import type { EmbedEvent } from './messages';

/**
 * PeopleEvents turns presence into joined and left: joined the first time
 * someone shows up, left when they go. Across a reconnect, the Welcome
 * frame lists everyone there: whoever was known and is not listed left
 * meanwhile; whoever is known and listed is not announced again.
 */
export class PeopleEvents {
  private readonly known = new Map<number, string>();
  private seen: Set<number> | null = new Set();

  constructor(private readonly emit: (e: EmbedEvent) => void) {}

  /** disconnected: the connection was lost; the next Welcome frame tells who is still there. */
  disconnected(): void {
    this.seen ??= new Set();
  }

  presence(author: number, name: string): void {
    this.seen?.add(author);
    if (this.known.has(author)) {
      this.known.set(author, name);
      return;
    }
    this.known.set(author, name);
    this.emit({ type: 'joined', author, name });
  }

  leave(author: number): void {
    const name = this.known.get(author);
    if (name === undefined) return;
    this.known.delete(author);
    this.emit({ type: 'left', author, name });
  }

  /** welcomed: the Welcome frame (and its presence list) was handled. */
  welcomed(): void {
    const seen = this.seen;
    this.seen = null;
    if (!seen) return;
    for (const a of [...this.known.keys()]) if (!seen.has(a)) this.leave(a);
  }
}
