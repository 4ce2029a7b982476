// A real PostgreSQL restart under load (`pg_ctlcluster … restart`), once. NOTE: this restarts the server
// every suite on this machine shares: their connections drop for the seconds it takes. The suites that run
// often terminate the ledger's own connections instead (postgres-backends-terminated.e2e.test.ts).
// The API process stays up, answers 503 STORE.UNAVAILABLE with Retry-After while the server is down,
// recovers by itself, and every acknowledged command is in the store.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dropSchema, requirePostgres, sql, TEST_DATABASE_URL, uniqueSchema } from '../support/postgres';
import {
  commandLoad,
  registerSubject,
  sleep,
  spawnLedger,
  stopAll,
  type LedgerProcess,
} from '../support/processes';

jest.setTimeout(180_000);

/** Which cluster to restart: PG_CLUSTER="15 main" unless told. */
const CLUSTER = (process.env.LEDGER_TEST_PG_CLUSTER ?? '15 main').split(' ');

describe('PostgreSQL restarted under load', () => {
  const schema = uniqueSchema('ops');
  let api: LedgerProcess;

  beforeAll(async () => {
    await requirePostgres();
    api = await spawnLedger('api', 'api', {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      LEDGER_RATE_LIMITS: 'off',
      KAFKA_BROKERS: '',
    });
  });
  afterAll(async () => {
    await stopAll([api].filter(Boolean));
    await dropSchema(schema);
  });

  it('answers 503 with Retry-After while it is down, recovers by itself, loses no acknowledged command', async () => {
    const subjects = await Promise.all(Array.from({ length: 16 }, () => registerSubject(api.url)));
    const load = commandLoad(() => [api.url], subjects, 8);
    await sleep(1000);
    const started = Date.now();
    // Not execFileSync: the load must keep sending while the server is down.
    await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', ...CLUSTER, 'restart']);
    const restartMs = Date.now() - started;
    await sleep(3000);
    const result = await load.stop();

    expect(api.child.exitCode).toBeNull();
    expect(result.failures).toEqual([]);
    expect(result.unavailable.length).toBeGreaterThan(0);
    for (const refusal of result.unavailable) {
      expect(refusal).toEqual({ code: 'STORE.UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) });
    }
    const after = commandLoad(() => [api.url], subjects, 2);
    await sleep(1000);
    const recovered = await after.stop();
    expect(recovered.statuses).toEqual({ 201: expect.any(Number) });

    const acknowledged = [...result.acknowledged, ...recovered.acknowledged];
    const stored = await sql<{ id: string }>(`SELECT id FROM ${schema}.events WHERE id = ANY($1::uuid[])`, [
      acknowledged,
    ]);
    expect(stored.length).toBe(acknowledged.length);
    process.stdout.write(
      `restart took ${restartMs} ms; answers during the load: ${JSON.stringify(result.statuses)}\n`,
    );
  });
});
