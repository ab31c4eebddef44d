// The messages between a page and its socket worker (net/socket_worker.ts,
// net/worker_socket.ts): one socket's events and calls, by its id. A
// frame's bytes are moved, not copied (transferred), both ways.

import type { SnapshotSketch } from '../protocol/snapshot_sketch';

/** What the page asks the worker. */
export type ToWorker =
  /** Open a socket; sketchMin > 0: the first frame holding a snapshot of at least that many visible strokes comes with its sketch. */
  | { readonly t: 'open'; readonly id: number; readonly url: string; readonly sketchMin: number }
  | { readonly t: 'send'; readonly id: number; readonly data: ArrayBuffer }
  | { readonly t: 'close'; readonly id: number; readonly code?: number; readonly reason?: string };

/** What the worker tells the page. */
export type FromWorker =
  | { readonly t: 'open'; readonly id: number }
  /** A frame; at: when the worker had it whole (performance.timeOrigin + now); sketch: looked for (null: none), or not looked for (undefined). */
  | { readonly t: 'message'; readonly id: number; readonly data: ArrayBuffer; readonly at: number; readonly sketch?: SnapshotSketch | null }
  | { readonly t: 'error'; readonly id: number }
  | { readonly t: 'close'; readonly id: number; readonly code: number; readonly reason: string; readonly wasClean: boolean };

/** sketchBuffers are the buffers of a sketch's arrays, moved with it. */
export function sketchBuffers(sk: SnapshotSketch): ArrayBuffer[] {
  return [sk.tool.buffer, sk.color.buffer, sk.width.buffer, sk.start.buffer, sk.xy.buffer] as ArrayBuffer[];
}
