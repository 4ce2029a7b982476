// Read models in PostgreSQL: one documents table for every read model, indexed by the few columns
// listings filter on, and one checkpoint row per read model, written in the same transaction.
import { Pool, types as pgTypes } from 'pg';
import type { DocumentChange, DocumentQuery, DocumentStore, StoredDocument } from '../projection';

const MIGRATIONS = (s: string): readonly string[] => [
  `CREATE TABLE ${s}.read_documents (
     projection text NOT NULL, id text NOT NULL, doc jsonb NOT NULL,
     jurisdiction text, kind text, code text, sort_key text,
     PRIMARY KEY (projection, id));
   CREATE INDEX read_documents_jurisdiction ON ${s}.read_documents (projection, jurisdiction text_pattern_ops);
   CREATE INDEX read_documents_code ON ${s}.read_documents (projection, code);
   CREATE INDEX read_documents_sort ON ${s}.read_documents (projection, sort_key, id);
   CREATE TABLE ${s}.read_checkpoints (projection text PRIMARY KEY, position bigint NOT NULL, version integer NOT NULL);`,
];

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

export class PostgresDocumentStore implements DocumentStore {
  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  static async open(options: { connectionString: string; schema?: string; poolSize?: number }): Promise<PostgresDocumentStore> {
    const schema = options.schema ?? 'ledger';
    const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10, types: typeParsers });
    pool.on('error', () => undefined);
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7011000)');
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.read_migrations (version integer PRIMARY KEY)`);
      const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.read_migrations`);
      const migrations = MIGRATIONS(schema);
      for (let version = (rows[0]?.v ?? 0) + 1; version <= migrations.length; version++) {
        await client.query('BEGIN');
        await client.query(migrations[version - 1]!);
        await client.query(`INSERT INTO ${schema}.read_migrations VALUES ($1)`, [version]);
        await client.query('COMMIT');
      }
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      await pool.end();
      throw error;
    } finally {
      await client.query('SELECT pg_advisory_unlock(7011000)').catch(() => undefined);
    }
    client.release();
    return new PostgresDocumentStore(pool, schema);
  }

  async checkpoint(projection: string) {
    const { rows } = await this.pool.query<{ position: number; version: number }>(
      `SELECT position, version FROM ${this.schema}.read_checkpoints WHERE projection = $1`,
      [projection],
    );
    return rows[0];
  }

  async load(projection: string, ids: readonly string[]): Promise<Map<string, unknown>> {
    const { rows } = await this.pool.query<{ id: string; doc: unknown }>(
      `SELECT id, doc FROM ${this.schema}.read_documents WHERE projection = $1 AND id = ANY($2::text[])`,
      [projection, ids],
    );
    return new Map(rows.map((row) => [row.id, row.doc]));
  }

  async commit(projection: string, version: number, changes: readonly DocumentChange[], position: number): Promise<void> {
    const upserts = changes.filter((c) => c.doc !== null);
    const deletes = changes.filter((c) => c.doc === null).map((c) => c.id);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (upserts.length > 0) {
        await client.query(
          `INSERT INTO ${this.schema}.read_documents (projection, id, doc, jurisdiction, kind, code, sort_key)
           SELECT $1, d.id, d.doc, d.jurisdiction, d.kind, d.code, d.sort_key
           FROM jsonb_to_recordset($2::jsonb) AS d(id text, doc jsonb, jurisdiction text, kind text, code text, sort_key text)
           ON CONFLICT (projection, id) DO UPDATE SET doc = excluded.doc, jurisdiction = excluded.jurisdiction,
             kind = excluded.kind, code = excluded.code, sort_key = excluded.sort_key`,
          [
            projection,
            JSON.stringify(
              upserts.map((c) => ({
                id: c.id,
                doc: c.doc,
                jurisdiction: c.index?.jurisdiction ?? null,
                kind: c.index?.kind ?? null,
                code: c.index?.code ?? null,
                sort_key: c.index?.sortKey ?? null,
              })),
            ),
          ],
        );
      }
      if (deletes.length > 0) {
        await client.query(`DELETE FROM ${this.schema}.read_documents WHERE projection = $1 AND id = ANY($2::text[])`, [projection, deletes]);
      }
      await client.query(
        `INSERT INTO ${this.schema}.read_checkpoints (projection, position, version) VALUES ($1, $2, $3)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version`,
        [projection, position, version],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async get<Doc>(projection: string, id: string): Promise<Doc | undefined> {
    const { rows } = await this.pool.query<{ doc: Doc }>(
      `SELECT doc FROM ${this.schema}.read_documents WHERE projection = $1 AND id = $2`,
      [projection, id],
    );
    return rows[0]?.doc;
  }

  async query<Doc>(projection: string, query: DocumentQuery): Promise<{ items: StoredDocument<Doc>[]; total: number }> {
    const { rows } = await this.pool.query<{ id: string; doc: Doc; total: number }>(
      `SELECT id, doc, count(*) OVER () AS total FROM ${this.schema}.read_documents
       WHERE projection = $1 AND ($2::text IS NULL OR jurisdiction LIKE $2 || '%')
         AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR code = $4)
         AND ($7::text IS NULL OR sort_key <= $7)
       ORDER BY sort_key, id LIMIT $5 OFFSET $6`,
      [
        projection,
        query.jurisdictionPrefix ?? null,
        query.kind ?? null,
        query.code ?? null,
        query.limit,
        query.offset,
        query.sortKeyUpTo ?? null,
      ],
    );
    return { items: rows.map(({ id, doc }) => ({ id, doc })), total: rows[0]?.total ?? (query.offset > 0 ? await this.count(projection, query) : 0) };
  }

  async reset(projection: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.read_documents WHERE projection = $1`, [projection]);
    await this.pool.query(`DELETE FROM ${this.schema}.read_checkpoints WHERE projection = $1`, [projection]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async count(projection: string, query: DocumentQuery): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>(
      `SELECT count(*) AS total FROM ${this.schema}.read_documents
       WHERE projection = $1 AND ($2::text IS NULL OR jurisdiction LIKE $2 || '%')
         AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR code = $4)
         AND ($5::text IS NULL OR sort_key <= $5)`,
      [projection, query.jurisdictionPrefix ?? null, query.kind ?? null, query.code ?? null, query.sortKeyUpTo ?? null],
    );
    return rows[0]!.total;
  }
}
