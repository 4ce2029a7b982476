import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import {
  EventSigning,
  hashEvent,
  PostgresEventStore,
  type AppendResult,
  verifyStreamChain,
  WrongExpectedRevision,
} from '../src';
import { migrations } from '../src/postgres/postgres-migrations';
import {
  dropSchema,
  requirePostgres,
  sql,
  TEST_DATABASE_URL,
  uniqueSchema,
} from '../../../test/support/postgres';
import { eventStoreContract } from './event-store.contract';

const schema = uniqueSchema('store');

beforeAll(requirePostgres);
afterAll(() => dropSchema(schema));

describe('PostgresEventStore', () => {
  eventStoreContract({
    open: (options) =>
      PostgresEventStore.open({
        connectionString: TEST_DATABASE_URL,
        schema,
        clock: options?.clock,
        signing: options?.signing,
      }),
    tamperWithData: async (position, data) => {
      await sql(`UPDATE ${schema}.events SET data = $2 WHERE position = $1`, [
        position,
        JSON.stringify(data),
      ]);
    },
    forgeEvent: async (position, { data, hash }) => {
      await sql(`UPDATE ${schema}.events SET data = $2, hash = $3 WHERE position = $1`, [
        position,
        JSON.stringify(data),
        hash,
      ]);
    },
    holdOpenAppend: async (streamId, event) => {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query('BEGIN');
      const recordedAt = new Date().toISOString();
      const hash = hashEvent({ ...event, streamId, revision: 0, recordedAt, prevHash: null });
      const { rows } = await client.query(
        `SELECT (${schema}.append_batch(ARRAY[$1], ARRAY[-1], ARRAY[1], ARRAY[$2::timestamptz], ARRAY[NULL],
           $3::uuid[], $4::text[], $5::jsonb, $6::jsonb, $7::text[], $8::text[], 'dev'))[1] AS first`,
        [
          streamId,
          recordedAt,
          [event.id],
          [event.type],
          JSON.stringify([event.data]),
          JSON.stringify([event.metadata]),
          [hash],
          [EventSigning.development().sign(hash).signature],
        ],
      );
      return {
        position: Number(rows[0].first),
        commit: async () => {
          await client.query('COMMIT');
          await client.end();
        },
      };
    },
  });

  it('creates its schema by versioned migrations, once', async () => {
    const store = await PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema });
    await store.close();
    const rows = await sql<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  });

  it('never leaves the position lock held when an append fails while holding it', async () => {
    const own = uniqueSchema('store_lock');
    const event = () => ({
      id: randomUUID(),
      type: 'Noted',
      data: {},
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
    });
    const first = await PostgresEventStore.open({
      connectionString: TEST_DATABASE_URL,
      schema: own,
      poolSize: 1,
    });
    const second = await PostgresEventStore.open({
      connectionString: TEST_DATABASE_URL,
      schema: own,
      poolSize: 1,
    });
    try {
      await first.append('a', [event(), event()]);
      // nextval fails after the lock was taken: the append errs inside its critical section.
      await sql(`ALTER SEQUENCE ${own}.events_position_seq MAXVALUE 2`);
      await expect(first.append('a', [event()])).rejects.toThrow(/maximum value/);
      await sql(`ALTER SEQUENCE ${own}.events_position_seq NO MAXVALUE`);
      // Another session gets the lock (a lock left held would block it until the test times out).
      await expect(second.append('b', [event()])).resolves.toMatchObject({ position: 3 });
      await expect(first.append('a', [event()])).resolves.toMatchObject({ position: 4 });
    } finally {
      await first.close();
      await second.close();
      await dropSchema(own);
    }
  });

  it('commits concurrent appends in groups, and a refused append never fails its neighbours', async () => {
    const own = uniqueSchema('store_group');
    const event = (n = 0) => ({
      id: randomUUID(),
      type: 'Noted',
      data: { n },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
    });
    // One group in flight: the first append goes alone, everything sent meanwhile goes as the next group.
    const store = await PostgresEventStore.open({
      connectionString: TEST_DATABASE_URL,
      schema: own,
      appendGroupsInFlight: 1,
    });
    const elsewhere = await PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema: own });
    try {
      // Streams this store has written, so their heads are cached and the appends below leave in one tick.
      const taken = event(1);
      await store.append('existing', [taken]);
      for (const stream of ['lead', 'stale', 'other', ...Array.from({ length: 6 }, (_, i) => `fresh-${i}`)])
        await store.append(stream, [event()]);
      await elsewhere.append('stale', [event()], { expectedRevision: 0 }); // this store's head is now stale
      const [{ setUp }] = await sql<{ setUp: number }>(
        `SELECT max(position)::int AS "setUp" FROM ${own}.events`,
      );

      const outcomes = await Promise.allSettled([
        store.append('lead', [event()]),
        ...Array.from({ length: 6 }, (_, i) => store.append(`fresh-${i}`, [event(), event()])),
        store.append('stale', [event()], { expectedRevision: 0 }),
        store.append('other', [{ ...taken, data: { n: 2 } }]),
        store.append('existing', [taken]),
      ]);
      const statuses = outcomes.map((o) =>
        o.status === 'fulfilled' ? 'ok' : (o.reason as Error).constructor.name,
      );
      expect(statuses).toEqual([
        ...Array<string>(7).fill('ok'),
        'WrongExpectedRevision',
        'IdempotencyConflict',
        'ok',
      ]);
      expect((outcomes[9] as PromiseFulfilledResult<AppendResult>).value.idempotentReplay).toBe(true);
      for (let i = 0; i < 6; i++) expect(await store.readStream(`fresh-${i}`)).toHaveLength(3);
      // The lead went alone; the twelve events sent meanwhile shared one transaction with the refused three.
      const transactions = await sql<{ events: number }>(
        `SELECT count(*)::int AS events FROM ${own}.events WHERE position > $1 GROUP BY tx_id ORDER BY min(position)`,
        [setUp],
      );
      expect(transactions.map((t) => t.events)).toEqual([1, 12]);
    } finally {
      await store.close();
      await elsewhere.close();
      await dropSchema(own);
    }
  });

  it('upgrades a store written by the first schema and carries its streams on', async () => {
    const old = uniqueSchema('store_v1');
    try {
      // A deployment as migration 1 left it, with a stream of two events written by its append function.
      await sql(`CREATE SCHEMA ${old}`);
      await sql(migrations[0]!.sql(old));
      await sql(`CREATE TABLE ${old}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      await sql(`INSERT INTO ${old}.schema_migrations (version, name) VALUES (1, 'v1')`);
      const event = () => ({
        id: randomUUID(),
        type: 'Noted',
        data: { n: 1 },
        metadata: { occurredAt: '2026-01-01T00:00:00.000Z', schemaVersion: 1 },
      });
      let prevHash: string | null = null;
      for (const revision of [0, 1]) {
        const e = event();
        const recordedAt = new Date().toISOString();
        const hash = hashEvent({ ...e, streamId: 'school-1', revision, recordedAt, prevHash });
        await sql(
          `SELECT ${old}.append_events('school-1', $1, $2::uuid[], $3::text[], $4::jsonb, $5::jsonb, $6, $7, $8::text[])`,
          [
            revision - 1,
            [e.id],
            [e.type],
            JSON.stringify([e.data]),
            JSON.stringify([e.metadata]),
            recordedAt,
            prevHash,
            [hash],
          ],
        );
        prevHash = hash;
      }

      const store = await PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema: old });
      try {
        await expect(store.append('school-1', [event()], { expectedRevision: 'no_stream' })).rejects.toThrow(
          WrongExpectedRevision,
        );
        const result = await store.append('school-1', [event()], { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);
        const events = await store.readStream('school-1');
        expect(verifyStreamChain(events)).toBeUndefined();
        // Migration 3: the rows written before stay unsigned, legitimate up to LEDGER_UNSIGNED_UP_TO.
        expect(events.map((e) => e.keyId)).toEqual([null, null, 'dev']);
        const signing = EventSigning.development(events[1]!.position);
        expect(events.map((e) => signing.check(e))).toEqual([
          { ok: true, legacy: true },
          { ok: true, legacy: true },
          { ok: true, legacy: false },
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(old);
    }
  });
});
