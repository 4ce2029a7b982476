// Digests in the embedded store's own file (ledger.sqlite), through its connection: written with the same
// durability as events (synchronous FULL). Versioned by a table of its own: the store owns user_version.
import type Database from 'better-sqlite3';
import {
  toLedgerDigest,
  type ChunkRoot,
  type DigestRecord,
  type DigestStore,
  type LedgerDigest,
} from '../digest-store';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE audit_digests (
     up_to_position INTEGER PRIMARY KEY,
     event_count    INTEGER NOT NULL,
     root           TEXT    NOT NULL,
     algorithm      TEXT    NOT NULL,
     created_at     TEXT    NOT NULL,
     chunk_size     INTEGER NOT NULL,
     frontier       TEXT    NOT NULL,
     open_chunk_first_position INTEGER);
   CREATE TABLE audit_digest_chunks (
     chunk_index    INTEGER PRIMARY KEY,
     chunk_size     INTEGER NOT NULL,
     first_position INTEGER NOT NULL,
     last_position  INTEGER NOT NULL,
     root           TEXT    NOT NULL);
   CREATE INDEX audit_digest_chunks_last_position ON audit_digest_chunks (last_position);`,
  // Signed digests (digest-signing.ts): digests made before stay unsigned.
  `ALTER TABLE audit_digests ADD COLUMN key_id TEXT;
   ALTER TABLE audit_digests ADD COLUMN signature TEXT;`,
];

interface DigestRow {
  up_to_position: number;
  event_count: number;
  root: string;
  algorithm: string;
  created_at: string;
  chunk_size: number;
  frontier: string;
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
  upToPosition: row.up_to_position,
  eventCount: row.event_count,
  root: row.root,
  algorithm: row.algorithm,
  createdAt: row.created_at,
  chunkSize: row.chunk_size,
  frontier: JSON.parse(row.frontier),
  openChunkFirstPosition: row.open_chunk_first_position,
  ...(row.key_id && row.signature ? { keyId: row.key_id, signature: row.signature } : {}),
});

const toChunk = (row: ChunkRow): ChunkRoot => ({
  index: row.chunk_index,
  firstPosition: row.first_position,
  lastPosition: row.last_position,
  root: row.root,
});

export class SqliteDigestStore implements DigestStore {
  private readonly statements;
  private readonly saveTransaction;

  private constructor(
    db: Database.Database,
    readonly chunkSize: number,
  ) {
    this.statements = {
      latest: db.prepare<[], DigestRow>('SELECT * FROM audit_digests ORDER BY up_to_position DESC LIMIT 1'),
      get: db.prepare<[number], DigestRow>('SELECT * FROM audit_digests WHERE up_to_position = ?'),
      list: db.prepare<[number, number], DigestRow>(
        'SELECT * FROM audit_digests WHERE up_to_position > ? ORDER BY up_to_position LIMIT ?',
      ),
      insertDigest: db.prepare(
        `INSERT INTO audit_digests (up_to_position, event_count, root, algorithm, created_at, chunk_size, frontier, open_chunk_first_position, key_id, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (up_to_position) DO NOTHING`,
      ),
      insertChunk: db.prepare(
        `INSERT INTO audit_digest_chunks (chunk_index, chunk_size, first_position, last_position, root) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (chunk_index) DO NOTHING`,
      ),
      chunks: db.prepare<[number, number], ChunkRow>(
        'SELECT chunk_index, first_position, last_position, root FROM audit_digest_chunks WHERE chunk_index >= ? AND chunk_index < ? ORDER BY chunk_index',
      ),
      chunkContaining: db.prepare<[number], ChunkRow>(
        'SELECT chunk_index, first_position, last_position, root FROM audit_digest_chunks WHERE last_position >= ? ORDER BY last_position LIMIT 1',
      ),
      positionOf: db.prepare<[string], { position: number }>('SELECT position FROM events WHERE id = ?'),
    };
    this.saveTransaction = db.transaction((digest: DigestRecord, chunks: readonly ChunkRoot[]): boolean => {
      for (const c of chunks)
        this.statements.insertChunk.run(c.index, this.chunkSize, c.firstPosition, c.lastPosition, c.root);
      const info = this.statements.insertDigest.run(
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
      );
      return info.changes === 1;
    }).immediate;
  }

  /** `db` is the embedded event store's connection (SqliteEventStore exposes it). */
  static async open(options: { db: Database.Database; chunkSize?: number }): Promise<SqliteDigestStore> {
    const { db } = options;
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS audit_migrations (version INTEGER PRIMARY KEY)');
      const { v } = db.prepare('SELECT max(version) AS v FROM audit_migrations').get() as {
        v: number | null;
      };
      for (let version = (v ?? 0) + 1; version <= MIGRATIONS.length; version++) {
        db.exec(MIGRATIONS[version - 1]!);
        db.prepare('INSERT INTO audit_migrations VALUES (?)').run(version);
      }
    }).immediate();
    return new SqliteDigestStore(db, options.chunkSize ?? 1024);
  }

  async latest(): Promise<DigestRecord | undefined> {
    const row = this.statements.latest.get();
    return row && toRecord(row);
  }

  async get(upToPosition: number): Promise<DigestRecord | undefined> {
    const row = this.statements.get.get(upToPosition);
    return row && toRecord(row);
  }

  async list(options: { afterPosition?: number; limit?: number } = {}): Promise<LedgerDigest[]> {
    return this.statements.list
      .all(options.afterPosition ?? 0, options.limit ?? -1)
      .map((row) => toLedgerDigest(toRecord(row)));
  }

  async save(digest: DigestRecord, chunks: readonly ChunkRoot[]): Promise<boolean> {
    return this.saveTransaction(digest, chunks);
  }

  async chunks(fromIndex: number, toIndex: number): Promise<ChunkRoot[]> {
    return this.statements.chunks.all(fromIndex, toIndex).map(toChunk);
  }

  async chunkContaining(position: number): Promise<ChunkRoot | undefined> {
    const row = this.statements.chunkContaining.get(position);
    return row && row.first_position <= position ? toChunk(row) : undefined;
  }

  async positionOfEvent(eventId: string): Promise<number | undefined> {
    return this.statements.positionOf.get(eventId)?.position;
  }
}
