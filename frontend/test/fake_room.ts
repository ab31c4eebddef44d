// A room server in miniature, following PROTOCOL.md, for testing the
// client's resume logic without a network: frames are queued both ways and
// the test decides when each side reads them (or loses them).

import { Board } from '../src/protocol/board';
import { decodeClientFrame } from '../src/protocol/client';
import { encodeServerFrame, type ServerMsg } from '../src/protocol/server';
import { CLOSE_GAP, CLOSE_GOING_AWAY, CLOSE_MALFORMED, CLOSE_OUT_OF_ORDER, CLOSE_VERSION, NOTICE_PAUSED, NOTICE_RESUMED } from '../src/protocol/codes';
import { VERSION, type Op, type PresenceMsg } from '../src/protocol/types';

export class FakeRoom {
  board: Board;
  log: { author: number; op: Op }[] = [];
  /** Ops older than this seq are forgotten: a client behind gets a snapshot. */
  keepFrom = 1;
  /**
   * A joiner's snapshot is this many ops older than the board, followed in
   * the same frame by an Ops message with the rest (PROTOCOL.md step 2: a
   * server shares one encoding among the joiners while people draw).
   */
  snapshotLag = 0;
  nextAuthor = 1;
  known = new Set<number>();
  conns = new Set<FakeConn>();
  names = new Map<number, PresenceMsg>();
  /** While paused (storage unreachable) op frames wait here, unapplied and unacknowledged. */
  paused = false;
  held: { conn: FakeConn; frame: Uint8Array }[] = [];

  constructor(public epoch: bigint) {
    this.board = new Board(epoch);
  }

  /** restart loses the history: a new epoch and an empty board. */
  restart(epoch: bigint): void {
    for (const c of [...this.conns]) c.close(CLOSE_GOING_AWAY);
    this.epoch = epoch;
    this.board = new Board(epoch);
    this.log = [];
    this.keepFrom = 1;
    this.known.clear();
  }

  connect(): FakeConn {
    const c = new FakeConn(this);
    this.conns.add(c);
    return c;
  }

  /** pause: the storage is gone; everyone hears Notice 1 and no op is applied until resume. */
  pause(): void {
    this.paused = true;
    this.broadcast([{ type: 'notice', code: NOTICE_PAUSED, message: 'storage unreachable' }]);
  }

  /** resume: the storage is back; everyone hears Notice 2, then the held ops of open connections are applied. */
  resume(): void {
    this.paused = false;
    this.broadcast([{ type: 'notice', code: NOTICE_RESUMED, message: 'storage is back' }]);
    const held = this.held;
    this.held = [];
    for (const h of held) if (!h.conn.closedWith) h.conn.handle(h.frame);
  }

  broadcast(msgs: ServerMsg[]): void {
    for (const c of this.conns) if (c.author) c.toClient.push(encodeServerFrame(msgs));
  }
}

export class FakeConn {
  toClient: Uint8Array[] = [];
  toServer: Uint8Array[] = [];
  author = 0;
  index = 0;
  closedWith = 0;

  constructor(private readonly room: FakeRoom) {}

  /** send is what the client's SyncCore sends through. */
  readonly send = (f: Uint8Array): void => {
    if (!this.closedWith) this.toServer.push(f);
  };

  close(code: number): void {
    this.closedWith = code;
    this.room.conns.delete(this);
  }

  /** serve makes the server read every frame the client sent. */
  serve(): void {
    const frames = this.toServer;
    this.toServer = [];
    for (const f of frames) {
      if (this.closedWith) return;
      this.handle(f);
    }
  }

  /** take returns (and forgets) the frames queued for the client. */
  take(): Uint8Array[] {
    const t = this.toClient;
    this.toClient = [];
    return t;
  }

  handle(f: Uint8Array): void {
    const room = this.room;
    let m;
    try {
      m = decodeClientFrame(f);
    } catch {
      this.close(CLOSE_MALFORMED);
      return;
    }
    if (m.type === 'hello') {
      if (this.author) return this.close(CLOSE_OUT_OF_ORDER);
      if (m.version !== VERSION) return this.close(CLOSE_VERSION);
      this.author = m.author !== 0 && room.known.has(m.author) ? m.author : room.nextAuthor++;
      room.known.add(this.author);
      const applied = room.board.author(this.author).applied;
      this.index = applied;
      const msgs: ServerMsg[] = [
        { type: 'welcome', version: VERSION, epoch: room.epoch, author: this.author, applied, head: room.board.seq },
      ];
      if (m.epoch === room.epoch && m.lastSeq + 1 >= room.keepFrom && m.lastSeq <= room.board.seq) {
        const from = m.lastSeq + 1;
        const ops = room.log.slice(from - 1);
        if (ops.length) msgs.push({ type: 'ops', firstSeq: from, ops });
      } else if (room.snapshotLag > 0 && room.snapshotLag <= room.board.seq) {
        const at = room.board.seq - room.snapshotLag;
        const old = new Board(room.epoch);
        for (const e of room.log.slice(0, at)) old.apply(e.author, e.op);
        msgs.push({ type: 'snapshot', board: old }, { type: 'ops', firstSeq: at + 1, ops: room.log.slice(at) });
      } else {
        msgs.push({ type: 'snapshot', board: room.board });
      }
      const me: PresenceMsg = { type: 'presence', author: this.author, name: m.name, color: m.color };
      room.names.set(this.author, me);
      for (const c of room.conns) if (c !== this && c.author) c.toClient.push(encodeServerFrame([me]));
      for (const p of room.names.values()) msgs.push(p);
      if (room.paused) msgs.push({ type: 'notice', code: NOTICE_PAUSED, message: 'storage unreachable' });
      // Snapshot bytes are taken now, as a server would.
      this.toClient.push(encodeServerFrame(msgs));
      return;
    }
    if (!this.author) return this.close(CLOSE_OUT_OF_ORDER);
    if (m.type === 'cursor') {
      room.broadcast([{ type: 'cursors', cursors: [{ author: this.author, x: m.x, y: m.y }] }]);
      return;
    }
    if (m.type === 'name') {
      const p: PresenceMsg = { type: 'presence', author: this.author, name: m.name, color: m.color };
      room.names.set(this.author, p);
      room.broadcast([p]);
      return;
    }
    if (m.type === 'laser') {
      room.broadcast([{ type: 'lasers', lasers: [{ author: this.author, points: m.points }] }]);
      return;
    }
    if (m.type === 'view') {
      room.broadcast([{ type: 'views', views: [{ author: this.author, x: m.x, y: m.y, w: m.w, h: m.h }] }]);
      return;
    }
    if (m.type === 'editing') {
      room.broadcast([{ type: 'editors', editors: [{ editor: this.author, text: m.text }] }]);
      return;
    }
    if (room.paused) {
      room.held.push({ conn: this, frame: f });
      return;
    }
    const applied = room.board.author(this.author).applied;
    if (this.index < applied) {
      this.index++; // a duplicate of an op an older connection delivered
      return;
    }
    if (this.index > applied) return this.close(CLOSE_GAP);
    this.index++;
    room.board.apply(this.author, m);
    room.log.push({ author: this.author, op: m });
    room.broadcast([{ type: 'ops', firstSeq: room.board.seq, ops: [{ author: this.author, op: m }] }]);
  }
}
