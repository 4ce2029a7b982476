// SIGTERM, as an orchestrator stops a process: the API stops accepting, answers the requests in flight,
// leaves its followers at a checkpoint, gives the lease up and exits within 10 s; a worker standing by
// takes the followers over at once (no lease to wait out) and continues from that checkpoint.
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

describe('SIGTERM', () => {
  const schema = uniqueSchema('term');
  const processes: LedgerProcess[] = [];
  afterAll(async () => {
    await stopAll(processes);
    await dropSchema(schema);
  });

  it('answers what is in flight, leaves the followers at a checkpoint, exits within 10 s', async () => {
    await requirePostgres();
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      LEDGER_RATE_LIMITS: 'off',
      KAFKA_BROKERS: '',
    };
    // The API runs the followers first (it started first); the worker stands by.
    const api = await spawnLedger('api', 'api', env);
    processes.push(api);
    const worker = await spawnLedger('worker', 'worker', env);
    processes.push(worker);
    expect((await api.health())?.body.lease).toMatchObject({
      state: 'held',
      followers: expect.arrayContaining(['read-models', 'relay', 'digester']),
    });
    expect((await worker.health())?.body.lease).toMatchObject({ state: 'standby', followers: [] });

    const subjects = await Promise.all(Array.from({ length: 8 }, () => registerSubject(api.url)));
    const load = commandLoad(() => [api.url], subjects, 8);
    await sleep(1500);
    const acknowledgedBefore = load.result.acknowledged.length;
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    const code = await api.exited;
    const tookMs = Date.now() - signalled;
    const result = await load.stop();
    expect([0, 'SIGTERM']).toContain(code);
    expect(tookMs).toBeLessThan(10_000);
    // In flight at SIGTERM: answered, not cut (a refused connection afterwards is a network error, not a 5xx).
    expect(result.failures).toEqual([]);
    expect(result.acknowledged.length).toBeGreaterThanOrEqual(acknowledgedBefore);

    // The lease was given up: the worker holds it within its poll (1 s), not after the 5 s lease.
    let heldAfter = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 60; i++) {
      if ((await worker.health())?.body.lease.state === 'held') {
        heldAfter = Date.now() - signalled - tookMs;
        break;
      }
      await sleep(50);
    }
    expect(heldAfter).toBeLessThan(2500);
    const stored = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.events WHERE id = ANY($1::uuid[])`,
      [result.acknowledged],
    );
    expect(Number(stored[0]!.n)).toBe(result.acknowledged.length);
    const [{ head }] = await sql<{ head: string }>(`SELECT max(position) AS head FROM ${schema}.events`);
    for (let i = 0; i < 100; i++) {
      if (((await worker.health())?.body.readModels.position ?? 0) >= Number(head)) break;
      await sleep(100);
    }
    expect((await worker.health())?.body.readModels.position).toBeGreaterThanOrEqual(Number(head));
    process.stdout.write(`SIGTERM → exit in ${tookMs} ms; worker held the lease ${heldAfter} ms later\n`);
  });
});
