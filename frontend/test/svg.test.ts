// The SVG export: well-formed, one element per drawn stroke, highlighters
// under the ink, erasers as masks over what came before them.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boardSVG, contentBounds, escapeXML, exportArea, outlineD, type SvgStroke } from '../src/render/svg';

const S = (tool: number, pts: Array<[number, number]>, o: Partial<SvgStroke> = {}): SvgStroke => ({
  author: 1,
  stroke: 1,
  tool,
  pressure: false,
  filled: false,
  color: 0x112233ff,
  width: 8,
  points: pts.map(([x, y]) => ({ x, y, p: 0 })),
  text: '',
  dx: 0,
  dy: 0,
  ...o,
});

/** wellFormed checks that tags nest and close, attributes are quoted, and no bare & or < hides in text. */
function wellFormed(xml: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(xml))) {
    assert.equal(m.index, pos, `junk at ${pos}: ${xml.slice(pos, pos + 40)}`);
    pos = re.lastIndex;
    if (m[5] !== undefined) {
      assert.ok(!/&(?!(lt|gt|amp|quot|apos);)/.test(m[5]), `bare & in ${m[5]}`);
      continue;
    }
    const [, close, name, , self] = m;
    if (close) assert.equal(stack.pop(), name);
    else if (!self) stack.push(name);
  }
  assert.equal(pos, xml.length, 'everything parsed');
  assert.deepEqual(stack, []);
}

test('svg: every tool, well formed, highlighters in their own layer under the ink', () => {
  const strokes = [
    S(1, [[0, 0], [100, 0]], { stroke: 1, color: 0xf2c20066, width: 64 }),
    S(0, [[0, 50], [50, 60], [100, 50]], { stroke: 2 }),
    S(3, [[0, 0], [10, 10]], { stroke: 3 }),
    S(4, [[0, 0], [100, 0]], { stroke: 4 }),
    S(5, [[100, 100], [0, 0]], { stroke: 5, filled: true }),
    S(6, [[0, 0], [200, 100]], { stroke: 6 }),
    S(7, [[10, 20]], { stroke: 7, width: 96, text: 'a < b & "c"\nline 2' }),
  ];
  const svg = boardSVG(strokes);
  wellFormed(svg);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="/);
  const under = svg.slice(svg.indexOf('data-layer="highlighter"'), svg.indexOf('data-layer="ink"'));
  assert.match(under, /data-stroke="1-1"/);
  assert.match(under, /stroke-opacity="0.400"/);
  for (const n of [2, 3, 4, 5, 6, 7]) assert.match(svg.slice(svg.indexOf('data-layer="ink"')), new RegExp(`data-stroke="1-${n}"`));
  assert.match(svg, /<line data-stroke="1-3" x1="0" y1="0" x2="10" y2="10" stroke="#112233" stroke-width="8" stroke-linecap="round"/);
  assert.match(svg, /<polygon points="100,0 65,20 65,-20"/, 'the arrow head as the server computes it');
  assert.match(svg, /<rect data-stroke="1-5" x="0" y="0" width="100" height="100" fill="#112233"/);
  assert.match(svg, /<ellipse data-stroke="1-6" cx="100" cy="50" rx="100" ry="50" fill="none"/);
  assert.match(svg, /<text data-stroke="1-7" font-family="'Sketchpad Text', sans-serif" font-size="96" font-kerning="none"/);
  assert.match(svg, /<tspan x="10" y="115\.\d\d">a &lt; b &amp; &quot;c&quot;<\/tspan><tspan x="10" y="235\.\d\d">line 2/, 'each line at its baseline');
  assert.match(svg, /<path data-stroke="1-2" d="M[^"]+Z" fill="#112233"\/>/, 'the pen as its outline');
});

test('svg: an eraser masks what came before it, in both layers, not what comes after', () => {
  const svg = boardSVG([
    S(1, [[0, 0], [100, 0]], { stroke: 1 }),
    S(0, [[0, 0], [100, 0]], { stroke: 2 }),
    S(2, [[50, -50], [50, 50]], { stroke: 3, width: 20 }),
    S(0, [[0, 10], [100, 10]], { stroke: 4 }),
  ]);
  wellFormed(svg);
  assert.match(svg, /<mask id="e1" maskUnits="userSpaceOnUse"[^>]*><rect [^>]*fill="#fff"\/><path d="M50 -50L50 50" fill="none" stroke="#000" stroke-width="20"/);
  assert.match(svg, /data-layer="highlighter"><g mask="url\(#e1\)"><path data-stroke="1-1"/);
  assert.match(svg, /data-layer="ink"><g mask="url\(#e1\)"><path data-stroke="1-2"[^>]*\/><\/g><path data-stroke="1-4"/);
  assert.doesNotMatch(svg, /data-stroke="1-3"/, 'the eraser is no element of its own');
});

test('svg: the area, moved strokes, an empty board', () => {
  const moved = S(5, [[0, 0], [100, 100]], { dx: 1000, dy: -20 });
  const c = contentBounds([moved]);
  assert.deepEqual(c, { minX: 992, minY: -28, maxX: 1108, maxY: 88 });
  assert.deepEqual(exportArea([moved]), { minX: 952, minY: -68, maxX: 1148, maxY: 128 });
  const svg = boardSVG([moved]);
  assert.match(svg, /transform="translate\(1000 -20\)"/);
  assert.match(svg, /viewBox="952 -68 196 196" width="49" height="49"/);
  const view = boardSVG([moved], { minX: 0, minY: 0, maxX: 400, maxY: 200 });
  assert.match(view, /viewBox="0 0 400 200" width="100" height="50"/);
  const empty = boardSVG([]);
  wellFormed(empty);
  assert.match(empty, /viewBox="0 0 1600 1200"/);
  // Erasers do not make the board bigger.
  assert.deepEqual(contentBounds([S(2, [[0, 0], [5000, 0]])]), { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });
});

test('svg: text escaping drops what XML cannot hold; outline path data', () => {
  assert.equal(escapeXML('a\u0001b\u0000c<>&\'"'), 'abc&lt;&gt;&amp;&apos;&quot;');
  assert.equal(outlineD([]), '');
  assert.match(outlineD([[0, 0], [10, 0], [10, 10], [0, 10]]), /^M5 0Q10 0 10 5Q10 10 5 10Q0 10 0 5Q0 0 5 0Z$/);
});
