// The ledger's event store beside Emmett's (PostgreSQL and SQLite) on the same workloads, the same
// database and the same machine, in one run: 1 event per append with 16 appenders on distinct streams,
// 100 events per append, a global read, and a read-fold-append command loop on one stream kind.
// Each side runs in a process of its own (side.ts says why); both are warmed up with one full run of each
// workload, then alternate round by round (who goes first swaps each round), and every round's ratio
// ours / Emmett's is printed beside the median: above 1, the ledger's store is faster.
// Usage: flock /tmp/bench.lock npm run bench:peers -- [postgres|sqlite] [--rounds 3] [--singles N]
//   [--batches N] [--read 100000] [--page 1000] [--commands N] [--streams 400] [--emmett-as-released]
// Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; two schemas of its own,
// dropped at the end).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { machine, numberFlag } from '../support';
import type { SideMessage, SideOptions } from './side';
import type { WorkloadName, WorkloadRequest, WorkloadResult } from './workloads';

type Backend = SideOptions['backend'];
type Side = SideOptions['side'];

const backends: Backend[] =
  process.argv[2] === 'postgres' || process.argv[2] === 'sqlite' ? [process.argv[2]] : ['postgres', 'sqlite'];
const rounds = numberFlag('rounds', 3);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const emmettAsReleased = process.argv.includes('--emmett-as-released');

/** Emmett's SQLite store takes one append at a time (emmett.ts), so SQLite rounds are smaller. */
const sizes = (backend: Backend) => ({
  singles: numberFlag('singles', backend === 'postgres' ? 8000 : 2000),
  batches: numberFlag('batches', 200),
  read: numberFlag('read', 100_000),
  page: numberFlag('page', 1000),
  commands: numberFlag('commands', backend === 'postgres' ? 4000 : 2000),
  streams: numberFlag('streams', 400),
});

const MEASURED: ReadonlyArray<{ workload: WorkloadName; label: string; unit: string }> = [
  { workload: 'singles', label: '1 event per append, 16 appenders', unit: 'events/s' },
  { workload: 'batches', label: '100 events per append, 4 appenders', unit: 'events/s' },
  { workload: 'read', label: 'global read', unit: 'events/s' },
  { workload: 'commands', label: 'read-fold-append commands, 16 in flight', unit: 'commands/s' },
];

class SideProcess {
  private pending?: { resolve: (result: WorkloadResult) => void; reject: (error: Error) => void };

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: SideMessage) => {
      if ('result' in message) this.pending?.resolve(message.result as WorkloadResult);
      if ('error' in message) this.pending?.reject(new Error(message.error));
      this.pending = undefined;
    });
  }

  static start(options: SideOptions): Promise<SideProcess> {
    const child = fork(join(__dirname, 'side.ts'), [JSON.stringify(options)], {
      // Both sides with the V8 settings the ledger's processes run with (`npm start`).
      execArgv: [
        '--max-semi-space-size=64',
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new SideProcess(child)));
      child.once('exit', (code) =>
        reject(new Error(`${options.side} (${options.backend}) exited with ${code}`)),
      );
    });
  }

  run(request: WorkloadRequest): Promise<WorkloadResult> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(request);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('close');
    await exited;
  }
}

const rate = (r: WorkloadResult) => r.count / r.seconds;
/** The lower middle when the count is even: never the kinder of two. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const thousands = (n: number) => Math.round(n).toLocaleString('en');

async function runBackend(backend: Backend): Promise<void> {
  const size = sizes(backend);
  const schemas: Record<Side, string> = {
    ours: `bench_peers_ours_${process.pid}`,
    emmett: `bench_peers_emmett_${process.pid}`,
  };
  const dataDirs: Record<Side, string> = {
    ours: mkdtempSync(join(tmpdir(), 'ledger-peers-ours-')),
    emmett: mkdtempSync(join(tmpdir(), 'ledger-peers-emmett-')),
  };
  const admin = backend === 'postgres' ? new Client({ connectionString: databaseUrl }) : undefined;
  await admin?.connect();
  await admin?.query(`CREATE SCHEMA ${schemas.emmett}`);
  const sides: Partial<Record<Side, SideProcess>> = {};
  try {
    for (const side of ['ours', 'emmett'] as const) {
      sides[side] = await SideProcess.start({
        side,
        backend,
        databaseUrl,
        schema: schemas[side],
        dataDir: dataDirs[side],
        emmettAsReleased,
      });
    }
    const { ours, emmett } = sides as Record<Side, SideProcess>;
    const request = (workload: WorkloadName, tag: string): WorkloadRequest => ({
      workload,
      tag,
      count: {
        singles: size.singles,
        batches: size.batches,
        fill: size.read,
        read: size.read,
        commands: size.commands,
      }[workload],
      page: size.page,
      streams: size.streams,
    });

    console.log(
      `\nPeer benchmark on ${backend === 'postgres' ? 'PostgreSQL' : 'SQLite'}: the ledger's store (ours) and Emmett's` +
        `${backend === 'postgres' && !emmettAsReleased ? ' (with 0.42.4’s poll indexes)' : ''}, ${rounds} rounds after one warm-up run each`,
    );
    console.log(
      `  sizes per run: ${thousands(size.singles)} single appends, ${thousands(size.batches * 100)} events in batches, ` +
        `a read of ${thousands(size.read)} events in pages of ${thousands(size.page)}, ${thousands(size.commands)} commands over ${size.streams} streams`,
    );
    const summary: string[] = [];
    for (const { workload, label, unit } of MEASURED) {
      if (workload === 'read') {
        // Both feeds hold as many events before the reads (untimed).
        await ours.run(request('fill', 'fill'));
        await emmett.run(request('fill', 'fill'));
      }
      await ours.run(request(workload, 'warm'));
      await emmett.run(request(workload, 'warm'));
      const measured: Array<{ ours: WorkloadResult; emmett: WorkloadResult }> = [];
      for (let round = 0; round < rounds; round++) {
        const tag = `r${round}`;
        if (round % 2 === 0) {
          const first = await ours.run(request(workload, tag));
          measured.push({ ours: first, emmett: await emmett.run(request(workload, tag)) });
        } else {
          const first = await emmett.run(request(workload, tag));
          measured.push({ emmett: first, ours: await ours.run(request(workload, tag)) });
        }
      }
      const ratios = measured.map((m) => rate(m.ours) / rate(m.emmett));
      const cpuPer1000 = (side: Side) =>
        median(measured.map((m) => (m[side].cpuSeconds * 1000 * 1000) / m[side].count)).toFixed(0);
      console.log(`  ${label} (${unit})`);
      console.log(`    ours      ${measured.map((m) => thousands(rate(m.ours))).join(' / ')}`);
      console.log(`    Emmett    ${measured.map((m) => thousands(rate(m.emmett))).join(' / ')}`);
      console.log(
        `    ratio     ${ratios.map((r) => r.toFixed(2)).join(' / ')}, median ${median(ratios).toFixed(2)} (ours / Emmett's)`,
      );
      console.log(
        `    client CPU ms per 1,000 (median): ours ${cpuPer1000('ours')}, Emmett ${cpuPer1000('emmett')}`,
      );
      summary.push(`${label}: ${median(ratios).toFixed(2)}`);
    }
    console.log(`  medians (ours / Emmett's): ${summary.join('; ')}`);
    console.log(`  machine: ${Object.values(machine()).join(', ')}`);
  } finally {
    await Promise.all(Object.values(sides).map((side) => side.close()));
    for (const schema of Object.values(schemas))
      await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
    for (const dir of Object.values(dataDirs)) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  for (const backend of backends) await runBackend(backend);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
