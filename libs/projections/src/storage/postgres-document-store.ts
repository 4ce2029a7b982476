// Read models in PostgreSQL: one documents table for every read model, indexed by the few columns
// listings filter on, and one checkpoint row per read model, written in the same transaction. Followers
// that write no documents (the relay, the digest publisher) keep their checkpoints in the same table.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, types as pgTypes } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { keepPoolErrorsHandled } from '@ledger/event-store';
import type { Checkpoint, Checkpoints } from '../checkpoints';
import type { LeaseGrant } from './postgres-leases';
import {
  jsonOf,
  type DocumentChange,
  type DocumentIndex,
  type DocumentQuery,
  type DocumentStore,
  type NewDocument,
  type NewDocuments,
  type ProjectionCommit,
  type StoredDocument,
} from '../projection';

const MIGRATIONS = (s: string): readonly string[] => [
  `CREATE TABLE ${s}.read_documents (
     projection text NOT NULL, id text NOT NULL, doc jsonb NOT NULL,
     jurisdiction text, kind text, code text, sort_key text,
     PRIMARY KEY (projection, id));
   CREATE INDEX read_documents_jurisdiction ON ${s}.read_documents (projection, jurisdiction text_pattern_ops);
   CREATE INDEX read_documents_code ON ${s}.read_documents (projection, code);
   CREATE INDEX read_documents_sort ON ${s}.read_documents (projection, sort_key, id);
   CREATE TABLE ${s}.read_checkpoints (projection text PRIMARY KEY, position bigint NOT NULL, version integer NOT NULL);`,
  // Documents of a few kilobytes are compressed on every write, time a rebuild spends on the database's core,
  // and lz4 compresses faster than pglz. Metadata only: rows written before keep pglz, and a server built
  // without lz4 keeps pglz for all.
  `DO $$ BEGIN
     ALTER TABLE ${s}.read_documents ALTER COLUMN doc SET COMPRESSION lz4;
   EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
   END $$;`,
  // Nothing queries inside a document, so `json` (the text as written, validated) replaces `jsonb`: writing
  // builds no binary tree and reading back re-serialises nothing.
  `ALTER TABLE ${s}.read_documents ALTER COLUMN doc TYPE json USING doc::json;
   DO $$ BEGIN
     ALTER TABLE ${s}.read_documents ALTER COLUMN doc SET COMPRESSION lz4;
   EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL;
   END $$;`,
  // What a follower saves beside its position (Checkpoints); read models' rows leave it null.
  `ALTER TABLE ${s}.read_checkpoints ADD COLUMN state json;`,
];

const DOCUMENT_TYPES = ['text', 'text', 'json', 'text', 'text', 'text', 'text'] as const;
const CHECKPOINT_TYPES = ['text', 'bigint', 'integer'] as const;
/** The protocol allows 65,535 parameters per statement; a few are left for the checkpoints. */
const ROWS_PER_STATEMENT = Math.floor(65_000 / DOCUMENT_TYPES.length);

/** COPY's text format: a field's backslashes, tabs and line breaks are escaped, and null is `\N`. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const copyField = (value: string | null | undefined): string =>
  value === null || value === undefined
    ? '\\N'
    : COPY_SPECIAL.test(value)
      ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!)
      : value;

/** The index columns in table order (jurisdiction, kind, code, sort_key); null where absent. */
const indexColumns = (index: DocumentIndex | undefined): (string | null)[] => [
  index?.jurisdiction ?? null,
  index?.kind ?? null,
  index?.code ?? null,
  index?.sortKey ?? null,
];

/**
 * A document's JSON as a COPY field. JSON.stringify escapes every control character itself, so of the four
 * only the backslash can occur: one plain scan instead of a pattern over the longest field of the line.
 */
const copyJson = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/** The COPY fields before a document's JSON and after it, in the column order of `insertNew`. */
const copyAround = (projection: string, document: NewDocument): [string, string] => {
  const [jurisdiction, kind, code, sortKey] = indexColumns(document.index).map(copyField);
  return [
    `${copyField(projection)}\t${copyField(document.id)}\t`,
    `\t${jurisdiction}\t${kind}\t${code}\t${sortKey}\n`,
  ];
};

/** Whether encoded JSON can go into COPY as it is: no backslash, tab, newline or carriage return. */
const copiesAsIs = (utf8: Uint8Array): boolean =>
  !utf8.includes(0x5c) && !utf8.includes(0x09) && !utf8.includes(0x0a) && !utf8.includes(0x0d);

const COPY_CHUNK_BYTES = 1 << 20;

/**
 * COPY input a megabyte at a time, serialised as COPY takes it rather than all up front. Each line is
 * encoded straight into the chunk: appending lines to one string and encoding that made V8 flatten a
 * megabyte-long rope first, a large share of a rebuild's writing.
 */
function* copyChunks(additions: readonly NewDocuments[]): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  let used = 0;
  for (const { projection, documents } of additions)
    for (const document of documents) {
      const [before, after] = copyAround(projection, document);
      // Encoded JSON goes in byte for byte where it can; otherwise it is escaped as text.
      const utf8 = 'utf8' in document && copiesAsIs(document.utf8) ? document.utf8 : undefined;
      const json =
        utf8 !== undefined
          ? ''
          : 'utf8' in document
            ? copyField(jsonOf(document))
            : copyJson(jsonOf(document));
      // UTF-8 bytes per UTF-16 unit: at most 3.
      const most = (before.length + json.length + after.length) * 3 + (utf8?.length ?? 0);
      if (used + most > chunk.length) {
        if (used > 0) yield chunk.subarray(0, used);
        chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES, most));
        used = 0;
      }
      used += chunk.write(before, used);
      if (utf8 !== undefined) {
        chunk.set(utf8, used);
        used += utf8.length;
      } else used += chunk.write(json, used);
      used += chunk.write(after, used);
    }
  if (used > 0) yield chunk.subarray(0, used);
}

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

export class PostgresDocumentStore implements DocumentStore {
  readonly checkpoints: Checkpoints;
  private fence: LeaseGrant | undefined;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.checkpoints = new PostgresCheckpoints(pool, schema, () => this.fence);
  }

  /**
   * From now on every read-model commit and checkpoint save checks, in its own statement, that `grant`
   * still holds its lease (see PostgresLeases); undefined writes unfenced again.
   */
  fenceWith(grant: LeaseGrant | undefined): void {
    this.fence = grant;
  }

  static async open(options: {
    connectionString: string;
    schema?: string;
    poolSize?: number;
  }): Promise<PostgresDocumentStore> {
    const schema = options.schema ?? 'ledger';
    const pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      types: typeParsers,
      application_name: 'credit-ledger',
    });
    keepPoolErrorsHandled(pool);
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(7011000)');
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.read_migrations (version integer PRIMARY KEY)`,
      );
      const { rows } = await client.query<{ v: number | null }>(
        `SELECT max(version) AS v FROM ${schema}.read_migrations`,
      );
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
    return (await this.loadAll(new Map([[projection, ids]]))).get(projection) ?? new Map();
  }

  async loadAll(
    requests: ReadonlyMap<string, readonly string[]>,
  ): Promise<Map<string, Map<string, unknown>>> {
    const projections: string[] = [];
    const ids: string[] = [];
    for (const [projection, keys] of requests) {
      for (const id of keys) {
        projections.push(projection);
        ids.push(id);
      }
    }
    const found = new Map<string, Map<string, unknown>>([...requests.keys()].map((p) => [p, new Map()]));
    if (ids.length === 0) return found;
    const { rows } = await this.pool.query<{ projection: string; id: string; doc: unknown }>(
      `SELECT d.projection, d.id, d.doc FROM ${this.schema}.read_documents d
       JOIN unnest($1::text[], $2::text[]) AS k(projection, id) ON d.projection = k.projection AND d.id = k.id`,
      [projections, ids],
    );
    for (const row of rows) found.get(row.projection)!.set(row.id, row.doc);
    return found;
  }

  async commit(
    projection: string,
    version: number,
    changes: readonly DocumentChange[],
    position: number,
  ): Promise<void> {
    await this.commitAll([{ projection, version, changes, position }]);
  }

  /**
   * One statement, hence one transaction and one round trip, for a batch of every read model. Each document
   * travels as its own parameter: packing them into one JSON array made the server parse the whole array
   * before the first row. A batch beyond one statement's
   * parameters is written by several statements in one transaction.
   */
  async commitAll(commits: readonly ProjectionCommit[]): Promise<void> {
    if (commits.length === 0) return;
    const rows = commits.flatMap(({ projection, changes }) =>
      changes.map((c) => [
        projection,
        c.id,
        c.doc === null ? null : JSON.stringify(c.doc),
        ...indexColumns(c.index),
      ]),
    );
    const checkpoints = commits.flatMap(({ projection, version, position }) => [
      projection,
      position,
      version,
    ]);
    if (rows.length <= ROWS_PER_STATEMENT) {
      await this.pool.query(this.writeStatement(rows.length, commits.length), [
        ...rows.flat(),
        ...checkpoints,
        ...this.fenceParameters(),
      ]);
      return;
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
        const slice = rows.slice(from, from + ROWS_PER_STATEMENT);
        await client.query(this.writeStatement(slice.length, 0), slice.flat());
      }
      await client.query(this.writeStatement(0, commits.length), [...checkpoints, ...this.fenceParameters()]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * COPY: no statement to plan and no conflict to check per row, which is most of an upsert's cost for
   * small documents (per-row work, not bytes).
   */
  async insertNew(additions: readonly NewDocuments[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await pipeline(
        Readable.from(copyChunks(additions)),
        client.query(
          copyFrom(
            `COPY ${this.schema}.read_documents (projection, id, doc, jurisdiction, kind, code, sort_key) FROM STDIN`,
          ),
        ),
      );
      client.release();
    } catch (error) {
      client.release(error as Error); // a connection that failed mid-COPY is not reused
      throw error;
    }
  }

  /** Upserts `documents` rows (a null document deletes) and moves `checkpoints` checkpoints, in one statement. */
  private writeStatement(documents: number, checkpoints: number): string {
    const values = (rows: number, types: readonly string[], from = 0) =>
      Array.from(
        { length: rows },
        (_, row) => `(${types.map((type, i) => `$${from + row * types.length + i + 1}::${type}`).join(',')})`,
      ).join(',');
    const parts: string[] = [];
    if (documents > 0)
      parts.push(
        `changed (projection, id, doc, jurisdiction, kind, code, sort_key) AS (VALUES ${values(documents, DOCUMENT_TYPES)})`,
        `upserted AS (
           INSERT INTO ${this.schema}.read_documents (projection, id, doc, jurisdiction, kind, code, sort_key)
           SELECT projection, id, doc, jurisdiction, kind, code, sort_key FROM changed WHERE doc IS NOT NULL
           ON CONFLICT (projection, id) DO UPDATE SET doc = excluded.doc, jurisdiction = excluded.jurisdiction,
             kind = excluded.kind, code = excluded.code, sort_key = excluded.sort_key)`,
        `deleted AS (
           DELETE FROM ${this.schema}.read_documents r USING changed c
           WHERE c.doc IS NULL AND r.projection = c.projection AND r.id = c.id)`,
      );
    const fence = this.fenceClause(documents * DOCUMENT_TYPES.length + checkpoints * CHECKPOINT_TYPES.length);
    const moved =
      checkpoints > 0
        ? `INSERT INTO ${this.schema}.read_checkpoints (projection, position, version)
           SELECT v.* FROM (VALUES ${values(checkpoints, CHECKPOINT_TYPES, documents * DOCUMENT_TYPES.length)}) AS v ${fence}
           ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version`
        : 'SELECT 1';
    return parts.length > 0 ? `WITH ${parts.join(',\n')}\n${moved}` : moved;
  }

  /** The fence's two parameters, after the statement's own, when fenced. */
  private fenceParameters(): unknown[] {
    return this.fence ? [this.fence.name, this.fence.token] : [];
  }

  /** `WHERE lease_fence(…)` on parameters after the first `before` ones: the whole statement fails if lost. */
  private fenceClause(before: number): string {
    return this.fence ? `WHERE ${this.schema}.lease_fence($${before + 1}::text, $${before + 2}::bigint)` : '';
  }

  async get<Doc>(projection: string, id: string): Promise<Doc | undefined> {
    const { rows } = await this.pool.query<{ doc: Doc }>(
      `SELECT doc FROM ${this.schema}.read_documents WHERE projection = $1 AND id = $2`,
      [projection, id],
    );
    return rows[0]?.doc;
  }

  async query<Doc>(
    projection: string,
    query: DocumentQuery,
  ): Promise<{ items: StoredDocument<Doc>[]; total: number }> {
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
    return {
      items: rows.map(({ id, doc }) => ({ id, doc })),
      total: rows[0]?.total ?? (query.offset > 0 ? await this.count(projection, query) : 0),
    };
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
      [
        projection,
        query.jurisdictionPrefix ?? null,
        query.kind ?? null,
        query.code ?? null,
        query.sortKeyUpTo ?? null,
      ],
    );
    return rows[0]!.total;
  }
}

/** Followers' checkpoints, rows of `read_checkpoints` with no read model version (0). */
class PostgresCheckpoints implements Checkpoints {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly fence: () => LeaseGrant | undefined,
  ) {}

  async get<State>(name: string): Promise<Checkpoint<State> | undefined> {
    const { rows } = await this.pool.query<{ position: number; state: State | null }>(
      `SELECT position, state FROM ${this.schema}.read_checkpoints WHERE projection = $1`,
      [name],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.state === null ? { position: row.position } : { position: row.position, state: row.state };
  }

  async save(name: string, position: number, state?: unknown): Promise<void> {
    const fence = this.fence();
    await this.pool.query(
      `INSERT INTO ${this.schema}.read_checkpoints (projection, position, version, state)
       SELECT $1::text, $2::bigint, 0, $3::json ${fence ? `WHERE ${this.schema}.lease_fence($4::text, $5::bigint)` : ''}
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, state = excluded.state`,
      [
        name,
        position,
        state == null ? null : JSON.stringify(state),
        ...(fence ? [fence.name, fence.token] : []),
      ],
    );
  }
}
