// Embedded adapter: SQLite (better-sqlite3) in a local directory, the default when no server is configured.
// Appends run in one IMMEDIATE transaction each; SQLite has a single writer, so positions are assigned in
// commit order and the global feed can never skip an event.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IdempotencyConflict, WrongExpectedRevision } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamsOptions,
  RebuildReads,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import {
  DEFAULT_MAX_EVENT_BYTES,
  validateExpectedRevision,
  validateNewEvents,
  validateStreamId,
  type PreparedEvent,
} from '../event-validation';
import { EventSigning } from '../event-signing';
import { hashPrepared } from '../hash-chain';
import { replayOrConflict } from '../idempotency';
import { FeedFollowers } from '../polling-subscription';

export interface SqliteEventStoreOptions {
  /** Directory holding `ledger.sqlite`; created when missing. */
  readonly dataDir: string;
  readonly maxEventBytes?: number;
  readonly pollIntervalMs?: number;
  readonly clock?: () => Date;
  /** Signs every event written (default: the development key); null writes unsigned rows (benchmarks). */
  readonly signing?: EventSigning | null;
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE events (
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
   );
   CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, last_hash TEXT NOT NULL);`,
  // Events signed at write (event-signing.ts): rows written before stay NULL, legitimate up to
  // LEDGER_UNSIGNED_UP_TO.
  `ALTER TABLE events ADD COLUMN signature TEXT;
   ALTER TABLE events ADD COLUMN key_id TEXT;`,
];

/** Rows per step of a stream-by-stream read. */
const SQLITE_CHUNK = 1000;

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string | null;
  hash: string;
  signature: string | null;
  key_id: string | null;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    signature: row.signature,
    keyId: row.key_id,
  };
}

export class SqliteEventStore implements EventStore, RebuildReads {
  readonly kind = 'sqlite';
  private readonly followers: FeedFollowers;
  private readonly statements;
  private readonly appendTransaction;
  private readonly signing: EventSigning | null;

  private constructor(
    readonly db: Database.Database,
    private readonly options: SqliteEventStoreOptions,
  ) {
    this.followers = new FeedFollowers((o) => this.readAll(o), this.options.pollIntervalMs ?? 50);
    this.signing = options.signing === undefined ? EventSigning.development() : options.signing;
    const columns =
      'position, stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash, signature, key_id';
    this.statements = {
      head: db.prepare<[string], { revision: number; last_hash: string }>(
        'SELECT revision, last_hash FROM streams WHERE stream_id = ?',
      ),
      insertEvent: db.prepare(
        `INSERT INTO events (stream_id, revision, id, type, data, metadata, recorded_at, prev_hash, hash, signature, key_id)
         VALUES (@streamId, @revision, @id, @type, @data, @metadata, @recordedAt, @prevHash, @hash, @signature, @keyId)`,
      ),
      upsertHead: db.prepare(
        `INSERT INTO streams (stream_id, revision, last_hash) VALUES (?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_hash = excluded.last_hash`,
      ),
      byId: db.prepare<[string], EventRow>(`SELECT ${columns} FROM events WHERE id = ?`),
      stream: db.prepare<[string, number, number, string], EventRow>(
        `SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? AND revision <= ? AND recorded_at <= ?
         ORDER BY revision`,
      ),
      all: db.prepare<[number, number], EventRow>(
        `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      ),
      streams: db.prepare<[number, string, number, number], EventRow>(
        `SELECT ${columns} FROM events WHERE position <= ? AND (stream_id, revision) > (?, ?)
         ORDER BY stream_id, revision LIMIT ?`,
      ),
      headPosition: db.prepare<[], { position: number | null }>(
        'SELECT max(position) AS position FROM events',
      ),
    };
    this.appendTransaction = db.transaction(this.appendNow.bind(this)).immediate;
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    mkdirSync(options.dataDir, { recursive: true });
    const db = new Database(join(options.dataDir, 'ledger.sqlite'));
    // WAL lets readers run beside the writer; FULL sync means an acknowledged append survives power loss.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    db.transaction(() => {
      MIGRATIONS.slice(version).forEach((sql) => db.exec(sql));
      db.pragma(`user_version = ${MIGRATIONS.length}`);
    }).immediate();
    return new SqliteEventStore(db, options);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateStreamId(streamId);
    const expected = options.expectedRevision ?? 'any';
    validateExpectedRevision(expected);
    const prepared = validateNewEvents(events, this.options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES);
    const result = this.appendTransaction(streamId, events, prepared, expected);
    if (!result.idempotentReplay) this.followers.notifyAppended();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    validateStreamId(streamId);
    return this.statements.stream
      .all(
        streamId,
        options.fromRevision ?? 0,
        options.toRevision ?? Number.MAX_SAFE_INTEGER,
        // ISO instants in UTC compare correctly as text; normalise the bound to the same form.
        options.recordedUpTo ? new Date(options.recordedUpTo).toISOString() : '9999',
      )
      .map(toStoredEvent);
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    return this.statements.all.all(after, limit).map(toStoredEvent);
  }

  async *readStreams({ upTo, after, limit }: ReadStreamsOptions): AsyncGenerator<readonly StoredEvent[]> {
    // Read in chunks, each a finished statement: a statement left iterating between two steps would make the
    // connection refuse every other query (an append) until the loop ended.
    let cursor = { streamId: after?.streamId ?? '', revision: after?.revision ?? -1 };
    for (let left = limit; left > 0;) {
      const rows = this.statements.streams.all(
        upTo,
        cursor.streamId,
        cursor.revision,
        Math.min(left, SQLITE_CHUNK),
      );
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      cursor = { streamId: last.stream_id, revision: last.revision };
      left -= rows.length;
      yield rows.map(toStoredEvent);
      if (rows.length < SQLITE_CHUNK) return;
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.followers.subscribe(options);
  }

  async headPosition(): Promise<number> {
    return this.statements.headPosition.get()?.position ?? 0;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.followers.stopAll();
    if (this.db.open) this.db.close();
  }

  private appendNow(
    streamId: string,
    events: readonly NewEvent[],
    prepared: readonly PreparedEvent[],
    expected: AppendOptions['expectedRevision'] & {},
  ): AppendResult {
    const stored = this.statements.byId.get(events[0]!.id);
    if (stored) {
      const found = events.map((e) => this.statements.byId.get(e.id)).filter((row): row is EventRow => !!row);
      return replayOrConflict(streamId, events, prepared, found.map(toStoredEvent));
    }
    const head = this.statements.head.get(streamId);
    const actual = head ? head.revision : 'no_stream';
    if ((expected === 'no_stream' && head) || (typeof expected === 'number' && actual !== expected)) {
      throw new WrongExpectedRevision(streamId, expected, actual);
    }
    const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
    let prevHash = head?.last_hash ?? null;
    let revision = head ? head.revision : -1;
    const written = events.map((event, i) => {
      revision += 1;
      const hash = hashPrepared(
        { id: event.id, type: event.type, streamId, revision, recordedAt, prevHash },
        prepared[i]!,
      );
      let info: Database.RunResult;
      try {
        info = this.statements.insertEvent.run({
          streamId,
          revision,
          id: event.id,
          type: event.type,
          data: prepared[i]!.data,
          metadata: prepared[i]!.metadata,
          recordedAt,
          prevHash,
          hash,
          signature: this.signing?.sign(hash).signature ?? null,
          keyId: this.signing?.signingKeyId ?? null,
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new IdempotencyConflict(event.id, 'only part of the batch was stored before');
        }
        throw error;
      }
      prevHash = hash;
      return { id: event.id, revision, position: Number(info.lastInsertRowid) };
    });
    this.statements.upsertHead.run(streamId, revision, prevHash);
    return {
      streamId,
      nextExpectedRevision: revision,
      position: written[written.length - 1]!.position,
      events: written,
      idempotentReplay: false,
    };
  }
}
