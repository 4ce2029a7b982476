// PostgreSQL adapter. Concurrent appends share round trips and transactions (group commit); an append
// whose stream head is cached needs no other query. UNIQUE (stream_id, revision) refuses a write to a
// stream that moved meanwhile. The global feed is read below the transaction-id horizon, so no reader
// ever passes an event that commits later.
import { Pool, Query, types as pgTypes, type PoolConfig } from 'pg';
import { IdempotencyConflict, keepPoolErrorsHandled, WrongExpectedRevision } from '../event-store.errors';
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
import { GroupCommit } from './group-commit';
import { migrate } from './postgres-migrations';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the store's tables; one per deployment (tests use one per suite). */
  readonly schema?: string;
  readonly poolSize?: number;
  readonly maxEventBytes?: number;
  readonly pollIntervalMs?: number;
  /** Append groups in flight at once (group commit); each group is one transaction. */
  readonly appendGroupsInFlight?: number;
  readonly clock?: () => Date;
  /** Signs every event written (default: the development key); null writes unsigned rows (benchmarks). */
  readonly signing?: EventSigning | null;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const STREAM_MOVED = -1;
const ID_TAKEN = -2;
const MAX_APPEND_ATTEMPTS = 10;
const HEAD_CACHE_SIZE = 10_000;
/** How long headPosition waits for open transactions below the committed head (then answers what is readable). */
const HEAD_WAIT_MS = 2_000;

/** One append, hashed against the head it observed, waiting for its group. */
interface PendingAppend {
  readonly streamId: string;
  readonly observedRevision: number;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly events: readonly NewEvent[];
  readonly prepared: readonly PreparedEvent[];
  readonly hashes: readonly string[];
  readonly signatures: readonly (string | null)[];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
  signature: string | null;
  key_id: string | null;
}

// recorded_at is formatted by the server: cheaper than parsing timestamps into Dates and back.
const EVENT_COLUMNS = `position, stream_id, revision, id, type, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, prev_hash, hash, signature, key_id`;

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
    signature: row.signature,
    keyId: row.key_id,
  };
}

export class PostgresEventStore implements EventStore, RebuildReads {
  readonly kind = 'postgres';
  private readonly followers: FeedFollowers;
  /** Last known head of recently written streams (bounded; insertion order evicts the oldest). */
  private readonly heads = new Map<string, Head>();
  private readonly groupCommit: GroupCommit<PendingAppend, number>;
  private readonly signing: EventSigning | null;

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.followers = new FeedFollowers((o) => this.readAll(o), this.options.pollIntervalMs ?? 50);
    this.signing = options.signing === undefined ? EventSigning.development() : options.signing;
    this.groupCommit = new GroupCommit((appends) => this.appendGroup(appends), {
      maxInFlight: options.appendGroupsInFlight ?? 4,
      maxGroupSize: 256,
    });
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
    keepPoolErrorsHandled(pool);
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
      // The cached head saves a round trip; append_batch checks it atomically and says when it is stale.
      const cached = attempt === 1 ? this.heads.get(streamId) : undefined;
      // A new stream needs no read either: if it exists after all, the write is refused and we read then.
      const head =
        cached ?? (attempt === 1 && expected === 'no_stream' ? undefined : await this.readHead(streamId));
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
      const outcome = await this.groupCommit.submit({
        streamId,
        observedRevision: head ? head.revision : -1,
        recordedAt,
        prevHash: head?.lastHash ?? null,
        events,
        prepared,
        hashes,
        signatures: hashes.map((hash) => this.signing?.sign(hash).signature ?? null),
      });
      if (outcome === ID_TAKEN) {
        return this.retriedOrThrow(
          streamId,
          events,
          prepared,
          () => new IdempotencyConflict(events[0]!.id, 'id taken'),
        );
      }
      if (outcome === STREAM_MOVED) {
        // The head moved between our read and our write: read again (a 'no_stream'/exact check then fails).
        this.heads.delete(streamId);
        if (attempt < MAX_APPEND_ATTEMPTS) continue;
        throw new Error(`Stream ${streamId} kept moving during ${MAX_APPEND_ATTEMPTS} attempts to append`);
      }
      const lastRevision = firstRevision + events.length - 1;
      this.remember(streamId, { revision: lastRevision, lastHash: hashes[hashes.length - 1]! });
      this.followers.notifyAppended();
      return {
        streamId,
        nextExpectedRevision: lastRevision,
        position: outcome + events.length - 1,
        events: events.map((event, i) => ({
          id: event.id,
          revision: firstRevision + i,
          position: outcome + i,
        })),
        idempotentReplay: false,
      };
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

  async *readStreams({ upTo, after, limit }: ReadStreamsOptions): AsyncGenerator<readonly StoredEvent[]> {
    // In the order of the (stream_id, revision) index: the database's collation, which is deterministic.
    // Rows are parsed as they arrive and yielded together with the others of their arrival: holding a page whole
    // until its last row had arrived would leave the rebuild's thread idle while the page arrives. What waits
    // here is at most one page (`limit`) if the loop falls behind the socket.
    const query = new Query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
       WHERE position <= $1 AND (stream_id, revision) > ($2, $3)
       ORDER BY stream_id, revision LIMIT $4`,
      [upTo, after?.streamId ?? '', after?.revision ?? -1, limit],
    );
    let arrived: StoredEvent[] = [];
    let stopped = false;
    let ended = false;
    let failure: { readonly error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const wakeUp = () => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    query.on('row', (row: EventRow) => {
      if (stopped) return; // the loop has stopped: the rest of the page is let through unread
      arrived.push(toStoredEvent(row));
      if (arrived.length === 1) wakeUp();
    });
    const finished = new Promise<void>((resolve) => {
      query.on('end', () => {
        ended = true;
        wakeUp();
        resolve();
      });
      query.on('error', (error: unknown) => {
        failure = { error };
        ended = true;
        wakeUp();
        resolve();
      });
    });
    const client = await this.pool.connect();
    client.query(query);
    try {
      for (;;) {
        if (arrived.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
        if (failure) throw failure.error;
        if (arrived.length > 0) {
          const batch = arrived;
          arrived = [];
          yield batch;
        } else if (ended) return;
      }
    } finally {
      // Also when the loop stopped early: the connection is handed back once the server has sent the page.
      stopped = true;
      arrived = [];
      await finished;
      client.release(failure ? (failure.error as Error) : undefined);
    }
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.followers.subscribe(options);
  }

  async headPosition(): Promise<number> {
    // Readers stay below the oldest open transaction on the server, so the readable head may briefly trail
    // what has been committed; wait (boundedly) until it covers every append committed before this call.
    const deadline = Date.now() + HEAD_WAIT_MS;
    for (let target: number | undefined; ;) {
      const { rows } = await this.pool.query<{ committed: number | null; readable: number | null }>(
        `SELECT (SELECT max(position) FROM ${this.schema}.events) AS committed,
                (SELECT max(position) FROM ${this.schema}.events
                 WHERE tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))) AS readable`,
      );
      const readable = rows[0]?.readable ?? 0;
      target ??= rows[0]?.committed ?? 0;
      if (readable >= target || Date.now() > deadline) return readable;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
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
   * One round trip for a group of appends (sorted by stream, so two groups always take row locks in the same
   * order). The call holds a session-level advisory lock for microseconds; if it fails in an unexpected
   * way the connection is discarded, so the lock can never outlive it.
   */
  private async appendGroup(appends: readonly PendingAppend[]): Promise<number[]> {
    const order = appends
      .map((_, i) => i)
      .sort((x, y) => compare(appends[x]!.streamId, appends[y]!.streamId));
    const sorted = order.map((i) => appends[i]!);
    const events = sorted.flatMap((a) => a.events);
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ outcomes: number[] }>(
        `SELECT ${this.schema}.append_batch($1::text[], $2::int[], $3::int[], $4::timestamptz[], $5::text[],
           $6::uuid[], $7::text[], $8::jsonb, $9::jsonb, $10::text[], $11::text[], $12::text) AS outcomes`,
        [
          sorted.map((a) => a.streamId),
          sorted.map((a) => a.observedRevision),
          sorted.map((a) => a.events.length),
          sorted.map((a) => a.recordedAt),
          sorted.map((a) => a.prevHash),
          events.map((e) => e.id),
          events.map((e) => e.type),
          `[${sorted.map((a) => a.prepared.map((p) => p.data).join(',')).join(',')}]`,
          `[${sorted.map((a) => a.prepared.map((p) => p.metadata).join(',')).join(',')}]`,
          sorted.flatMap((a) => a.hashes),
          sorted.flatMap((a) => a.signatures),
          this.signing?.signingKeyId ?? null,
        ],
      );
      const outcomes: number[] = new Array(appends.length);
      order.forEach((original, k) => (outcomes[original] = Number(rows[0]!.outcomes[k])));
      return outcomes;
    } catch (error) {
      broken = error as Error;
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
