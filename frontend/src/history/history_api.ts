// The server's history endpoints as the panel calls them (README
// "History"): the versions (JSON), stretches of the past in the wire
// encoding (decoded by protocol/server, as the live connection's frames
// are), and restore. The board is named by the page's own path segment
// and token, so a view link or an embed token reads what it may.

import { decodeServerFrame } from '../protocol/server';
import { stretchOf, type Stretch } from './timeline';

export interface VersionAuthor {
  readonly author: number;
  readonly name: string;
}

export interface Version {
  readonly seq: number;
  readonly time: string;
  readonly authors: readonly VersionAuthor[];
  readonly ops: number;
  readonly kind: 'checkpoint' | 'clear' | 'removal' | string;
}

export interface Versions {
  readonly head: number;
  readonly versions: readonly Version[];
}

/** HistoryError is a refusal from the server, with its JSON error's code and message. */
export class HistoryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** The most versions the panel marks on its slider (the newest). */
const MAX_MARKS = 500;

export class HistoryAPI {
  constructor(
    private readonly segment: string,
    private readonly token: string,
  ) {}

  private url(path: string, q: Record<string, string | number> = {}): string {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) p.set(k, String(v));
    if (this.token) p.set('token', this.token);
    const qs = p.toString();
    return `/api/boards/${encodeURIComponent(this.segment)}/${path}${qs ? '?' + qs : ''}`;
  }

  /** versions returns the head and the newest versions (up to MAX_MARKS), newest first. */
  async versions(): Promise<Versions> {
    return (await this.json(await fetch(this.url('history', { limit: MAX_MARKS }), { cache: 'no-store' }))) as Versions;
  }

  /** boardAt returns the board after op at, and the ops after it up to to (one page of them). */
  async stretch(q: { at: number; to: number } | { after: number; to: number; limit?: number }): Promise<Stretch & { head: number; through: number }> {
    const resp = await fetch(this.url('history/ops', q), { cache: 'no-store' });
    if (!resp.ok) await this.json(resp);
    const msgs = decodeServerFrame(new Uint8Array(await resp.arrayBuffer()));
    const s = stretchOf(msgs, 'at' in q ? q.at : null);
    return { ...s, head: Number(resp.headers.get('X-Sketchpad-Head') ?? 0), through: Number(resp.headers.get('X-Sketchpad-Through') ?? 0) };
  }

  /** restore makes a new board of the board after op at and returns its edit link. */
  async restore(at: number): Promise<string> {
    const resp = await fetch(this.url('restore'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ at }) });
    const body = (await this.json(resp)) as { url: string };
    return body.url;
  }

  private async json(resp: Response): Promise<unknown> {
    let body: unknown = null;
    try {
      body = await resp.json();
    } catch {
      // Not JSON: a proxy's page. Said below.
    }
    if (resp.ok) return body;
    const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
    throw new HistoryError(resp.status, err?.code ?? 'http_' + resp.status, err?.message ?? `the server answered ${resp.status}`);
  }
}
