// What an embed token says, read by the page (the server checks its
// signature and decides; the page only explains a refusal and notices
// expiry). Pure.

/** Claims are what an embed token says (server/access/tokens.go); the page cannot check the signature, only read them. */
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
