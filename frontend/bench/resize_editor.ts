// The editor's share of a page's frames while the corner handle of a
// selection of 1,000 pen strokes × 20 points is dragged (issue 16): what
// the page's frame asks of the Editor (flush, committed, overlay, the
// selection's box, names and strokes, as page/page.ts and its parts ask
// every frame), and, apart, the SyncCore's receiving of the room's echoes
// (decoding and the board's apply, outside any frame). A fake room (test/)
// echoes each op two frames after it was sent; a Transform goes out every
// third frame, as RESIZE_EVERY_MS does at 60 frames a second, in the tasks
// after the frame (page/page.ts flushLeft), timed apart. CPU time of
// this process (process.cpuUsage), so other work on the machine counts
// less than in a browser's frame times. Run: npm run bench

import { TestClient, settle } from '../test/harness';
import { FakeRoom } from '../test/fake_room';

const STROKES = 1000;
const POINTS = 20;
const FRAMES = 180;
/** render/lift LIFT_MIN (that module needs a DOM): a drag of this many strokes is flushed after the frame. */
const LIFT_MIN = 64;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}

function run(): void {
  const room = new FakeRoom(1n);
  const builder = new TestClient(room, 'builder');
  const a = new TestClient(room, 'Ada');
  builder.connect();
  a.connect();
  settle(builder, a);
  let seed = 16;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < STROKES; i++) {
    let x = 100 + rnd() * 3000;
    let y = 100 + rnd() * 2000;
    builder.ed.beginStroke({ x, y, p: 0 }, { color: 0x1e1e1eff, width: 8, pressure: false });
    for (let j = 1; j < POINTS; j++) {
      x += rnd() * 40 - 20;
      y += rnd() * 40 - 20;
      builder.ed.extendStroke([{ x, y, p: 0 }]);
    }
    builder.ed.endStroke();
    builder.ed.flush();
    if (i % 50 === 49) settle(builder, a);
  }
  settle(builder, a);
  builder.disconnect();
  const ed = a.ed;
  ed.selectAll();
  const box = ed.selectionBounds();
  const anchor = { x: box.minX, y: box.minY };
  ed.arrange.resizeStart(anchor, { x: box.maxX, y: box.maxY });
  const conn = a.conn!;
  const inFlight: Uint8Array[][] = [];
  const frame: number[] = [];
  const after1: number[] = [];
  const after2: number[] = [];
  let receive = 0;
  for (let i = 0; i <= FRAMES + 4; i++) {
    // The room's answers to what was sent two frames ago arrive between frames.
    const due = inFlight.length >= 2 || i > FRAMES ? inFlight.shift() : undefined;
    const r0 = cpuMs();
    for (const f of due ?? []) ed.sync.receive(f);
    receive += cpuMs() - r0;
    if (i > FRAMES) continue;
    const t0 = cpuMs();
    const f = 0.6 + 0.4 * Math.cos(i / 30);
    if (i < FRAMES) ed.arrange.resizeTo({ x: anchor.x + (box.maxX - anchor.x) * f, y: anchor.y + (box.maxY - anchor.y) * f }, false);
    else ed.arrange.resizeEnd();
    ed.flush(LIFT_MIN);
    ed.transforming();
    ed.committed();
    ed.overlay();
    ed.selectionBounds();
    ed.arrange.selectedStrokes();
    void ed.selection;
    ed.selectionBounds();
    frame.push(cpuMs() - t0);
    // After the frame, as page/page.ts flushLeft does (forced: this loop runs faster than RESIZE_EVERY_MS), in two tasks.
    if (i % 3 === 0 && i < FRAMES) {
      const a0 = cpuMs();
      ed.arrange.flush(true);
      ed.overlay();
      const a1 = cpuMs();
      ed.shownLeft();
      after1.push(a1 - a0);
      after2.push(cpuMs() - a1);
    }
    conn.serve();
    inFlight.push(conn.take());
  }
  const total = frame.reduce((s, x) => s + x, 0);
  console.log(
    `editor per frame p50 ${pct(frame, 50).toFixed(2)} / p95 ${pct(frame, 95).toFixed(2)} / worst ${Math.max(...frame).toFixed(2)} ms, all ${FRAMES + 1} frames ${total.toFixed(0)} ms; receiving the echoes ${receive.toFixed(0)} ms; ${ed.board.seq} ops on the board`,
  );
  for (const [what, xs] of [['send and fold (flushLeft)', after1], ['the rest shown (shownLeft)', after2]] as const) {
    console.log(`after the frame, ${what}: p50 ${pct(xs, 50).toFixed(2)} / p95 ${pct(xs, 95).toFixed(2)} / worst ${Math.max(...xs).toFixed(2)} ms, ${xs.length} tasks`);
  }
}

run();
