// The WebSocket under a SyncCore: opens it, feeds it frames and close codes,
// and reconnects by itself as net/backoff says (a loss that drops everyone
// on a server spreads the first attempt over 10 s; then exponential backoff
// with full jitter; 'online' and "Reconnect now" try at once).
//
//	connecting --open, Welcome--> live --close--> offline --timer--> connecting
//	any close 4426, or a Welcome of another version --> reload (stays there)
//	close 4410 (the embed token expired) --> stopped (stays there)

import { ProtocolError } from '../protocol/bytes';
import { CLOSE_ABNORMAL, CLOSE_BAD_SERVER_FRAME } from '../protocol/codes';
import { Reconnect } from './backoff';
import { Turns } from './turns';
import { VersionError, type SyncCore } from './sync';
import type { SnapshotSketch } from '../protocol/snapshot_sketch';
import type { SketchedMessage, Socket } from './worker_socket';

/** A frame this big (bytes) is a board's snapshot, whose arrival the big-board benchmark times. */
const BIG_FRAME = 1 << 20;

export type ConnState =
  | { readonly state: 'connecting'; readonly resync: boolean }
  | { readonly state: 'live' }
  | {
      readonly state: 'offline';
      readonly retryAt: number;
      /** The close code of the connection that ended (1006: dropped, or never opened). */
      readonly code: number;
      /** That connection had been live. */
      readonly wasLive: boolean;
      /** Attempts in a row that ended without getting live (0 right after losing a live connection). */
      readonly failures: number;
    }
  | { readonly state: 'reload' }
  /** The server ended the connection for good (4410: the embed token expired): no retry. */
  | { readonly state: 'stopped'; readonly code: number };

export interface ConnectionOptions {
  /** Random numbers in [0, 1) for the jitter. Default Math.random. */
  readonly random?: () => number;
  /** Give up on a connection that is not live after this long, in ms. Default 10 000. */
  readonly timeoutMs?: number;
  /**
   * Once the server says a big board is on its way (Notice 3), give up
   * only after this long, in ms. The server drops a joiner that reads
   * slower than its --join-min-rate (a full board within 15 minutes), so
   * this only bounds a link that died silently. Default 16 minutes.
   */
  readonly loadingTimeoutMs?: number;
  /**
   * Asked when a connection ends (or cannot open): a close code to stop
   * for good with (state 'stopped'), or null to reconnect. An embedded
   * board stops once its token has expired: the server would refuse it.
   */
  readonly stopWith?: () => number | null;
  /**
   * The Hello waits for this (the board and the work kept on this device,
   * read from IndexedDB: the Hello says what the page has and who it is);
   * the socket opens at once, beside that read, not after it.
   */
  readonly helloAfter?: Promise<unknown>;
  /**
   * The server's frames (and the close) are handled once this resolves
   * (the page's parts that hear them exist); those that come before wait,
   * in order. The board's snapshot arrives meanwhile.
   */
  readonly handleAfter?: Promise<unknown>;
  /**
   * Asked for each server frame before it is handled: a promise to hold
   * that frame, and everything heard after it, until the promise settles
   * (the page shows a big board's first picture meanwhile); null to handle
   * it now.
   */
  readonly holdFor?: (frame: Uint8Array, sketch?: SnapshotSketch | null) => Promise<unknown> | null;
  /** Makes the socket (default: a WebSocket): net/worker_socket's are read by a worker, a frame's sketch beside it. */
  readonly socket?: ((url: string) => Socket) | undefined;
}

export class Connection {
  private ws: Socket | null = null;
  private wasLive = false;
  private readonly reconnect: Reconnect;
  private stateV: ConnState = { state: 'connecting', resync: false };
  private retryTimer: number | null = null;
  private liveTimer: number | null = null;
  private mustReload = false;
  private readonly timeoutMs: number;
  private readonly loadingTimeoutMs: number;
  private readonly stopWith: () => number | null;
  private readonly helloAfter: Promise<unknown>;
  private readonly holdFor: (frame: Uint8Array, sketch?: SnapshotSketch | null) => Promise<unknown> | null;
  private readonly makeSocket: (url: string) => Socket;
  private helloMarked = false;
  private frameMarked = false;
  /** Frames and closes, handled in the order heard, after handleAfter and around held frames. */
  private readonly turns: Turns;

  constructor(
    private readonly url: string,
    private readonly core: SyncCore,
    private readonly onState: (s: ConnState) => void,
    opts: ConnectionOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.loadingTimeoutMs = opts.loadingTimeoutMs ?? 16 * 60_000;
    this.stopWith = opts.stopWith ?? (() => null);
    this.helloAfter = (opts.helloAfter ?? Promise.resolve()).catch(() => undefined);
    this.holdFor = opts.holdFor ?? (() => null);
    this.makeSocket = opts.socket ?? ((u) => new WebSocket(u));
    this.turns = new Turns(opts.handleAfter);
    this.reconnect = new Reconnect(opts.random ?? Math.random);
  }

  get state(): ConnState {
    return this.stateV;
  }

  /** start connects, and keeps reconnecting whenever the connection is lost. */
  start(): void {
    // Where a page's start goes (the big-board benchmark reads it).
    performance.mark?.('sketchpad-connect');
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
    let ws: Socket;
    try {
      ws = this.makeSocket(this.url);
    } catch {
      this.retryLater({ code: CLOSE_ABNORMAL, wasLive: false });
      return;
    }
    let errored = false;
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    const giveUp = (): void => {
      if (this.ws === ws && !this.core.live) ws.close();
    };
    this.liveTimer = window.setTimeout(giveUp, this.timeoutMs);
    let waitingForBoard = false;
    ws.onopen = () => {
      void this.helloAfter.then(() => {
        if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
        if (!this.helloMarked) {
          this.helloMarked = true;
          // Where the first Hello goes (the big-board benchmark reads it).
          performance.mark?.('sketchpad-hello');
        }
        this.core.open();
      });
    };
    ws.onmessage = (ev: MessageEvent) => {
      if (!this.frameMarked && ev.data instanceof ArrayBuffer && ev.data.byteLength >= BIG_FRAME) {
        this.frameMarked = true;
        // When the first big frame (a board's snapshot) came off the socket (the big-board benchmark reads it).
        const at = (ev as SketchedMessage).receivedAt;
        performance.mark?.('sketchpad-frame-in', at !== undefined ? { startTime: at } : undefined);
        // And when the page had it (later when a worker read it).
        performance.mark?.('sketchpad-frame-page');
      }
      this.turns.inTurn(() => received(ev));
    };
    ws.onclose = (ev: CloseEvent) => this.turns.inTurn(() => closed(ev));
    const received = (ev: MessageEvent): void => {
      if (this.ws !== ws || !(ev.data instanceof ArrayBuffer)) return;
      const frame = new Uint8Array(ev.data);
      const held = this.holdFor(frame, (ev as SketchedMessage).sketch);
      if (held) this.turns.hold(held, () => handleFrame(frame));
      else handleFrame(frame);
    };
    const handleFrame = (frame: Uint8Array): void => {
      if (this.ws !== ws) return;
      const wasLive = this.core.live;
      try {
        this.core.receive(frame);
      } catch (err) {
        if (err instanceof VersionError) this.mustReload = true;
        else if (!(err instanceof ProtocolError)) console.error(err);
        ws.close(CLOSE_BAD_SERVER_FRAME, 'bad server frame');
        return;
      }
      if (!this.core.live && this.core.loading && !waitingForBoard) {
        waitingForBoard = true;
        if (this.liveTimer !== null) clearTimeout(this.liveTimer);
        this.liveTimer = window.setTimeout(giveUp, this.loadingTimeoutMs);
      }
      if (!wasLive && this.core.live) {
        this.reconnect.live();
        this.wasLive = true;
        if (this.liveTimer !== null) clearTimeout(this.liveTimer);
        this.liveTimer = null;
        this.setState({ state: 'live' });
      }
    };
    ws.onerror = () => {
      errored = true;
    };
    const closed = (ev: CloseEvent): void => {
      if (this.ws !== ws) return;
      this.ws = null;
      const wasLive = this.core.live;
      const advice = this.core.closed(ev.code);
      if (advice === 'reload' || this.mustReload) {
        this.clearTimers();
        this.setState({ state: 'reload' });
        return;
      }
      if (advice === 'stop') {
        this.stop(ev.code);
        return;
      }
      this.retryLater({ code: ev.code, wasLive, error: errored });
    };
  }


  private stop(code: number): void {
    this.clearTimers();
    this.setState({ state: 'stopped', code });
  }

  private retryLater(loss: { code: number; wasLive: boolean; error?: boolean }): void {
    const stop = this.stopWith();
    if (stop !== null) {
      this.stop(stop);
      return;
    }
    this.clearTimers();
    const delay = this.reconnect.lost(loss);
    this.setState({ state: 'offline', retryAt: Date.now() + delay, code: loss.code, wasLive: loss.wasLive, failures: this.reconnect.failuresInARow });
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.liveTimer !== null) clearTimeout(this.liveTimer);
    this.retryTimer = this.liveTimer = null;
  }
}
