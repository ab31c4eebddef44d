// A spatial index: a uniform grid over board units whose cells list the
// items (by their z-order position) whose bounds cross them. Any kind of
// item plugs in through the bounds function it is built with, so a kind
// added later (images, texts, rotated items) is indexed by what it covers.
//
// A grid rather than an R-tree: strokes are small next to a board and
// arrive in z-order, so appending is a push per cell, and a query of a
// screen or a strip visits only the cells it covers. A query that covers
// most of the board answers null: the caller's walk over its list in order
// is then as cheap and needs no sort.

import { intersects, isEmpty, type Rect } from './bounds';

/** Cells a query may visit before it answers null (walk everything instead). */
const MAX_QUERY_CELLS = 4096;

export class GridIndex<T> {
  private cellsV = new Map<number, number[]>();
  private itemsA: T[] = [];
  private count = 0;
  /** Items from this position on are listed but not yet in their cells (reset(items, true)). */
  private unplaced = -1;

  constructor(
    private readonly boundsOf: (t: T) => Rect,
    /** Side of a cell, in board units. */
    private readonly cell = 256,
  ) {}

  /** size is the number of items indexed. */
  get size(): number {
    return this.count;
  }

  /** items returns the items indexed, in the order given (z-order). */
  get items(): readonly T[] {
    return this.itemsA;
  }

  /**
   * reset indexes items (in z-order) afresh. later puts them in their cells
   * only when first asked (a query, or build): a big board's first picture
   * does not wait for its index.
   */
  reset(items: readonly T[], later = false): void {
    this.cellsV = new Map();
    this.itemsA = items.slice();
    this.count = items.length;
    this.unplaced = 0;
    if (!later) this.build();
  }

  /** built reports whether every item is in its cells (no query has the index to build first). */
  get built(): boolean {
    return this.unplaced < 0;
  }

  /** build puts in their cells the items reset left out. */
  build(): void {
    if (this.unplaced < 0) return;
    const items = this.itemsA;
    for (let i = this.unplaced; i < items.length; i++) this.add(i, items[i]);
    this.unplaced = -1;
  }

  /** The cells, every item in them. */
  private get cells(): Map<number, number[]> {
    if (this.unplaced >= 0) this.build();
    return this.cellsV;
  }

  /** append adds items on top of those indexed (later: in their cells when first asked, as reset). */
  append(items: readonly T[], later = false): void {
    if (later && this.unplaced < 0) this.unplaced = this.itemsA.length;
    const placed = this.unplaced < 0;
    for (const t of items) {
      if (placed) this.add(this.itemsA.length, t);
      this.itemsA.push(t);
    }
    this.count = this.itemsA.length;
  }

  private add(pos: number, t: T): void {
    const r = this.boundsOf(t);
    if (isEmpty(r)) return;
    const c = this.cell;
    const x0 = Math.floor(r.minX / c);
    const x1 = Math.floor(r.maxX / c);
    const y0 = Math.floor(r.minY / c);
    const y1 = Math.floor(r.maxY / c);
    // A huge item (a giant rectangle) would fill many cells: it goes in a
    // list every query reads.
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) return this.push(HUGE, pos);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) this.push(key(x, y), pos);
  }

  private push(k: number, pos: number): void {
    const l = this.cellsV.get(k);
    if (l) l.push(pos);
    else this.cellsV.set(k, [pos]);
  }

  /**
   * query returns the items whose bounds may cross one of rs, in z-order;
   * or null when the rectangles cover too many cells (walk the items).
   */
  query(rs: readonly Rect[]): T[] | null {
    const pos = this.positions(rs);
    return pos && pos.map((p) => this.itemsA[p]);
  }

  /**
   * some reports whether test holds for an item whose bounds cross r, in no
   * particular order; it stops at the first. It visits the cells r covers,
   * or every occupied cell when r covers more (a view far out), never the
   * items one by one.
   */
  some(r: Rect, test: (t: T) => boolean): boolean {
    if (isEmpty(r)) return false;
    const c = this.cell;
    const x0 = Math.floor(r.minX / c);
    const y0 = Math.floor(r.minY / c);
    const x1 = Math.floor(r.maxX / c);
    const y1 = Math.floor(r.maxY / c);
    const hit = (l: number[] | undefined): boolean => {
      if (l) for (const p of l) if (intersects(this.boundsOf(this.itemsA[p]), r) && test(this.itemsA[p])) return true;
      return false;
    };
    if (hit(this.cells.get(HUGE))) return true;
    if ((x1 - x0 + 1) * (y1 - y0 + 1) <= this.cells.size) {
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) if (hit(this.cells.get(key(x, y)))) return true;
      return false;
    }
    for (const [k, l] of this.cells) {
      if (k === HUGE) continue;
      const x = Math.floor(k / 0x400000) - 0x200000;
      const y = (k % 0x400000) - 0x200000;
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && hit(l)) return true;
    }
    return false;
  }

  /**
   * estimate returns about how many items cross one of rs, without
   * listing them (an item in several cells counts once per cell): cheap
   * enough to ask every frame.
   */
  estimate(rs: readonly Rect[]): number {
    const c = this.cell;
    let n = this.cells.get(HUGE)?.length ?? 0;
    for (const r of rs) {
      if (isEmpty(r)) continue;
      const x0 = Math.floor(r.minX / c);
      const y0 = Math.floor(r.minY / c);
      const x1 = Math.floor(r.maxX / c);
      const y1 = Math.floor(r.maxY / c);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.cells.size) return this.count;
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) n += this.cells.get(key(x, y))?.length ?? 0;
    }
    return Math.min(n, this.count);
  }

  /** positions is query's answer as positions in the order given (ascending), or null. */
  positions(rs: readonly Rect[]): number[] | null {
    const c = this.cell;
    let n = 0;
    const boxes: Array<[number, number, number, number]> = [];
    for (const r of rs) {
      if (isEmpty(r)) continue;
      const b: [number, number, number, number] = [Math.floor(r.minX / c), Math.floor(r.minY / c), Math.floor(r.maxX / c), Math.floor(r.maxY / c)];
      n += (b[2] - b[0] + 1) * (b[3] - b[1] + 1);
      if (n > MAX_QUERY_CELLS || n > this.cells.size) return null;
      boxes.push(b);
    }
    const seen = new Set<number>();
    const visit = (l: number[] | undefined): void => {
      if (l) for (const p of l) seen.add(p);
    };
    visit(this.cells.get(HUGE));
    for (const [x0, y0, x1, y1] of boxes) for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) visit(this.cells.get(key(x, y)));
    return [...seen].sort((a, b) => a - b);
  }
}

/** Cells are keyed by their coordinates packed in one number (board coordinates, ±2^28, fit 2^22 cells a side). */
function key(x: number, y: number): number {
  return (x + 0x200000) * 0x400000 + (y + 0x200000);
}

const HUGE = -1;
