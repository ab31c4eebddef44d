// The others on the board, as this page shows them: who is here (the people
// list, and the embed's host told of comings and goings), their cursors and
// laser trails, the views a follower follows, and the texts they type into,
// labelled with their names. The page passes on what the room says of them
// (the Editor's presence, leave, cursors, views and lasers) and asks for
// the labels each frame.

import type { Editor } from '../edit/editor';
import { SELF } from '../edit/history';
import type { Bridge } from '../embed/bridge';
import type { AuthorCursor, AuthorLaser, AuthorView, PresenceMsg } from '../protocol/types';
import type { Renderer } from '../render/renderer';
import type { RemoteCursors } from '../ui/cursors';
import type { LaserTrails } from '../ui/laser';
import type { PeopleList } from '../ui/people';
import { claimKey, type Claim, type TextClaims } from '../ui/text_claims';
import type { Following } from './following';
import type { ViewControl } from './view_control';
import type { ViewRelay } from './view_relay';

export interface OthersDeps {
  readonly editor: Editor;
  readonly renderer: Renderer;
  readonly people: PeopleList;
  readonly cursors: RemoteCursors;
  readonly lasers: LaserTrails;
  readonly claims: TextClaims;
  readonly following: Following;
  readonly view: ViewControl;
  readonly viewRelay: ViewRelay;
  /** The postMessage API to the host page, if open. */
  bridge(): Bridge | null;
  /** The server says which color this person shows (ui/person_color): the one it handed out, or the one they picked. */
  handedOut(color: number): void;
  schedule(): void;
}

/** A laser trail whose author has no color yet. */
const LASER_RED = 0xe03131ff;

export class Others {
  constructor(private readonly d: OthersDeps) {}

  presence(m: PresenceMsg): void {
    const d = this.d;
    if (m.author === d.editor.sync.author) {
      d.handedOut(m.color);
      return;
    }
    // Someone new may follow this person: they need its view.
    if (!d.people.name(m.author)) d.viewRelay.again();
    d.bridge()?.people.presence(m.author, m.name);
    d.people.set(m.author, { name: m.name, color: m.color });
    d.cursors.rename(m.author, m);
    d.following.renamed(m.author, m.name);
  }

  leave(a: number): void {
    const d = this.d;
    d.bridge()?.people.leave(a);
    if (d.editor.solo === a) {
      // Their row, and its toggle, goes: show everyone's work again.
      d.editor.setSolo(0);
      d.people.setSolo(0);
    }
    d.people.remove(a);
    d.cursors.remove(a);
    d.lasers.remove(a);
    d.following.left(a);
  }

  cursors(list: readonly AuthorCursor[]): void {
    const me = this.d.editor.sync.author;
    for (const c of list) if (c.author !== me) this.cursor(c.author, c.x, c.y);
  }

  views(list: readonly AuthorView[]): void {
    const me = this.d.editor.sync.author;
    for (const v of list) if (v.author !== me) this.d.following.viewed(v.author, v);
  }

  lasers(list: readonly AuthorLaser[]): void {
    const d = this.d;
    const me = d.editor.sync.author;
    for (const l of list) {
      if (l.author === me) continue;
      d.lasers.add(l.author, l.points, d.people.name(l.author)?.color ?? LASER_RED);
      const at = l.points[l.points.length - 1];
      this.cursor(l.author, at.x, at.y);
    }
    d.schedule();
  }

  /** cursor places author's cursor at board point (x, y); the view follows it when following them. */
  cursor(author: number, x: number, y: number): void {
    const d = this.d;
    if (d.following.byCursor(author)) d.view.centerOn(x, y, false);
    d.cursors.update(author, x, y, d.renderer.view, d.people.name(author));
  }

  /** drawClaims labels each text someone else types into now with their name. */
  drawClaims(): void {
    const d = this.d;
    const claims = new Map<string, Claim>();
    const me = d.editor.sync.author;
    for (const [who, id] of d.editor.sync.editing()) {
      const t = d.editor.texts.of(id.author === me ? { author: SELF, stroke: id.stroke } : id);
      if (t) claims.set(claimKey(id), { name: d.people.name(who)?.name || 'Someone', x: t.x, y: t.y });
    }
    d.claims.draw(d.renderer.view, claims);
  }

  /** gone forgets everyone: the connection is down, and the room tells who is here when it is back. */
  gone(): void {
    this.d.people.reset();
    this.d.cursors.clear();
    this.d.lasers.clear();
    this.d.following.stop();
  }
}
