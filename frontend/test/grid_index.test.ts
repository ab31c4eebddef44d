// The spatial index the committed layer culls with: a query finds every
// item a brute-force walk finds, in z-order, whatever the items' sizes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intersects, type Rect } from '../src/geometry/bounds';
import { GridIndex } from '../src/geometry/grid_index';
import { int, seeded } from './rand';

interface Item {
  readonly r: Rect;
}

function box(rnd: () => number, maxSide: number): Rect {
  const x = int(rnd, -5000, 5000);
  const y = int(rnd, -5000, 5000);
  return { minX: x, minY: y, maxX: x + int(rnd, 0, maxSide), maxY: y + int(rnd, 0, maxSide) };
}

test('a grid query finds what a walk over every item finds, bottom first', () => {
  const rnd = seeded(17);
  const items: Item[] = [];
  for (let i = 0; i < 3000; i++) items.push({ r: box(rnd, i % 100 === 0 ? 20000 : 300) });
  const g = new GridIndex<Item>((t) => t.r);
  g.reset(items.slice(0, 2000));
  g.append(items.slice(2000));
  assert.equal(g.size, 3000);
  let answered = 0;
  for (let q = 0; q < 200; q++) {
    const rs = [box(rnd, 2000), box(rnd, 200)];
    const got = g.query(rs);
    const want = items.filter((t) => rs.some((r) => intersects(t.r, r)));
    if (got === null) continue; // too many cells: the caller walks the items
    answered++;
    assert.deepEqual(
      got.filter((t) => rs.some((r) => intersects(t.r, r))),
      want,
      `query ${q}`,
    );
  }
  assert.ok(answered > 150, `${answered} of 200 queries answered`);
  // A query as big as the board is left to a walk.
  assert.equal(g.query([{ minX: -1e6, minY: -1e6, maxX: 1e6, maxY: 1e6 }]), null);
});

test('items with no extent are not indexed, and a reset forgets the old ones', () => {
  const g = new GridIndex<Item>((t) => t.r);
  const a = { r: { minX: 0, minY: 0, maxX: 10, maxY: 10 } };
  const empty = { r: { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity } };
  g.reset([a, empty]);
  assert.deepEqual(g.query([{ minX: 5, minY: 5, maxX: 6, maxY: 6 }]), [a]);
  const b = { r: { minX: 1000, minY: 1000, maxX: 1010, maxY: 1010 } };
  g.reset([b]);
  assert.deepEqual(g.query([{ minX: 5, minY: 5, maxX: 6, maxY: 6 }]), []);
  assert.deepEqual(g.query([{ minX: 1005, minY: 1005, maxX: 1006, maxY: 1006 }]), [b]);
});

test('some finds an item crossing a rectangle exactly when a walk does, for small and huge rectangles', () => {
  const rnd = seeded(29);
  const items: Item[] = [];
  for (let i = 0; i < 2000; i++) items.push({ r: box(rnd, i % 100 === 0 ? 20000 : 300) });
  const g = new GridIndex<Item>((t) => t.r);
  g.reset(items);
  for (let q = 0; q < 300; q++) {
    const r = box(rnd, q % 3 === 0 ? 40000 : 400);
    // Only some items count (as only some strokes really touch a rectangle their bounds cross).
    const test = (t: Item): boolean => (t.r.minX + t.r.minY) % 3 === 0;
    assert.equal(g.some(r, test), items.some((t) => intersects(t.r, r) && test(t)), `query ${q}`);
  }
});

test('an index built only when first asked answers as one built at once, items appended meanwhile included', () => {
  const rnd = seeded(29);
  const items: Item[] = [];
  for (let i = 0; i < 3000; i++) items.push({ r: box(rnd, i % 100 === 0 ? 20000 : 300) });
  const now = new GridIndex<Item>((t) => t.r);
  now.reset(items);
  const later = new GridIndex<Item>((t) => t.r);
  later.reset(items.slice(0, 2500), true);
  assert.equal(later.built, false);
  later.append(items.slice(2500, 2700));
  later.build();
  assert.equal(later.built, true);
  later.append(items.slice(2700, 2800), true);
  assert.equal(later.built, false);
  later.append(items.slice(2800));
  assert.equal(later.size, 3000);
  let answered = 0;
  for (let q = 0; q < 100; q++) {
    const rs = [box(rnd, 2000)];
    const want = now.query(rs);
    assert.deepEqual(later.query(rs), want, `query ${q}`);
    assert.equal(later.built, true);
    assert.equal(later.some(rs[0], () => true), now.some(rs[0], () => true), `some ${q}`);
    if (want) answered++;
  }
  assert.ok(answered > 50, `${answered} of 100 queries answered`);
});
