// kill -9 the process holding the followers' lease, again and again, under load: 2 API processes
// (LEDGER_WORKERS=off) and 3 workers on one PostgreSQL schema, with the shared Kafka broker. Each time, the
// time until another worker holds the lease and the read models move again is measured; a new worker
// replaces the killed one. Afterwards: every acknowledged command stored, the read models caught up and
// each honour applied exactly once, the digests consistent with the events (no fork).
import { dropSchema, requirePostgres, sql, TEST_DATABASE_URL, uniqueSchema } from './postgres';
import { commandLoad, registerSubject, sleep, spawnLedger, stopAll, type LedgerProcess } from './processes';

export interface FailoverResult {
  readonly takeoversMs: number[];
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly acknowledged: number;
  readonly stored: number;
  readonly statuses: Record<string, number>;
  readonly subjectsChecked: number;
  /** Subjects whose read model does not hold exactly the honours stored for them. */
  readonly misapplied: string[];
  /** Digests whose event count disagrees with the events up to their position. */
  readonly forkedDigests: number;
  readonly digests: number;
}

const leaseOf = async (p: LedgerProcess) => (await p.health())?.body?.lease;

async function holderAmong(workers: readonly LedgerProcess[]): Promise<LedgerProcess | undefined> {
  for (const worker of workers) if ((await leaseOf(worker))?.state === 'held') return worker;
  return undefined;
}

export async function runFailover(kills: number, log: (line: string) => void = () => undefined) {
  await requirePostgres();
  const schema = uniqueSchema('failover');
  const env = {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    LEDGER_RATE_LIMITS: 'off',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
    LEDGER_DIGEST_EVERY_EVENTS: '200',
    LEDGER_DIGEST_EVERY_SECONDS: '1',
  };
  const processes: LedgerProcess[] = [];
  try {
    const apis = await Promise.all(
      ['api-1', 'api-2'].map((name) => spawnLedger('api', name, { ...env, LEDGER_WORKERS: 'off' })),
    );
    processes.push(...apis);
    let workers = await Promise.all(
      ['worker-1', 'worker-2', 'worker-3'].map((n) => spawnLedger('worker', n, env)),
    );
    processes.push(...workers);
    let spawned = 3;
    const subjects = await Promise.all(
      Array.from({ length: 24 }, (_, i) => registerSubject(apis[i % 2]!.url)),
    );
    const load = commandLoad(() => apis.map((a) => a.url), subjects, 6);
    const takeoversMs: number[] = [];
    for (let kill = 0; kill < kills; kill++) {
      let holder: LedgerProcess | undefined;
      for (let i = 0; i < 100 && !holder; i++) {
        holder = await holderAmong(workers);
        if (!holder) await sleep(100);
      }
      if (!holder) throw new Error('no worker holds the lease');
      await sleep(1500); // under load for a while
      const { token } = (await leaseOf(holder)) as { token: number };
      const before = (await holder.health())?.body.readModels.position as number;
      holder.child.kill('SIGKILL');
      const killedAt = Date.now();
      await holder.exited;
      workers = workers.filter((w) => w !== holder);
      let next: LedgerProcess | undefined;
      for (;;) {
        next = await holderAmong(workers);
        const health = next && (await next.health());
        if (next && health?.body.lease?.token > token && health?.body.readModels.position > before) break;
        if (Date.now() - killedAt > 30_000) throw new Error(`no takeover 30 s after kill ${kill + 1}`);
        await sleep(50);
      }
      const ms = Date.now() - killedAt;
      takeoversMs.push(ms);
      log(`kill ${kill + 1}: ${holder.name} (token ${token}) → ${next.name} in ${ms} ms`);
      // A replacement starts standing by, as an orchestrator would start one (after the measurement: its
      // start-up under ts-node would take the CPU the takeover is measured on).
      const fresh = await spawnLedger('worker', `worker-${++spawned}`, env);
      processes.push(fresh);
      workers.push(fresh);
    }
    await sleep(1000);
    const result = await load.stop();

    // Let the last holder catch up with everything.
    const last = (await holderAmong(workers))!;
    const [{ head }] = await sql<{ head: string }>(`SELECT max(position) AS head FROM ${schema}.events`);
    for (let i = 0; i < 300; i++) {
      if (((await last.health())?.body.readModels.position ?? 0) >= Number(head)) break;
      await sleep(100);
    }
    const stored = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.events WHERE id = ANY($1::uuid[])`,
      [result.acknowledged],
    );
    const misapplied = await sql<{ id: string }>(
      `SELECT d.id FROM ${schema}.read_documents d
       WHERE d.projection = 'subject_credit_status'
         AND json_array_length((d.doc)::json->'state'->'records') <>
             (SELECT count(*) FROM ${schema}.events e
              WHERE e.stream_id = 'subject-' || d.id AND e.type = 'HonourRecorded')`,
    );
    const [{ n: checked }] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.read_documents WHERE projection = 'subject_credit_status'`,
    );
    const digests = await sql<{ up_to_position: string; event_count: string; actual: string }>(
      `SELECT up_to_position, event_count,
              (SELECT count(*) FROM ${schema}.events e WHERE e.position <= d.up_to_position) AS actual
       FROM ${schema}.audit_digests d`,
    );
    const sorted = [...takeoversMs].sort((a, b) => a - b);
    return {
      takeoversMs,
      p50Ms: sorted[Math.floor((sorted.length - 1) / 2)]!,
      maxMs: sorted[sorted.length - 1]!,
      acknowledged: result.acknowledged.length,
      stored: Number(stored[0]!.n),
      statuses: result.statuses,
      subjectsChecked: Number(checked),
      misapplied: misapplied.map((r) => r.id),
      forkedDigests: digests.filter((d) => d.event_count !== d.actual).length,
      digests: digests.length,
    } satisfies FailoverResult;
  } catch (error) {
    for (const p of processes) log(`--- ${p.name}\n${p.output().slice(-1500)}`);
    throw error;
  } finally {
    await stopAll(processes);
    await dropSchema(schema);
  }
}
