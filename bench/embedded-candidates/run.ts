// Embedded event store candidates: PGlite (NodeFS data directory) vs better-sqlite3 (WAL).
//
//   npx ts-node --transpile-only bench/embedded-candidates/run.ts [--runs=3] [--only=sqlite-wal-full,pglite-nodefs] [--keep] [--out=file.json]
//
// Each variant runs in its own child process (child.ts), so RSS is per candidate. Per variant:
//   bench   start, 10k single appends, batched appends up to 100k, feed read, in-process restart
//   reopen  cold restart in a fresh process from the same directory (count rows)
//   crash   1,000 single appends in a fresh directory, SIGKILL, then reopen and count in a fresh process
// Results: printed as a table and written to bench/embedded-candidates/results.json.
import { fork } from 'node:child_process';
import {
  closeSync,
  fdatasyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { VARIANTS, isPersistent, type Variant } from './stores';
import { sampleSizes } from './workload';

const CHILD = join(__dirname, 'child.ts');
const CRASH_APPENDS = 1_000;
const CHILD_TIMEOUT_MS = 30 * 60 * 1000;

type Reply = { ok: true; result: Record<string, unknown> } | { ok: false; error: string; peakRssMb?: number };
interface ChildOutcome {
  reply?: Reply;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  stderrTail: string;
}

function runChild(args: string[]): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = fork(CHILD, args, {
      execArgv: ['-r', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let reply: Reply | undefined;
    let stderr = '';
    child.on('message', (m) => (reply = m as Reply));
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      process.stderr.write(d);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('exit', (exitCode, signal) => {
      clearTimeout(killer);
      resolve({ reply, exitCode, signal, wallMs: Date.now() - started, stderrTail: stderr });
    });
  });
}

function dirBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += dirBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

function outcome(o: ChildOutcome): Record<string, unknown> {
  if (o.reply?.ok) return o.reply.result;
  return {
    failed: true,
    error:
      o.reply && !o.reply.ok
        ? o.reply.error
        : `child exited (code ${o.exitCode}, signal ${o.signal}) without a result`,
    peakRssMb: o.reply && !o.reply.ok ? o.reply.peakRssMb : undefined,
    stderrTail: o.stderrTail || undefined,
    wallMs: o.wallMs,
  };
}

async function runVariant(variant: Variant, keep: boolean): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { variant };
  const dir = mkdtempSync(join(tmpdir(), `ledger-embedded-${variant}-`));
  if (variant === 'pglite-nodefs-preinit') {
    console.log(`\n[${variant}] first boot (initdb + schema) in a separate process, in ${dir}`);
    out.firstBoot = outcome(await runChild(['init', variant, dir]));
  }
  console.log(`\n[${variant}] bench in ${dir}`);
  const benchRun = await runChild(['bench', variant, dir]);
  out.bench = outcome(benchRun);
  if (isPersistent(variant)) {
    out.diskMb = Math.round((dirBytes(dir) / 1024 / 1024) * 10) / 10;
    if (!(out.bench as { failed?: boolean }).failed) {
      console.log(`[${variant}] cold reopen (fresh process)`);
      out.coldRestart = outcome(await runChild(['reopen', variant, dir]));
    }
    const crashDir = mkdtempSync(join(tmpdir(), `ledger-embedded-${variant}-crash-`));
    console.log(`[${variant}] crash test in ${crashDir}`);
    const crashRun = await runChild(['crash', variant, crashDir, String(CRASH_APPENDS)]);
    const acknowledged = crashRun.reply?.ok ? (crashRun.reply.result.acknowledged as number) : undefined;
    const after = outcome(await runChild(['reopen', variant, crashDir]));
    out.crash = {
      acknowledged,
      killedBy: crashRun.signal,
      rowsAfterReopen: after.rows,
      reopenMs: after.openMs,
      survived: acknowledged !== undefined && after.rows === acknowledged,
      reopenError: after.failed ? after.error : undefined,
    };
    if (!keep) rmSync(crashDir, { recursive: true, force: true });
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Read from node_modules directly: PGlite's `exports` map does not expose its package.json. */
function packageVersion(name: string): string {
  const manifest = join(__dirname, '..', '..', 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function machine(): Record<string, unknown> {
  const meminfo = readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/);
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memTotalGb: meminfo
      ? Math.round((Number(meminfo[1]) / 1024 / 1024) * 10) / 10
      : Math.round(totalmem() / 1e9),
    node: process.version,
    kernel: release(),
    tmpdir: tmpdir(),
    pglite: packageVersion('@electric-sql/pglite'),
    betterSqlite3: packageVersion('better-sqlite3'),
  };
}

type Row = Record<string, unknown>;
const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Row)[k] : undefined), o);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 1000) / 1000;
}
const num = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 3 });

/** Table rows: a label and one or two result paths (two are shown as "a / b"). */
const TABLE: Array<[string, string[]]> = [
  ['RSS before loading the driver (node + ts-node) (MB)', ['bench.baselineRssMb']],
  ['first boot in a separate process (ms / peak RSS MB)', ['firstBoot.ms', 'firstBoot.peakRssMb']],
  ['start: driver import + open/create + schema (ms)', ['bench.start.totalMs']],
  ['  of which open/create (ms)', ['bench.start.openMs']],
  ['RSS after start (MB)', ['bench.start.rssAfterStartMb']],
  ['single appends, 1 event/tx (events/s)', ['bench.singleAppends.eventsPerSec']],
  ['  p50 / p99 latency (ms)', ['bench.singleAppends.p50Ms', 'bench.singleAppends.p99Ms']],
  ['batched appends, 100 events/tx (events/s)', ['bench.batchedAppends.eventsPerSec']],
  ['feed read, pages of 1,000, JSON parsed (events/s)', ['bench.feedRead.eventsPerSec']],
  ['RSS at 100k events (MB)', ['bench.rssAt100kMb']],
  ['  peak RSS up to 100k events (MB)', ['bench.peakRssAt100kMb']],
  ['peak RSS, 50 ms samples, whole run (MB)', ['bench.peakRssMb']],
  ['  phase of the peak', ['bench.peakRssPhase']],
  ['maxRSS (resourceUsage) (MB)', ['bench.maxRssMb']],
  [
    'restart in-process: close / reopen (ms)',
    ['bench.restartInProcess.closeMs', 'bench.restartInProcess.reopenMs'],
  ],
  ['  rows after reopen', ['bench.restartInProcess.rows']],
  ['cold restart, new process: import+open+count (ms)', ['coldRestart.totalMs']],
  ['  rows / peak RSS (MB)', ['coldRestart.rows', 'coldRestart.peakRssMb']],
  ['kill -9 after 1,000 acked appends: rows after reopen', ['crash.rowsAfterReopen']],
  ['on-disk size at 100k (MB)', ['diskMb']],
];

function cell(runs: Row[], paths: string[], how: 'median' | 'range'): string {
  const parts = paths.map((path) => {
    const values = runs.map((r) => get(r, path));
    if (path.startsWith('bench.') && runs.some((r) => (r.bench as Row | undefined)?.failed)) return 'FAILED';
    const numbers = values.filter((v): v is number => typeof v === 'number');
    if (numbers.length === 0) {
      const text = values.filter((v) => v !== undefined).map(String);
      return text.length ? [...new Set(text)].join(', ') : 'n/a';
    }
    if (how === 'median') return num(median(numbers));
    const lo = Math.min(...numbers);
    const hi = Math.max(...numbers);
    return lo === hi ? num(lo) : `${num(lo)}–${num(hi)}`;
  });
  return parts.every((p) => p === 'n/a') ? 'n/a' : parts.join(' / ');
}

function printTable(title: string, byVariant: Map<Variant, Row[]>, how: 'median' | 'range'): void {
  const variants = [...byVariant.keys()];
  const header = [title, ...variants];
  const rows = TABLE.map(([label, paths]) => [
    label,
    ...variants.map((v) => cell(byVariant.get(v)!, paths, how)),
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const row of rows) console.log(fmt(row));
}

/** fdatasync latency of the temp directory's disk: what synchronous=FULL pays per commit, roughly. */
function fsyncProbe(): { fdatasyncP50Us: number; fdatasyncP99Us: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-embedded-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    writeSync(fd, block);
    const t = process.hrtime.bigint();
    fdatasyncSync(fd);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return {
    fdatasyncP50Us: Math.round(times[Math.floor(times.length * 0.5)]!),
    fdatasyncP99Us: Math.round(times[Math.floor(times.length * 0.99)]!),
  };
}

async function main(): Promise<void> {
  const arg = (name: string) =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(`--${name}=`.length);
  const only = arg('only')?.split(',');
  const runs = Number(arg('runs') ?? 3);
  const keep = process.argv.includes('--keep');
  const resultsPath = arg('out') ?? join(__dirname, 'results.json');
  const variants = only ? VARIANTS.filter((v) => only.includes(v)) : VARIANTS;
  const info = {
    machine: { ...machine(), ...fsyncProbe() },
    payload: sampleSizes(),
    runs,
    pgliteExtraSettings: process.env.BENCH_PGLITE_SETTINGS || undefined,
    startedAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(info, null, 2));
  // Rounds interleave the variants, so a noisy minute on the machine does not land on one candidate only.
  const byVariant = new Map<Variant, Row[]>(variants.map((v) => [v, []]));
  for (let round = 1; round <= runs; round++) {
    console.log(`\n=== round ${round} of ${runs}`);
    for (const variant of variants) byVariant.get(variant)!.push(await runVariant(variant, keep));
  }
  printTable(runs > 1 ? `median of ${runs} runs` : 'single run', byVariant, 'median');
  if (runs > 1) printTable(`min–max over ${runs} runs`, byVariant, 'range');
  for (const [variant, results] of byVariant) {
    results.forEach((r, i) => {
      const failed = [r.bench, r.coldRestart, r.firstBoot].filter((x) => (x as Row | undefined)?.failed);
      for (const f of failed) console.log(`\n${variant} run ${i + 1} FAILED: ${(f as Row).error}`);
      const crash = r.crash as Row | undefined;
      if (crash && !crash.survived)
        console.log(`\n${variant} run ${i + 1}: crash test lost acknowledged events`);
    });
  }
  writeFileSync(
    resultsPath,
    `${JSON.stringify({ ...info, finishedAt: new Date().toISOString(), results: Object.fromEntries(byVariant) }, null, 2)}\n`,
  );
  console.log(`\nwrote ${resultsPath}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
