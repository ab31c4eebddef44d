// The WebSocket under a SyncCore: opens it, feeds it frames and close codes,
// and reconnects by itself with exponential backoff and full jitter.
//
//	connecting --open, Welcome--> live --close--> offline --timer--> connecting
//	any close 4426, or a Welcome of another version --> reload (stays there)

import { ProtocolError } from '../protocol/bytes';
import { backoffDelay } from './backoff';
import { VersionError, type SyncCore } from './sync';

export type ConnState =
  | { readonly state: 'connecting'; readonly resync: boolean }
  | { readonly state: 'live' }
  | { readonly state: 'offline'; readonly retryAt: number }
  | { readonly state: 'reload' };

export interface ConnectionOptions {
  /** Random numbers in [0, 1) for the jitter. Default Math.random. */
  readonly random?: () => number;
  /** Give up on a connection that is not live after this long, in ms. Default 10 000. */
  readonly timeoutMs?: number;
}

/** Close code the client uses when it drops a connection it cannot trust. */
const CLOSE_CLIENT_PROTOCOL = 4000;

export class Connection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private wasLive = false;
  private stateV: ConnState = { state: 'connecting', resync: false };
  private retryTimer: number | null = null;
  private liveTimer: number | null = null;
  private mustReload = false;
  private readonly random: () => number;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    private readonly core: SyncCore,
    private readonly onState: (s: ConnState) => void,
    opts: ConnectionOptions = {},
  ) {
    this.random = opts.random ?? Math.random;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  get state(): ConnState {
    return this.stateV;
  }

  /** start connects, and keeps reconnecting whenever the connection is lost. */
  start(): void {
    window.addEventListener('online', () => {
      if (this.stateV.state === 'offline') this.retryNow();
    });
    this.connect();
  }

  /** retryNow skips the rest of the backoff delay. */
  retryNow(): void {
    if (this.stateV.state !== 'offline') return;
    this.connect();
  }

  /** send writes a frame if the socket is open; SyncCore only sends when it should. */
  send(frame: Uint8Array): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  private setState(s: ConnState): void {
    this.stateV = s;
    this.onState(s);
  }

  private connect(): void {
    this.clearTimers();
    this.setState({ state: 'connecting', resync: this.wasLive });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retryLater();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.liveTimer = window.setTimeout(() => {
      if (this.ws === ws && !this.core.live) ws.close();
    }, this.timeoutMs);
    ws.onopen = () => {
      if (this.ws === ws) this.core.open();
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws || !(ev.data instanceof ArrayBuffer)) return;
      const wasLive = this.core.live;
      try {
        this.core.receive(new Uint8Array(ev.data));
      } catch (err) {
        if (err instanceof VersionError) this.mustReload = true;
        else if (!(err instanceof ProtocolError)) console.error(err);
        ws.close(CLOSE_CLIENT_PROTOCOL, 'bad server frame');
        return;
      }
      if (!wasLive && this.core.live) {
        this.attempt = 0;
        this.wasLive = true;
        if (this.liveTimer !== null) clearTimeout(this.liveTimer);
        this.liveTimer = null;
        this.setState({ state: 'live' });
      }
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      const advice = this.core.closed(ev.code);
      if (advice === 'reload' || this.mustReload) {
        this.clearTimers();
        this.setState({ state: 'reload' });
        return;
      }
      this.retryLater();
    };
  }

  private retryLater(): void {
    this.clearTimers();
    const delay = backoffDelay(this.attempt++, this.random);
    this.setState({ state: 'offline', retryAt: Date.now() + delay });
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.liveTimer !== null) clearTimeout(this.liveTimer);
    this.retryTimer = this.liveTimer = null;
  }
}
