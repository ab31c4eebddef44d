// The embedded board's side of the postMessage API: commands in, results
// and events out (load, ready, joined/left, change, error), and what to tell
// the host when the connection fails. Pure: the page gives it a post
// function (embed/channel.ts: window.parent.postMessage(m, host)) and the
// board's controls. Its parts, one file each: messages.ts (the messages and
// the origin check), commands.ts (the commands), token.ts (what an embed
// token says), people_events.ts (joined and left).

import { runCommand, type BoardControl } from './commands';
import type { CommandMsg, EmbedEvent, OutMsg, ResultMsg } from './messages';
import { PeopleEvents } from './people_events';
import { CLOSE_EXPIRED, CLOSE_READ_ONLY } from '../protocol/codes';

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
