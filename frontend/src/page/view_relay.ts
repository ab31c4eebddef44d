// This page's view on its way out, for whoever follows this person: sent
// from the animation frame when it changed (net/view_out paces it), again
// when someone joins or after a reconnect.

import type { View } from '../geometry/view';
import type { ViewMsg } from '../protocol/types';
import { VIEW_SEND_MS, ViewOut, viewMsg } from '../net/view_out';

export interface ViewRelayDeps {
  readonly view: () => { view: View; width: number; height: number };
  /** Someone else is on the board (who could follow). */
  readonly others: () => boolean;
  readonly send: (m: ViewMsg) => boolean;
  readonly schedule: () => void;
}

export class ViewRelay {
  private readonly out = new ViewOut();
  /** A changed view waits for its interval: the timer of the frame that sends it (0: none). */
  private timer = 0;

  constructor(private readonly d: ViewRelayDeps) {}

  /** again sends the view on the next frame even if unchanged (someone joined; a reconnect). */
  again(): void {
    this.out.again();
    this.d.schedule();
  }

  /** frame sends the view if it changed (once an animation frame). */
  frame(): void {
    const { view, width, height } = this.d.view();
    if (this.out.flush(viewMsg(view, width, height), this.d.others(), this.d.send) && !this.timer) {
      this.timer = window.setTimeout(() => {
        this.timer = 0;
        this.d.schedule();
      }, VIEW_SEND_MS);
    }
  }
}
