// KurrentDB (EventStoreDB) adapter over the official gRPC client. KurrentDB keeps type, data, metadata, event id,
// stream revision and log position; the rest of our envelope (recordedAt, prevHash, hash) travels in the event's
// metadata under LEDGER_KEY and is stripped again on read.
//
// Positions: every event written through gRPC is a self-committed prepare record, so its commit position equals its
// own log position (unique, increasing in $all order, the same from a stream read and an $all read). We expose it as
// a Number: exact up to 2^53 bytes of transaction log (~9 PB); beyond that we refuse rather than round.
// Event ids: KurrentDB has no index by id, so each append reads its stream (O(stream length)) to answer a retry;
// an id reused in another stream is not seen.
// Requirements: KurrentDB/EventStoreDB 22.6+ (positions on stream reads), a user allowed to read $all, and ledger
// streams that are never deleted, truncated ($maxCount, $maxAge, $tb) or written to by anything but this store.
import {
  BACKWARDS,
  END,
  ErrorType,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type CurrentStreamState,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { InvalidEvent, WrongExpectedRevision } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
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
} from '../event-validation';
import { EventSigning } from '../event-signing';
import { hashEvent } from '../hash-chain';
import { replayOrConflict } from '../idempotency';
import { FeedFollowers } from '../polling-subscription';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://admin:changeit@127.0.0.1:2113?tls=false` (older `esdb://` strings work too). */
  readonly connectionString: string;
  readonly maxEventBytes?: number;
  readonly pollIntervalMs?: number;
  readonly clock?: () => Date;
  /** Signs every event written (default: the development key); null writes unsigned events. */
  readonly signing?: EventSigning | null;
}

/** Metadata key holding the fields KurrentDB has no place for. Reserved: callers may not use it. */
export const LEDGER_KEY = '$ledger';

interface LedgerFields {
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
  readonly signature?: string | null;
  readonly keyId?: string | null;
}

const MAX_APPEND_ATTEMPTS = 10;
/** Page size when searching $all backwards for the newest ledger event. */
const HEAD_PAGE = 100;
const MAX_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

type Recorded = NonNullable<ResolvedEvent['event'] | AllStreamResolvedEvent['event']>;

export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb';
  private readonly followers: FeedFollowers;
  private closed = false;
  private readonly signing: EventSigning | null;

  private constructor(
    readonly client: KurrentDBClient,
    private readonly options: KurrentDbEventStoreOptions,
  ) {
    this.followers = new FeedFollowers((o) => this.readAll(o), this.options.pollIntervalMs ?? 50);
    this.signing = options.signing === undefined ? EventSigning.development() : options.signing;
  }

  static async open(options: KurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
    const store = new KurrentDbEventStore(
      KurrentDBClient.connectionString(options.connectionString),
      options,
    );
    // The client connects lazily; fail at startup, as the other adapters do, rather than on the first request.
    try {
      await store.ping();
    } catch (error) {
      await store.client.dispose();
      // The connection string may hold credentials: report the cause, not the string.
      throw new Error(`KurrentDB did not answer: ${(error as Error).message}`, { cause: error });
    }
    return store;
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
    events.forEach((event, i) => {
      if (Object.prototype.hasOwnProperty.call(event.metadata, LEDGER_KEY)) {
        throw new InvalidEvent(`events[${i}].metadata.${LEDGER_KEY}`, 'is reserved by the KurrentDB store');
      }
    });

    const sentIds = new Set(events.map((e) => e.id));
    for (let attempt = 1; ; attempt++) {
      // Read the whole stream: its last event gives the next revision and prevHash, and its ids reveal a retried
      // append. KurrentDB has no unique index on event ids and its own de-duplication misses a retry sent with the
      // current revision (or 'any'), so looking only at the head would store such a retry twice.
      const existing = await this.readStoredEvents(streamId, { requiresLeader: true });
      if (existing.some((e) => sentIds.has(e.id)))
        return replayOrConflict(streamId, events, prepared, existing);
      const head = existing[existing.length - 1];
      const actual = head ? head.revision : 'no_stream';
      if ((expected === 'no_stream' && head) || (typeof expected === 'number' && actual !== expected)) {
        throw new WrongExpectedRevision(streamId, expected, actual);
      }

      // Hash over the revisions the events will get; expecting exactly the observed head makes that true or fails.
      const firstRevision = head ? head.revision + 1 : 0;
      const recordedAt = (this.options.clock?.() ?? new Date()).toISOString();
      const ledger: LedgerFields[] = [];
      events.forEach((event, i) => {
        const prevHash = i === 0 ? (head?.hash ?? null) : ledger[i - 1]!.hash;
        const hash = hashEvent({ ...event, streamId, revision: firstRevision + i, recordedAt, prevHash });
        const signed = this.signing?.sign(hash);
        ledger.push({
          recordedAt,
          prevHash,
          hash,
          signature: signed?.signature ?? null,
          keyId: signed?.keyId ?? null,
        });
      });
      const proposed = events.map((event, i) =>
        jsonEvent({
          id: event.id,
          type: event.type,
          // Validated canonical JSON; the client serialises it with JSON.stringify.
          data: event.data as JSONType,
          metadata: { ...event.metadata, [LEDGER_KEY]: ledger[i] } as JSONType,
        }),
      );

      let conflict: { actual?: number | 'no_stream' } | undefined;
      try {
        const result = await this.client.appendToStream(streamId, proposed, {
          streamState: head ? BigInt(head.revision) : NO_STREAM,
        });
        // Only when the connection string sets throwOnAppendFailure=false; its revision is not reliable then.
        if (!result.success) conflict = {};
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        conflict = { actual: toActual(error.actualState) };
      }
      if (conflict) {
        // The head moved between our read and our write: read again. That answers a concurrent identical retry
        // as a replay and refuses 'no_stream' or a revision with the fresh actual revision; 'any' tries anew.
        if (attempt < MAX_APPEND_ATTEMPTS) continue;
        throw new WrongExpectedRevision(streamId, expected, conflict.actual ?? actual);
      }

      // The append result carries one position for the batch; read the events back for theirs.
      const written = await this.readStoredEvents(streamId, {
        from: firstRevision,
        count: events.length,
        requiresLeader: true,
      });
      if (written.length !== events.length || written.some((e, i) => e.id !== events[i]!.id)) {
        throw new Error(
          `KurrentDB acknowledged an append to ${streamId} but revisions ${firstRevision}+ do not hold it`,
        );
      }
      // KurrentDB answers success without writing when the same ids were already stored at these revisions (its own
      // idempotency check, e.g. a concurrent identical retry); the stored hashes then differ from ours: a replay.
      // (Were they equal, the stored events are byte for byte what we sent, and calling it a write is harmless.)
      if (written.some((e, i) => e.hash !== ledger[i]!.hash))
        return replayOrConflict(streamId, events, prepared, written);
      this.followers.notifyAppended();
      const last = written[written.length - 1]!;
      return {
        streamId,
        nextExpectedRevision: last.revision,
        position: last.position,
        events: written.map(({ id, revision, position }) => ({ id, revision, position })),
        idempotentReplay: false,
      };
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    validateStreamId(streamId);
    const from = Math.max(0, Math.ceil(options.fromRevision ?? 0));
    const to = options.toRevision === undefined ? undefined : Math.floor(options.toRevision);
    if (to !== undefined && to < from) return [];
    const events = await this.readStoredEvents(streamId, {
      from,
      count: to === undefined ? undefined : to - from + 1,
    });
    if (options.recordedUpTo === undefined) return events;
    // recordedAt lives in our metadata, not in KurrentDB's index: filter here.
    const upTo = Date.parse(options.recordedUpTo);
    if (Number.isNaN(upTo))
      throw new RangeError(`recordedUpTo is not an ISO 8601 instant: ${options.recordedUpTo}`);
    return events.filter((e) => Date.parse(e.recordedAt) <= upTo);
  }

  /**
   * KurrentDB has one writer and exposes $all only up to the last indexed record, so a reader never passes an event
   * that could still appear below. `after` must be 0 or a position this store returned (a record boundary).
   */
  async readAll({ after, limit }: ReadAllOptions): Promise<StoredEvent[]> {
    const found: StoredEvent[] = [];
    let cursor = after;
    while (found.length < limit) {
      // A forward read includes the event at fromPosition, which we skip: ask for one more.
      const pageSize = limit - found.length + 1;
      let seen = 0;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor > 0 ? logPosition(cursor) : START,
        maxCount: pageSize,
        filter: excludeSystemEvents(),
      })) {
        seen++;
        const position = positionOf(resolved);
        if (position === undefined || position <= cursor) continue;
        cursor = position;
        // Events of other applications (no ledger envelope) are skipped; the loop reads on past them.
        const event = resolved.event && decode(resolved.event, position);
        if (event) found.push(event);
      }
      if (seen < pageSize) break; // end of $all
    }
    return found.slice(0, limit);
  }

  subscribe(options: SubscribeOptions): Subscription {
    return this.followers.subscribe(options);
  }

  async headPosition(): Promise<number> {
    // The newest ledger event in $all, read backwards; page on past other applications' events.
    let from: ReadPosition = END;
    for (;;) {
      let seen = 0;
      let oldest: number | undefined;
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: HEAD_PAGE,
        filter: excludeSystemEvents(),
      })) {
        seen++;
        const position = positionOf(resolved);
        if (position === undefined) continue;
        if (resolved.event && decode(resolved.event, position)) return position;
        oldest = position;
      }
      if (seen < HEAD_PAGE || oldest === undefined) return 0;
      from = logPosition(oldest); // backward reads exclude the event at fromPosition
    }
  }

  async ping(): Promise<void> {
    // Reading $all also proves the credentials allow what readAll and headPosition need.
    for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }))
      break;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.followers.stopAll();
    await this.client.dispose();
  }

  /** Reads ledger events of one stream in revision order; a missing stream reads as empty. */
  private async readStoredEvents(
    streamId: string,
    options: { from?: number; count?: number; requiresLeader?: boolean },
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.from ? BigInt(options.from) : START,
        maxCount: options.count ?? Number.MAX_SAFE_INTEGER,
        // Append bookkeeping must see the leader's latest writes, not a follower's copy.
        requiresLeader: options.requiresLeader ?? false,
      })) {
        const recorded = resolved.event;
        if (!recorded) continue;
        const position = positionOf(resolved);
        if (position === undefined) {
          throw new Error(
            `KurrentDB returned no position for ${streamId}@${recorded.revision}: server 22.6 or later is required`,
          );
        }
        const event = decode(recorded, position);
        // A ledger stream holding an event without our envelope was written behind the store's back: say so.
        if (!event)
          throw new Error(
            `Event ${recorded.id} at ${streamId}@${recorded.revision} was not written by the ledger store`,
          );
        events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }
}

/** Turns a KurrentDB record into our envelope; undefined for system events and other applications' events. */
function decode(recorded: Recorded, position: number): StoredEvent | undefined {
  if (recorded.streamId.startsWith('$') || recorded.type.startsWith('$') || !recorded.isJson)
    return undefined;
  const raw: unknown = recorded.metadata;
  if (!isRecord(raw)) return undefined;
  const { [LEDGER_KEY]: ledger, ...metadata } = raw;
  if (!isLedgerFields(ledger)) return undefined;
  return {
    id: recorded.id.toLowerCase(),
    type: recorded.type,
    data: recorded.data,
    metadata: metadata as EventMetadata,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position,
    recordedAt: ledger.recordedAt,
    prevHash: ledger.prevHash,
    hash: ledger.hash,
    signature: typeof ledger.signature === 'string' ? ledger.signature : null,
    keyId: typeof ledger.keyId === 'string' ? ledger.keyId : null,
  };
}

/** The commit position as our numeric position (see the note at the top on 2^53). */
function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): number | undefined {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) return undefined;
  if (commit < 0n || commit > MAX_POSITION)
    throw new RangeError(`KurrentDB position ${commit} does not fit a safe integer`);
  return Number(commit);
}

/** Our numeric position back as a KurrentDB one: for self-committed events commit and prepare are equal. */
function logPosition(position: number): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

function toActual(state: CurrentStreamState | undefined): number | 'no_stream' | undefined {
  if (state === undefined) return undefined;
  return typeof state === 'bigint' && state >= 0n ? Number(state) : 'no_stream';
}

// Match on the error's type tag as well as its class, in case two copies of the client are installed.
function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error as { type?: unknown })?.type === ErrorType.WRONG_EXPECTED_VERSION
  );
}

function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof StreamNotFoundError || (error as { type?: unknown })?.type === ErrorType.STREAM_NOT_FOUND
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function isLedgerFields(value: unknown): value is LedgerFields {
  if (!isRecord(value)) return false;
  return (
    typeof value.recordedAt === 'string' &&
    typeof value.hash === 'string' &&
    (value.prevHash === null || typeof value.prevHash === 'string')
  );
}
