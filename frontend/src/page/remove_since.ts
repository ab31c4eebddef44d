// A moderator's Remove offers how far back to go: everything one person
// drew, or only what they drew in the last ten minutes or the last hour.
// The protocol's Remove names a sequence number (since), not a time
// (PROTOCOL.md "Sweeps"), and ops carry no time on the wire, so the page
// turns a time into the last sequence number it knows was reached before
// then, from two sources:
//   - what this page saw: the board's seq when it joined and as live ops
//     arrived, each with the time it saw it (SeqClock);
//   - for earlier times, the board's history: a version's seq was reached
//     by its time.
// Either way every op after T is after since, so a choice never keeps
// work drawn after its time; where the page knows nothing finer, it may
// take a little more (back to the version before). Each choice says how
// many strokes it takes, so the moderator sees what it will do, and the
// removal is one undoable step like any other.

import { isVisible, type Board } from '../protocol/board';

/** Times are milliseconds (Date.now()). */
interface Mark {
  seq: number;
  t: number;
}

/** Marks closer together than this are kept as one (the later of them). */
const MARK_GAP_MS = 1000;
/** The most marks kept: a day of a busy board at one a second is more than a page stays open. */
const MAX_MARKS = 100_000;

/** SeqClock remembers when this page saw the board reach each sequence number. */
export class SeqClock {
  private readonly marks: Mark[] = [];

  /** note records that the board had reached seq by time t. */
  note(seq: number, t: number): void {
    const last = this.marks[this.marks.length - 1];
    if (last && seq <= last.seq) return;
    // Moving a mark to a later time only weakens what it claims (seq
    // reached by then), so coalescing stays true.
    if (last && t - last.t < MARK_GAP_MS) {
      last.seq = seq;
      last.t = t;
      return;
    }
    this.marks.push({ seq, t });
    if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length - MAX_MARKS);
  }

  /** before returns the latest seq seen reached before time t (0: none). */
  before(t: number): number {
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.marks[mid].t < t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.marks[lo - 1].seq;
  }
}

/** A version of the board's history, as far as this needs it. */
export interface DatedVersion {
  readonly seq: number;
  readonly time: string;
}

/** RemoveChoice is one way to remove a person's work. */
export interface RemoveChoice {
  /** Stable name, for tests: all, 10m, 1h. */
  readonly key: string;
  readonly label: string;
  /** The Remove op's since: strokes put on the board after it go. */
  readonly since: number;
  /** How many of their strokes on show it removes. */
  readonly count: number;
}

const WINDOWS: readonly { key: string; label: string; ms: number }[] = [
  { key: '10m', label: 'Last 10 min', ms: 10 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 60 * 60_000 },
];

/** sinceTime returns the seq to remove after for work drawn at or after time t. */
export function sinceTime(t: number, clock: SeqClock, versions: readonly DatedVersion[]): number {
  let since = clock.before(t);
  for (const v of versions) {
    const vt = Date.parse(v.time);
    if (!Number.isNaN(vt) && vt < t && v.seq > since) since = v.seq;
  }
  return since;
}

/** removeChoices lists the ways to remove author's work from b at time now. */
export function removeChoices(b: Board, author: number, now: number, clock: SeqClock, versions: readonly DatedVersion[]): RemoveChoice[] {
  const theirs = b.strokes.filter((s) => s.author === author && isVisible(s));
  const count = (since: number): number => theirs.filter((s) => s.seq > since).length;
  const out: RemoveChoice[] = [{ key: 'all', label: 'Everything', since: 0, count: theirs.length }];
  for (const w of WINDOWS) {
    const since = sinceTime(now - w.ms, clock, versions);
    out.push({ key: w.key, label: w.label, since, count: count(since) });
  }
  return out;
}

/**
 * RemoveSince is the page's side of it: the clock, and the board's
 * versions, read when a moderator opens a person's Remove (loaded calls
 * back when they arrive, so the counts can be shown again).
 */
export class RemoveSince {
  readonly clock = new SeqClock();
  private versions: readonly DatedVersion[] = [];
  private asked = 0;

  constructor(
    private readonly segment: string,
    private readonly token: string,
    private readonly loaded: () => void,
  ) {}

  /** choices lists the ways to remove author's work from b now; it reads the history again at most once a minute. */
  choices(b: Board, author: number): RemoveChoice[] {
    const now = Date.now();
    if (now - this.asked > 60_000) {
      this.asked = now;
      void this.load();
    }
    return removeChoices(b, author, now, this.clock, this.versions);
  }

  private async load(): Promise<void> {
    const q = `?limit=500${this.token ? `&token=${encodeURIComponent(this.token)}` : ''}`;
    try {
      const r = await fetch(`/api/boards/${encodeURIComponent(this.segment)}/history${q}`);
      if (!r.ok) return;
      const j = (await r.json()) as { versions?: DatedVersion[] };
      this.versions = j.versions ?? [];
      this.loaded();
    } catch {
      // No history to hand: the page's own clock still answers.
    }
  }
}
