// Digests in PostgreSQL, in the event store's schema and through its pool: the tables sit beside
// `events`, so one backup holds both and a proof can look an event's position up by id.
import type { Pool } from 'pg';
import type { ChunkRoot, DigestRecord, DigestStore, LedgerDigest } from '../digest-store';

const MIGRATIONS = (s: string): readonly string[] => [
  `CREATE TABLE ${s}.audit_digests (
     up_to_position bigint  PRIMARY KEY,
     event_count    bigint  NOT NULL,
     root           text    NOT NULL,
     algorithm      text    NOT NULL,
     created_at     text    NOT NULL,
     chunk_size     integer NOT NULL,
     frontier       jsonb   NOT NULL,
     open_chunk_first_position bigint);
   CREATE TABLE ${s}.audit_digest_chunks (
     chunk_index    bigint  PRIMARY KEY,
     chunk_size     integer NOT NULL,
     first_position bigint  NOT NULL,
     last_position  bigint  NOT NULL,
     root           text    NOT NULL);
   CREATE INDEX audit_digest_chunks_last_position ON ${s}.audit_digest_chunks (last_position);`,
  // Signed digests (digest-signing.ts): digests made before stay unsigned.
  `ALTER TABLE ${s}.audit_digests ADD COLUMN key_id text, ADD COLUMN signature text;`,
];

interface DigestRow {
  up_to_position: number;
  event_count: number;
  root: string;
  algorithm: string;
  created_at: string;
  chunk_size: number;
  frontier: DigestRecord['frontier'];
  open_chunk_first_position: number | null;
  key_id: string | null;
  signature: string | null;
}

interface ChunkRow {
  chunk_index: number;
  first_position: number;
  last_position: number;
  root: string;
}

const toRecord = (row: DigestRow): DigestRecord => ({
  upToPosition: Number(row.up_to_position),
  eventCount: Number(row.event_count),
  root: row.root,
  algorithm: row.algorithm,
  createdAt: row.created_at,
  chunkSize: row.chunk_size,
  frontier: row.frontier,
  openChunkFirstPosition:
    row.open_chunk_first_position === null ? null : Number(row.open_chunk_first_position),
  ...(row.key_id && row.signature ? { keyId: row.key_id, signature: row.signature } : {}),
});

const toChunk = (row: ChunkRow): ChunkRoot => ({
  index: Number(row.chunk_index),
  firstPosition: Number(row.first_position),
  lastPosition: Number(row.last_position),
  root: row.root,
});

export class PostgresDigestStore implements DigestStore {
  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    readonly chunkSize: number,
  ) {}

  /** `pool` and `schema` are the event store's (PostgresEventStore exposes both). */
  static async open(options: {
    pool: Pool;
    schema: string;
    chunkSize?: number;
  }): Promise<PostgresDigestStore> {
    const { pool, schema } = options;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
    const client = await pool.connect();
    try {
      // The same lock the store's migrations take, so processes starting together do not race.
      await client.query('SELECT pg_advisory_lock(7011000)');
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${schema}.audit_migrations (version integer PRIMARY KEY)`,
      );
      const { rows } = await client.query<{ v: number | null }>(
        `SELECT max(version) AS v FROM ${schema}.audit_migrations`,
      );
      const migrations = MIGRATIONS(schema);
      for (let version = (rows[0]?.v ?? 0) + 1; version <= migrations.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[version - 1]!);
          await client.query(`INSERT INTO ${schema}.audit_migrations VALUES ($1)`, [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(7011000)').catch(() => undefined);
      client.release();
    }
    return new PostgresDigestStore(pool, schema, options.chunkSize ?? 1024);
  }

  async latest(): Promise<DigestRecord | undefined> {
    const { rows } = await this.pool.query<DigestRow>(
      `SELECT * FROM ${this.schema}.audit_digests ORDER BY up_to_position DESC LIMIT 1`,
    );
    return rows[0] && toRecord(rows[0]);
  }

  async get(upToPosition: number): Promise<DigestRecord | undefined> {
    const { rows } = await this.pool.query<DigestRow>(
      `SELECT * FROM ${this.schema}.audit_digests WHERE up_to_position = $1`,
      [upToPosition],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(options: { afterPosition?: number; limit?: number } = {}): Promise<LedgerDigest[]> {
    const { rows } = await this.pool.query<DigestRow>(
      `SELECT up_to_position, event_count, root, algorithm, created_at, key_id, signature
       FROM ${this.schema}.audit_digests WHERE up_to_position > $1 ORDER BY up_to_position LIMIT $2`,
      [options.afterPosition ?? 0, options.limit ?? null],
    );
    return rows.map((row) => ({
      upToPosition: Number(row.up_to_position),
      eventCount: Number(row.event_count),
      root: row.root,
      algorithm: row.algorithm,
      createdAt: row.created_at,
      ...(row.key_id && row.signature ? { keyId: row.key_id, signature: row.signature } : {}),
    }));
  }

  async save(digest: DigestRecord, chunks: readonly ChunkRoot[]): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (chunks.length > 0) {
        // Chunk roots are a function of the feed: a concurrent digester writes the same values.
        await client.query(
          `INSERT INTO ${this.schema}.audit_digest_chunks (chunk_index, chunk_size, first_position, last_position, root)
           SELECT c.chunk_index, $2, c.first_position, c.last_position, c.root
           FROM jsonb_to_recordset($1::jsonb) AS c(chunk_index bigint, first_position bigint, last_position bigint, root text)
           ON CONFLICT (chunk_index) DO NOTHING`,
          [
            JSON.stringify(
              chunks.map((c) => ({
                chunk_index: c.index,
                first_position: c.firstPosition,
                last_position: c.lastPosition,
                root: c.root,
              })),
            ),
            this.chunkSize,
          ],
        );
      }
      const { rowCount } = await client.query(
        `INSERT INTO ${this.schema}.audit_digests
           (up_to_position, event_count, root, algorithm, created_at, chunk_size, frontier, open_chunk_first_position,
            key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (up_to_position) DO NOTHING`,
        [
          digest.upToPosition,
          digest.eventCount,
          digest.root,
          digest.algorithm,
          digest.createdAt,
          digest.chunkSize,
          JSON.stringify(digest.frontier),
          digest.openChunkFirstPosition,
          digest.keyId ?? null,
          digest.signature ?? null,
        ],
      );
      await client.query('COMMIT');
      return rowCount === 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async chunks(fromIndex: number, toIndex: number): Promise<ChunkRoot[]> {
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT chunk_index, first_position, last_position, root FROM ${this.schema}.audit_digest_chunks
       WHERE chunk_index >= $1 AND chunk_index < $2 ORDER BY chunk_index`,
      [fromIndex, toIndex],
    );
    return rows.map(toChunk);
  }

  async chunkContaining(position: number): Promise<ChunkRoot | undefined> {
    const { rows } = await this.pool.query<ChunkRow>(
      `SELECT chunk_index, first_position, last_position, root FROM ${this.schema}.audit_digest_chunks
       WHERE last_position >= $1 ORDER BY last_position LIMIT 1`,
      [position],
    );
    const chunk = rows[0] && toChunk(rows[0]);
    return chunk && chunk.firstPosition <= position ? chunk : undefined;
  }

  async positionOfEvent(eventId: string): Promise<number | undefined> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(eventId)) return undefined;
    const { rows } = await this.pool.query<{ position: number }>(
      `SELECT position FROM ${this.schema}.events WHERE id = $1`,
      [eventId],
    );
    return rows[0] ? Number(rows[0].position) : undefined;
  }
}
