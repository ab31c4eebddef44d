// What the connection indicator says, as a pure function of the state.

export type StatusView =
  | { readonly state: 'connecting'; readonly resync: boolean }
  | { readonly state: 'live' }
  | { readonly state: 'offline'; readonly retryAt: number }
  | { readonly state: 'reload' };

/** statusText is what the indicator says for v at time now (ms since the epoch). */
export function statusText(v: StatusView, now: number): string {
  switch (v.state) {
    case 'connecting':
      return v.resync ? 'resyncing…' : 'connecting…';
    case 'live':
      return 'live';
    case 'offline':
      return `offline — reconnecting in ${Math.max(0, Math.ceil((v.retryAt - now) / 1000))}s`;
    case 'reload':
      return 'This page is out of date — please reload';
  }
}
