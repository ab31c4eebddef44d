// The page's side of net/socket_worker.ts: a socket that net/connection
// uses as it would a WebSocket, its bytes read by the worker. A worker
// that cannot start (its script not fetched: offline, an old cache)
// closes its sockets as a dropped connection would (1006), and the
// sockets made after it are plain WebSockets.

import type { SnapshotSketch } from '../protocol/snapshot_sketch';
import type { FromWorker, ToWorker } from './socket_wire';

/** Socket is what net/connection uses of a WebSocket. */
export interface Socket {
  binaryType: BinaryType;
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** SketchedMessage is a frame from the worker: when the worker had it whole (performance.now() of the page), and its sketch if one was looked for (null: none). */
export interface SketchedMessage extends MessageEvent {
  readonly receivedAt?: number;
  readonly sketch?: SnapshotSketch | null;
}

/**
 * SocketWorker is the worker loaded from url, started at once; sockets()
 * makes the sockets it reads.
 */
export class SocketWorker {
  private worker: Worker | null = null;
  private readonly live = new Map<number, WorkerSocket>();
  private next = 1;

  constructor(url: string) {
    try {
      this.worker = new Worker(url);
    } catch {
      return;
    }
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.live.get(ev.data.id)?.heard(ev.data);
    this.worker.onerror = () => {
      this.worker?.terminate();
      this.worker = null;
      for (const s of [...this.live.values()]) s.heard({ t: 'close', id: 0, code: 1006, reason: '', wasClean: false });
    };
  }

  /** sockets returns a maker of sockets; sketchMin() is asked at each open for the snapshot size from which the first one comes with its sketch (0: none wanted). */
  sockets(sketchMin: () => number): (socketURL: string) => Socket {
    return (socketURL) => {
      const w = this.worker;
      if (!w) return new WebSocket(socketURL);
      const id = this.next++;
      const s = new WorkerSocket((m, transfer) => w.postMessage(m, transfer), () => this.live.delete(id), id);
      this.live.set(id, s);
      s.post({ t: 'open', id, url: socketURL, sketchMin: sketchMin() }, []);
      return s;
    };
  }
}

class WorkerSocket implements Socket {
  binaryType: BinaryType = 'arraybuffer';
  private state: number = WebSocket.CONNECTING;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;

  constructor(
    readonly post: (m: ToWorker, transfer: Transferable[]) => void,
    private readonly gone: () => void,
    private readonly id: number,
  ) {}

  get readyState(): number {
    return this.state;
  }

  send(data: Uint8Array): void {
    if (this.state !== WebSocket.OPEN) return;
    // The worker takes the bytes: a copy, as a WebSocket's send makes one.
    const copy = data.slice().buffer;
    this.post({ t: 'send', id: this.id, data: copy }, [copy]);
  }

  close(code?: number, reason?: string): void {
    if (this.state >= WebSocket.CLOSING) return;
    this.state = WebSocket.CLOSING;
    this.post({ t: 'close', id: this.id, ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) }, []);
  }

  /** heard dispatches what the worker said of this socket. */
  heard(m: FromWorker): void {
    if (this.state === WebSocket.CLOSED) return;
    switch (m.t) {
      case 'open':
        if (this.state === WebSocket.CONNECTING) this.state = WebSocket.OPEN;
        this.onopen?.(new Event('open'));
        break;
      case 'message': {
        const ev = new MessageEvent('message', { data: m.data }) as SketchedMessage;
        Object.assign(ev, { receivedAt: m.at - performance.timeOrigin, ...(m.sketch !== undefined ? { sketch: m.sketch } : {}) });
        this.onmessage?.(ev);
        break;
      }
      case 'error':
        this.onerror?.(new Event('error'));
        break;
      case 'close':
        this.state = WebSocket.CLOSED;
        this.gone();
        this.onclose?.(new CloseEvent('close', { code: m.code, reason: m.reason, wasClean: m.wasClean }));
        break;
    }
  }
}
