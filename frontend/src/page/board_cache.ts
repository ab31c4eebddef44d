// The boards this browser has seen, kept in IndexedDB so that a board link
// opens without a network (the service worker serves the page, this the
// board as last seen) and, online, shows the board at once while the room
// sends only what came after. One record per board (its path segment: an
// edit name or a view id): the canonical snapshot encoding of the board the
// room confirmed, never our unconfirmed work. At most MAX_BOARDS are kept,
// the least recently saved dropped first.
//
// Every failure (no IndexedDB, private mode, quota) is swallowed: the
// cache only ever saves a download.

import { decodeBoard, encodeBoard, encodeBoardInSteps } from '../protocol/snapshot';
import type { Board } from '../protocol/board';
import { browserIdle } from '../render/browser_idle';
import { IdleSlices } from '../render/idle_slices';

const DB = 'sketchpad';
const STORE = 'boards';
/** WORK holds unsent work (page/work_cache.ts). */
export const WORK = 'work';
const MAX_BOARDS = 50;
/** Set once every record kept in this browser has its mark (keptKey). */
const MARKS = 'sketchpad-kept-marks';
const keptKey = (segment: string): string => `sketchpad-kept ${segment}`;

/**
 * markKept notes in localStorage, which answers at once, that a board or
 * work may be kept in IndexedDB for segment. It is written before the
 * record, and never removed (a board dropped later only costs a read).
 */
export function markKept(segment: string): void {
  try {
    localStorage.setItem(keptKey(segment), '1');
  } catch {
    // Without localStorage the page always waits for IndexedDB (mayHaveKept).
  }
}

/**
 * Nothing of Sketchpad's was in this origin's localStorage when the page's
 * script started (read before the page writes its own): a browser that
 * never kept anything here, whose IndexedDB holds nothing of ours either.
 */
const freshOrigin = ((): boolean => {
  try {
    for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)?.startsWith('sketchpad')) return false;
    return true;
  } catch {
    return false;
  }
})();

/**
 * mayHaveKept reports whether a board or work may be kept for segment: a
 * page that reads false need not wait for IndexedDB before its Hello (a
 * first visit, a late joiner). True until every record kept has its mark.
 */
export function mayHaveKept(segment: string): boolean {
  try {
    if (freshOrigin) localStorage.setItem(MARKS, '1');
    return localStorage.getItem(MARKS) !== '1' || localStorage.getItem(keptKey(segment)) !== null;
  } catch {
    return true;
  }
}

/** markAll marks every board and work kept (records an earlier version kept unmarked), once per browser. */
export async function markAll(): Promise<void> {
  try {
    if (localStorage.getItem(MARKS) === '1') return;
    const db = await openDB();
    try {
      const keys = (store: string): Promise<IDBValidKey[]> =>
        new Promise((resolve, reject) => {
          const q = db.transaction(store).objectStore(store).getAllKeys();
          q.onsuccess = () => resolve(q.result);
          q.onerror = () => reject(q.error);
        });
      for (const k of await keys(STORE)) markKept(String(k));
      const work = await new Promise<{ segment: string }[]>((resolve, reject) => {
        const q = db.transaction(WORK).objectStore(WORK).getAll();
        q.onsuccess = () => resolve(q.result as { segment: string }[]);
        q.onerror = () => reject(q.error);
      });
      for (const w of work) markKept(w.segment);
      localStorage.setItem(MARKS, '1');
    } finally {
      db.close();
    }
  } catch {
    // Not marked: pages keep waiting for IndexedDB, as before.
  }
}

interface BoardRecord {
  readonly segment: string;
  readonly seq: number;
  readonly savedAt: number;
  readonly board: Uint8Array;
}

/** openDB opens the page's database (boards and work), creating its stores. */
export function openDB(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const q = indexedDB.open(DB, 1);
    q.onupgradeneeded = () => {
      const store = q.result.createObjectStore(STORE, { keyPath: 'segment' });
      store.createIndex('savedAt', 'savedAt');
      q.result.createObjectStore(WORK, { keyPath: 'key' }).createIndex('segment', 'segment');
    };
    q.onsuccess = () => resolve(q.result);
    q.onerror = () => reject(q.error);
    q.onblocked = () => reject(new Error('board cache blocked'));
  });
}

export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

/** loadBoard returns the board kept for segment, or null. */
export async function loadBoard(segment: string): Promise<Board | null> {
  try {
    const db = await openDB();
    try {
      const rec = await new Promise<BoardRecord | undefined>((resolve, reject) => {
        const q = db.transaction(STORE).objectStore(STORE).get(segment);
        q.onsuccess = () => resolve(q.result as BoardRecord | undefined);
        q.onerror = () => reject(q.error);
      });
      return rec ? decodeBoard(rec.board) : null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** saveBoard keeps board for segment and drops the oldest boards beyond MAX_BOARDS. */
export async function saveBoard(segment: string, board: Board): Promise<void> {
  return saveEncoded(segment, board.seq, encodeBoard(board));
}

/** saveEncoded keeps a board's encoding (at seq) for segment and drops the oldest boards beyond MAX_BOARDS. */
async function saveEncoded(segment: string, seq: number, encoded: Uint8Array): Promise<void> {
  try {
    const rec: BoardRecord = { segment, seq, savedAt: Date.now(), board: encoded };
    markKept(segment);
    const db = await openDB();
    try {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.put(rec);
      const count = store.count();
      count.onsuccess = () => {
        let extra = count.result - MAX_BOARDS;
        if (extra <= 0) return;
        const cur = store.index('savedAt').openCursor();
        cur.onsuccess = () => {
          const c = cur.result;
          if (!c || extra-- <= 0) return;
          c.delete();
          c.continue();
        };
      };
      await done(tx);
    } finally {
      db.close();
    }
  } catch {
    // The cache is a convenience: the room has the board.
  }
}

/** A save due during a gesture looks again this much later (ms). */
const BUSY_RETRY_MS = 250;

/**
 * BoardSaver saves a board some time after it changed, not on every op: a
 * busy board is encoded at most once per interval, and once more when the
 * page is hidden (closed, switched away from), so what is kept is at most
 * an interval old. The interval grows with the board (a millisecond per 50
 * points: 40 s at the 2,000,000-point limit), so encoding a big board
 * takes a small share of the page's time however busy it is; not during a
 * gesture. The encoding is done in steps over idle periods
 * (render/idle_slices: a board of a thousand strokes is more than a
 * frame's work in one piece, a big board a second's): when the board
 * changes between two steps the bytes would mix two boards, so the save
 * starts again at its next due time. Only the save as the page is hidden
 * is done in one piece: there is no later.
 */
export class BoardSaver {
  private timer = 0;
  private savedSeq = -1;
  private savedEpoch = -1n;
  /** The save being encoded in idle slices (null: none); saveNow or a change of the board stops it. */
  private job: IdleSlices | null = null;

  constructor(
    private readonly segment: string,
    private readonly board: () => Board,
    /** A gesture is under way: a save due waits for its end (encoding a big board is a dropped frame of a drag). */
    private readonly busy: () => boolean = () => false,
    private readonly intervalMs = 2000,
  ) {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.saveNow();
    });
    window.addEventListener('pagehide', () => this.saveNow());
  }

  /** changed says the board changed: it is saved within the interval. */
  changed(): void {
    if (this.timer === 0 && this.job === null) this.timer = window.setTimeout(this.due, Math.max(this.intervalMs, this.board().points / 50));
  }

  private readonly due = (): void => {
    if (this.busy()) {
      this.timer = window.setTimeout(this.due, BUSY_RETRY_MS);
      return;
    }
    this.timer = 0;
    const b = this.board();
    if (this.wanted(b)) this.job = new IdleSlices(this.encoding(b), this.ended, browserIdle);
  };

  /** ended: the job saved the board, or stopped because it changed; a change meanwhile (changed waits for the job) is due now. */
  private readonly ended = (): void => {
    this.job = null;
    if (this.wanted(this.board())) this.changed();
  };

  /**
   * encoding encodes b a few strokes at a time and saves it once done;
   * it stops when the board changed (or a gesture began) between two
   * steps, and the save is due again (ended).
   */
  private *encoding(b: Board): Generator<void, void> {
    const { seq, epoch } = b;
    const steps = encodeBoardInSteps(b);
    for (let r = steps.next(); ; r = steps.next()) {
      if (r.done) {
        this.savedSeq = seq;
        this.savedEpoch = epoch;
        void saveEncoded(this.segment, seq, r.value);
        return;
      }
      yield;
      const now = this.board();
      if (now !== b || now.seq !== seq || now.epoch !== epoch || this.busy()) return;
    }
  }

  /** wanted says whether b differs from what was saved last. */
  private wanted(b: Board): boolean {
    return b.epoch !== 0n && !(b.seq === this.savedSeq && b.epoch === this.savedEpoch);
  }

  /** saveNow saves the board at once, in one piece (the page is being hidden or closed). */
  saveNow(): void {
    window.clearTimeout(this.timer);
    this.timer = 0;
    this.job?.cancel();
    this.job = null;
    const b = this.board();
    if (!this.wanted(b)) return;
    this.savedSeq = b.seq;
    this.savedEpoch = b.epoch;
    void saveBoard(this.segment, b);
  }
}
