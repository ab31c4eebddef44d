// The embed API's messages (embed.js is the host's side; README.md
// "Embedding" is the contract) and the check every incoming one passes.
// Pure: embed/channel.ts is the DOM part that feeds it.
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
