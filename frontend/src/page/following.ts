// Following someone: the view mirrors theirs (the board rectangle their
// screen shows, fitted to this screen: same center, the zoom that shows all
// of it) until this person pans, zooms, draws or presses Escape. Before a
// leader's first View arrives the view follows their cursor instead. The
// people list marks whom; a pill names them and stops.

import type { AuthorView } from '../protocol/types';
import { FollowPill } from '../ui/follow_pill';
import type { PeopleList } from '../ui/people';

type Rect = Omit<AuthorView, 'author'>;

export class Following {
  readonly pill: FollowPill;
  /** The author followed; 0: nobody. */
  private author = 0;
  /** Each person's last view (relayed, never stored): a follow starts from it. */
  private readonly views = new Map<number, Rect>();

  /** mirror shows a leader's view on this screen (not a move by this person: following goes on). */
  constructor(
    private readonly people: PeopleList,
    private readonly mirror: (v: Rect) => void,
  ) {
    this.pill = new FollowPill(() => this.follow(0));
  }

  /** who is the author followed (0: nobody). */
  get who(): number {
    return this.author;
  }

  /** follow makes the view mirror author's (0: nobody). */
  follow(author: number): void {
    this.author = author;
    this.people.setFollowing(author);
    this.pill.show(author ? (this.people.name(author)?.name ?? 'someone') : null);
    const v = this.views.get(author);
    if (author && v) this.mirror(v);
  }

  /** toggle follows author, or stops when author is the one followed (a click in the people list). */
  toggle(author: number): void {
    this.follow(author === this.author ? 0 : author);
  }

  /** stop stops following anyone. */
  stop(): void {
    if (this.author) this.follow(0);
  }

  /** viewed: author's view is v (a Views message); mirrored when followed. */
  viewed(author: number, v: Rect): void {
    this.views.set(author, { x: v.x, y: v.y, w: v.w, h: v.h });
    if (author === this.author) this.mirror(v);
  }

  /** byCursor: whether author's cursor should move the view (followed, and no view of theirs known yet). */
  byCursor(author: number): boolean {
    return author !== 0 && author === this.author && !this.views.has(author);
  }

  /** renamed: author's presence changed (the pill shows their new name). */
  renamed(author: number, name: string): void {
    if (author === this.author) this.pill.show(name);
  }

  /** left: author left the board. */
  left(author: number): void {
    this.views.delete(author);
    if (author === this.author) this.follow(0);
  }
}
