// A big board's first picture. A late joiner's page builds a board of
// 100,000 strokes from its snapshot in about a second of one task, and
// until then the screen is empty. When the snapshot's frame comes and the
// screen shows nothing yet, the frame's strokes are read into flat arrays
// (protocol/snapshot_sketch; by the socket's worker, net/socket_worker,
// which had the frame whole before the main thread heard of it, or here
// where there is no worker), the page holds the frame (and what comes after
// it, in order), paints the strokes coarsely where the page will land
// (render/first_picture) at the start of the browser's next frame, which
// shows them, and lets the frame go once that frame is made; then the
// board is built, and its first frame takes that picture as its coarse one
// (or paints its own), the exact picture following as before.

import type { Editor } from '../edit/editor';
import type { Stroke } from '../protocol/board';
import { sketchSnapshot, tooSmallToSketch, type SnapshotSketch } from '../protocol/snapshot_sketch';
import { paintSketch } from '../render/first_picture';
import { coarseMin } from '../render/refine';
import type { Renderer } from '../render/renderer';
import type { Landing } from '../ui/landing';
import { SocketWorker, type Socket } from '../net/worker_socket';
import { scriptURL, socketWorkerURL } from './script_url';

/** If no frame comes (a hidden page), the held frame goes on after this long (ms), with no picture. */
const FRAME_WAIT_MS = 1000;

/**
 * firstPictureHold returns the connection's holdFor (net/connection): the
 * first big snapshot, while the screen and the board are empty, is
 * painted as a picture and held until the screen has shown it.
 */
export function firstPictureHold(renderer: Renderer, editor: Editor, landing: Landing): (frame: Uint8Array, sketch?: SnapshotSketch | null) => Promise<void> | null {
  let done = false;
  return (frame, sketch) => {
    if (done) return null;
    const min = coarseMin();
    if (tooSmallToSketch(frame.length, min)) return null;
    // Once a board is here (or the screen shows anything), there is no first picture to make; a hidden page makes no frames.
    if (editor.sync.board.strokes.length > 0 || !renderer.showsNothing || document.visibilityState === 'hidden') {
      done = true;
      return null;
    }
    // When the snapshot's frame was taken up (the big-board benchmark reads it).
    performance.mark?.('sketchpad-sketch');
    // The socket's worker may have made the sketch already (net/socket_worker), or found none to make.
    const sk = sketch !== undefined ? sketch : sketchSnapshot(frame, min);
    if (!sk) return null;
    // When the sketch was made (the big-board benchmark reads it).
    performance.mark?.('sketchpad-sketched');
    done = true;
    const held = inNextFrame(() => {
      // When the frame that shows the picture began (the big-board benchmark reads it).
      performance.mark?.('sketchpad-sketch-frame');
      const v = landing.viewOnArrival(sk.box);
      const css = (t: number, c: number): string => renderer.painter.cssOf(t, c);
      // The layer takes the picture as its own while the board is the one sketched: nothing applied since, every stroke closed.
      const shows = (desired: readonly Stroke[]): boolean => editor.sync.board.seq === sk.seq && desired.length === sk.n;
      renderer.showFirstPicture((under, ink, at, dpr, w, h) => paintSketch(under, ink, sk, at, dpr, w, h, css), v, shows);
    });
    // The held frame is handled once held settles: a board that did not come of it (a malformed snapshot) leaves no picture of it.
    void held.then(() =>
      setTimeout(() => {
        if (editor.sync.board.strokes.length === 0) renderer.dropFirstPicture();
      }, 0),
    );
    return held;
  };
}

/**
 * firstPictureSockets returns the connection's socket maker: sockets read
 * by a socket worker (net/worker_socket), which also sketches the first
 * big snapshot while the page would show a first picture of it; undefined
 * (plain WebSockets) where there is no worker to load (tests in node) or
 * the page's policy refused its script. The worker starts here, as the
 * page connects: started as the app's script ran, ahead of the page's
 * making, it did not bring the snapshot sooner (BENCHMARKS.md).
 */
export function firstPictureSockets(renderer: Renderer, editor: Editor): ((url: string) => Socket) | undefined {
  if (socketWorkerURL === null || typeof Worker === 'undefined') return undefined;
  let worker: SocketWorker;
  try {
    worker = new SocketWorker(scriptURL(socketWorkerURL));
  } catch {
    return undefined;
  }
  return worker.sockets(() => (editor.sync.board.strokes.length > 0 || !renderer.showsNothing ? 0 : coarseMin()));
}

/**
 * inNextFrame runs paint at the start of the browser's next frame (what it
 * paints, that frame shows) and resolves in a task after it; if no frame
 * comes (a hidden page), it resolves after FRAME_WAIT_MS without painting.
 */
function inNextFrame(paint: () => void): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const go = (): void => {
      if (settled) return;
      settled = true;
      resolve();
    };
    requestAnimationFrame(() => {
      if (settled) return;
      paint();
      setTimeout(go, 0);
    });
    setTimeout(go, FRAME_WAIT_MS);
  });
}
