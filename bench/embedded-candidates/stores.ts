// The two candidates behind one small interface: just what an event store adapter does on the hot paths
// (append = read the stream head + insert, in one transaction; read the global feed by position).
// Drivers are required lazily so each child process only ever loads its own candidate.
import type { EventRow, StreamHead } from './workload';

export type Variant =
  'sqlite-wal-full' | 'sqlite-wal-normal' | 'pglite-nodefs' | 'pglite-nodefs-preinit' | 'pglite-memory';
/**
 * `pglite-nodefs-preinit`: same store as `pglite-nodefs`, but the data directory was initialised (initdb + schema)
 * by an earlier process, as on every boot after the first; `pglite-memory` is the in-memory reference for the
 * earlier observation (2.5 s start, 1.2 GB at 100k rows).
 */
export const VARIANTS: readonly Variant[] = [
  'sqlite-wal-full',
  'sqlite-wal-normal',
  'pglite-nodefs',
  'pglite-nodefs-preinit',
  'pglite-memory',
];

export function isPersistent(variant: Variant): boolean {
  return variant !== 'pglite-memory';
}

/** What the feed read hands back, JSON parsed. */
export interface FeedEvent {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
}

export interface CandidateStore {
  /** Settings that matter for durability, as the store reports them after opening. */
  readonly settings: Record<string, unknown>;
  createSchema(): Promise<void>;
  /** One transaction: read the stream head, let `build` chain the new rows after it, insert them. */
  append(streamId: string, build: (head: StreamHead | undefined) => EventRow[]): Promise<number>;
  readAfter(after: number, limit: number): Promise<FeedEvent[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- SQLite (better-sqlite3, WAL)

const SQLITE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    prev_hash   TEXT,
    hash        TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );`;

export async function openSqlite(dir: string, synchronous: 'FULL' | 'NORMAL'): Promise<CandidateStore> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(`${dir}/events.db`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  const settings = {
    journal_mode: db.pragma('journal_mode', { simple: true }),
    synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][db.pragma('synchronous', { simple: true }) as number],
    wal_autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }),
    cache_size: db.pragma('cache_size', { simple: true }),
    page_size: db.pragma('page_size', { simple: true }),
    sqlite_version: (db.prepare('select sqlite_version() as v').get() as { v: string }).v,
  };
  let head: import('better-sqlite3').Statement | undefined;
  let insert: import('better-sqlite3').Statement | undefined;
  let page: import('better-sqlite3').Statement | undefined;
  const prepare = () => {
    head = db.prepare('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1');
    insert = db.prepare(
      `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    page = db.prepare(
      `SELECT position, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash
       FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
  };
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'events'").get()) prepare();

  const appendTx = db.transaction((streamId: string, build: (h: StreamHead | undefined) => EventRow[]) => {
    const rows = build(head!.get(streamId) as StreamHead | undefined);
    for (const r of rows) {
      insert!.run(r.streamId, r.revision, r.id, r.type, r.data, r.metadata, r.recordedAt, r.prevHash, r.hash);
    }
    return rows.length;
  });

  return {
    settings,
    async createSchema() {
      db.exec(SQLITE_SCHEMA);
      prepare();
    },
    async append(streamId, build) {
      // BEGIN IMMEDIATE: take the write lock before reading the head, as a multi-writer adapter must.
      return appendTx.immediate(streamId, build);
    },
    async readAfter(after, limit) {
      const rows = page!.all(after, limit) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        position: r.position as number,
        streamId: r.stream_id as string,
        revision: r.revision as number,
        id: r.id as string,
        type: r.type as string,
        data: JSON.parse(r.data as string),
        metadata: JSON.parse(r.metadata as string),
        recordedAt: r.recorded_at as string,
        prevHash: r.prev_hash as string | null,
        hash: r.hash as string,
      }));
    },
    async count() {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    async close() {
      db.close();
    },
  };
}

// ---------------------------------------------------------------- PGlite (Postgres in WASM)

const PG_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    bigserial PRIMARY KEY,
    stream_id   text      NOT NULL,
    revision    integer   NOT NULL,
    id          text      NOT NULL UNIQUE,
    type        text      NOT NULL,
    data        jsonb     NOT NULL,
    metadata    jsonb     NOT NULL,
    recorded_at text      NOT NULL,
    prev_hash   text,
    hash        text      NOT NULL,
    UNIQUE (stream_id, revision)
  );`;

const COLS = 9;

export async function openPglite(dataDir: string | undefined): Promise<CandidateStore> {
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  // `PGlite.create(dir)` with a plain path selects the NodeFS (Emscripten NODEFS mount of `dir` as PGDATA);
  // no argument / 'memory://' keeps PGDATA in memory. See https://pglite.dev/docs/filesystems.
  // Optional experiment knob, off by default: extra server settings, e.g. BENCH_PGLITE_SETTINGS=shared_buffers=16MB
  const extra = (process.env.BENCH_PGLITE_SETTINGS ?? '').split(',').filter(Boolean);
  const options = extra.length
    ? { startParams: [...PGlite.defaultStartParams, ...extra.flatMap((setting) => ['-c', setting])] }
    : {};
  const pg = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
  const show = async (name: string) =>
    (await pg.query<{ v: string }>(`SELECT current_setting('${name}') AS v`)).rows[0]!.v;
  const settings = {
    fs: dataDir ? 'nodefs' : 'memoryfs',
    fsync: await show('fsync'),
    synchronous_commit: await show('synchronous_commit'),
    wal_sync_method: await show('wal_sync_method'),
    shared_buffers: await show('shared_buffers'),
    server_version: await show('server_version'),
  };
  const insertSql = (n: number) => {
    const values: string[] = [];
    for (let i = 0; i < n; i++) {
      const b = i * COLS;
      values.push(
        `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}::jsonb, $${b + 6}::jsonb, $${b + 7}, $${b + 8}, $${b + 9})`,
      );
    }
    return `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash) VALUES ${values.join(', ')}`;
  };
  const insertSqlByCount = new Map<number, string>();

  return {
    settings,
    async createSchema() {
      await pg.exec(PG_SCHEMA);
    },
    async append(streamId, build) {
      return pg.transaction(async (tx) => {
        const { rows: heads } = await tx.query<StreamHead>(
          'SELECT revision, hash FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1',
          [streamId],
        );
        const rows = build(heads[0]);
        let sql = insertSqlByCount.get(rows.length);
        if (!sql) insertSqlByCount.set(rows.length, (sql = insertSql(rows.length)));
        const params: unknown[] = [];
        for (const r of rows) {
          params.push(
            r.streamId,
            r.revision,
            r.id,
            r.type,
            r.data,
            r.metadata,
            r.recordedAt,
            r.prevHash,
            r.hash,
          );
        }
        await tx.query(sql, params);
        return rows.length;
      });
    },
    async readAfter(after, limit) {
      // PGlite parses jsonb into objects itself, so the JSON parsing happens inside the driver.
      const { rows } = await pg.query<Record<string, unknown>>(
        `SELECT position, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash
         FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
        [after, limit],
      );
      return rows.map((r) => ({
        position: Number(r.position),
        streamId: r.stream_id as string,
        revision: r.revision as number,
        id: r.id as string,
        type: r.type as string,
        data: r.data,
        metadata: r.metadata,
        recordedAt: r.recorded_at as string,
        prevHash: r.prev_hash as string | null,
        hash: r.hash as string,
      }));
    },
    async count() {
      return Number((await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n);
    },
    async close() {
      await pg.close();
    },
  };
}

export function openCandidate(variant: Variant, dir: string): Promise<CandidateStore> {
  switch (variant) {
    case 'sqlite-wal-full':
      return openSqlite(dir, 'FULL');
    case 'sqlite-wal-normal':
      return openSqlite(dir, 'NORMAL');
    case 'pglite-nodefs':
    case 'pglite-nodefs-preinit':
      return openPglite(dir);
    case 'pglite-memory':
      return openPglite(undefined);
  }
}
