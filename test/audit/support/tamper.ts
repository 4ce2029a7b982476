// Direct edits behind the store's back, as someone with database access could make them: the audit
// suites check that verification against digests made earlier catches each one.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, SqliteEventStore, type EventStore, type StoredEvent } from '@ledger/event-store';
import { dropSchema, requirePostgres, sql, TEST_DATABASE_URL, uniqueSchema } from '../../support/postgres';

export type BackendName = 'postgres' | 'sqlite';

/** A row as someone writing the table by hand sets it: everything but the position (the table gives that). */
export type ForgedRow = Omit<StoredEvent, 'position'>;

export interface Tamper {
  /** Inserts a row with SQL, as a forger would; resolves with the position the table gave it. */
  insert(row: ForgedRow): Promise<number>;
  /** Empties the events table. */
  truncate(): Promise<void>;
  setData(position: number, data: unknown): Promise<void>;
  remove(position: number): Promise<void>;
  swapPositions(a: number, b: number): Promise<void>;
  /** Rewrites an event's content and chain fields (a consistent rewrite recomputes them). */
  setEvent(position: number, fields: { data: unknown; prevHash: string | null; hash: string }): Promise<void>;
  setStreamHead(streamId: string, revision: number, lastHash: string): Promise<void>;
  /** Drops the stored digests and chunks (an attacker covering tracks, before recomputing them). */
  dropDigests(): Promise<void>;
}

export interface TamperableLedger {
  readonly store: EventStore;
  readonly tamper: Tamper;
  readonly where: { readonly schema?: string; readonly dataDir?: string };
  close(): Promise<void>;
}

export async function openTamperable(
  backend: BackendName,
  options: { clock?: () => Date } = {},
): Promise<TamperableLedger> {
  if (backend === 'postgres') {
    await requirePostgres();
    const schema = uniqueSchema('audit');
    const store = await PostgresEventStore.open({
      connectionString: TEST_DATABASE_URL,
      schema,
      clock: options.clock,
      poolSize: 4,
    });
    const run = (text: string, params: unknown[] = []) => sql(text, params).then(() => undefined);
    return {
      store,
      where: { schema },
      tamper: {
        insert: async (row) => {
          const [inserted] = await sql<{ position: string }>(
            `INSERT INTO ${schema}.events (position, tx_id, stream_id, revision, id, type, data, metadata,
               recorded_at, prev_hash, hash, signature, key_id)
             VALUES (nextval('${schema}.events_position_seq'), pg_current_xact_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             RETURNING position`,
            forgedValues(row),
          );
          return Number(inserted!.position);
        },
        truncate: () => run(`TRUNCATE ${schema}.events`),
        setData: (position, data) =>
          run(`UPDATE ${schema}.events SET data = $2 WHERE position = $1`, [position, JSON.stringify(data)]),
        remove: (position) => run(`DELETE FROM ${schema}.events WHERE position = $1`, [position]),
        swapPositions: async (a, b) => {
          await run(`UPDATE ${schema}.events SET position = -1 WHERE position = $1`, [a]);
          await run(`UPDATE ${schema}.events SET position = $1 WHERE position = $2`, [a, b]);
          await run(`UPDATE ${schema}.events SET position = $1 WHERE position = -1`, [b]);
        },
        setEvent: (position, f) =>
          run(`UPDATE ${schema}.events SET data = $2, prev_hash = $3, hash = $4 WHERE position = $1`, [
            position,
            JSON.stringify(f.data),
            f.prevHash,
            f.hash,
          ]),
        // PostgreSQL keeps no head apart from the events: a stream's last row is its head.
        setStreamHead: () => Promise.resolve(),
        dropDigests: async () => {
          await run(`DELETE FROM ${schema}.audit_digests`);
          await run(`DELETE FROM ${schema}.audit_digest_chunks`);
        },
      },
      close: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-audit-'));
  const store = await SqliteEventStore.open({ dataDir, clock: options.clock });
  const run = (text: string, ...params: unknown[]) => {
    const db = new Database(join(dataDir, 'ledger.sqlite'));
    try {
      for (const statement of text.split(';').filter((s) => s.trim())) db.prepare(statement).run(...params);
    } finally {
      db.close();
    }
    return Promise.resolve();
  };
  return {
    store,
    where: { dataDir },
    tamper: {
      insert: (row) => {
        const db = new Database(join(dataDir, 'ledger.sqlite'));
        try {
          const info = db
            .prepare(
              `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash,
                 signature, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(...forgedValues(row));
          db.prepare('UPDATE streams SET revision = ?, last_hash = ? WHERE stream_id = ?').run(
            row.revision,
            row.hash,
            row.streamId,
          );
          return Promise.resolve(Number(info.lastInsertRowid));
        } finally {
          db.close();
        }
      },
      truncate: () => run('DELETE FROM events; DELETE FROM streams'),
      setData: (position, data) =>
        run('UPDATE events SET data = ? WHERE position = ?', JSON.stringify(data), position),
      remove: (position) => run('DELETE FROM events WHERE position = ?', position),
      swapPositions: async (a, b) => {
        await run('UPDATE events SET position = -1 WHERE position = ?', a);
        await run('UPDATE events SET position = ? WHERE position = ?', a, b);
        await run('UPDATE events SET position = ? WHERE position = -1', b);
      },
      setEvent: (position, f) =>
        run(
          'UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE position = ?',
          JSON.stringify(f.data),
          f.prevHash,
          f.hash,
          position,
        ),
      setStreamHead: (streamId, revision, lastHash) =>
        run(
          'UPDATE streams SET revision = ?, last_hash = ? WHERE stream_id = ?',
          revision,
          lastHash,
          streamId,
        ),
      dropDigests: () => run('DELETE FROM audit_digests; DELETE FROM audit_digest_chunks'),
    },
    close: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function forgedValues(row: ForgedRow): unknown[] {
  return [
    row.streamId,
    row.revision,
    row.id,
    row.type,
    JSON.stringify(row.data),
    JSON.stringify(row.metadata),
    row.recordedAt,
    row.prevHash,
    row.hash,
    row.signature ?? null,
    row.keyId ?? null,
  ];
}
