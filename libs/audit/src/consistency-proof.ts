// The prover of consistency: that a later digest's tree extends an earlier one's (RFC 9162 §2.1.4), so an
// outside party holding both signed digests knows nothing covered by the first was changed, removed or
// reordered by the time of the second. Perfect subtrees of whole chunks come from stored chunk roots; only
// the leaves of at most a few chunks are read.
import type { EventStore } from '@ledger/event-store';
import {
  toLedgerDigest,
  type ChunkRoot,
  type DigestRecord,
  type DigestStore,
  type LedgerDigest,
} from './digest-store';
import { ProofUnavailable } from './inclusion-proof';
import { consistencyPath, hashLeaf, hashNode, rangeRoot, splitPoint } from './merkle/merkle-tree';

export interface ConsistencyProof {
  readonly algorithm: string;
  /** The earlier digest: its eventCount is the first tree's size. */
  readonly from: LedgerDigest;
  /** The later digest: its eventCount is the second tree's size. */
  readonly to: LedgerDigest;
  /** RFC 9162 consistency path, hex; empty when both digests cover the same events. */
  readonly proof: readonly string[];
}

/** Proves that the digest up to `to` extends the digest up to `from` (both stored digests' positions). */
export async function proveConsistency(
  events: EventStore,
  digests: DigestStore,
  from: number,
  to: number,
): Promise<ConsistencyProof> {
  const [first, second] = await Promise.all([digests.get(from), digests.get(to)]);
  if (!first) throw new ProofUnavailable('AUDIT.DIGEST_NOT_FOUND', `No digest up to position ${from}`);
  if (!second) throw new ProofUnavailable('AUDIT.DIGEST_NOT_FOUND', `No digest up to position ${to}`);
  if (first.upToPosition > second.upToPosition || first.eventCount > second.eventCount)
    throw new ProofUnavailable(
      'AUDIT.DIGESTS_OUT_OF_ORDER',
      `The digest up to ${from} is not earlier than the one up to ${to}`,
    );
  const subtree = await subtreeOf(events, digests, second);
  const path = await consistencyPath(first.eventCount, second.eventCount, subtree);
  return {
    algorithm: second.algorithm,
    from: toLedgerDigest(first),
    to: toLedgerDigest(second),
    proof: path.map((hash) => hash.toString('hex')),
  };
}

/** Hashes of ranges of the digest's tree, from chunk roots where whole chunks make them, else from leaves read. */
async function subtreeOf(
  events: EventStore,
  digests: DigestStore,
  digest: DigestRecord,
): Promise<(lo: number, hi: number) => Promise<Buffer>> {
  const size = digest.chunkSize;
  const n = digest.eventCount;
  const fullChunks = Math.floor(n / size);
  const chunks = await digests.chunks(0, fullChunks);
  const complete = chunks.length === fullChunks && chunks.every((c, i) => c.index === i);
  const roots = complete ? chunks.map((c: ChunkRoot) => Buffer.from(c.root, 'hex')) : [];
  const differs = (why: string) =>
    new ProofUnavailable(
      'AUDIT.LEDGER_DIFFERS_FROM_DIGEST',
      `The ledger no longer matches the digest up to ${digest.upToPosition}: ${why}; run verification`,
    );

  const leavesOfChunk = new Map<number, Promise<Buffer[]>>();
  const readLeaves = async (after: number, count: number): Promise<Buffer[]> => {
    const read = (await events.readAll({ after, limit: count })).filter(
      (e) => e.position <= digest.upToPosition,
    );
    if (read.length !== count)
      throw differs(`expected ${count} events after position ${after}, found ${read.length}`);
    return read.map(hashLeaf);
  };
  let all: Promise<Buffer[]> | undefined;
  const allLeaves = () =>
    (all ??= (async () => {
      const leaves: Buffer[] = [];
      for (let after = 0; leaves.length < n;) {
        const batch = (await events.readAll({ after, limit: 5000 })).filter(
          (e) => e.position <= digest.upToPosition,
        );
        if (batch.length === 0) break;
        leaves.push(...batch.map(hashLeaf));
        after = batch[batch.length - 1]!.position;
      }
      if (leaves.length !== n)
        throw differs(`it covered ${n} events, the feed holds ${leaves.length} up to there`);
      return leaves;
    })());
  const leaf = async (index: number): Promise<Buffer> => {
    if (!complete) return (await allLeaves())[index]!;
    const c = Math.floor(index / size);
    let loading = leavesOfChunk.get(c);
    if (!loading) {
      loading =
        c < fullChunks
          ? readLeaves(chunks[c]!.firstPosition - 1, size).then((leaves) => {
              if (rangeRoot(leaves).toString('hex') !== chunks[c]!.root)
                throw differs(`the events of chunk ${c} no longer give its stored root`);
              return leaves;
            })
          : readLeaves(fullChunks > 0 ? chunks[fullChunks - 1]!.lastPosition : 0, n % size);
      leavesOfChunk.set(c, loading);
    }
    return (await loading)[index % size]!;
  };
  const subtree = async (lo: number, hi: number): Promise<Buffer> => {
    const width = hi - lo;
    if (width === 1) return leaf(lo);
    if (
      complete &&
      lo % size === 0 &&
      width % size === 0 &&
      Number.isInteger(Math.log2(width)) &&
      hi <= fullChunks * size
    )
      return rangeRoot(roots, lo / size, hi / size);
    const k = splitPoint(width);
    return hashNode(await subtree(lo, lo + k), await subtree(lo + k, hi));
  };
  return subtree;
}
