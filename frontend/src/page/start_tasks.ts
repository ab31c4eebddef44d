// When the page's start work runs. A phone's main thread is what a person
// waits on: whatever does not draw the first frame or take the first
// stroke runs after it, in tasks of its own, so no task holds the thread
// long enough to delay a tap (Lighthouse counts every task over 50 ms).

/** The slice of the Prioritized Task Scheduling API used here (not in every browser, nor in TypeScript's DOM types). */
interface SchedulerLike {
  yield?: () => Promise<void>;
}

/**
 * yieldToMain ends the current task: what follows the await runs in a new
 * one, after whatever input or rendering the browser has waiting.
 */
export function yieldToMain(): Promise<void> {
  const s = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (s?.yield) return s.yield();
  return new Promise((resolve) => window.setTimeout(resolve, 0));
}

/**
 * afterPaint resolves once the next frame has been drawn, or after
 * fallbackMs: a tab in the background draws no frames and must not wait
 * for one.
 */
export function afterPaint(fallbackMs = 100): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const go = (): void => {
      if (done) return;
      done = true;
      resolve();
    };
    // A timer set inside the frame's callback fires after that frame's paint.
    requestAnimationFrame(() => window.setTimeout(go, 0));
    window.setTimeout(go, fallbackMs);
  });
}

/** afterLoad runs fn in a task of its own once the page's load event has passed. */
export function afterLoad(fn: () => void): void {
  if (document.readyState === 'complete') window.setTimeout(fn, 0);
  else window.addEventListener('load', () => window.setTimeout(fn, 0), { once: true });
}

/**
 * inTasks runs each step in a task of its own, the first after the next
 * frame has been drawn: the page's parts that neither draw the first frame
 * nor take the first stroke are made this way, so that none of it delays
 * either.
 */
export async function inTasks(steps: readonly (() => void)[]): Promise<void> {
  await afterPaint();
  for (const [i, step] of steps.entries()) {
    if (i > 0) await nextTask();
    step();
  }
}

/**
 * inSteps runs each step in a task of its own after the current one
 * (yieldToMain: ahead of other queued tasks, so the steps follow one
 * another closely): the page built in parts, none holding the thread long.
 */
export async function inSteps(steps: readonly (() => void)[]): Promise<void> {
  for (const step of steps) {
    await yieldToMain();
    step();
  }
}

/**
 * nextTask ends the current task behind those already queued: unlike
 * scheduler.yield, whose continuation goes ahead of them, it lets the
 * socket's open event (whose handler sends the Hello) run between the
 * page's start steps rather than after all of them.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => window.setTimeout(resolve, 0));
}
