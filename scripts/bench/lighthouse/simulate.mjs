// node simulate.mjs DIR: Lighthouse's own simulation (lantern: slow 4G,
// CPU 4× slower, layout tasks 2×) of a run kept with LIGHTHOUSE_ARTIFACTS
// (DIR is that prefix with -first or -repeat), task by task: when each ran
// in the simulation and how long, when it ran in the browser and how long,
// what it waits for (a task that waits for nothing but the page is placed
// right after the page's HTML, whenever it really ran), and its trace
// events. Which real task each of the long tasks run.mjs prints is.
// MIN=ms (default 40) is the shortest simulated task printed.
//
// CPU_TIME=1 first shortens each task of the pages' main threads to its
// thread CPU time (its events inside scaled with it): the run as it would
// have been simulated had the page's thread never waited for a core, the
// wall time of a quiet machine. On a busy machine it compares builds by
// their own work rather than by the load of the moment.
//
// Then the blocking time as Lighthouse sums it: the metric is the mean of
// two simulations (optimistic, pessimistic), each counting the part of a
// task over 50 ms that falls between its first contentful paint and its
// time to interactive (each an estimate of its own); every task that adds
// to either is listed with what it adds, so the total printed is the
// report's.
import { loadArtifacts } from 'lighthouse/core/lib/asset-saver.js';
import { PageDependencyGraph } from 'lighthouse/core/computed/page-dependency-graph.js';
import { LoadSimulator } from 'lighthouse/core/computed/load-simulator.js';
import { LanternFirstContentfulPaint } from 'lighthouse/core/computed/metrics/lantern-first-contentful-paint.js';
import { LanternLargestContentfulPaint } from 'lighthouse/core/computed/metrics/lantern-largest-contentful-paint.js';
import { LanternInteractive } from 'lighthouse/core/computed/metrics/lantern-interactive.js';
import { LanternTotalBlockingTime } from 'lighthouse/core/computed/metrics/lantern-total-blocking-time.js';
import { defaultSettings } from 'lighthouse/core/config/constants.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node simulate.mjs ARTIFACTS_DIR');
const MIN = Number(process.env.MIN ?? 40);
const a = loadArtifacts(dir);
const context = { computedCache: new Map(), settings: { ...defaultSettings } };
const trace = a.traces.defaultPass;
if (process.env.CPU_TIME) toCPUTime(trace.traceEvents);
const devtoolsLog = a.devtoolsLogs.defaultPass;
const graph = await PageDependencyGraph.request({ trace, devtoolsLog, URL: a.URL }, context);
const simulator = await LoadSimulator.request({ devtoolsLog, settings: context.settings }, context);
const { nodeTimings } = await simulator.simulate(graph, { label: 'simulate.mjs' });
const short = (u) => String(u).replace(/^.*\//, '');
let t0 = Infinity;
for (const [n] of nodeTimings.entries()) if (n.type === 'network' && n.isMainDocument()) t0 = n.startTime;
/** describe is a CPU node as it ran in the browser: when (from the page's request), how long, what it waits for, its events. */
const describe = (n) => {
  const byName = {};
  for (const e of n.childEvents) if (e.dur) byName[e.name] = (byName[e.name] ?? 0) + e.dur / 1000;
  const deps = n.getDependencies().map((d) => (d.type === 'network' ? short(d.request.url) : `task@${Math.round((d.startTime - t0) / 1000)}`));
  // The task's thread CPU time beside its wall time: on a busy machine the
  // wall time (which Lighthouse simulates) is the page's work and the wait for a core.
  const cpu = n.event.tdur === undefined ? '' : `, CPU ${(n.event.tdur / 1000).toFixed(1)} ms`;
  return `real @${Math.round((n.startTime - t0) / 1000)} ${(n.duration / 1000).toFixed(1)} ms${cpu}${n.didPerformLayout() ? ' (layout: 2×)' : ''} | waits for ${deps.join(', ')}\n  ` +
    Object.entries(byName).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
};
const rows = [];
for (const [n, t] of nodeTimings.entries()) {
  if (n.type !== 'cpu' || t.duration < MIN) continue;
  rows.push({ at: t.startTime, text: `simulated @${Math.round(t.startTime)} ${Math.round(t.duration)} ms | ${describe(n)}` });
}
for (const r of rows.sort((x, y) => x.at - y.at)) console.log(r.text);

const data = { trace, devtoolsLog, gatherContext: a.GatherContext, settings: context.settings, URL: a.URL, SourceMaps: a.SourceMaps, simulator: null };
const fcp = await LanternFirstContentfulPaint.request(data, context);
const lcp = await LanternLargestContentfulPaint.request(data, context);
const tti = await LanternInteractive.request(data, context);
const tbt = await LanternTotalBlockingTime.request(data, context);
const ms = (x) => Math.round(x);
console.log(`\nFCP ${ms(fcp.timing)} (optimistic ${ms(fcp.optimisticEstimate.timeInMs)}, pessimistic ${ms(fcp.pessimisticEstimate.timeInMs)}); ` +
  `LCP ${ms(lcp.timing)}; TTI ${ms(tti.timing)} (optimistic ${ms(tti.optimisticEstimate.timeInMs)}, pessimistic ${ms(tti.pessimisticEstimate.timeInMs)}); TBT ${ms(tbt.timing)}`);
// As TotalBlockingTime.getEstimateFromSimulation: the optimistic simulation
// counts from the pessimistic FCP to the optimistic TTI, the pessimistic
// from the optimistic FCP to the pessimistic TTI.
const windows = [
  ['optimistic', tbt.optimisticEstimate.nodeTimings, fcp.pessimisticEstimate.timeInMs, tti.optimisticEstimate.timeInMs],
  ['pessimistic', tbt.pessimisticEstimate.nodeTimings, fcp.optimisticEstimate.timeInMs, tti.pessimisticEstimate.timeInMs],
];
for (const [label, timings, from, to] of windows) {
  let sum = 0;
  const lines = [];
  for (const [n, t] of timings.entries()) {
    if (n.type !== 'cpu' || t.duration < 50) continue;
    const start = Math.max(t.startTime, from);
    const end = Math.min(t.endTime, to);
    const blocking = end - start >= 50 ? end - start - 50 : 0;
    if (!blocking) continue;
    sum += blocking;
    lines.push({ at: t.startTime, text: `  +${ms(blocking)} ms: simulated @${ms(t.startTime)} ${ms(t.duration)} ms | ${describe(n)}` });
  }
  console.log(`${label}: window ${ms(from)}-${ms(to)} ms, blocking ${ms(sum)} ms (the metric is the mean of the two)`);
  for (const l of lines.sort((x, y) => x.at - y.at)) console.log(l.text);
}

/**
 * toCPUTime shortens every task (RunTask) of a renderer main thread to its
 * thread CPU time, its nested events scaled by the same factor from its
 * start: a task's wall time on an idle core.
 */
function toCPUTime(events) {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (!mains.has(k) || e.ph !== 'X') continue;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push(e);
  }
  for (const list of byThread.values()) {
    list.sort((x, y) => x.ts - y.ts || y.dur - x.dur);
    let task = null;
    let f = 1;
    for (const e of list) {
      if (e.name === 'RunTask' && (!task || e.ts >= task.ts + task.dur)) {
        task = { ts: e.ts, dur: e.dur };
        f = e.tdur !== undefined && e.dur > 0 && e.tdur < e.dur ? e.tdur / e.dur : 1;
        e.dur *= f;
        continue;
      }
      if (!task || e.ts >= task.ts + task.dur) continue;
      e.ts = task.ts + (e.ts - task.ts) * f;
      e.dur *= f;
    }
  }
}
