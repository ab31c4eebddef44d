// node simulate.mjs DIR: Lighthouse's own simulation (lantern: slow 4G,
// CPU 4× slower, layout tasks 2×) of a run kept with LIGHTHOUSE_ARTIFACTS
// (DIR is that prefix with -first or -repeat), task by task: when each ran
// in the simulation and how long, when it ran in the browser and how long,
// what it waits for (a task that waits for nothing but the page is placed
// right after the page's HTML, whenever it really ran), and its trace
// events. Which real task each of the long tasks run.mjs prints is.
// MIN=ms (default 40) is the shortest simulated task printed.
import { loadArtifacts } from 'lighthouse/core/lib/asset-saver.js';
import { PageDependencyGraph } from 'lighthouse/core/computed/page-dependency-graph.js';
import { LoadSimulator } from 'lighthouse/core/computed/load-simulator.js';
import { defaultSettings } from 'lighthouse/core/config/constants.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node simulate.mjs ARTIFACTS_DIR');
const MIN = Number(process.env.MIN ?? 40);
const a = loadArtifacts(dir);
const context = { computedCache: new Map(), settings: { ...defaultSettings } };
const trace = a.traces.defaultPass;
const devtoolsLog = a.devtoolsLogs.defaultPass;
const graph = await PageDependencyGraph.request({ trace, devtoolsLog, URL: a.URL }, context);
const simulator = await LoadSimulator.request({ devtoolsLog, settings: context.settings }, context);
const { nodeTimings } = await simulator.simulate(graph, { label: 'simulate.mjs' });
const short = (u) => String(u).replace(/^.*\//, '');
let t0 = Infinity;
for (const [n] of nodeTimings.entries()) if (n.type === 'network' && n.isMainDocument()) t0 = n.startTime;
const rows = [];
for (const [n, t] of nodeTimings.entries()) {
  if (n.type !== 'cpu' || t.duration < MIN) continue;
  const byName = {};
  for (const e of n.childEvents) if (e.dur) byName[e.name] = (byName[e.name] ?? 0) + e.dur / 1000;
  const deps = n.getDependencies().map((d) => (d.type === 'network' ? short(d.request.url) : `task@${Math.round((d.startTime - t0) / 1000)}`));
  rows.push({
    at: t.startTime,
    text: `simulated @${Math.round(t.startTime)} ${Math.round(t.duration)} ms | real @${Math.round((n.startTime - t0) / 1000)} ` +
      `${(n.duration / 1000).toFixed(1)} ms${n.didPerformLayout() ? ' (layout: 2×)' : ''} | waits for ${deps.join(', ')}\n  ` +
      Object.entries(byName).sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '),
  });
}
for (const r of rows.sort((x, y) => x.at - y.at)) console.log(r.text);
