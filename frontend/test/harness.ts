// A client (Editor + SyncCore) wired to a FakeRoom, for the resume tests.

import { Editor, type EditorListener } from '../src/edit/editor';
import { toHex } from '../src/protocol/bytes';
import { CLOSE_ABNORMAL } from '../src/protocol/codes';
import { decodeClientFrame } from '../src/protocol/client';
import { encodeBoard } from '../src/protocol/snapshot';
import type { ClientMsg, PresenceMsg } from '../src/protocol/types';
import { FakeRoom, type FakeConn } from './fake_room';

export class TestClient {
  conn: FakeConn | null = null;
  readonly ed: Editor;
  /** Every frame the client sent, decoded. */
  sent: ClientMsg[] = [];
  resets = 0;
  people = new Map<number, PresenceMsg>();
  closes: number[] = [];

  constructor(private readonly room: FakeRoom, name = 'Ada', listener: EditorListener = {}) {
    this.ed = new Editor(
      (f) => {
        this.sent.push(decodeClientFrame(f));
        this.conn?.send(f);
      },
      {
        ...listener,
        reset: () => {
          this.resets++;
        },
        presence: (m) => {
          this.people.set(m.author, m);
        },
      },
      { name, color: 0x112233ff },
    );
  }

  connect(): void {
    this.conn = this.room.connect();
    this.ed.sync.open();
  }

  /** disconnect loses the connection; frames in flight either way are lost. */
  disconnect(code = CLOSE_ABNORMAL): void {
    this.conn?.close(code);
    this.conn = null;
    this.closes.push(code);
    this.ed.sync.closed(code);
  }

  /** step lets the server read what we sent, then reads what it sent; false when idle. */
  step(): boolean {
    const c = this.conn;
    if (!c) return false;
    const busy = c.toServer.length > 0;
    c.serve();
    if (c.closedWith) {
      this.conn = null;
      this.closes.push(c.closedWith);
      this.ed.sync.closed(c.closedWith);
      return true;
    }
    const frames = c.take();
    for (const f of frames) this.ed.sync.receive(f);
    return busy || frames.length > 0;
  }

  boardHex(): string {
    return toHex(encodeBoard(this.ed.board));
  }

  sentOps(): ClientMsg[] {
    return this.sent.filter((m) => m.type !== 'hello' && m.type !== 'cursor' && m.type !== 'name');
  }
}

/** settle steps every client until nothing moves. */
export function settle(...clients: TestClient[]): void {
  for (let i = 0; i < 1000; i++) {
    let moved = false;
    for (const c of clients) moved = c.step() || moved;
    if (!moved) return;
  }
  throw new Error('did not settle');
}

/** adaAndGrace is a room with two people in it, both live and settled. */
export function adaAndGrace(): { room: FakeRoom; a: TestClient; b: TestClient } {
  const room = new FakeRoom(1n);
  const a = new TestClient(room, 'Ada');
  const b = new TestClient(room, 'Grace');
  a.connect();
  b.connect();
  settle(a, b);
  return { room, a, b };
}

export function roomHex(room: FakeRoom): string {
  return toHex(encodeBoard(room.board));
}

export const PEN = { color: 0x000000ff, width: 16, pressure: false };

/** scribble draws a stroke of n points starting at (x, y). */
export function scribble(c: TestClient, x: number, y: number, n: number): void {
  c.ed.beginStroke({ x, y, p: 0 }, PEN);
  for (let i = 1; i < n; i++) {
    c.ed.extendStroke([{ x: x + i * 8, y: y + (i % 3) * 4, p: 0 }]);
    if (i % 4 === 0) c.ed.flush();
  }
  c.ed.endStroke();
}
