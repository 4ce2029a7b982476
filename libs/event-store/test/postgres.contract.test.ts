import { Client } from 'pg';
import { hashEvent, PostgresEventStore } from '../src';
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
      PostgresEventStore.open({ connectionString: TEST_DATABASE_URL, schema, clock: options?.clock }),
    tamperWithData: async (position, data) => {
      await sql(`UPDATE ${schema}.events SET data = $2 WHERE position = $1`, [
        position,
        JSON.stringify(data),
      ]);
    },
    holdOpenAppend: async (streamId, event) => {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query('BEGIN');
      const recordedAt = new Date().toISOString();
      const hash = hashEvent({ ...event, streamId, revision: 0, recordedAt, prevHash: null });
      const { rows } = await client.query(
        `SELECT ${schema}.append_events($1, -1, $2::uuid[], $3::text[], $4::jsonb, $5::jsonb, $6, NULL, $7::text[]) AS first`,
        [
          streamId,
          [event.id],
          [event.type],
          JSON.stringify([event.data]),
          JSON.stringify([event.metadata]),
          recordedAt,
          [hash],
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
    expect(rows.map((r) => r.version)).toEqual([1]);
  });
});
