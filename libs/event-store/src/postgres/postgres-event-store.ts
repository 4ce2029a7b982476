// PostgreSQL adapter. An append is one round trip when the stream's head is cached, two when it must be
// read; UNIQUE (stream_id, revision) refuses a write to a stream that moved meanwhile. The global feed
// is read below the transaction-id horizon so no reader ever passes an event that commits later.
import { Pool, types as pgTypes, type PoolConfig } from 'pg';
import { IdempotencyConflict, WrongExpectedRevision } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
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
import { hashPrepared } from '../hash-chain';
import { replayOrConflict } from '../idempotency';
import { FeedFollowers } from '../polling-subscription';
import { migrate } from './postgres-migrations';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the store's tables; one per deployment (tests use one per suite). */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly maxEventBytes?: number;
  readonly pollIntervalMs?: number;
  readonly clock?: () => Date;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const UNIQUE_VIOLATION = '23505';
const MAX_APPEND_ATTEMPTS = 10;
const HEAD_CACHE_SIZE = 10_000;

interface Head {
  readonly revision: number;
  readonly lastHash: string;
}

// int8 columns (positions) come back as numbers: positions stay far below 2^53.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pgTypes.getTypeParser(oid, format)) as typeof pgTypes.getTypeParser,
};

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: StoredEvent['metadata'];
  recorded_at: string;
  prev_hash: string | null;
  hash: string;
}

// recorded_at is formatted by the server: cheaper than parsing timestamps into Dates and back.
const EVENT_COLUMNS = `position, stream_id, revision, id, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, prev_hash, hash`;

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres';
  private readonly followers: FeedFollowers;
  /** Last known head of recently written streams (bounded; insertion order evicts the oldest). */
  private readonly heads = new Map<string, Head>();

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.followers = new FeedFollowers((o) => this.readAll(o), this.options.pollIntervalMs ?? 50);
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'ledger';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name: ${schema}`);
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      types: typeParsers,
      application_name: 'credit-ledger',
    };
    const pool = new Pool(config);
    pool.on('error', () => undefined); // idle client errors surface on the next query instead
    try {
      await migrate(pool, schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool, schema, options);
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

    for (let attempt = 1; ; attempt++) {
      // The cached head saves a round trip; append_events checks it atomically and says when it is stale.
      const cached = attempt === 1 ? this.heads.get(streamId) : undefined;
      const head = cached ?? (await this.readHead(streamId));
      const actual = head ? head.revision : 'no_stream';
      if ((expected === 'no_stream' && head) || (typeof expected === 'number' && actual !== expected)) {
        if (cached) {
          this.heads.delete(streamId); // another writer may have moved it: judge on the stored head
          continue;
        }
        return this.retriedOrThrow(
          streamId,
          events,
          prepared,
          () => new WrongExpectedRevision(streamId, expected, actual),
        );
      }
      const firstRevision = head ? head.revision + 1 : 0;
      const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
      const hashes: string[] = [];
      events.forEach((event, i) => {
        const prevHash = i === 0 ? (head?.lastHash ?? null) : hashes[i - 1]!;
        hashes.push(
          hashPrepared(
            { id: event.id, type: event.type, streamId, revision: firstRevision + i, recordedAt, prevHash },
            prepared[i]!,
          ),
        );
      });
      try {
        const first = await this.callAppend([
          streamId,
          head ? head.revision : -1,
          events.map((e) => e.id),
          events.map((e) => e.type),
          `[${prepared.map((p) => p.data).join(',')}]`,
          `[${prepared.map((p) => p.metadata).join(',')}]`,
          recordedAt,
          head?.lastHash ?? null,
          hashes,
        ]);
        const positions = events.map((_, i) => first + i);
        this.remember(streamId, {
          revision: firstRevision + events.length - 1,
          lastHash: hashes[hashes.length - 1]!,
        });
        this.followers.notifyAppended();
        return {
          streamId,
          nextExpectedRevision: firstRevision + events.length - 1,
          position: positions[positions.length - 1]!,
          events: events.map((event, i) => ({
            id: event.id,
            revision: firstRevision + i,
            position: positions[i]!,
          })),
          idempotentReplay: false,
        };
      } catch (error) {
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code === UNIQUE_VIOLATION && constraint === 'events_id_key') {
          return this.retriedOrThrow(
            streamId,
            events,
            prepared,
            () => new IdempotencyConflict(events[0]!.id, 'id taken'),
          );
        }
        // The head moved between our read and our write: read again (a 'no_stream'/exact check then fails).
        const moved = code === UNIQUE_VIOLATION && constraint === 'events_stream_id_revision_key';
        if (moved && attempt < MAX_APPEND_ATTEMPTS) {
          this.heads.delete(streamId);
          continue;
        }
        throw error;
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    validateStreamId(streamId);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
       WHERE stream_id = $1 AND revision >= $2 AND ($3::integer IS NULL OR revision <= $3)
         AND ($4::timestamptz IS NULL OR recorded_at <= $4)
       ORDER BY revision`,
      [streamId, options.fromRevision ?? 0, options.toRevision ?? null, options.recordedUpTo ?? null],
    );
    return rows.map(toStoredEvent);
  }

  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
       WHERE position > $1 AND tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
       ORDER BY position LIMIT $2`,
      [after, limit],
    );
    return rows.map(toStoredEvent);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.followers.subscribe(options);
  }

  async headPosition(): Promise<number> {
    const { rows } = await this.pool.query<{ position: number | null }>(
      `SELECT max(position) AS position FROM ${this.schema}.events
       WHERE tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))`,
    );
    return rows[0]?.position ?? 0;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.followers.stopAll();
    await this.pool.end();
  }

  private async readHead(streamId: string): Promise<Head | undefined> {
    const { rows } = await this.pool.query<{ revision: number; last_hash: string }>(
      `SELECT revision, hash AS last_hash FROM ${this.schema}.events WHERE stream_id = $1
       ORDER BY revision DESC LIMIT 1`,
      [streamId],
    );
    return rows[0] ? { revision: rows[0].revision, lastHash: rows[0].last_hash } : undefined;
  }

  /**
   * One round trip into append_events. It holds a session-level advisory lock for microseconds; if the
   * call fails in an unexpected way the connection is discarded, so the lock can never outlive it.
   */
  private async callAppend(params: unknown[]): Promise<number> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ first: number }>(
        `SELECT ${this.schema}.append_events($1, $2, $3::uuid[], $4::text[], $5::jsonb, $6::jsonb, $7, $8, $9::text[]) AS first`,
        params,
      );
      return rows[0]!.first;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private remember(streamId: string, head: Head): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > HEAD_CACHE_SIZE) this.heads.delete(this.heads.keys().next().value!);
  }

  /** A refused append may be a client's retry of one that succeeded: answer it as the original did. */
  private async retriedOrThrow(
    streamId: string,
    events: readonly NewEvent[],
    prepared: readonly PreparedEvent[],
    refusal: () => Error,
  ): Promise<AppendResult> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events WHERE id = ANY($1::uuid[])`,
      [events.map((e) => e.id)],
    );
    if (rows.length === 0) throw refusal();
    return replayOrConflict(streamId, events, prepared, rows.map(toStoredEvent));
  }
}
