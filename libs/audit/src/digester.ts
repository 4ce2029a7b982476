// Makes digests incrementally: each continues from the frontier stored with the previous one, so a new
// digest reads only the events appended since. The scheduler makes one every N events or T seconds.
import {
  FeedIntegrityError,
  FeedVerifier,
  type EventSigning,
  type EventStore,
  type IntegrityViolation,
  type StoredEvent,
  type Subscription,
} from '@ledger/event-store';
import type { ChunkRoot, DigestRecord, DigestStore, LedgerDigest } from './digest-store';
import { toLedgerDigest } from './digest-store';
import { DigestSigning } from './digest-signing';
import { DIGEST_ALGORITHM, hashLeaf, MerkleFrontier } from './merkle/merkle-tree';

export function chunkHeightOf(chunkSize: number): number {
  const height = Math.log2(chunkSize);
  if (!Number.isInteger(height)) throw new Error(`chunk size ${chunkSize} is not a power of two`);
  return height;
}

interface Pending {
  readonly record: DigestRecord;
  readonly chunks: readonly ChunkRoot[];
  readonly events: number;
}

/** The growing tree between two digests. */
export class DigestBuilder {
  private pendingChunks: ChunkRoot[] = [];
  private pendingEvents = 0;

  private constructor(
    private readonly frontier: MerkleFrontier,
    private lastPosition: number,
    private openChunkFirstPosition: number | null,
    readonly chunkSize: number,
  ) {}

  /** Continues from the latest stored digest, or starts an empty tree. */
  static async resume(digests: DigestStore): Promise<DigestBuilder> {
    const latest = await digests.latest();
    const height = chunkHeightOf(digests.chunkSize);
    if (!latest) return new DigestBuilder(new MerkleFrontier(height), 0, null, digests.chunkSize);
    if (latest.chunkSize !== digests.chunkSize) {
      throw new Error(
        `Stored digests use chunks of ${latest.chunkSize} leaves, this store ${digests.chunkSize}`,
      );
    }
    return new DigestBuilder(
      MerkleFrontier.from(latest.frontier, height),
      latest.upToPosition,
      latest.openChunkFirstPosition,
      latest.chunkSize,
    );
  }

  /** Position of the last event in the tree. */
  get position(): number {
    return this.lastPosition;
  }

  get size(): number {
    return this.frontier.size;
  }

  /** Events added since the last digest was taken. */
  get pending(): number {
    return this.pendingEvents;
  }

  add(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (event.position <= this.lastPosition) continue; // a replayed batch: already in the tree
      if (this.frontier.size % this.chunkSize === 0) this.openChunkFirstPosition = event.position;
      const chunkRoot = this.frontier.push(hashLeaf(event));
      if (chunkRoot) {
        this.pendingChunks.push({
          index: this.frontier.size / this.chunkSize - 1,
          firstPosition: this.openChunkFirstPosition!,
          lastPosition: event.position,
          root: chunkRoot.toString('hex'),
        });
        this.openChunkFirstPosition = null;
      }
      this.lastPosition = event.position;
      this.pendingEvents += 1;
    }
  }

  /** Takes what is pending as a digest to store; `restore` puts it back if storing failed. */
  take(createdAt: string): Pending | undefined {
    if (this.pendingEvents === 0 || this.frontier.size === 0) return undefined;
    const pending: Pending = {
      record: {
        upToPosition: this.lastPosition,
        eventCount: this.frontier.size,
        root: this.frontier.root().toString('hex'),
        algorithm: DIGEST_ALGORITHM,
        createdAt,
        frontier: this.frontier.state(),
        chunkSize: this.chunkSize,
        openChunkFirstPosition: this.openChunkFirstPosition,
      },
      chunks: this.pendingChunks,
      events: this.pendingEvents,
    };
    this.pendingChunks = [];
    this.pendingEvents = 0;
    return pending;
  }

  restore(pending: Pending): void {
    this.pendingChunks = [...pending.chunks, ...this.pendingChunks];
    this.pendingEvents += pending.events;
  }
}

export interface ComputeDigestOptions {
  /** Include events up to this position (default: the head when called). */
  readonly upToPosition?: number;
  readonly batchSize?: number;
  readonly clock?: () => Date;
  /** The keys events are signed with (default: the development key); every event is checked first. */
  readonly signing?: EventSigning | null;
  /** Signs the digest (Ed25519; default: the development key); null leaves it unsigned. */
  readonly digestSigning?: DigestSigning | null;
}

/**
 * Brings the digests up to the head now: one new digest, or undefined when nothing was appended since.
 * Throws FeedIntegrityError, digesting nothing, when an event fails verification.
 */
export async function computeDigest(
  events: EventStore,
  digests: DigestStore,
  options: ComputeDigestOptions = {},
): Promise<LedgerDigest | undefined> {
  const builder = await DigestBuilder.resume(digests);
  const head = options.upToPosition ?? (await events.headPosition());
  const batchSize = options.batchSize ?? 5000;
  const verifier = new FeedVerifier(events, { signing: options.signing });
  let next = events.readAll({ after: builder.position, limit: batchSize });
  for (;;) {
    const batch = (await next).filter((event) => event.position <= head);
    if (batch.length === 0) break;
    const last = batch[batch.length - 1]!.position;
    // Read ahead while hashing: the database works while this process hashes.
    next = last < head ? events.readAll({ after: last, limit: batchSize }) : Promise.resolve([]);
    const { verified, violation } = await verifier.verify(batch);
    if (violation) {
      await next.catch(() => undefined);
      throw new FeedIntegrityError(violation);
    }
    builder.add(verified);
  }
  await next.catch(() => undefined);
  const pending = builder.take((options.clock?.() ?? new Date()).toISOString());
  if (!pending) return undefined;
  const record = signed(pending.record, options.digestSigning);
  await digests.save(record, pending.chunks);
  return toLedgerDigest(record);
}

export interface DigestSchedulerOptions {
  /** Make a digest once this many events arrived since the last one. */
  readonly everyEvents: number;
  /** …or once this much time passed with at least one new event. */
  readonly everySeconds: number;
  readonly clock?: () => Date;
  /** Called after a digest is stored (e.g. to publish it to Kafka). */
  readonly onDigest?: (digest: LedgerDigest) => Promise<void> | void;
  readonly onError?: (error: unknown) => void;
  /**
   * The keys events are signed with (default: the development key). Every event is checked before it is
   * digested; the first that fails stops the scheduler there (`halted`), and no digest ever covers it.
   */
  readonly signing?: EventSigning | null;
  /** Signs every digest (Ed25519; default: the development key); null leaves them unsigned. */
  readonly digestSigning?: DigestSigning | null;
}

function signed(record: DigestRecord, signing: DigestSigning | null | undefined): DigestRecord {
  const signer = signing === undefined ? DigestSigning.development() : signing;
  return signer ? signer.sign(record) : record;
}

/** Follows the feed and stores a digest every N events or T seconds. One per deployment is enough. */
export class DigestScheduler {
  private builder: DigestBuilder | undefined;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastDigestAt = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private haltedBy: IntegrityViolation | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly digests: DigestStore,
    private readonly options: DigestSchedulerOptions,
  ) {}

  async start(): Promise<void> {
    const builder = await DigestBuilder.resume(this.digests);
    this.builder = builder;
    this.lastDigestAt = Date.now();
    const verifier = new FeedVerifier(this.events, { signing: this.options.signing });
    this.haltedBy = undefined;
    this.subscription = this.events.subscribe({
      after: builder.position,
      batchSize: 1000,
      onError: (error) => {
        if (error instanceof FeedIntegrityError) this.haltedBy = error.violation;
        this.options.onError?.(error);
      },
      handler: (batch) =>
        verifier.pass(batch, async (verified) => {
          builder.add(verified);
          if (builder.pending >= this.options.everyEvents) await this.flush();
        }),
    });
    const tick = Math.max(50, Math.min(1000, this.options.everySeconds * 1000));
    this.timer = setInterval(() => {
      if (builder.pending > 0 && Date.now() - this.lastDigestAt >= this.options.everySeconds * 1000) {
        this.flush().catch((error) => this.options.onError?.(error));
      }
    }, tick);
    this.timer.unref();
  }

  /** The event that failed verification and stopped the scheduler, if one did. */
  get halted(): IntegrityViolation | undefined {
    return this.haltedBy;
  }

  /** Position the scheduler has read up to. */
  get position(): number {
    return this.builder?.position ?? 0;
  }

  /** Waits until the scheduler has read the feed up to `position`. */
  waitFor(position: number, timeoutMs?: number): Promise<void> {
    if (!this.subscription) return Promise.reject(new Error('The digest scheduler is not running'));
    return this.subscription.waitFor(position, timeoutMs);
  }

  /** Stores a digest of what has been read, if anything is new. Calls run one at a time. */
  flush(): Promise<LedgerDigest | undefined> {
    const run = this.queue.then(() => this.flushNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    await this.queue;
  }

  private async flushNow(): Promise<LedgerDigest | undefined> {
    const builder = this.builder;
    if (!builder) return undefined;
    const pending = builder.take((this.options.clock?.() ?? new Date()).toISOString());
    if (!pending) return undefined;
    const record = signed(pending.record, this.options.digestSigning);
    try {
      await this.digests.save(record, pending.chunks);
    } catch (error) {
      builder.restore(pending);
      throw error;
    }
    this.lastDigestAt = Date.now();
    const digest = toLedgerDigest(record);
    try {
      await this.options.onDigest?.(digest);
    } catch (error) {
      this.options.onError?.(error);
    }
    return digest;
  }
}
