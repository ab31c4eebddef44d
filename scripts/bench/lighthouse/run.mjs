// node run.mjs URL: Lighthouse (pinned in package.json) against URL in
// Debian's headless Chromium, on its default mobile profile (a mid-range
// phone: simulated slow 4G and a CPU 4 times slower), twice in one browser
// profile: a first visit (nothing cached) and a repeat visit (the HTTP cache
// and the service worker kept), each in a browser of its own started on
// that profile, as a person comes back: the repeat visit's renderer is new,
// not the first visit's (where Lighthouse's DevTools session, attaching,
// made V8 walk the first visit's heap: a long task no person waits on).
// Prints one JSON line per visit: the scores,
// the console errors, the time until the page is interactive (the board
// takes a stroke from then on: the app draws from its first script run)
// and the bytes transferred.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const url = process.argv[2];
if (!url) throw new Error('usage: node run.mjs URL');
const profile = mkdtempSync(join(tmpdir(), 'sketchpad-lighthouse-'));
const launch = () => chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  userDataDir: profile,
  // NOTES.md: what Debian's Chromium needs to run headless here.
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
/**
 * quit closes the browser as a person would (Browser.close), so that it
 * writes its HTTP cache and the worker's registration to the profile
 * (chrome-launcher's kill is a SIGKILL, which may lose them), and waits
 * for it to exit.
 */
async function quit(chrome) {
  const exited = new Promise((resolve) => chrome.process.once('exit', resolve));
  const b = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  await b.close();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10000))]);
  await chrome.kill();
}
let chrome = null;
try {
  for (const visit of ['first', 'repeat']) {
    chrome = await launch();
    const r = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      // The repeat visit keeps what the first left: caches, the worker.
      disableStorageReset: visit === 'repeat',
      // LIGHTHOUSE_ARTIFACTS=dir keeps what Lighthouse gathered, the trace
      // among it (dir-first/, dir-repeat/): profile.mjs reads a trace too.
      ...(process.env.LIGHTHOUSE_ARTIFACTS ? { gatherMode: `${process.env.LIGHTHOUSE_ARTIFACTS}-${visit}`, auditMode: `${process.env.LIGHTHOUSE_ARTIFACTS}-${visit}` } : {}),
    });
    const lhr = r.lhr;
    const a = lhr.audits;
    console.log(JSON.stringify({
      visit,
      // The machine's load when measured: simulated times follow it.
      loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      performance: lhr.categories.performance.score * 100,
      accessibility: lhr.categories.accessibility.score * 100,
      bestPractices: lhr.categories['best-practices'].score * 100,
      // A run Lighthouse could not finish (no paint seen, a protocol
      // timeout) scores 0: say why, so it is not read as the page's.
      ...(lhr.runtimeError ? { runtimeError: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}` } : {}),
      ...(lhr.runWarnings?.length ? { runWarnings: lhr.runWarnings } : {}),
      consoleErrors: (a['errors-in-console'].details?.items ?? []).map((i) => i.description),
      fcpMs: Math.round(a['first-contentful-paint'].numericValue),
      lcpMs: Math.round(a['largest-contentful-paint'].numericValue),
      tbtMs: Math.round(a['total-blocking-time'].numericValue),
      cls: a['cumulative-layout-shift'].numericValue,
      speedIndexMs: Math.round(a['speed-index'].numericValue),
      interactiveMs: Math.round(a['interactive'].numericValue),
      bytes: Math.round(a['total-byte-weight'].numericValue),
      requests: a['network-requests'].details?.items?.length ?? 0,
      // The main thread's long tasks (over 50 ms, simulated time) and what
      // the main thread did, by kind: where a lower score comes from.
      longTasks: (a['long-tasks'].details?.items ?? []).map((t) =>
        `${Math.round(t.duration)} ms @${Math.round(t.startTime)} ${String(t.url).replace(/^.*\//, '')}`),
      mainThread: Object.fromEntries((a['mainthread-work-breakdown'].details?.items ?? [])
        .map((i) => [i.group, Math.round(i.duration)])),
    }));
    if (process.env.LIGHTHOUSE_JSON) writeFileSync(`${process.env.LIGHTHOUSE_JSON}-${visit}.json`, r.report);
    await quit(chrome);
    chrome = null;
  }
} finally {
  if (chrome) await chrome.kill();
  rmSync(profile, { recursive: true, force: true });
}
