// One candidate, one process: started by run.ts with an IPC channel, so the RSS measured here is this
// candidate's alone. Modes:
//   bench  <variant> <dir>      the full workload (start, single appends, batched appends, feed read, restart)
//   init   <variant> <dir>      first boot only: create the store and its table in <dir>, close
//   reopen <variant> <dir>      cold restart: a fresh process opens an existing directory and counts the rows
//   crash  <variant> <dir> <n>  n single appends, report them as acknowledged, then SIGKILL this process
import { performance } from 'node:perf_hooks';
import { openCandidate, type CandidateStore, type Variant } from './stores';
import {
  BATCH_SIZE,
  PAGE_SIZE,
  SINGLE_APPENDS,
  STREAMS,
  TOTAL_EVENTS,
  chain,
  makeEvent,
  streamId,
} from './workload';

// ------------------------------------------------------------------ RSS sampling
// A 50 ms timer, plus an inline check in the hot loops: better-sqlite3 is synchronous and PGlite's
// promises resolve as microtasks, so a timer alone could starve during a loop.
const MB = 1024 * 1024;
let peakRss = process.memoryUsage().rss;
let peakRssAt = 'process start';
let phase = 'process start';
let samples = 0;
let lastSample = 0;
function sample(): void {
  const rss = process.memoryUsage().rss;
  samples += 1;
  lastSample = performance.now();
  if (rss > peakRss) {
    peakRss = rss;
    peakRssAt = phase;
  }
}
function maybeSample(): void {
  if (performance.now() - lastSample >= 50) sample();
}
const timer = setInterval(sample, 50);
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
function enter(name: string): number {
  sample();
  phase = name;
  return performance.now();
}
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const rate = (events: number, ms: number) => Math.round(events / (ms / 1000));
const round = (ms: number) => Math.round(ms * 10) / 10;

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function loadDriver(variant: Variant): void {
  require(variant.startsWith('sqlite') ? 'better-sqlite3' : '@electric-sql/pglite');
}

async function bench(variant: Variant, dir: string): Promise<Record<string, unknown>> {
  const baselineRss = process.memoryUsage().rss;
  const result: Record<string, unknown> = { variant, dir, baselineRssMb: mb(baselineRss) };

  // 1. Start: load the driver, open/create the store in the fresh directory, create the table.
  let t = enter('start');
  loadDriver(variant);
  const importMs = performance.now() - t;
  t = performance.now();
  let store: CandidateStore = await openCandidate(variant, dir);
  const openMs = performance.now() - t;
  t = performance.now();
  await store.createSchema();
  const schemaMs = performance.now() - t;
  sample();
  result.start = {
    importMs: round(importMs),
    openMs: round(openMs),
    schemaMs: round(schemaMs),
    totalMs: round(importMs + openMs + schemaMs),
    rssAfterStartMb: mb(process.memoryUsage().rss),
  };
  result.settings = store.settings;

  // 2. Single appends: one event per transaction (read head + insert), round-robin over 1,000 streams.
  const latencies = new Float64Array(SINGLE_APPENDS);
  t = enter('single appends');
  for (let i = 0; i < SINGLE_APPENDS; i++) {
    const stream = streamId(i);
    const event = makeEvent(i, stream);
    const t0 = performance.now();
    await store.append(stream, (head) => chain(stream, head, [event]));
    latencies[i] = performance.now() - t0;
    maybeSample();
    if (i % 100 === 99) await yieldToLoop();
  }
  let ms = performance.now() - t;
  latencies.sort();
  result.singleAppends = {
    events: SINGLE_APPENDS,
    ms: round(ms),
    eventsPerSec: rate(SINGLE_APPENDS, ms),
    p50Ms: Math.round(percentile(latencies, 0.5) * 1000) / 1000,
    p99Ms: Math.round(percentile(latencies, 0.99) * 1000) / 1000,
    rssAfterMb: mb(process.memoryUsage().rss),
  };

  // 3. Batched appends: 100 events per transaction (one stream per batch) until the store holds 100,000.
  const batches = (TOTAL_EVENTS - SINGLE_APPENDS) / BATCH_SIZE;
  t = enter('batched appends');
  let seq = SINGLE_APPENDS;
  for (let b = 0; b < batches; b++) {
    const stream = streamId(b);
    const events = Array.from({ length: BATCH_SIZE }, () => makeEvent(seq++, stream));
    await store.append(stream, (head) => chain(stream, head, events));
    maybeSample();
    if (b % 10 === 9) await yieldToLoop();
  }
  ms = performance.now() - t;
  sample();
  const rssAt100k = process.memoryUsage().rss;
  result.batchedAppends = {
    events: batches * BATCH_SIZE,
    transactions: batches,
    ms: round(ms),
    eventsPerSec: rate(batches * BATCH_SIZE, ms),
  };
  result.rssAt100kMb = mb(rssAt100k);
  const usage = process.memoryUsage();
  result.memoryAt100kMb = {
    heapUsed: mb(usage.heapUsed),
    external: mb(usage.external),
    arrayBuffers: mb(usage.arrayBuffers),
  };
  result.peakRssAt100kMb = mb(peakRss);

  // 4. Global feed: everything in position order, pages of 1,000, JSON parsed.
  t = enter('feed read');
  let after = 0;
  let read = 0;
  let checksum = 0;
  for (;;) {
    const page = await store.readAfter(after, PAGE_SIZE);
    maybeSample();
    if (page.length === 0) break;
    for (const e of page) checksum += (e.data as { seq: number }).seq;
    read += page.length;
    after = page[page.length - 1]!.position;
    await yieldToLoop();
  }
  ms = performance.now() - t;
  const expectedChecksum = ((TOTAL_EVENTS - 1) * TOTAL_EVENTS) / 2;
  result.feedRead = {
    events: read,
    pages: Math.ceil(read / PAGE_SIZE),
    ms: round(ms),
    eventsPerSec: rate(read, ms),
    allEventsSeen: read === TOTAL_EVENTS && checksum === expectedChecksum,
  };

  // 5. Restart within this process: close, reopen the same directory, count.
  t = enter('close');
  await store.close();
  const closeMs = performance.now() - t;
  if (variant === 'pglite-memory') {
    result.restartInProcess = {
      skipped: 'in-memory data directory: nothing to reopen',
      closeMs: round(closeMs),
    };
  } else {
    t = enter('reopen');
    store = await openCandidate(variant, dir);
    const reopenMs = performance.now() - t;
    const tc = performance.now();
    const rows = await store.count();
    const countMs = performance.now() - tc;
    result.restartInProcess = {
      closeMs: round(closeMs),
      reopenMs: round(reopenMs),
      countMs: round(countMs),
      rows,
      persisted: rows === TOTAL_EVENTS,
    };
    await store.close();
  }

  sample();
  clearInterval(timer);
  result.streams = STREAMS;
  result.peakRssMb = mb(peakRss);
  result.peakRssPhase = peakRssAt;
  result.maxRssMb = mb(process.resourceUsage().maxRSS * 1024);
  result.rssSamples = samples;
  return result;
}

async function reopen(variant: Variant, dir: string): Promise<Record<string, unknown>> {
  const baselineRss = process.memoryUsage().rss;
  let t = enter('cold reopen');
  loadDriver(variant);
  const importMs = performance.now() - t;
  t = performance.now();
  const store = await openCandidate(variant, dir);
  const openMs = performance.now() - t;
  t = performance.now();
  const rows = await store.count();
  const countMs = performance.now() - t;
  sample();
  const rssAfterOpenMb = mb(process.memoryUsage().rss);
  await store.close();
  sample();
  clearInterval(timer);
  return {
    variant,
    baselineRssMb: mb(baselineRss),
    importMs: round(importMs),
    openMs: round(openMs),
    countMs: round(countMs),
    totalMs: round(importMs + openMs + countMs),
    rows,
    rssAfterOpenMb,
    peakRssMb: mb(peakRss),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  };
}

async function init(variant: Variant, dir: string): Promise<Record<string, unknown>> {
  const t = enter('first boot');
  loadDriver(variant);
  const store = await openCandidate(variant, dir);
  await store.createSchema();
  const ms = performance.now() - t;
  sample();
  const rssAfterMb = mb(process.memoryUsage().rss);
  await store.close();
  clearInterval(timer);
  return {
    variant,
    ms: round(ms),
    rssAfterMb,
    peakRssMb: mb(peakRss),
    maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
  };
}

async function crash(variant: Variant, dir: string, n: number): Promise<never> {
  loadDriver(variant);
  const store = await openCandidate(variant, dir);
  await store.createSchema();
  for (let i = 0; i < n; i++) {
    const stream = streamId(i);
    const event = makeEvent(i, stream);
    await store.append(stream, (head) => chain(stream, head, [event]));
  }
  // Every append above has resolved (committed, as far as the caller can tell). Die without closing.
  await new Promise<void>((resolve) =>
    process.send!({ ok: true, result: { acknowledged: n } }, () => resolve()),
  );
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => undefined);
}

async function main(): Promise<void> {
  const [mode, variant, dir, n] = process.argv.slice(2) as [string, Variant, string, string | undefined];
  let result: Record<string, unknown>;
  if (mode === 'bench') result = await bench(variant, dir);
  else if (mode === 'init') result = await init(variant, dir);
  else if (mode === 'reopen') result = await reopen(variant, dir);
  else if (mode === 'crash') result = await crash(variant, dir, Number(n));
  else throw new Error(`unknown mode ${mode}`);
  await new Promise<void>((resolve) => process.send!({ ok: true, result }, () => resolve()));
  process.exit(0);
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  await new Promise<void>((resolve) =>
    process.send!({ ok: false, error: message, peakRssMb: mb(peakRss) }, () => resolve()),
  );
  process.exit(1);
});
