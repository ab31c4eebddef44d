// Server frames (PROTOCOL.md "Server messages"): one or more messages back
// to back, each a type byte, the body length as a uvarint, then the body.
// Unknown message types are skipped by their length.

import type { Board } from './board';
import { ByteReader, ByteWriter, ProtocolError } from './bytes';
import { readCoord, readEditing, readLaserPoints, readView } from './client';
import { encodeOp, readOp } from './op';
import { readBoard, writeBoard } from './snapshot';
import {
  MAX_NAME_BYTES,
  MSG_CURSORS,
  MSG_LASERS,
  MSG_EDITORS,
  MSG_LEAVE,
  MSG_NOTICE,
  MSG_OPS,
  MSG_PRESENCE,
  MSG_SNAPSHOT,
  MSG_VIEWS,
  MSG_WELCOME,
  type AuthorCursor,
  type AuthorView,
  type AuthorLaser,
  type CursorsMsg,
  type EditorsMsg,
  type TextEditor,
  type LasersMsg,
  type LeaveMsg,
  type NoticeMsg,
  type OpsMsg,
  type PresenceMsg,
  type SeqOp,
  type ViewsMsg,
  type WelcomeMsg,
} from './types';

export interface SnapshotMsg {
  readonly type: 'snapshot';
  readonly board: Board;
}

/** ServerMsg is one message of a server frame. */
export type ServerMsg = WelcomeMsg | OpsMsg | SnapshotMsg | PresenceMsg | LeaveMsg | CursorsMsg | LasersMsg | ViewsMsg | NoticeMsg | EditorsMsg;

// Limits of server messages (the same as the Go decoder's).
const MAX_OPS_PER_MESSAGE = 1 << 16;
const MAX_CURSORS_PER_MESSAGE = 1 << 12;
const MAX_LASERS_PER_MESSAGE = 1 << 12;
const MAX_VIEWS_PER_MESSAGE = 1 << 12;
const MAX_EDITORS_PER_MESSAGE = 1 << 12;
const MAX_OP_BYTES = 1 << 20;
const MAX_NOTICE_BYTES = 1024;

/** decodeServerFrame decodes every message of a server frame, in order. */
export function decodeServerFrame(b: Uint8Array): ServerMsg[] {
  const out: ServerMsg[] = [];
  const r = new ByteReader(b);
  while (r.remaining() > 0) {
    const t = r.u8();
    const n = r.uvarint();
    if (n > r.remaining()) throw new ProtocolError('truncated message');
    const body = r.bytes(n);
    const m = decodeServerMsg(t, new ByteReader(body));
    if (m) out.push(m);
  }
  return out;
}

function decodeServerMsg(t: number, r: ByteReader): ServerMsg | null {
  let m: ServerMsg;
  switch (t) {
    case MSG_WELCOME: {
      const version = r.u8();
      const epoch = r.u64();
      const author = r.uvarint32('author');
      const applied = r.uvarint();
      m = { type: 'welcome', version, epoch, author, applied, head: r.uvarint() };
      break;
    }
    case MSG_OPS: {
      const firstSeq = r.uvarint();
      // 0: the follow-on form, whose ops run to the end of the body.
      const cnt = firstSeq === 0 ? -1 : r.count('op', MAX_OPS_PER_MESSAGE, 3);
      const ops: SeqOp[] = [];
      while (cnt < 0 ? r.remaining() > 0 : ops.length < cnt) {
        if (ops.length === MAX_OPS_PER_MESSAGE) throw new ProtocolError(`op count over limit ${MAX_OPS_PER_MESSAGE}`);
        const author = r.uvarint32('author');
        const len = r.count('op byte', MAX_OP_BYTES, 1);
        const or = new ByteReader(r.bytes(len));
        const op = readOp(or);
        or.done();
        ops.push({ author, op });
      }
      m = { type: 'ops', firstSeq, ops };
      break;
    }
    case MSG_SNAPSHOT:
      m = { type: 'snapshot', board: readBoard(r) };
      break;
    case MSG_PRESENCE: {
      const author = r.uvarint32('author');
      const name = r.str('name', MAX_NAME_BYTES);
      m = { type: 'presence', author, name, color: r.u32() };
      break;
    }
    case MSG_LEAVE:
      m = { type: 'leave', author: r.uvarint32('author') };
      break;
    case MSG_CURSORS: {
      const cnt = r.count('cursor', MAX_CURSORS_PER_MESSAGE, 3);
      const cursors: AuthorCursor[] = new Array(cnt);
      for (let i = 0; i < cnt; i++) {
        const author = r.uvarint32('author');
        const x = readCoord(r);
        cursors[i] = { author, x, y: readCoord(r) };
      }
      m = { type: 'cursors', cursors };
      break;
    }
    case MSG_LASERS: {
      const cnt = r.count('laser', MAX_LASERS_PER_MESSAGE, 3);
      const lasers: AuthorLaser[] = new Array(cnt);
      for (let i = 0; i < cnt; i++) {
        const author = r.uvarint32('author');
        const points = readLaserPoints(r);
        if (points.length === 0) throw new ProtocolError('laser without points');
        lasers[i] = { author, points };
      }
      m = { type: 'lasers', lasers };
      break;
    }
    case MSG_VIEWS: {
      const cnt = r.count('view', MAX_VIEWS_PER_MESSAGE, 5);
      const views: AuthorView[] = new Array(cnt);
      for (let i = 0; i < cnt; i++) {
        const author = r.uvarint32('author');
        views[i] = { author, ...readView(r) };
      }
      m = { type: 'views', views };
      break;
    }
    case MSG_EDITORS: {
      const cnt = r.count('editor', MAX_EDITORS_PER_MESSAGE, 3);
      const editors: TextEditor[] = new Array(cnt);
      for (let i = 0; i < cnt; i++) {
        const editor = r.uvarint32('editor');
        editors[i] = { editor, text: readEditing(r) };
      }
      m = { type: 'editors', editors };
      break;
    }
    case MSG_NOTICE: {
      const code = r.u16();
      m = { type: 'notice', code, message: r.str('notice', MAX_NOTICE_BYTES) };
      break;
    }
    default:
      return null;
  }
  r.done();
  return m;
}

/** encodeServerFrame encodes messages into one server frame (for tests and tools). */
export function encodeServerFrame(msgs: readonly ServerMsg[]): Uint8Array {
  const w = new ByteWriter(64);
  for (const m of msgs) {
    const body = new ByteWriter(32);
    let t: number;
    switch (m.type) {
      case 'welcome':
        t = MSG_WELCOME;
        body.u8(m.version).u64(m.epoch).uvarint(m.author).uvarint(m.applied).uvarint(m.head);
        break;
      case 'ops':
        t = MSG_OPS;
        body.uvarint(m.firstSeq);
        if (m.firstSeq !== 0) body.uvarint(m.ops.length);
        for (const o of m.ops) {
          const ob = encodeOp(o.op);
          body.uvarint(o.author).uvarint(ob.length).raw(ob);
        }
        break;
      case 'snapshot':
        t = MSG_SNAPSHOT;
        writeBoard(body, m.board);
        break;
      case 'presence':
        t = MSG_PRESENCE;
        body.uvarint(m.author).str(m.name).u32(m.color);
        break;
      case 'leave':
        t = MSG_LEAVE;
        body.uvarint(m.author);
        break;
      case 'cursors':
        t = MSG_CURSORS;
        body.uvarint(m.cursors.length);
        for (const c of m.cursors) body.uvarint(c.author).svarint(c.x).svarint(c.y);
        break;
      case 'lasers':
        t = MSG_LASERS;
        body.uvarint(m.lasers.length);
        for (const l of m.lasers) {
          body.uvarint(l.author).uvarint(l.points.length);
          for (const p of l.points) body.svarint(p.x).svarint(p.y);
        }
        break;
      case 'views':
        t = MSG_VIEWS;
        body.uvarint(m.views.length);
        for (const v of m.views) body.uvarint(v.author).svarint(v.x).svarint(v.y).uvarint(v.w).uvarint(v.h);
        break;
      case 'editors':
        t = MSG_EDITORS;
        body.uvarint(m.editors.length);
        for (const e of m.editors) body.uvarint(e.editor).uvarint(e.text.author).uvarint(e.text.stroke);
        break;
      case 'notice':
        t = MSG_NOTICE;
        body.u16(m.code).str(m.message);
        break;
    }
    const bb = body.bytes();
    w.u8(t).uvarint(bb.length).raw(bb);
  }
  return w.bytes();
}
