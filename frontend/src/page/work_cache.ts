// Work drawn on a board that the room has not acknowledged yet, kept in
// IndexedDB so that closing or reloading the page (offline, typically)
// loses nothing: the next page of this board in this browser takes it over
// and sends it (Editor.restoreWork: the same author id, so the room skips
// whatever of it it already applied, and each op is applied once).
//
// Every page keeps a record of its own (several tabs may be open on one
// board, each its own author) and holds a Web Lock named after it for as
// long as it lives. A page takes over a record only when it gets that
// lock: the page that wrote it is gone, and the taker then holds the lock
// for its own life, so no two pages ever send as one author. Without Web
// Locks nothing is kept (as before).

import type { Op } from '../protocol/types';
import { browserIdle } from '../render/browser_idle';
import { done, markKept, openDB, WORK } from './board_cache';

export interface Work {
  readonly epoch: bigint;
  readonly author: number;
  /** The wire index of the first op. */
  readonly base: number;
  readonly ops: readonly Op[];
}

interface WorkRecord extends Work {
  readonly key: string;
  readonly segment: string;
  readonly page: string;
}

const lockName = (segment: string, page: string): string => `sketchpad-work ${segment} ${page}`;

function locks(): LockManager | null {
  return typeof navigator !== 'undefined' && navigator.locks ? navigator.locks : null;
}

/** holdLock asks for name and, once granted, keeps it for the page's life; it reports whether it was free. */
function holdLock(lm: LockManager, name: string, ifAvailable: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    lm.request(name, { ifAvailable }, (lock) => {
      resolve(lock !== null);
      return lock ? new Promise<void>(() => undefined) : undefined;
    }).catch(() => resolve(false));
  });
}

/**
 * takeOverWork returns unsent work a closed page left on segment, now this
 * page's to send, or null. Only work that fits (drawn on the board this
 * page has: accept) is taken; the rest stays for a page that can use it.
 */
export async function takeOverWork(segment: string, accept: (w: Work) => boolean): Promise<Work | null> {
  const lm = locks();
  if (!lm) return null;
  try {
    const db = await openDB();
    try {
      const recs = await new Promise<WorkRecord[]>((resolve, reject) => {
        const q = db.transaction(WORK).objectStore(WORK).index('segment').getAll(segment);
        q.onsuccess = () => resolve(q.result as WorkRecord[]);
        q.onerror = () => reject(q.error);
      });
      for (const rec of recs) {
        if (rec.ops.length === 0 || !accept(rec) || !(await holdLock(lm, lockName(segment, rec.page), true))) continue;
        const tx = db.transaction(WORK, 'readwrite');
        tx.objectStore(WORK).delete(rec.key);
        await done(tx);
        return rec;
      }
      return null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** WorkKeeper keeps this page's unsent work on one board. */
export class WorkKeeper {
  private readonly page = Math.random().toString(36).slice(2) + Date.now().toString(36);
  private readonly key: string;
  private last = '';
  private lastOp: Op | null = null;
  /** The connection saves write through, kept open once made. */
  private db: IDBDatabase | null = null;

  constructor(
    private readonly segment: string,
    private readonly work: () => Work,
    /** Hears whether each save succeeded (false at once without Web Locks: nothing is kept). */
    private readonly saved: (ok: boolean) => void = () => undefined,
  ) {
    this.key = `${segment} ${this.page}`;
    const lm = locks();
    if (!lm) {
      saved(false);
      return;
    }
    void holdLock(lm, lockName(segment, this.page), false);
    // A page that is being closed or reloaded saves what it has; the
    // interval covers a page that is killed.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.saveNow();
    });
    window.addEventListener('pagehide', () => this.saveNow());
    // In idle time (within the second), not between a drag's frames,
    // where a save of its ops is a task the next frame waits for.
    window.setInterval(() => browserIdle(() => this.saveNow(), 1000), 1000);
  }

  /** saveNow writes the work if it changed (and removes the record when nothing is left to send). */
  saveNow(): void {
    const w = this.work();
    // The outbox replaces an op it merges and never changes one in place:
    // the same last op, the same work (a big selection's op, naming a
    // thousand strokes, is not written out to tell).
    const sig = `${w.epoch} ${w.author} ${w.base} ${w.ops.length}`;
    const lastOp = w.ops.length ? w.ops[w.ops.length - 1] : null;
    if (sig === this.last && lastOp === this.lastOp) return;
    this.last = sig;
    this.lastOp = lastOp;
    const rec: WorkRecord = { ...w, ops: [...w.ops], key: this.key, segment: this.segment, page: this.page };
    if (rec.ops.length) markKept(this.segment);
    const write = (db: IDBDatabase): Promise<void> => {
      const tx = db.transaction(WORK, 'readwrite');
      if (rec.ops.length) tx.objectStore(WORK).put(rec);
      else tx.objectStore(WORK).delete(this.key);
      // Committed now, not when this task ends: a save from pagehide must
      // not wait on a page that is going away (the last points of a stroke
      // drawn just before a reload were otherwise lost).
      tx.commit?.();
      return done(tx);
    };
    // The connection stays open, so a save starts within the event that asks
    // for it: opening one first takes a task the page being unloaded may
    // never get.
    const db = this.db;
    const saving = db ? Promise.resolve(db).then(write) : openDB().then((d) => write(this.keep(d)));
    saving.then(
      () => this.saved(true),
      () => {
        // Save again at the next chance: the failure is told, not hidden.
        this.last = '';
        this.dropDB();
        this.saved(false);
      },
    );
  }

  /** keep holds db open for the next saves and returns the connection to use (the one held already, if two opened at once). */
  private keep(db: IDBDatabase): IDBDatabase {
    if (this.db) {
      db.close();
      return this.db;
    }
    this.db = db;
    // A newer build's page that upgrades the database must not be blocked by this one.
    db.onversionchange = () => this.dropDB();
    db.onclose = () => {
      if (this.db === db) this.db = null;
    };
    return db;
  }

  private dropDB(): void {
    const db = this.db;
    this.db = null;
    db?.close();
  }
}
