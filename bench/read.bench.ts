// GET /subjects/{id} latency on a loaded ledger: N subjects (default 100,000) of ~10 events each written
// straight through the domain decider into PostgreSQL, read models caught up, then random status reads.
// Usage: npm run bench:read -- [--subjects 100000] [--seconds 15] [--connections 32]
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { subjectIdFor, uuidV7 } from '@ledger/application';
import {
  chinaWorkingCalendar,
  defaultPolicy,
  subjectDecider,
  toSubjectStreamId,
  type SubjectCommand,
  type SubjectState,
} from '@ledger/domain';
import { PostgresEventStore, type NewEvent } from '@ledger/event-store';
import { DEVELOPMENT_ID_SECRET } from '@ledger/runtime';
import { benchUscc, machine, numberFlag, report } from './support';

const subjectCount = numberFlag('subjects', 100_000);
const seconds = numberFlag('seconds', 15);
const connections = numberFlag('connections', 32);
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_read_${process.pid}`;

const actor = { userId: 'loader', role: 'admin', department: 'bench', jurisdiction: '000000' };
const metadata = {
  now: '2026-11-20T10:00:00.000+08:00',
  actor,
  policy: defaultPolicy,
  calendar: chinaWorkingCalendar,
};

/** One subject's history: registration, honours, a penalty and its revocation, decided by the domain. */
function history(n: number): { subjectId: string; events: NewEvent[] } {
  const identifier = benchUscc(n);
  const subjectId = subjectIdFor(identifier, DEVELOPMENT_ID_SECRET);
  const commands: SubjectCommand[] = [
    {
      type: 'RegisterSubject',
      data: {
        subjectId,
        kind: 'training_institution',
        name: `培训机构${n}`,
        identifier,
        jurisdiction: '350213',
      },
      metadata,
    },
    ...[0, 1, 2, 3, 4].map((i): SubjectCommand => ({
      type: 'RecordHonour',
      data: {
        subjectId,
        recordId: uuidV7(),
        title: `荣誉${i}`,
        category: 'commendation',
        awardingBody: { name: '厦门市教育局' },
        awardedOn: '2026-09-10',
      },
      metadata,
    })),
  ];
  let state: SubjectState = subjectDecider.initialState();
  const events: NewEvent[] = [];
  for (const command of commands) {
    for (const event of subjectDecider.decide(command, state)) {
      state = subjectDecider.evolve(state, event);
      events.push({
        id: uuidV7(),
        type: event.type,
        data: event.data,
        metadata: { occurredAt: metadata.now, actor, policyVersion: defaultPolicy.version, schemaVersion: 1 },
      });
    }
  }
  return { subjectId, events };
}

function serve(port: number): Promise<ChildProcess> {
  const child = fork(join(__dirname, 'http', 'serve-ledger.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`ledger exited with ${code}`)));
  });
}

async function main() {
  const results: Record<string, string | number> = { subjects: subjectCount };
  const store = await PostgresEventStore.open({ connectionString: databaseUrl, schema, poolSize: 8 });
  const ids: string[] = [];
  let loadStarted = performance.now();
  for (let n = 0; n < subjectCount; n += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, subjectCount - n) }, async (_, k) => {
        const { subjectId, events } = history(n + k);
        ids.push(subjectId);
        await store.append(toSubjectStreamId(subjectId), events, { expectedRevision: 'no_stream' });
      }),
    );
    if ((n / 8) % 1250 === 0) process.stderr.write(`\rloading ${n}/${subjectCount} subjects`);
  }
  results.events = await store.headPosition();
  results.loadSeconds = Math.round((performance.now() - loadStarted) / 1000);
  await store.close();

  loadStarted = performance.now();
  const ledger = await serve(4104);
  const url = 'http://127.0.0.1:4104';
  try {
    for (;;) {
      const health = (await (await fetch(`${url}/health`)).json()) as { readModels: { position: number } };
      process.stderr.write(`\rread models at ${health.readModels.position}/${results.events}   `);
      if (health.readModels.position >= Number(results.events)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    results.readModelsCatchUpSeconds = Math.round((performance.now() - loadStarted) / 1000);
    // Measure a ledger at rest: the other followers (a joint-incentive case is opened for every red-listed
    // subject, and those cases' events flow through the read models again) must be done too.
    const sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    for (;;) {
      const { rows } = await sql.query<{ head: number; behind: number }>(
        `SELECT (SELECT max(position) FROM ${schema}.events)::int AS head,
                (SELECT min(position) FROM ${schema}.read_checkpoints)::int AS behind`,
      );
      process.stderr.write(`\rfollowers at ${rows[0]!.behind}/${rows[0]!.head}   `);
      if (rows[0]!.behind >= rows[0]!.head) break;
      if (performance.now() - loadStarted > 900_000) {
        results.followersAtRest = `no: at ${rows[0]!.behind} of ${rows[0]!.head} after 15 min`;
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await sql.end();
    results.eventsAtRest = (
      (await (await fetch(`${url}/health`)).json()) as { store: { headPosition: number } }
    ).store.headPosition;
    results.allFollowersDoneSeconds = Math.round((performance.now() - loadStarted) / 1000);
    process.stderr.write('\n');
    // Closed-loop clients: latency grows with the number of connections, so report a light and a heavy load.
    for (const clients of [...new Set([8, connections])]) {
      const run = await autocannon({
        url,
        connections: clients,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            headers: { 'x-api-key': 'dev-national-admin' },
            setupRequest: (request: autocannon.Request) => ({
              ...request,
              path: `/api/v1/subjects/${ids[Math.floor(Math.random() * ids.length)]}`,
            }),
          },
        ],
      } as autocannon.Options);
      results[`readsPerSec@${clients}`] = Math.round(run.requests.average);
      results[`readP50Ms@${clients}`] = run.latency.p50;
      results[`readP99Ms@${clients}`] = run.latency.p99;
      results[`non2xx@${clients}`] = run.non2xx;
    }
  } finally {
    ledger.kill('SIGTERM');
    await new Promise((resolve) => ledger.once('exit', resolve));
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  report(`GET /subjects/{id} on a loaded ledger (PostgreSQL)`, results, machine());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
