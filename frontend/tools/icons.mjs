// The app's icons, drawn by code so the build needs no image tools and two
// builds give identical bytes: a blue rounded square with a white stroke
// (a pen's wave). png(n) draws it for the page's favicon, the manifest and
// the .ico (no SVG: build.mjs says why); ico() wraps a
// PNG in an ICO container (modern browsers read PNG-in-ICO) for clients
// that ask /favicon.ico by name.
import { crc32, deflateSync } from 'node:zlib';

const BLUE = [0x19, 0x71, 0xc2]; // --accent in app.css
// The wave, in a 0..1 square: a cubic Bézier through the middle, kept
// inside the central 60% so a maskable crop (a circle of 80%) never cuts it.
const WAVE = [[0.24, 0.62], [0.38, 0.2], [0.52, 0.92], [0.76, 0.38]];
const WIDTH = 0.085; // stroke width, relative to the icon

function bezier(t) {
  const u = 1 - t;
  const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return [0, 1].map((k) => WAVE.reduce((s, p, i) => s + w[i] * p[k], 0));
}

// The wave as 200 short segments: a pixel's distance to it is its
// distance to the nearest one.
const SEGMENTS = Array.from({ length: 201 }, (_, i) => bezier(i / 200));

function distToWave(x, y) {
  let best = Infinity;
  for (let i = 1; i < SEGMENTS.length; i++) {
    const [ax, ay] = SEGMENTS[i - 1];
    const [bx, by] = SEGMENTS[i];
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(x - ax - t * dx, y - ay - t * dy));
  }
  return best;
}

// Coverage of a rounded square (radius r, all in 0..1 units) at a point, one
// pixel (px) of anti-aliasing.
function inRoundedSquare(x, y, r, px) {
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  const d = Math.hypot(qx, qy) - r; // < 0 inside
  return Math.max(0, Math.min(1, 0.5 - d / px));
}

/** png returns an n × n RGBA PNG of the icon; full is a full-bleed square (maskable). */
export function png(n, full = false) {
  const px = 1 / n;
  const raw = Buffer.alloc(n * (4 * n + 1));
  for (let j = 0; j < n; j++) {
    raw[j * (4 * n + 1)] = 0; // filter: none
    for (let i = 0; i < n; i++) {
      const x = (i + 0.5) / n, y = (j + 0.5) / n;
      const bg = full ? 1 : inRoundedSquare(x, y, 14 / 64, px);
      const ink = Math.max(0, Math.min(1, 0.5 - (distToWave(x, y) - WIDTH / 2) / px)) * bg;
      const o = j * (4 * n + 1) + 1 + 4 * i;
      for (let k = 0; k < 3; k++) raw[o + k] = Math.round(BLUE[k] * (1 - ink) + 255 * ink);
      raw[o + 3] = Math.round(255 * bg);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0);
  ihdr.writeUInt32BE(n, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ico wraps one square PNG of side n in an ICO file. */
export function ico(pngBytes, n) {
  const head = Buffer.alloc(6 + 16);
  head.writeUInt16LE(0, 0); // reserved
  head.writeUInt16LE(1, 2); // type: icon
  head.writeUInt16LE(1, 4); // one image
  head[6] = n >= 256 ? 0 : n;
  head[7] = n >= 256 ? 0 : n;
  head.writeUInt16LE(1, 10); // colour planes
  head.writeUInt16LE(32, 12); // bits per pixel
  head.writeUInt32LE(pngBytes.length, 14);
  head.writeUInt32LE(head.length, 18);
  return Buffer.concat([head, pngBytes]);
}
