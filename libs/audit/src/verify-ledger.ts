// Verifies the whole ledger in one pass over the global feed: every stream's hash chain (tracking each
// stream's last revision and hash, no per-stream reads), every stored chunk root, and every digest.
// A chain catches an edited or removed event; only a digest made earlier catches a stream's tail cut off
// or a whole chain rewritten consistently (its hashes recomputed), which is what digests are for. Every row
// must also carry a valid signature of the appending process (above LEDGER_UNSIGNED_UP_TO): a row without
// one is a forgery, however well its chain hash was computed.
import { EventSigning, hashEvent, type EventStore, type StoredEvent } from '@ledger/event-store';
import type { ChunkRoot, LedgerDigest } from './digest-store';
import { chunkHeightOf } from './digester';
import { DIGEST_ALGORITHM, hashLeaf, MerkleFrontier } from './merkle/merkle-tree';

export type FailureReason =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'revision_gap'
  | 'position_order'
  | 'chunk_root_mismatch'
  | 'digest_event_count_mismatch'
  | 'digest_root_mismatch'
  | 'digest_unknown_algorithm'
  | 'signature_missing'
  | 'signature_unknown_key'
  | 'signature_mismatch';

export interface VerificationFailure {
  readonly reason: FailureReason;
  /** The failing event's position; for chunk and digest failures, the first position the damage may lie at. */
  readonly position: number;
  /** For chunk and digest failures: the last position the damage may lie at. */
  readonly toPosition?: number;
  readonly streamId?: string;
  readonly revision?: number;
  readonly digest?: LedgerDigest;
  readonly chunkIndex?: number;
  readonly message: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly firstFailure?: VerificationFailure;
  /** Up to `maxFailures`, in the order the pass met them (a chunk or digest failure when its range ends). */
  readonly failures: readonly VerificationFailure[];
  /** Position of the last event read (the head when the run started). */
  readonly checkedUpToPosition: number;
  readonly events: number;
  readonly streams: number;
  readonly digestsChecked: number;
  readonly chunksChecked: number;
  /** Whether signatures were checked (a verifier given no keys, `signing: null`, checks chains only). */
  readonly signaturesChecked: boolean;
  /** Events whose signature held. */
  readonly signedEvents: number;
  /** Events at or below LEDGER_UNSIGNED_UP_TO without a signature: written before events were signed. */
  readonly legacyUnsignedEvents: number;
  /** The bound below which unsigned rows were accepted. */
  readonly unsignedUpTo: number;
  readonly durationMs: number;
  readonly eventsPerSecond: number;
}

export interface VerifyLedgerOptions {
  /** Stored chunk roots (from the DigestStore): checked too, and they narrow a failure down to a chunk. */
  readonly chunks?: readonly ChunkRoot[];
  readonly chunkSize?: number;
  readonly batchSize?: number;
  readonly maxFailures?: number;
  /**
   * The keys events were signed with (default: the development key); null checks no signatures (a ledger
   * written before signing, or someone without the keys).
   */
  readonly signing?: EventSigning | null;
  /** Verify up to this position (default: the head when the run starts). */
  readonly upToPosition?: number;
  readonly onProgress?: (progress: {
    readonly position: number;
    readonly head: number;
    readonly events: number;
  }) => void;
}

interface StreamHead {
  revision: number;
  hash: string;
}

export async function verifyLedger(
  store: EventStore,
  digests: readonly LedgerDigest[],
  options: VerifyLedgerOptions = {},
): Promise<VerificationReport> {
  const started = performance.now();
  const head = options.upToPosition ?? (await store.headPosition());
  const batchSize = options.batchSize ?? 5000;
  const maxFailures = options.maxFailures ?? 100;
  const chunkSize = options.chunkSize ?? 1024;
  const frontier = new MerkleFrontier(chunkHeightOf(chunkSize));
  const storedChunks = new Map((options.chunks ?? []).map((chunk) => [chunk.index, chunk]));
  const pendingDigests = [...digests].sort((a, b) => a.upToPosition - b.upToPosition);
  const streams = new Map<string, StreamHead>();
  const signing = options.signing === undefined ? EventSigning.development() : options.signing;
  let signedEvents = 0;
  let legacyUnsignedEvents = 0;
  const failures: VerificationFailure[] = [];
  let events = 0;
  let digestsChecked = 0;
  let chunksChecked = 0;
  let lastPosition = 0;
  let lastGoodDigestPosition = 0;
  let chunkFirstPosition = 0;

  const fail = (failure: VerificationFailure) => {
    if (failures.length < maxFailures) failures.push(failure);
  };

  /** Checks the digests that cover exactly the events read so far (all events up to their position). */
  const checkDigestsUpTo = (position: number) => {
    while (pendingDigests.length > 0 && pendingDigests[0]!.upToPosition < position) {
      const digest = pendingDigests.shift()!;
      digestsChecked += 1;
      const range = { position: lastGoodDigestPosition + 1, toPosition: digest.upToPosition, digest };
      if (digest.algorithm !== DIGEST_ALGORITHM) {
        fail({
          ...range,
          reason: 'digest_unknown_algorithm',
          message: `Digest at ${digest.upToPosition} uses ${digest.algorithm}`,
        });
        continue;
      }
      const root = frontier.root().toString('hex');
      if (frontier.size !== digest.eventCount) {
        fail({
          ...range,
          reason: 'digest_event_count_mismatch',
          message: `Digest at position ${digest.upToPosition} covered ${digest.eventCount} events; the feed now holds ${frontier.size} up to there`,
        });
      } else if (root !== digest.root) {
        fail({
          ...range,
          reason: 'digest_root_mismatch',
          message: `Digest at position ${digest.upToPosition}: root ${digest.root}, recomputed ${root}; an event between ${range.position} and ${digest.upToPosition} was changed, moved or replaced`,
        });
      } else {
        lastGoodDigestPosition = digest.upToPosition;
      }
    }
  };

  const visit = (event: StoredEvent) => {
    checkDigestsUpTo(event.position);
    const at = { position: event.position, streamId: event.streamId, revision: event.revision };
    if (event.position <= lastPosition) {
      fail({
        ...at,
        reason: 'position_order',
        message: `Position ${event.position} came after ${lastPosition}`,
      });
    }
    lastPosition = event.position;
    const previous = streams.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      fail({
        ...at,
        reason: 'revision_gap',
        message: `${event.streamId}: revision ${event.revision} where ${expectedRevision} was due (an event was removed or reordered)`,
      });
    } else if (event.prevHash !== (previous?.hash ?? null)) {
      fail({
        ...at,
        reason: 'prev_hash_mismatch',
        message: `${event.streamId}@${event.revision}: prevHash does not name the previous event's hash`,
      });
    }
    if (hashEvent(event) !== event.hash) {
      fail({
        ...at,
        reason: 'hash_mismatch',
        message: `${event.streamId}@${event.revision}: content does not hash to the stored hash (edited)`,
      });
    }
    if (signing) {
      const check = signing.check(event);
      if (check.ok) {
        if (check.legacy) legacyUnsignedEvents += 1;
        else signedEvents += 1;
      } else {
        fail({
          ...at,
          reason: check.reason,
          message: `${event.streamId}@${event.revision}: ${check.message}; a forgery whatever its chain hash`,
        });
      }
    }
    streams.set(event.streamId, { revision: event.revision, hash: event.hash });

    if (frontier.size % chunkSize === 0) chunkFirstPosition = event.position;
    const chunkRoot = frontier.push(hashLeaf(event));
    if (chunkRoot) {
      const index = frontier.size / chunkSize - 1;
      const stored = storedChunks.get(index);
      if (stored) {
        chunksChecked += 1;
        if (
          stored.root !== chunkRoot.toString('hex') ||
          stored.firstPosition !== chunkFirstPosition ||
          stored.lastPosition !== event.position
        ) {
          fail({
            reason: 'chunk_root_mismatch',
            position: Math.min(stored.firstPosition, chunkFirstPosition),
            toPosition: Math.max(stored.lastPosition, event.position),
            chunkIndex: index,
            message: `Leaves ${index * chunkSize}..${(index + 1) * chunkSize - 1} (positions ${stored.firstPosition}..${stored.lastPosition} when stored) no longer give the stored chunk root`,
          });
        }
      }
    }
    events += 1;
  };

  let next = store.readAll({ after: 0, limit: batchSize });
  for (;;) {
    const batch = await next;
    const within = batch.filter((event) => event.position <= head);
    if (within.length === 0) break;
    const last = within[within.length - 1]!.position;
    next =
      within.length === batch.length && last < head
        ? store.readAll({ after: last, limit: batchSize })
        : Promise.resolve([]);
    for (const event of within) visit(event);
    options.onProgress?.({ position: last, head, events });
  }
  // Digests at or beyond the last event read. Past the head they are checked too: events cut off the end
  // of the feed leave a digest pointing beyond it. Only an explicit bound leaves later digests aside.
  checkDigestsUpTo(options.upToPosition === undefined ? Number.POSITIVE_INFINITY : head + 1);

  const failuresInOrder = failures;
  const durationMs = performance.now() - started;
  return {
    ok: failuresInOrder.length === 0,
    firstFailure: failuresInOrder[0],
    failures: failuresInOrder,
    checkedUpToPosition: lastPosition,
    events,
    streams: streams.size,
    digestsChecked,
    chunksChecked,
    signaturesChecked: signing !== null,
    signedEvents,
    legacyUnsignedEvents,
    unsignedUpTo: signing?.unsignedUpTo ?? 0,
    durationMs: Math.round(durationMs),
    eventsPerSecond: durationMs > 0 ? Math.round((events / durationMs) * 1000) : events,
  };
}
