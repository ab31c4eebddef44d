// Following someone: the view follows their cursor until this person pans,
// zooms or draws. The people list marks whom; a pill names them and stops.

import { FollowPill } from '../ui/follow_pill';
import type { PeopleList } from '../ui/people';

export class Following {
  readonly pill: FollowPill;
  /** The author followed; 0: nobody. */
  private author = 0;

  constructor(private readonly people: PeopleList) {
    this.pill = new FollowPill(() => this.follow(0));
  }

  /** who is the author followed (0: nobody). */
  get who(): number {
    return this.author;
  }

  /** follow makes the view follow author's cursor (0: nobody). */
  follow(author: number): void {
    this.author = author;
    this.people.setFollowing(author);
    this.pill.show(author ? (this.people.name(author)?.name ?? 'someone') : null);
  }

  /** toggle follows author, or stops when author is the one followed (a click in the people list). */
  toggle(author: number): void {
    this.follow(author === this.author ? 0 : author);
  }

  /** stop stops following anyone. */
  stop(): void {
    if (this.author) this.follow(0);
  }

  /** renamed: author's presence changed (the pill shows their new name). */
  renamed(author: number, name: string): void {
    if (author === this.author) this.pill.show(name);
  }

  /** left: author left the board. */
  left(author: number): void {
    if (author === this.author) this.follow(0);
  }
}
