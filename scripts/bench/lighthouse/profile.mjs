// node profile.mjs URL [repeat]: what the page's start costs on the main
// thread, from a Chromium trace over CDP (puppeteer-core, which Lighthouse
// brings) with the CPU slowed 4× as on Lighthouse's mobile profile. Prints
// the main thread's tasks over 50 ms in the first seconds, each with the
// trace events and the JavaScript functions (by self time, from the
// sampling profiler) inside it. With "repeat", loads the page once first
// (the service worker and caches kept) and traces the second load.
import puppeteer from 'puppeteer-core';
import { readFileSync, writeFileSync } from 'node:fs';

const url = process.argv[2];
if (!url) throw new Error('usage: node profile.mjs URL [repeat] | node profile.mjs TRACE.json');
// A trace kept before (PROFILE_TRACE) is summarized again without a browser.
if (url.endsWith('.json')) {
  const t = JSON.parse(readFileSync(url, 'utf8'));
  summarize(t.traceEvents ?? t);
  process.exit(0);
}
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const cdp = await page.createCDPSession();
  if (process.argv[3] === 'repeat') {
    await page.goto(url, { waitUntil: 'load' });
    await new Promise((r) => setTimeout(r, 3000));
    await page.goto('about:blank');
  }
  // PROFILE_CPU=1 profiles at the machine's own speed, as Lighthouse's simulation observes a page.
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.PROFILE_CPU ?? 4) });
  await page.tracing.start({
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute',
      'disabled-by-default-v8.cpu_profiler', 'blink.user_timing', 'loading'],
  });
  await page.goto(url, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, 4000));
  const raw = Buffer.from(await page.tracing.stop());
  // PROFILE_TRACE=file keeps the whole trace (for DevTools' Performance panel).
  if (process.env.PROFILE_TRACE) writeFileSync(process.env.PROFILE_TRACE, raw);
  const trace = JSON.parse(raw.toString());
  summarize(trace.traceEvents);
} finally {
  await browser.close();
}

function summarize(events) {
  // The renderer's main thread: where the page's script runs.
  const isApp = (e) => /\/static\/app\./.test(e.args?.data?.url ?? '');
  // A classic script's evaluation names its URL; a module's (v8.evaluateModule,
  // which runs the chunks it imports too) does not: the first on the thread
  // that compiled app.js, after it did.
  const compiled = events.find((e) => e.name === 'v8.compileModule' && isApp(e));
  const evalApp = events.find((e) => e.name === 'EvaluateScript' && isApp(e)) ??
    (compiled && events.find((e) => e.name === 'v8.evaluateModule' && e.pid === compiled.pid && e.tid === compiled.tid && e.ts >= compiled.ts));
  if (!evalApp) throw new Error('no evaluation of app.js in the trace');
  const main = evalApp;
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const t0 = Math.min(...on.filter((e) => e.name === 'ParseHTML').map((e) => e.ts), evalApp.ts);
  // PROFILE_MIN_MS lists shorter tasks too (at PROFILE_CPU=1 a task over 12.5 ms is a long one simulated).
  const tasks = on.filter((e) => e.name === 'RunTask' && e.dur > Number(process.env.PROFILE_MIN_MS ?? 50) * 1000 && e.ts >= t0 - 1e6);
  // Sampled stacks: a Profile event gives the start time, ProfileChunk
  // events the nodes, the sampled node ids and the time between samples.
  const nodes = new Map();
  const samples = [];
  // (The service worker's thread, in the same process, has a profile of its own.)
  const profile = events.find((e) => e.name === 'Profile' && e.pid === main.pid && e.tid === main.tid);
  let ts = profile?.args?.data?.startTime ?? 0;
  for (const e of events.filter((x) => x.name === 'ProfileChunk' && x.pid === main.pid && x.id === profile?.id)) {
    const d = e.args.data.cpuProfile ?? {};
    for (const n of d.nodes ?? []) nodes.set(n.id, n);
    const deltas = e.args.data.timeDeltas ?? [];
    (d.samples ?? []).forEach((id, i) => { ts += deltas[i] ?? 0; samples.push({ id, ts }); });
  }
  // The page takes strokes once app.js has run (the input is attached in
  // it): when that was, from the first HTML parsed, on this slowed CPU.
  console.log(`app.js evaluated (the board takes strokes) at +${Math.round((evalApp.ts + evalApp.dur - t0) / 1000)} ms`);
  const sum = {};
  for (const e of on) if (e.ph === 'X' && e.ts >= t0) sum[e.name] = (sum[e.name] ?? 0) + e.dur / 1000;
  console.log('main thread after the page began, ms by event:', Object.entries(sum).sort((a, b) => b[1] - a[1]).slice(0, 14)
    .map(([k, v]) => `${k} ${Math.round(v)}`).join(', '));
  // Counts do not depend on how busy the machine is, durations do: the
  // layouts the page forced (a layout inside script) and all layouts.
  const layouts = on.filter((e) => e.ts >= t0 && e.name === 'Layout' && e.ph === 'X');
  const inScript = layouts.filter((l) => on.some((f) => (f.name === 'FunctionCall' || f.name === 'EvaluateScript') &&
    f.ph === 'X' && f.ts <= l.ts && l.ts < f.ts + f.dur));
  console.log(`layouts: ${layouts.length} (${inScript.length} forced by script), ${Math.round(layouts.reduce((a, l) => a + l.dur, 0) / 1000)} ms; ` +
    `style recalculations: ${on.filter((e) => e.ts >= t0 && e.name === 'UpdateLayoutTree').length}`);
  const total = {};
  for (const t of tasks) {
    const inside = on.filter((e) => e.ts >= t.ts && e.ts < t.ts + t.dur && e.ph === 'X' && e !== t && e.dur > 2000);
    const byName = {};
    for (const e of inside) byName[e.name] = (byName[e.name] ?? 0) + e.dur / 1000;
    const fns = {};
    for (const s of samples.filter((s) => s.ts >= t.ts && s.ts < t.ts + t.dur)) {
      const n = nodes.get(s.id);
      if (!n) continue;
      const f = n.callFrame;
      const k = `${f.functionName || '(anon)'} ${String(f.url).replace(/^.*\//, '')}:${f.lineNumber}`;
      fns[k] = (fns[k] ?? 0) + 1;
    }
    const top = Object.entries(fns).sort((a, b) => b[1] - a[1]).slice(0, 12);
    // Its thread CPU time beside: on a busy machine the wall time is also the wait for a core.
    const cpu = t.tdur === undefined ? '' : ` (CPU ${(t.tdur / 1000).toFixed(1)} ms)`;
    console.log(`task ${Math.round(t.dur / 1000)} ms${cpu} at +${Math.round((t.ts - t0) / 1000)} ms`);
    console.log('  events:', Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => `${k} ${Math.round(v)}`).join(', '));
    console.log('  samples:', top.map(([k, v]) => `${k} ×${v}`).join(', '));
    total.ms = (total.ms ?? 0) + t.dur / 1000;
  }
  console.log(`long tasks: ${tasks.length}, ${Math.round(total.ms ?? 0)} ms`);
}
