// The prover: the audit path of one event against a digest. It reads the event's chunk (at most
// chunkSize events) and the digest's unfinished last chunk; every other subtree comes from stored chunk
// roots, so a proof costs the same at a thousand events and at a billion.
import type { EventStore, StoredEvent } from '@ledger/event-store';
import {
  toLedgerDigest,
  type ChunkRoot,
  type DigestRecord,
  type DigestStore,
  type LedgerDigest,
} from './digest-store';
import { auditPath, hashLeaf, hashNode, rangeRoot, splitPoint, type LeafFields } from './merkle/merkle-tree';

export interface InclusionProof {
  readonly algorithm: string;
  readonly leaf: LeafFields;
  /** 0-based index of the leaf among the digest's leaves (events in position order). */
  readonly leafIndex: number;
  /** Leaves in the tree: the digest's eventCount. */
  readonly treeSize: number;
  /** Sibling hashes (hex), from the leaf's sibling up to the root's child. */
  readonly auditPath: readonly string[];
  readonly digest: LedgerDigest;
}

export type ProofRefusalCode =
  | 'AUDIT.EVENT_NOT_FOUND'
  | 'AUDIT.DIGEST_NOT_FOUND'
  | 'AUDIT.EVENT_NOT_IN_DIGEST'
  | 'AUDIT.LEDGER_DIFFERS_FROM_DIGEST'
  | 'AUDIT.DIGESTS_OUT_OF_ORDER';

export class ProofUnavailable extends Error {
  constructor(
    readonly code: ProofRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** Proves that an event is in a digest (by default the latest one). */
export async function proveInclusion(
  events: EventStore,
  digests: DigestStore,
  eventId: string,
  upToPosition?: number,
): Promise<{ proof: InclusionProof; event: StoredEvent }> {
  const position = await digests.positionOfEvent(eventId);
  if (position === undefined) throw new ProofUnavailable('AUDIT.EVENT_NOT_FOUND', `No event ${eventId}`);
  const digest = upToPosition === undefined ? await digests.latest() : await digests.get(upToPosition);
  if (!digest) {
    throw new ProofUnavailable(
      'AUDIT.DIGEST_NOT_FOUND',
      upToPosition === undefined ? 'No digest has been made yet' : `No digest up to position ${upToPosition}`,
    );
  }
  if (position > digest.upToPosition) {
    throw new ProofUnavailable(
      'AUDIT.EVENT_NOT_IN_DIGEST',
      `Event ${eventId} (position ${position}) came after the digest up to ${digest.upToPosition}`,
    );
  }
  return proveAgainst(events, digests, eventId, position, digest);
}

async function proveAgainst(
  events: EventStore,
  digests: DigestStore,
  eventId: string,
  position: number,
  digest: DigestRecord,
): Promise<{ proof: InclusionProof; event: StoredEvent }> {
  const size = digest.chunkSize;
  const n = digest.eventCount;
  const fullChunks = Math.floor(n / size);
  const chunkRoots = await digests.chunks(0, fullChunks);
  const differs = (why: string) =>
    new ProofUnavailable(
      'AUDIT.LEDGER_DIFFERS_FROM_DIGEST',
      `The ledger no longer matches the digest up to ${digest.upToPosition}: ${why}; run verification`,
    );

  const leaves = new Map<number, Buffer>();
  const loaded = new Map<number, StoredEvent>();
  const load = async (firstIndex: number, after: number, count: number, expectLast?: number) => {
    const batch = (await events.readAll({ after, limit: count })).filter(
      (e) => e.position <= digest.upToPosition,
    );
    if (
      batch.length !== count ||
      (expectLast !== undefined && batch[batch.length - 1]?.position !== expectLast)
    ) {
      throw differs(`expected ${count} events after position ${after}, found ${batch.length}`);
    }
    batch.forEach((event, i) => {
      leaves.set(firstIndex + i, hashLeaf(event));
      loaded.set(firstIndex + i, event);
    });
  };

  let chunkRootsComplete = chunkRoots.length === fullChunks && chunkRoots.every((c, i) => c.index === i);
  if (chunkRootsComplete) {
    const own = chunkRoots.find((c) => c.firstPosition <= position && position <= c.lastPosition);
    if (own) await load(own.index * size, own.firstPosition - 1, size, own.lastPosition);
    if (n % size !== 0) {
      const tailAfter = fullChunks > 0 ? chunkRoots[fullChunks - 1]!.lastPosition : 0;
      await load(fullChunks * size, tailAfter, n % size);
    }
    if (![...loaded.values()].some((e) => e.position === position)) chunkRootsComplete = false;
  }
  if (!chunkRootsComplete) {
    // Chunk roots missing (digests made before chunks were kept): read every leaf of the tree.
    leaves.clear();
    loaded.clear();
    for (let after = 0, index = 0; index < n;) {
      const batch = (await events.readAll({ after, limit: 5000 })).filter(
        (e) => e.position <= digest.upToPosition,
      );
      if (batch.length === 0) break;
      for (const event of batch) {
        leaves.set(index, hashLeaf(event));
        loaded.set(index++, event);
      }
      after = batch[batch.length - 1]!.position;
    }
    if (leaves.size !== n) throw differs(`it covered ${n} events, the feed holds ${leaves.size} up to there`);
  }

  const leafIndex = [...loaded.entries()].find(([, e]) => e.position === position)?.[0];
  const event = leafIndex === undefined ? undefined : loaded.get(leafIndex);
  if (leafIndex === undefined || !event || event.id !== eventId)
    throw differs(`event ${eventId} is not where the digest put position ${position}`);

  const rootsByIndex = chunkRootsComplete ? chunkRoots.map((c: ChunkRoot) => Buffer.from(c.root, 'hex')) : [];
  const subtree = (lo: number, hi: number): Buffer => {
    const width = hi - lo;
    if (width === 1) {
      const leaf = leaves.get(lo);
      if (!leaf) throw differs(`leaf ${lo} is needed but was not read`);
      return leaf;
    }
    // A perfect, aligned range of whole chunks is a subtree of chunk roots.
    if (
      chunkRootsComplete &&
      lo % size === 0 &&
      width % size === 0 &&
      Number.isInteger(Math.log2(width)) &&
      hi <= fullChunks * size
    ) {
      return rangeRoot(rootsByIndex, lo / size, hi / size);
    }
    const k = splitPoint(width);
    return hashNode(subtree(lo, lo + k), subtree(lo + k, hi));
  };

  // The chunks read must still give their stored roots, and the whole must give the digest's root.
  if (chunkRootsComplete) {
    for (const chunk of chunkRoots) {
      const lo = chunk.index * size;
      if (!leaves.has(lo)) continue;
      if (
        rangeRoot(Array.from({ length: size }, (_, i) => leaves.get(lo + i)!)).toString('hex') !== chunk.root
      ) {
        throw differs(
          `the events at positions ${chunk.firstPosition}..${chunk.lastPosition} no longer give their chunk root`,
        );
      }
    }
  }
  if (subtree(0, n).toString('hex') !== digest.root) throw differs('the recomputed root differs');
  const path = auditPath(leafIndex, n, subtree).map((hash) => hash.toString('hex'));
  return {
    event,
    proof: {
      algorithm: digest.algorithm,
      leaf: {
        position: event.position,
        streamId: event.streamId,
        revision: event.revision,
        hash: event.hash,
      },
      leafIndex,
      treeSize: n,
      auditPath: path,
      digest: toLedgerDigest(digest),
    },
  };
}
