// SyncCore keeps this client's replica of the board in step with the room,
// following PROTOCOL.md. It knows nothing of WebSockets or timers: the
// connection feeds it frames and close codes and gives it a send function,
// so the whole resume logic can be tested without a browser.
//
//	open()       the socket is open: send Hello(epoch, lastSeq, author)
//	receive(f)   a server frame: Welcome (+ Snapshot or Ops replay) (+ Presence),
//	             then Ops, Presence, Leave, Cursors, Notice
//	closed(c)    the socket closed with code c: what to do next
//	push(op)     an op of ours: into the outbox, sent at once when live
//
// paused follows the room's Notice 1 (paused) and 2 (resumed), see
// net/pause: while paused the client stays live and keeps sending, and its
// ops simply wait in the outbox until the room acknowledges them.
//
// After a Welcome and what follows it in its frame, the outbox ops with index
// >= Welcome.applied are sent again, in order. An epoch change drops the
// board and the outbox. Close code 4400 drops the op at the head of the
// outbox (the one the server refused) at the next Welcome.

import { Board, type Effect, type KnownResults } from '../protocol/board';
import { ProtocolError } from '../protocol/bytes';
import { clampCoord } from '../protocol/delta';
import { encodeClientMsg } from '../protocol/client';
import { decodeServerFrame } from '../protocol/server';
import { CLOSE_EXPIRED, CLOSE_MALFORMED, CLOSE_READ_ONLY, CLOSE_VERSION, NOTICE_LOADING } from '../protocol/codes';
import {
  VERSION,
  type AuthorCursor,
  type AuthorLaser,
  type AuthorView,
  type NoticeMsg,
  type Op,
  type StrokeId,
  type OpsMsg,
  type PresenceMsg,
  type WelcomeMsg,
  type ViewMsg,
} from '../protocol/types';
import { Outbox } from './outbox';
import { pausedAfter } from './pause';

/** SELF in a stroke name stands for this client's author id (see edit/history). */
const SELF = 0;

/** SyncListener hears what happened; every method is optional. */
export interface SyncListener {
  /** The room's history changed (new epoch): drop local strokes and undo history. */
  reset?(): void;
  /** The board was replaced (Snapshot, or an empty board of a new epoch). */
  boardReplaced?(board: Board): void;
  /** One op was applied to the board. */
  applied?(effect: Effect, author: number): void;
  /** Ops left the outbox (acknowledged or dropped). */
  acked?(): void;
  /** A Welcome and the rest of its frame were handled: the client is live. */
  welcomed?(w: WelcomeMsg, epochChanged: boolean): void;
  presence?(m: PresenceMsg): void;
  leave?(author: number): void;
  cursors?(cursors: readonly AuthorCursor[]): void;
  /** Stretches of others' laser trails (and our own, which the page skips). */
  lasers?(lasers: readonly AuthorLaser[]): void;
  /** Others' views (follow the leader; our own too, which the page skips). */
  views?(views: readonly AuthorView[]): void;
  /** Who edits which text changed (editors()). */
  editors?(): void;
  notice?(m: NoticeMsg): void;
  /** The room paused drawing (its storage is unreachable) or resumed it; called once per frame that changed it. */
  pausedChanged?(paused: boolean): void;
}

/** What the connection should do after a close ('stop': the embed token expired, the same URL is refused now). */
export type CloseAdvice = 'reconnect' | 'reload' | 'stop';

/** VersionError is thrown when the server speaks another protocol version. */
export class VersionError extends Error {
  constructor(version: number) {
    super(`sketchpad: server speaks protocol ${version}, this page ${VERSION}`);
    this.name = 'VersionError';
  }
}

export interface Identity {
  readonly name: string;
  readonly color: number;
}

/** resolveSelf returns op with SELF in stroke names replaced by author. */
export function resolveSelf(op: Op, author: number): Op {
  if (op.type === 'unsweep') return op.by === SELF ? { ...op, by: author } : op;
  if (op.type === 'order' && op.anchor.author === SELF && op.anchor.stroke !== 0) {
    // An anchor of stroke 0 is the bottom of the board, not a stroke of ours.
    op = { ...op, anchor: { author, stroke: op.anchor.stroke } };
  }
  if ((op.type === 'textEdit' || op.type === 'textWrap') && op.text.author === SELF) return { ...op, text: { author, stroke: op.text.stroke } };
  if (op.type !== 'erase' && op.type !== 'restore' && op.type !== 'move' && op.type !== 'restyle' && op.type !== 'order' && op.type !== 'transform' && op.type !== 'rotate') return op;
  if (!op.strokes.some((s) => s.author === SELF)) return op;
  return { ...op, strokes: op.strokes.map((s) => (s.author === SELF ? { author, stroke: s.stroke } : s)) };
}

export class SyncCore {
  private boardV = new Board(0n);
  /** What our own Transforms and Rotates make of their strokes, worked out when sent (the Editor's fold): the board takes it instead of working it out again. */
  known: KnownResults | undefined;
  private authorV = 0;
  private liveV = false;
  private loadingV = false;
  private pausedV = false;
  private readOnlyV = false;
  private receivedAtV = 0;
  private helloEpoch = 0n;
  /** A Hello went out: the author id is the room's to give from now on. */
  private opened = false;
  private dropHeadOnWelcome = false;
  private identityV: Identity;
  /** The identity the server was last sent (Hello or Name): a change made between Hello and Welcome goes out once live. */
  private announced: Identity | null = null;
  /** The text each other person has open for typing (Editors), by author. */
  private readonly editorsV = new Map<number, StrokeId>();
  /** The text we have open ({0, 0}: none), said again after a reconnect. */
  private editingV: StrokeId = { author: 0, stroke: 0 };
  /** This author's ops the room has not been seen to apply. */
  readonly outbox = new Outbox();

  constructor(
    private readonly send: (frame: Uint8Array) => void,
    private readonly listener: SyncListener,
    identity: Identity,
  ) {
    this.identityV = identity;
  }

  /** board is the replica: every op the room sequenced, up to board.seq. */
  get board(): Board {
    return this.boardV;
  }

  /** author is this client's author id, 0 before the first Welcome. */
  get author(): number {
    return this.authorV;
  }

  /**
   * paused is true from the room's Notice 1 (its storage is unreachable, so
   * nothing is acknowledged) until its Notice 2 or the next Welcome (a room
   * still paused sends Notice 1 right after it). A lost connection does not
   * change it.
   */
  get paused(): boolean {
    return this.pausedV;
  }

  /**
   * readOnly: this page may not change the board (a view link): no op is
   * queued or sent, nor our cursor. The server closing with 4403 (it
   * refused an op) makes a page read-only too.
   */
  get readOnly(): boolean {
    return this.readOnlyV;
  }

  setReadOnly(ro: boolean): void {
    this.readOnlyV = ro;
  }

  /** helloSent says a Hello went out: what the page has was said, a kept board or work comes too late. */
  get helloSent(): boolean {
    return this.opened;
  }

  /** receivedAt is when (performance.now()) the last server frame started to be handled. */
  get receivedAt(): number {
    return this.receivedAtV;
  }

  /**
   * loading is true from the server's Notice 3 (a big board is on its way)
   * until the Welcome that brings it or the connection's end: the
   * connection waits for the board instead of giving up on the silence.
   */
  get loading(): boolean {
    return this.loadingV;
  }

  /** live is true from a Welcome until the connection closes. */
  get live(): boolean {
    return this.liveV;
  }

  get identity(): Identity {
    return this.identityV;
  }

  /**
   * restore starts the replica from a board kept from an earlier visit (the
   * page opened offline, or before the room answers): the next Hello then
   * asks only for what came after it. It does nothing once anything came
   * from the room, whose board is always the newer. It reports whether the
   * board was taken.
   */
  restore(board: Board): boolean {
    if (this.liveV || this.opened || this.helloEpoch !== 0n || this.boardV.epoch !== 0n || this.boardV.seq !== 0) return false;
    this.boardV = board;
    this.listener.boardReplaced?.(board);
    return true;
  }

  /**
   * restoreWork takes over the unsent work of an earlier page on this board
   * (closed or reloaded before it could send it): its author id, so the
   * room counts the ops as that author's and skips any it already applied,
   * and its outbox. Only before the first Hello, with an empty outbox and
   * the board the work was drawn on (the same epoch). It returns the
   * restored ops' outbox uids, or null when it took nothing.
   */
  restoreWork(epoch: bigint, author: number, base: number, ops: readonly Op[]): number[] | null {
    if (this.liveV || this.helloEpoch !== 0n || this.opened || this.outbox.length > 0 || this.boardV.epoch !== epoch) return null;
    this.authorV = author;
    return this.outbox.restore(base, ops);
  }

  /** open is called when a connection opens: it sends Hello. */
  open(): void {
    this.opened = true;
    this.liveV = false;
    this.loadingV = false;
    this.outbox.disconnected();
    this.helloEpoch = this.boardV.epoch;
    this.announced = this.identityV;
    this.send(
      encodeClientMsg({
        type: 'hello',
        version: VERSION,
        epoch: this.boardV.epoch,
        lastSeq: this.boardV.seq,
        author: this.authorV,
        name: this.identityV.name,
        color: this.identityV.color,
      }),
    );
  }

  /** closed is called when the connection closed with code (0 if none). */
  closed(code: number): CloseAdvice {
    this.liveV = false;
    this.loadingV = false;
    this.outbox.disconnected();
    if (code === CLOSE_MALFORMED) this.dropHeadOnWelcome = true;
    if (code === CLOSE_READ_ONLY) {
      // The link cannot draw: what we queued will never be taken.
      this.readOnlyV = true;
      this.outbox.reset(this.outbox.base);
    }
    if (code === CLOSE_EXPIRED) {
      // The token will not let us draw (nor connect) again: the host page
      // has to give the board a new one.
      this.outbox.reset(this.outbox.base);
      return 'stop';
    }
    return code === CLOSE_VERSION ? 'reload' : 'reconnect';
  }

  /**
   * receive handles one server frame. It throws a ProtocolError for a frame
   * it cannot trust (malformed, a sequence gap) and a VersionError for a
   * Welcome of another version: the caller closes the connection.
   */
  receive(frame: Uint8Array): void {
    this.receivedAtV = performance.now();
    const msgs = decodeServerFrame(frame);
    let welcome: WelcomeMsg | null = null;
    let epochChanged = false;
    const wasPaused = this.pausedV;
    for (const m of msgs) {
      this.pausedV = pausedAfter(this.pausedV, m);
      switch (m.type) {
        case 'welcome':
          if (m.version !== VERSION) throw new VersionError(m.version);
          welcome = m;
          this.editorsV.clear(); // the frame says who edits now
          epochChanged = this.takeWelcome(m) || epochChanged;
          break;
        case 'snapshot':
          this.boardV = m.board;
          this.listener.boardReplaced?.(m.board);
          if (this.authorV !== 0 && this.outbox.ackTo(m.board.author(this.authorV).applied) > 0) {
            this.listener.acked?.();
          }
          break;
        case 'ops':
          this.applyOps(m);
          break;
        case 'presence':
          this.listener.presence?.(m);
          break;
        case 'leave':
          if (this.editorsV.delete(m.author)) this.listener.editors?.();
          this.listener.leave?.(m.author);
          break;
        case 'editors':
          for (const e of m.editors) {
            if (e.editor === this.authorV) continue;
            if (e.text.stroke === 0) this.editorsV.delete(e.editor);
            else this.editorsV.set(e.editor, e.text);
          }
          this.listener.editors?.();
          break;
        case 'cursors':
          this.listener.cursors?.(m.cursors);
          break;
        case 'views':
          this.listener.views?.(m.views);
          break;
        case 'lasers':
          this.listener.lasers?.(m.lasers);
          break;
        case 'notice':
          if (m.code === NOTICE_LOADING && !this.liveV) this.loadingV = true;
          this.listener.notice?.(m);
          break;
      }
    }
    if (welcome) {
      // The replay (or snapshot) in this frame brought back every op of ours
      // below applied; the rest go again, the first with index applied.
      const dropped = this.outbox.welcome(welcome.applied, this.dropHeadOnWelcome);
      this.dropHeadOnWelcome = false;
      this.liveV = true;
      this.loadingV = false;
      this.flush();
      if (this.announced !== this.identityV) this.announce();
      if (this.editingV.stroke !== 0) this.send(encodeClientMsg({ type: 'editing', text: this.editingV }));
      if (dropped > 0) this.listener.acked?.();
      this.listener.welcomed?.(welcome, epochChanged);
    }
    if (this.pausedV !== wasPaused) this.listener.pausedChanged?.(this.pausedV);
  }

  /** push queues an op of ours and sends it when live; it returns the op's outbox uid (0: read-only, dropped). */
  push(op: Op): number {
    if (this.readOnlyV) return 0;
    const uid = this.outbox.push(op);
    if (this.liveV) this.flush();
    return uid;
  }

  /** sendCursor sends the pointer position when live; cursors are never queued. */
  sendCursor(x: number, y: number): boolean {
    if (!this.liveV || this.readOnlyV) return false;
    this.send(encodeClientMsg({ type: 'cursor', x: clampCoord(Math.round(x)), y: clampCoord(Math.round(y)) }));
    return true;
  }

  /** setEditing says which text we have open for typing ({0, 0}: none); said again on every reconnect. */
  setEditing(text: StrokeId): void {
    const t = text.author === SELF && text.stroke !== 0 ? { author: this.authorV, stroke: text.stroke } : text;
    if (t.author === this.editingV.author && t.stroke === this.editingV.stroke) return;
    this.editingV = t;
    if (this.liveV && !this.readOnlyV) this.send(encodeClientMsg({ type: 'editing', text: t }));
  }

  /** claimed is the text we have open for typing (board names; {0, 0}: none), as setEditing last said. */
  get claimed(): StrokeId {
    return this.editingV;
  }

  /** editorOf returns who else has text (SELF: ours) open for typing, 0 when nobody. */
  editorOf(text: StrokeId): number {
    const t = text.author === SELF ? this.authorV : text.author;
    for (const [who, id] of this.editorsV) if (id.author === t && id.stroke === text.stroke) return who;
    return 0;
  }

  /** editing lists who else edits which text. */
  editing(): ReadonlyMap<number, StrokeId> {
    return this.editorsV;
  }

  /** sendLaser sends a stretch of laser trail when live; like cursors, never queued. */
  sendLaser(points: readonly { x: number; y: number }[]): boolean {
    if (!this.liveV || this.readOnlyV || points.length === 0) return false;
    this.send(encodeClientMsg({ type: 'laser', points: points.map((p) => ({ x: clampCoord(Math.round(p.x)), y: clampCoord(Math.round(p.y)) })) }));
    return true;
  }

  /** sendView sends the board rectangle this page shows when live (a viewer's too: it can be followed); never queued. */
  sendView(m: ViewMsg): boolean {
    if (!this.liveV) return false;
    this.send(encodeClientMsg(m));
    return true;
  }

  /** setIdentity changes name and color: sent now when live, in the next Hello anyway. */
  setIdentity(id: Identity): void {
    this.identityV = id;
    if (this.liveV) this.announce();
  }

  /**
   * adoptIdentity changes name and color to what the server holds already
   * (the color it handed out): no Name goes out for it, the next Hello
   * says it. A change not yet sent still goes.
   */
  adoptIdentity(id: Identity): void {
    if (this.announced === this.identityV) this.announced = id;
    this.identityV = id;
  }

  private announce(): void {
    const id = this.identityV;
    this.announced = id;
    this.send(encodeClientMsg({ type: 'name', name: id.name, color: id.color }));
  }

  private flush(): void {
    for (const op of this.outbox.takeUnsent()) this.send(encodeClientMsg(resolveSelf(op, this.authorV)));
  }

  /** takeWelcome handles a Welcome's epoch and author; it reports an epoch change. */
  private takeWelcome(w: WelcomeMsg): boolean {
    const changed = this.helloEpoch !== 0n && w.epoch !== this.helloEpoch;
    this.authorV = w.author;
    if (changed) {
      // The room's history was lost or replaced: our board and unsent ops
      // belong to a history that no longer exists.
      this.outbox.reset(w.applied);
      this.dropHeadOnWelcome = false;
      this.listener.reset?.();
    }
    if (changed || this.helloEpoch === 0n) {
      this.boardV = new Board(w.epoch);
      this.listener.boardReplaced?.(this.boardV);
    }
    this.helloEpoch = w.epoch;
    return changed;
  }

  private applyOps(m: OpsMsg): void {
    let acked = false;
    // The follow-on form (firstSeq 0) continues from the last op received.
    const first = m.firstSeq === 0 ? this.boardV.seq + 1 : m.firstSeq;
    for (let i = 0; i < m.ops.length; i++) {
      const seq = first + i;
      const b = this.boardV;
      if (seq <= b.seq) continue; // already applied (a replay overlapping what we had)
      if (seq !== b.seq + 1) throw new ProtocolError(`ops gap: at ${b.seq}, got ${seq}`);
      const { author, op } = m.ops[i];
      const effect = b.apply(author, op, this.known);
      if (author === this.authorV && author !== 0 && this.outbox.ackTo(b.author(author).applied) > 0) acked = true;
      this.listener.applied?.(effect, author);
    }
    if (acked) this.listener.acked?.();
  }
}
