// node tasks.mjs DIR: the page's own main-thread tasks in a run kept with
// LIGHTHOUSE_ARTIFACTS (DIR is that prefix with -first or -repeat), by
// thread CPU time, which the machine's load moves far less than the wall
// time Lighthouse simulates: the task that evaluates app.js (and builds
// the page's start), the longest task in the 2 s after it, and the tasks
// that would count as blocking at their CPU time (over 12.5 ms, or 25 ms
// for a task that laid out: Lighthouse simulates those 2×, others 4×).
// Prints one JSON line; "laid" says the task laid out.
import { readFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node tasks.mjs ARTIFACTS_DIR');
const t = JSON.parse(readFileSync(`${dir}/defaultPass.trace.json`, 'utf8'));
const ev = t.traceEvents ?? t;
// The page's main thread: the one that compiled app.js (a worker's module is evaluated on its own thread).
const isApp = (e) => /\/static\/app\./.test(e.args?.data?.url ?? '');
const compiled = ev.find((e) => e.name === 'v8.compileModule' && isApp(e));
if (!compiled) throw new Error('no compilation of app.js in the trace');
const on = ev.filter((e) => e.pid === compiled.pid && e.tid === compiled.tid && e.ph === 'X');
const evalM = on.find((e) => e.name === 'v8.evaluateModule' && e.ts >= compiled.ts);
const tasks = on.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
const appTask = tasks.find((x) => x.ts <= evalM.ts && evalM.ts < x.ts + x.dur);
const after = tasks.filter((x) => x.ts >= appTask.ts && x.ts < appTask.ts + 2e6);
const laid = (x) => on.some((e) => e.name === 'Layout' && e.ts >= x.ts && e.ts < x.ts + x.dur);
const cpu = (x) => +((x.tdur ?? x.dur) / 1000).toFixed(1);
const rest = after.slice(1);
const longest = rest.reduce((m, x) => (cpu(x) > cpu(m) ? x : m), rest[0]);
console.log(JSON.stringify({
  appTask: cpu(appTask),
  appLaid: laid(appTask),
  longestAfter: cpu(longest),
  longestLaid: laid(longest),
  over: after.filter((x) => cpu(x) > (laid(x) ? 25 : 12.5)).map(cpu),
  cpu2s: Math.round(after.reduce((a, x) => a + (x.tdur ?? x.dur) / 1000, 0)),
}));
