// The connection indicator: "connecting", "live", "offline — reconnecting in
// Ns" or "connection too slow — reconnecting in Ns" (with a button to try now), "resyncing", and "please reload" when the
// server speaks another protocol version. While live, it says so for as long
// as the room has paused drawing (its storage is unreachable).

import { h } from './dom';
import { statusText, type StatusView } from './status_text';

/** What the page says while offline about what people draw meanwhile. */
export const OFFLINE_NOTE = 'What you draw is kept and sent when the connection is back.';

/** The same, when the page opened without a network on the board as this device last saw it. */
export const OFFLINE_CACHED_NOTE = 'Showing the board as last seen on this device. ' + OFFLINE_NOTE;

export class StatusBanner {
  readonly el: HTMLElement;
  private readonly indicator: HTMLElement;
  private readonly text: HTMLElement;
  private readonly retry: HTMLButtonElement;
  private readonly reload: HTMLButtonElement;
  private readonly note: HTMLElement;
  private view: StatusView = { state: 'connecting', resync: false };
  private paused = false;
  private timer: number | null = null;
  private noteTimer: number | null = null;
  /** What the note says while offline (what happens to drawing), between flashes. */
  private offlineNoteV = OFFLINE_NOTE;
  /** Offline since the last time the page was live (or stopped): the note stays while it tries again. */
  private offlineSeen = false;

  constructor(onRetry: () => void) {
    this.text = h('span', { class: 'status-text' });
    this.retry = h('button', { type: 'button', class: 'status-action', 'data-testid': 'reconnect', 'aria-label': 'Reconnect now', title: 'Reconnect now' }, 'Reconnect now');
    this.retry.addEventListener('click', onRetry);
    this.reload = h('button', { type: 'button', class: 'status-action', 'data-testid': 'reload', 'aria-label': 'Reload the page', title: 'Reload the page' }, 'Reload');
    this.reload.addEventListener('click', () => location.reload());
    this.note = h('span', { class: 'status-note', role: 'status', 'aria-live': 'polite', hidden: true });
    // The indicator (data-testid=status) holds only the state's words; the
    // buttons and notes sit beside it.
    this.indicator = h(
      'span',
      { class: 'status', 'data-testid': 'status', role: 'status', 'aria-live': 'polite' },
      h('span', { class: 'status-dot', 'aria-hidden': 'true' }),
      this.text,
    );
    this.el = h('div', { class: 'status-bar' }, this.indicator, this.retry, this.reload, this.note);
    this.render();
  }

  set(v: StatusView): void {
    this.view = v;
    this.render();
  }

  /** setPaused says whether the room has paused drawing (Notice 1 until Notice 2 or a new Welcome). */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.render();
  }

  /** setOfflineNote sets what the note says while the page is offline. */
  setOfflineNote(text: string): void {
    this.offlineNoteV = text;
    this.render();
  }

  /** flash shows a message beside the status for a while. */
  flash(message: string, ms = 6000): void {
    this.note.textContent = message;
    this.note.hidden = false;
    if (this.noteTimer !== null) clearTimeout(this.noteTimer);
    this.noteTimer = window.setTimeout(() => {
      this.note.hidden = true;
      this.noteTimer = null;
      this.render();
    }, ms);
  }

  private render(): void {
    const v = this.view;
    this.indicator.dataset.state = v.state;
    this.el.dataset.state = v.state;
    this.el.dataset.paused = String(this.paused);
    this.retry.hidden = v.state !== 'offline';
    this.reload.hidden = v.state !== 'reload';
    const text = statusText(v, Date.now(), this.paused);
    if (this.text.textContent !== text) this.text.textContent = text;
    // Offline, and while trying again after it (until live), the note says
    // what becomes of what is drawn meanwhile: a try does not change that.
    if (v.state === 'offline') this.offlineSeen = true;
    else if (v.state !== 'connecting') this.offlineSeen = false;
    if (this.noteTimer === null) {
      const note = this.offlineSeen ? this.offlineNoteV : '';
      this.note.hidden = note === '';
      if (this.note.textContent !== note) this.note.textContent = note;
    }
    if (v.state === 'offline' && this.timer === null) {
      this.timer = window.setInterval(() => this.render(), 250);
    } else if (v.state !== 'offline' && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

