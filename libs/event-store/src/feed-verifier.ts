// The one check every follower of the feed runs before it acts on an event (the relay before publishing,
// the digester before digesting, the case initiator and the read models before folding): the content
// hashes to the stored hash, the chain link names the previous event of the stream, and the appending
// process signed it. The first event that fails stops the follower there: what came before it is handed
// on, it and everything after are not, and the follower reports the violation instead of retrying.
// Followers that read the data (not the digester: it hashes bytes) also have each checked event upcast to the
// current shape of its type here, after the checks, so hashes and signatures are always over the stored
// bytes; an event of a version this release does not know stops the follower the same way.
import { EventSigning } from './event-signing';
import type { EventStore, StoredEvent } from './event-store.port';
import { hashEvent } from './hash-chain';

export type IntegrityReason =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'revision_gap'
  | 'position_order'
  | 'signature_missing'
  | 'signature_unknown_key'
  | 'signature_mismatch'
  /** Not tampering: written by a newer release (a rolling upgrade) in a version this one cannot read. */
  | 'unknown_schema_version';

export interface IntegrityViolation {
  readonly reason: IntegrityReason;
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly message: string;
}

/**
 * Thrown by a follower's handler when the feed holds an event that fails its checks. Subscriptions stop on
 * it (they do not retry: the row will not heal by itself), at `lastHandledPosition` when the events before
 * the bad one were handled.
 */
export class FeedIntegrityError extends Error {
  constructor(
    readonly violation: IntegrityViolation,
    /** Position of the last event handed on before the violation, if any in this batch. */
    readonly lastHandledPosition?: number,
  ) {
    super(
      `Event ${violation.eventId} at position ${violation.position} (${violation.streamId}@${violation.revision}) ` +
        (violation.reason === 'unknown_schema_version'
          ? `cannot be read by this release (${violation.reason}): ${violation.message}.`
          : `failed verification (${violation.reason}): ${violation.message}.`) +
        ' Not passed on; this follower stopped there',
    );
    this.name = 'FeedIntegrityError';
  }
}

export interface FeedVerifierOptions {
  /** The keys events are signed with (default: the development key); null checks hashes and links only. */
  readonly signing?: EventSigning | null;
  /** Streams whose last verified event is remembered; a miss reads the predecessor from the store. */
  readonly cacheSize?: number;
  /**
   * Turns a checked event into the current shape of its type (the domain's upcastEvent), for followers that
   * read event data; throws for a version it does not know, which stops the follower at that event
   * (`unknown_schema_version`). Absent: events are handed on as stored.
   */
  readonly upcast?: (event: StoredEvent) => StoredEvent;
}

interface Head {
  readonly revision: number;
  readonly hash: string;
  /** False for a predecessor read from the store that fails its own hash or signature. */
  readonly sound: boolean;
}

const DEFAULT_CACHE_SIZE = 100_000;
/**
 * Events whose content hash and signature held, with the signing they were checked under. The followers of
 * one process share the events of the feed's tail (FeedTail hands them the same objects, never to be
 * modified), so the hashing and the HMAC, the costly part, are done once per event and process instead of
 * once per follower; each follower still checks its own chain links.
 */
const contentVerified = new WeakMap<StoredEvent, EventSigning | null>();
/** Predecessors read at once for a batch's streams that are not in the cache. */
const PREDECESSOR_READS_IN_FLIGHT = 8;

export class FeedVerifier {
  private readonly signing: EventSigning | null;
  private readonly heads = new Map<string, Head>();
  private readonly cacheSize: number;
  private readonly upcast: ((event: StoredEvent) => StoredEvent) | undefined;
  private lastPosition = 0;

  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    options: FeedVerifierOptions = {},
  ) {
    this.signing = options.signing === undefined ? EventSigning.development() : options.signing;
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.upcast = options.upcast;
  }

  /**
   * The batch's events up to the first that fails (all of them when none does), and that failure. A batch
   * handed again (a follower retrying) is verified again, against the same stream heads. With `upcast`, the
   * events handed back are in their current shapes (the stored objects where nothing changed).
   */
  async verify(
    batch: readonly StoredEvent[],
  ): Promise<{ readonly verified: readonly StoredEvent[]; readonly violation?: IntegrityViolation }> {
    await this.loadPredecessors(batch);
    const upcast: StoredEvent[] | undefined = this.upcast ? [] : undefined;
    // A batch that starts at or below what was verified already is handed again (a retry): its order was
    // checked the first time, and the stream heads remembered since may lie beyond it.
    let previousPosition =
      batch.length > 0 && batch[0]!.position <= this.lastPosition ? 0 : this.lastPosition;
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      const violation =
        event.position <= previousPosition
          ? this.violation(
              event,
              'position_order',
              `position ${event.position} came after ${previousPosition}`,
            )
          : await this.check(event, event.position > this.lastPosition);
      if (violation) return { verified: upcast ? upcast : batch.slice(0, i), violation };
      // Its chain link and content held: it is the stream's head whether or not this release can read it.
      previousPosition = event.position;
      this.lastPosition = Math.max(this.lastPosition, event.position);
      this.remember(event.streamId, { revision: event.revision, hash: event.hash, sound: true });
      if (upcast) {
        try {
          upcast.push(this.upcast!(event));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { verified: upcast, violation: this.violation(event, 'unknown_schema_version', reason) };
        }
      }
    }
    return { verified: upcast ?? batch };
  }

  /** Verifies the batch and hands the verified part to `handler`; throws FeedIntegrityError after it on a violation. */
  async pass(
    batch: readonly StoredEvent[],
    handler: (events: readonly StoredEvent[]) => Promise<void>,
  ): Promise<void> {
    const { verified, violation } = await this.verify(batch);
    if (verified.length > 0) await handler(verified);
    if (violation) throw new FeedIntegrityError(violation, verified[verified.length - 1]?.position);
  }

  /** `fresh`: the event lies beyond everything verified so far, so its stream's remembered head precedes it. */
  private async check(event: StoredEvent, fresh: boolean): Promise<IntegrityViolation | undefined> {
    const verifiedBefore = contentVerified.has(event) && contentVerified.get(event) === this.signing;
    if (!verifiedBefore && hashEvent(event) !== event.hash)
      return this.violation(event, 'hash_mismatch', 'the content does not hash to the stored hash (edited)');
    const cached = this.heads.get(event.streamId);
    if (fresh && cached && event.revision !== cached.revision + 1)
      return this.violation(
        event,
        'revision_gap',
        `revision ${event.revision} where ${cached.revision + 1} was due (an event was removed or reordered)`,
      );
    if (event.revision === 0) {
      if (event.prevHash !== null)
        return this.violation(event, 'prev_hash_mismatch', 'the first event of a stream names a predecessor');
    } else {
      const again = cached?.revision === event.revision && cached.hash === event.hash; // a batch handed again
      const previous = again
        ? undefined
        : cached?.revision === event.revision - 1
          ? cached
          : await this.predecessorOf(event);
      if (previous === 'none')
        return this.violation(
          event,
          'revision_gap',
          `revision ${event.revision - 1} of the stream is missing (removed or reordered)`,
        );
      if (previous && !previous.sound)
        return this.violation(
          event,
          'prev_hash_mismatch',
          'the previous event of the stream fails its own hash or signature',
        );
      if (previous && event.prevHash !== previous.hash)
        return this.violation(
          event,
          'prev_hash_mismatch',
          "prevHash does not name the previous event's hash",
        );
    }
    if (this.signing && !verifiedBefore) {
      const signed = this.signing.check(event);
      if (!signed.ok) return this.violation(event, signed.reason, `${signed.message}; a forgery`);
    }
    contentVerified.set(event, this.signing);
    return undefined;
  }

  /** Reads the predecessors of the batch's first events in streams not cached, a few at a time. */
  private async loadPredecessors(batch: readonly StoredEvent[]): Promise<void> {
    // Only for a stream whose first event in the batch is not its first: the others chain from within the batch.
    const wanted = new Map<string, StoredEvent | undefined>();
    for (const event of batch) {
      if (!wanted.has(event.streamId) && !this.heads.has(event.streamId))
        wanted.set(event.streamId, event.revision > 0 ? event : undefined);
    }
    const queue = [...wanted.values()].filter((event): event is StoredEvent => event !== undefined);
    const worker = async () => {
      for (let event = queue.pop(); event; event = queue.pop()) {
        const previous = await this.predecessorOf(event);
        if (previous !== 'none' && previous.sound && !this.heads.has(event.streamId))
          this.remember(event.streamId, previous);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PREDECESSOR_READS_IN_FLIGHT, queue.length) }, worker));
  }

  /**
   * The stored event before this one, itself checked (hash and signature): its own link was checked when it
   * was passed on, or lies before this follower's checkpoint. 'none' when the stream has nothing before it.
   */
  private async predecessorOf(event: StoredEvent): Promise<Head | 'none'> {
    if (event.revision === 0) return 'none';
    const [previous] = await this.store.readStream(event.streamId, {
      fromRevision: event.revision - 1,
      toRevision: event.revision - 1,
    });
    if (!previous) return 'none';
    const sound = hashEvent(previous) === previous.hash && (this.signing?.check(previous).ok ?? true);
    return { revision: previous.revision, hash: previous.hash, sound };
  }

  private remember(streamId: string, head: Head): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.cacheSize) this.heads.delete(this.heads.keys().next().value!);
  }

  private violation(event: StoredEvent, reason: IntegrityReason, message: string): IntegrityViolation {
    return {
      reason,
      position: event.position,
      streamId: event.streamId,
      revision: event.revision,
      eventId: event.id,
      message: `${event.streamId}@${event.revision}: ${message}`,
    };
  }
}
