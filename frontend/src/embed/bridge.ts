// The embedded board's side of the postMessage API (embed.js is the host's
// side; README.md "Embedding" is the contract). Pure: the page gives it a
// post function (window.parent.postMessage(m, host)) and the board's
// controls; embed/channel.ts is the thin DOM part.
//
// Every message has sketchpad: 1.
//
//	host -> board   {sketchpad, id, cmd, args}          a command
//	board -> host   {sketchpad, type: 'result', id, ok, value | error}
//	board -> host   {sketchpad, type, ...}              an event:
//	                load    the page runs (embed.js: the board did load)
//	                ready   {seq, readOnly}  live, once (after the first Welcome)
//	                joined  {author, name}   someone came
//	                left    {author, name}   someone went
//	                change  {seq}            the board changed (at most once per frame)
//	                error   {code, message, fatal}
//
// A message is taken only when it comes from the parent window (the page
// that frames the board) AND from the host origin exactly: the origin the
// server checked against SKETCHPAD_EMBED_ORIGINS.

import type { ToolName } from '../input/shortcuts';
import { TOOL_NAMES } from '../input/shortcuts';
import { BOARD_UNITS_PER_PX } from '../geometry/outline';
import { CLOSE_EXPIRED, CLOSE_READ_ONLY } from '../protocol/codes';
import { MAX_WIDTH } from '../protocol/types';

export const EMBED_PROTOCOL = 1;

export type Scope = 'board' | 'view';

export type EmbedEvent =
  | { readonly type: 'load' }
  | { readonly type: 'ready'; readonly seq: number; readonly readOnly: boolean }
  | { readonly type: 'joined' | 'left'; readonly author: number; readonly name: string }
  | { readonly type: 'change'; readonly seq: number }
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly fatal: boolean };

export type ResultMsg =
  | { readonly sketchpad: 1; readonly type: 'result'; readonly id: number | string; readonly ok: true; readonly value: unknown }
  | { readonly sketchpad: 1; readonly type: 'result'; readonly id: number | string; readonly ok: false; readonly error: string };

/** OutMsg is what the board posts to the host. */
export type OutMsg = ResultMsg | ({ readonly sketchpad: 1 } & EmbedEvent);

export interface CommandMsg {
  readonly id: number | string;
  readonly cmd: string;
  readonly args: readonly unknown[];
}

/** Incoming is what the channel sees of a message event. */
export interface Incoming {
  readonly source: unknown;
  readonly origin: string;
  readonly data: unknown;
}

/** validHost reports whether host is an origin the bridge may talk to (scheme://host[:port], nothing else). */
export function validHost(host: string | null): host is string {
  return host !== null && /^https?:\/\/[^/?#\s*]+$/.test(host);
}

/**
 * acceptCommand returns the command a message carries, or null when the
 * message must be ignored: not from parent, not from host exactly, or not a
 * Sketchpad command.
 */
export function acceptCommand(ev: Incoming, parent: unknown, host: string): CommandMsg | null {
  if (parent === null || parent === undefined || ev.source !== parent) return null;
  if (!validHost(host) || ev.origin !== host) return null;
  const d = ev.data;
  if (typeof d !== 'object' || d === null) return null;
  const m = d as { sketchpad?: unknown; id?: unknown; cmd?: unknown; args?: unknown; type?: unknown };
  if (m.sketchpad !== EMBED_PROTOCOL || typeof m.cmd !== 'string' || m.type !== undefined) return null;
  if (!((typeof m.id === 'number' && Number.isFinite(m.id)) || (typeof m.id === 'string' && m.id.length <= 100))) return null;
  return { id: m.id, cmd: m.cmd, args: Array.isArray(m.args) ? m.args : [] };
}

/** parseColor reads '#rrggbb' (opaque) or '#rrggbbaa' as an RGBA u32 and whether it carried an alpha. */
export function parseColor(v: unknown): { rgba: number; alpha: boolean } | null {
  if (typeof v !== 'string') return null;
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v.trim());
  if (!m) return null;
  const rgb = parseInt(m[1], 16);
  const a = m[2] === undefined ? 0xff : parseInt(m[2], 16);
  return { rgba: ((rgb << 8) | a) >>> 0, alpha: m[2] !== undefined };
}

/** widthUnits turns setWidth's CSS pixels (at 100 %) into board units, or null when out of range. */
export function widthUnits(px: unknown): number | null {
  if (typeof px !== 'number' || !Number.isFinite(px)) return null;
  const units = Math.round(px * BOARD_UNITS_PER_PX);
  return units >= 1 && units <= MAX_WIDTH ? units : null;
}

/** BoardControl is what commands do on the page. */
export interface BoardControl {
  /** The page cannot change the board (a view token, readonly=1, or the server refused an op). */
  readOnly(): boolean;
  setTool(t: ToolName): void;
  /** The current tool's color (rgba is opaque unless alpha: then its alpha is the tool's opacity too). */
  setColor(rgba: number, alpha: boolean): void;
  /** The current tool's width, in board units. */
  setWidth(units: number): void;
  undo(): boolean;
  redo(): boolean;
  clear(): void;
  exportPNG(scope: Scope): string | Promise<string>;
  exportSVG(scope: Scope): string;
}

const VIEW_ONLY = 'the board is view-only here';

/** COMMANDS are the commands the board takes (embed.js has the same list). */
export const COMMANDS = ['setTool', 'setColor', 'setWidth', 'undo', 'redo', 'clear', 'exportPNG', 'exportSVG'] as const;

function scopeOf(v: unknown): Scope {
  if (v === undefined || v === null || v === 'board') return 'board';
  if (v === 'view') return 'view';
  throw new Error(`scope must be 'board' or 'view', not ${JSON.stringify(v)}`);
}

/** runCommand does c on the board and returns its value; it throws with a message for the host when it cannot. */
export async function runCommand(c: CommandMsg, b: BoardControl): Promise<unknown> {
  const a = c.args[0];
  const editing = (): void => {
    if (b.readOnly()) throw new Error(VIEW_ONLY);
  };
  switch (c.cmd) {
    case 'setTool': {
      if (typeof a !== 'string' || !(TOOL_NAMES as readonly string[]).includes(a)) {
        throw new Error(`unknown tool ${JSON.stringify(a)}: one of ${TOOL_NAMES.join(', ')}`);
      }
      if (a !== 'hand') editing();
      b.setTool(a as ToolName);
      return a;
    }
    case 'setColor': {
      const col = parseColor(a);
      if (!col) throw new Error(`color must be '#rrggbb' or '#rrggbbaa', not ${JSON.stringify(a)}`);
      editing();
      b.setColor(col.rgba, col.alpha);
      return null;
    }
    case 'setWidth': {
      const units = widthUnits(a);
      if (units === null) throw new Error(`width must be a number of CSS pixels from ${1 / BOARD_UNITS_PER_PX} to ${MAX_WIDTH / BOARD_UNITS_PER_PX}`);
      editing();
      b.setWidth(units);
      return null;
    }
    case 'undo':
      editing();
      return b.undo();
    case 'redo':
      editing();
      return b.redo();
    case 'clear':
      editing();
      b.clear();
      return null;
    case 'exportPNG':
      return await b.exportPNG(scopeOf(a));
    case 'exportSVG':
      return b.exportSVG(scopeOf(a));
    default:
      throw new Error(`unknown command ${JSON.stringify(c.cmd)}`);
  }
}

/** ConnView is what the bridge reads of the connection's state (net/connection's ConnState). */
export type ConnView =
  | { readonly state: 'connecting' | 'live' | 'reload' }
  | { readonly state: 'offline'; readonly code: number; readonly wasLive: boolean; readonly failures: number }
  | { readonly state: 'stopped'; readonly code: number };

/** Failed attempts in a row before the host is told the board cannot connect. */
export const FAILURES_BEFORE_ERROR = 2;

export interface EmbedError {
  readonly code: string;
  readonly message: string;
  readonly fatal: boolean;
}

const TOKEN_MESSAGES: Readonly<Record<string, string>> = {
  token_expired: 'the embed token has expired: mount the board again with a new token',
  token_wrong_board: 'the embed token is for another board',
  token_invalid: 'the embed token is not valid (altered, or from another server)',
  host_not_allowed: 'this host origin may not embed boards (SKETCHPAD_EMBED_ORIGINS)',
};

/** errorFor returns the error the page reports for a problem code (a server error code, or one of the bridge's). */
export function errorFor(code: string, fatal = true, message?: string): EmbedError {
  return { code, message: message ?? TOKEN_MESSAGES[code] ?? code.replace(/_/g, ' '), fatal };
}

/**
 * connectionError says what to tell the host about a connection state, or
 * null. everLive: the board has been live on this page. tokenProblem: what
 * the token itself says is wrong with it (see tokenProblem), or null.
 */
export function connectionError(s: ConnView, everLive: boolean, tokenProblem: string | null): EmbedError | null {
  switch (s.state) {
    case 'stopped':
      return errorFor(s.code === CLOSE_EXPIRED ? 'token_expired' : 'disconnected');
    case 'reload':
      return errorFor('out_of_date', true, 'the board speaks another protocol version: reload it');
    case 'offline':
      if (s.wasLive && s.code === CLOSE_READ_ONLY) {
        return errorFor('read_only', false, 'the server refused a change: this token can only view the board');
      }
      if (!s.wasLive && s.failures === FAILURES_BEFORE_ERROR) {
        if (tokenProblem) return errorFor(tokenProblem);
        return everLive
          ? errorFor('connection_lost', false, 'the board lost its connection and cannot get it back yet; it keeps trying')
          : errorFor('connect_failed', true, 'the board cannot connect: the server refused it or cannot be reached');
      }
      return null;
    default:
      return null;
  }
}

/** Claims are what an embed token says (server/tokens.go); the page cannot check the signature, only read them. */
export interface Claims {
  readonly board: string;
  readonly can: string;
  readonly name: string;
  readonly expires: number;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(s: string): Uint8Array | null {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    const v = B64URL.indexOf(ch);
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}

/** tokenClaims reads a token's claims, or null when it is not a token. */
export function tokenClaims(token: string): Claims | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 1024) return null;
  const raw = base64url(token.slice(0, dot));
  if (!raw) return null;
  try {
    const c = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as { b?: unknown; c?: unknown; n?: unknown; e?: unknown };
    if (typeof c.b !== 'string' || typeof c.c !== 'string' || typeof c.e !== 'number') return null;
    return { board: c.b, can: c.c, name: typeof c.n === 'string' ? c.n : '', expires: c.e };
  } catch {
    return null;
  }
}

/**
 * tokenProblem says what is wrong with token for the board at segment at
 * time now (ms), as the server's error codes: token_invalid,
 * token_expired, token_wrong_board (known only when segment is a view id),
 * or null. It explains a refused connection; the server decides.
 */
export function tokenProblem(token: string, segment: string, now: number): string | null {
  if (token === '') return null;
  const c = tokenClaims(token);
  if (!c) return 'token_invalid';
  if (now >= c.expires * 1000) return 'token_expired';
  if (segment.startsWith('v.') && c.board !== segment) return 'token_wrong_board';
  return null;
}

/**
 * TokenClock says when an embedded board's token has expired, by the
 * page's clock. A token the server took (it served the page) but that the
 * page's clock already called expired at load means that clock runs ahead:
 * then the page never concludes anything from it.
 */
export class TokenClock {
  private readonly expires: number | null;

  constructor(token: string, loadedAt: number) {
    const c = token === '' ? null : tokenClaims(token);
    this.expires = c && loadedAt < c.expires * 1000 ? c.expires * 1000 : null;
  }

  /** expired reports whether the token has expired at now (ms). */
  expired(now: number): boolean {
    return this.expires !== null && now >= this.expires;
  }
}

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

/**
 * Bridge is the board's side of the API: commands in, results and events
 * out. The page calls its methods as things happen.
 */
export class Bridge {
  readonly people: PeopleEvents;
  private readySent = false;
  private everLive = false;
  private lastSeq = 0;
  private lastError = '';

  constructor(
    private readonly post: (m: OutMsg) => void,
    private readonly board: BoardControl,
    private readonly tokenProblem: () => string | null = () => null,
  ) {
    this.people = new PeopleEvents((e) => this.event(e));
  }

  /** event posts an event to the host. */
  event(e: EmbedEvent): void {
    this.post({ sketchpad: 1, ...e });
  }

  /** loaded tells the host the page runs (before it connects). */
  loaded(): void {
    this.event({ type: 'load' });
  }

  /** command runs a command and posts its result. */
  async command(c: CommandMsg): Promise<void> {
    let msg: ResultMsg;
    try {
      const value = await runCommand(c, this.board);
      msg = { sketchpad: 1, type: 'result', id: c.id, ok: true, value: value === undefined ? null : value };
    } catch (err) {
      msg = { sketchpad: 1, type: 'result', id: c.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    this.post(msg);
  }

  /** connection is told every connection state, with the board's sequence number. */
  connection(s: ConnView, seq: number): void {
    if (s.state === 'live') {
      this.everLive = true;
      this.lastError = '';
      if (!this.readySent) {
        this.readySent = true;
        this.lastSeq = seq;
        this.event({ type: 'ready', seq, readOnly: this.board.readOnly() });
      }
      return;
    }
    if (s.state !== 'connecting') this.people.disconnected();
    const e = connectionError(s, this.everLive, s.state === 'offline' && !s.wasLive ? this.tokenProblem() : null);
    if (e) this.error(e);
  }

  /** error tells the host of a problem (the same fatal error once). */
  error(e: EmbedError): void {
    const key = `${e.code}/${e.fatal}`;
    if (e.fatal && key === this.lastError) return;
    this.lastError = key;
    this.event({ type: 'error', code: e.code, message: e.message, fatal: e.fatal });
  }

  /** frame is called once per animation frame that may show a change: the host hears of a new sequence number once. */
  frame(seq: number): void {
    if (!this.readySent || seq === this.lastSeq) return;
    this.lastSeq = seq;
    this.event({ type: 'change', seq });
  }
}
