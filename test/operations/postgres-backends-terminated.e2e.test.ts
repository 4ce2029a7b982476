// PostgreSQL dropping the ledger's connections under load (what a server restart or a failover does to
// them, without restarting the server the other suites share): every backend of the API process is
// terminated while commands arrive, a few times. The process stays up, answers 503 with Retry-After and a
// stable code while it cannot reach the database, recovers by itself, and every acknowledged command is
// in the store.
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

describe('PostgreSQL connections terminated under load', () => {
  const schema = uniqueSchema('ops');
  const applicationName = `ledger-${schema}`;
  let api: LedgerProcess;

  beforeAll(async () => {
    await requirePostgres();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('application_name', applicationName);
    api = await spawnLedger('api', 'api', {
      DATABASE_URL: url.toString(),
      DATABASE_SCHEMA: schema,
      LEDGER_RATE_LIMITS: 'off',
      KAFKA_BROKERS: '',
    });
  });
  afterAll(async () => {
    await stopAll([api].filter(Boolean));
    await dropSchema(schema);
  });

  it('keeps the process up, recovers by itself and loses no acknowledged command', async () => {
    const subjects = await Promise.all(Array.from({ length: 16 }, () => registerSubject(api.url)));
    const load = commandLoad(() => [api.url], subjects, 8);
    for (let round = 0; round < 5; round++) {
      await sleep(700);
      const [{ n }] = await sql<{ n: string }>(
        'SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      const exit = api.child.exitCode;
      expect({ round, terminated: Number(n) > 0, exit, output: exit === null ? '' : api.output() }).toEqual({
        round,
        terminated: true,
        exit: null,
        output: '',
      });
    }
    await sleep(1500);
    const result = await load.stop();

    expect(api.child.exitCode).toBeNull();
    expect(result.failures).toEqual([]);
    for (const refusal of result.unavailable) {
      expect(refusal).toEqual({ code: 'STORE.UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) });
    }
    // Recovered: commands are acknowledged again, and /health says ok.
    const after = commandLoad(() => [api.url], subjects, 2);
    await sleep(1000);
    const recovered = await after.stop();
    expect(recovered.statuses).toEqual({ 201: expect.any(Number) });
    expect((await api.health())?.status).toBe(200);

    const acknowledged = [...result.acknowledged, ...recovered.acknowledged];
    const stored = await sql<{ id: string }>(`SELECT id FROM ${schema}.events WHERE id = ANY($1::uuid[])`, [
      acknowledged,
    ]);
    expect(stored.length).toBe(acknowledged.length);
    expect(result.acknowledged.length).toBeGreaterThan(50);
    expect(result.unavailable.length).toBeGreaterThan(0); // the refusals were seen, and checked above
    // The followers resumed too: the read models catch up with the head.
    await expect(caughtUp(api)).resolves.toBe(true);
    process.stdout.write(`terminated under load: ${JSON.stringify(result.statuses)}\n`);
  });
});

async function caughtUp(ledger: LedgerProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const health = await ledger.health();
    if (health?.status === 200 && health.body.readModels.positionsBehind === 0) return true;
    await sleep(200);
  }
  return false;
}
