// The port every store adapter implements: append with an expected revision, read a stream,
// read and follow the global feed. The store is the outbox: everything downstream reads the feed.

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Who acted. Goes into every event's metadata. */
export interface Actor {
  readonly userId: string;
  readonly role: string;
  readonly department: string;
  readonly jurisdiction: string;
}

export interface EventMetadata {
  /** Business time: when the decision was taken (ISO 8601). */
  readonly occurredAt: string;
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly policyVersion?: string;
  readonly schemaVersion: number;
  readonly [extra: string]: unknown;
}

/** What a writer hands to the store. `id` is chosen by the writer (UUID v7) so retries are idempotent. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** What the store hands back: the envelope of DESIGN.md. */
export interface StoredEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  /** Position in the global feed; increasing, not necessarily contiguous. */
  readonly position: number;
  /** Record time: the store's clock when the event was appended (ISO 8601). */
  readonly recordedAt: string;
  /** Hash of the previous event of the stream; null for the first. */
  readonly prevHash: string | null;
  /** SHA-256 (hex) over the canonical form of this event, chained by prevHash. */
  readonly hash: string;
  /**
   * HMAC-SHA-256 (hex) of the hash by the appending process (event-signing.ts); null on rows written before
   * events were signed, or by a store opened without signing. Absent where a store does not report it.
   */
  readonly signature?: string | null;
  /** Id of the key that made `signature`. */
  readonly keyId?: string | null;
}

/** `any`: no check; `no_stream`: the stream must not exist yet; a number: the last revision must be exactly that. */
export type ExpectedRevision = 'any' | 'no_stream' | number;

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event written (or found, for an idempotent retry). */
  readonly nextExpectedRevision: number;
  /** Global position of the last event written. */
  readonly position: number;
  readonly events: ReadonlyArray<{
    readonly id: string;
    readonly revision: number;
    readonly position: number;
  }>;
  /** True when every event id was already stored with the same content: nothing new was written. */
  readonly idempotentReplay: boolean;
}

export interface ReadStreamOptions {
  readonly fromRevision?: number;
  /** Inclusive upper bound on revision. */
  readonly toRevision?: number;
  /** Only events recorded at or before this instant (ISO 8601): the stream as it was then. */
  readonly recordedUpTo?: string;
}

export interface ReadAllOptions {
  /** Exclusive: events with a position strictly greater than this. 0 reads from the start. */
  readonly after: number;
  readonly limit: number;
}

/** Where a stream-by-stream read of the feed stopped: the last event it returned. */
export interface StreamCursor {
  readonly streamId: string;
  readonly revision: number;
}

export interface ReadStreamsOptions {
  /** Only events at or below this position: a readable head (`headPosition`), below which nothing can still commit. */
  readonly upTo: number;
  /** Exclusive; absent reads from the first stream. */
  readonly after?: StreamCursor;
  readonly limit: number;
}

/**
 * Reads for rebuilding read models from zero, offered by stores that can serve them from an index
 * (PostgreSQL, SQLite). A rebuild of read models whose documents each belong to one stream (or merge across
 * streams) folds the feed stream by stream: each stream's documents are final when it ends, so they are
 * written while the rest is read, and only one stream's documents are in memory at a time.
 */
export interface RebuildReads {
  /**
   * The events up to `upTo`, stream after stream (in the store's order of stream ids), each by revision, at most
   * `limit` of them, in batches as they arrive: each step yields the rows the database has handed over since the
   * last one, so a rebuild folds them while the database sends the next. Stopping early (`break`, or a throw in
   * the loop) ends the read: nothing more is yielded, and the connection it read on is released before the loop
   * is left.
   */
  readStreams(options: ReadStreamsOptions): AsyncIterable<readonly StoredEvent[]>;
}

export const offersRebuildReads = (store: EventStore): store is EventStore & RebuildReads =>
  typeof (store as Partial<RebuildReads>).readStreams === 'function';

export interface SubscribeOptions {
  /** Exclusive checkpoint: the position of the last event already handled (0 for none). */
  readonly after: number;
  readonly batchSize?: number;
  /**
   * Minimum time between two reads while following live appends (lets appends gather into one batch, so
   * a follower does its per-batch work, such as committing a checkpoint, once for many events). Default 100 ms;
   * followers whose lag users see (read models) ask for less.
   */
  readonly minIntervalMs?: number;
  /**
   * Called with each batch in position order. The subscription waits for the returned promise before
   * reading on, so a handler that stores its checkpoint after its work never loses an event.
   */
  readonly handler: (events: readonly StoredEvent[]) => Promise<void>;
  readonly onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Position of the last event handed to the handler. */
  readonly position: number;
  /** Resolves when the subscription has handled everything up to `position`. */
  waitFor(position: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface EventStore {
  /** A name for logs and health: `postgres`, `sqlite`, `kurrentdb`. */
  readonly kind: string;
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Reads the global feed in position order, never passing an event that could still commit below. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /** Catches up from a checkpoint, then follows live appends. */
  subscribe(options: SubscribeOptions): Subscription;
  /**
   * Position of the last event a reader of the feed may see, once every append acknowledged before the call
   * is readable (0 when empty): wait for it to see everything written so far.
   */
  headPosition(): Promise<number>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
