import { PostgresDocumentStore } from '../src';
import {
  dropSchema,
  requirePostgres,
  sql,
  TEST_DATABASE_URL,
  uniqueSchema,
} from '../../../test/support/postgres';
import { documentStoreContract } from './document-store.contract';

const schema = uniqueSchema('documents');
const open = () => PostgresDocumentStore.open({ connectionString: TEST_DATABASE_URL, schema });

beforeAll(requirePostgres);
afterAll(() => dropSchema(schema));

describe('PostgresDocumentStore', () => {
  documentStoreContract({ open });

  it('keeps nothing of a large batch when any part of it fails', async () => {
    const store = await open();
    try {
      await store.reset('atomic');
      await store.commit('atomic', 1, [{ id: 'kept', doc: { v: 1 } }], 1);
      const changes = Array.from({ length: 12_000 }, (_, i) => ({ id: `d${i}`, doc: { i } }));
      // A NUL character is refused by PostgreSQL text: the last statement of the batch fails.
      const poisoned = [...changes, { id: 'bad', doc: { i: -1 }, index: { code: 'a\u0000b' } }];
      await expect(store.commit('atomic', 1, poisoned, 2)).rejects.toThrow();
      const [{ count }] = await sql<{ count: string }>(
        `SELECT count(*) FROM ${schema}.read_documents WHERE projection = 'atomic'`,
      );
      expect(Number(count)).toBe(1);
      expect(await store.checkpoint('atomic')).toEqual({ position: 1, version: 1 });
    } finally {
      await store.close();
    }
  });

  it('keeps the documents of a store written before documents were stored as json', async () => {
    const old = uniqueSchema('documents_v2');
    try {
      await sql(`CREATE SCHEMA ${old}`);
      await sql(`CREATE TABLE ${old}.read_migrations (version integer PRIMARY KEY)`);
      await sql(`CREATE TABLE ${old}.read_documents (
        projection text NOT NULL, id text NOT NULL, doc jsonb NOT NULL,
        jurisdiction text, kind text, code text, sort_key text, PRIMARY KEY (projection, id))`);
      await sql(
        `CREATE TABLE ${old}.read_checkpoints (projection text PRIMARY KEY, position bigint NOT NULL, version integer NOT NULL)`,
      );
      await sql(`INSERT INTO ${old}.read_migrations VALUES (1), (2)`);
      await sql(`INSERT INTO ${old}.read_documents (projection, id, doc) VALUES ('p', 'a', $1)`, [
        JSON.stringify({ name: '厦门', n: [1, 2] }),
      ]);
      const store = await PostgresDocumentStore.open({ connectionString: TEST_DATABASE_URL, schema: old });
      try {
        expect(await store.get('p', 'a')).toEqual({ name: '厦门', n: [1, 2] });
        const [{ type }] = await sql<{ type: string }>(
          `SELECT data_type AS type FROM information_schema.columns
           WHERE table_schema = $1 AND table_name = 'read_documents' AND column_name = 'doc'`,
          [old],
        );
        expect(type).toBe('json');
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(old);
    }
  });
});
