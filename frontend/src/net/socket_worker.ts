// The page's sockets, read in a worker. A browser reads a WebSocket's
// bytes on the thread that opened it, a piece at a time (tens of KB), each
// piece a task of that thread: a board of megabytes read on the page's
// main thread waits behind whatever the page does as it starts, about
// three times as long as on a thread with nothing else to do. Here the
// frame is read whole, then moved to the page in one message; the first
// big snapshot's sketch (protocol/snapshot_sketch) is made here too, off
// the main thread, for the page's first picture (page/first_picture).
// The page's side is net/worker_socket.ts; the messages, net/socket_wire.ts.

import { sketchSnapshot, tooSmallToSketch } from '../protocol/snapshot_sketch';
import { sketchBuffers, type FromWorker, type ToWorker } from './socket_wire';

interface WorkerScope {
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  postMessage(msg: FromWorker, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const sockets = new Map<number, WebSocket>();

const post = (msg: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(msg, transfer);

function open(id: number, url: string, sketchMin: number): void {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    post({ t: 'error', id });
    post({ t: 'close', id, code: 1006, reason: '', wasClean: false });
    return;
  }
  ws.binaryType = 'arraybuffer';
  sockets.set(id, ws);
  let looked = sketchMin <= 0;
  ws.onopen = () => post({ t: 'open', id });
  ws.onerror = () => post({ t: 'error', id });
  ws.onclose = (ev) => {
    sockets.delete(id);
    post({ t: 'close', id, code: ev.code, reason: ev.reason, wasClean: ev.wasClean });
  };
  ws.onmessage = (ev: MessageEvent) => {
    if (!(ev.data instanceof ArrayBuffer)) return;
    const data = ev.data;
    const at = performance.timeOrigin + performance.now();
    if (looked || tooSmallToSketch(data.byteLength, sketchMin)) {
      post({ t: 'message', id, data, at }, [data]);
      return;
    }
    looked = true;
    const sketch = sketchSnapshot(new Uint8Array(data), sketchMin);
    post({ t: 'message', id, data, at, sketch }, sketch ? [data, ...sketchBuffers(sketch)] : [data]);
  };
}

scope.onmessage = (ev) => {
  const m = ev.data;
  switch (m.t) {
    case 'open':
      open(m.id, m.url, m.sketchMin);
      break;
    case 'send': {
      const ws = sockets.get(m.id);
      if (ws && ws.readyState === WebSocket.OPEN) ws.send(m.data);
      break;
    }
    case 'close': {
      const ws = sockets.get(m.id);
      if (ws) ws.close(m.code, m.reason);
      break;
    }
  }
};
