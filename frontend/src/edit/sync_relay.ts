// What the Editor hears from its SyncCore and passes on to the page as it
// is. Returning every such hook (Required) makes a hook added to
// SyncListener and not passed on a type error: a forgotten one (Editors,
// once) meant the page never heard of it.

import type { SyncListener } from '../net/sync';

/** The hooks the Editor itself acts on; relay passes on all the others. */
type OwnHooks = 'reset' | 'boardReplaced' | 'applied' | 'acked' | 'welcomed';

/** relay returns the SyncCore hooks that go straight on to l. */
export function relay(l: SyncListener): Required<Omit<SyncListener, OwnHooks>> {
  return {
    presence: (m) => l.presence?.(m),
    leave: (a) => l.leave?.(a),
    cursors: (c) => l.cursors?.(c),
    lasers: (x) => l.lasers?.(x),
    views: (v) => l.views?.(v),
    editors: () => l.editors?.(),
    notice: (m) => l.notice?.(m),
    pausedChanged: (p) => l.pausedChanged?.(p),
  };
}
