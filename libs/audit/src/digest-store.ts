// Digests of the ledger and where they are kept. A stored digest is a convenience for the ledger itself;
// its worth as evidence comes from the copies outside parties hold (Kafka credit.digests.v1, exports).
import type { FrontierState } from './merkle/merkle-tree';

/** A Merkle root over every event of the global feed with a position up to `upToPosition`. */
export interface LedgerDigest {
  readonly upToPosition: number;
  /** Leaves of the tree: the events with position <= upToPosition. */
  readonly eventCount: number;
  /** SHA-256 root, lower-case hex. */
  readonly root: string;
  readonly algorithm: string;
  /** When the digest was made (ISO 8601); not part of the root (the signature covers it). */
  readonly createdAt: string;
  /** Id of the Ed25519 key that signed the digest (digest-signing.ts); absent on digests made before signing. */
  readonly keyId?: string;
  /** base64url Ed25519 signature over the fields above (docs/ledger-proofs.md §4). */
  readonly signature?: string;
}

/** A digest as the ledger keeps it: with the frontier the next digest continues from. */
export interface DigestRecord extends LedgerDigest {
  readonly frontier: FrontierState;
  /** Leaves per stored chunk (a power of two); fixed for the life of a ledger. */
  readonly chunkSize: number;
  /** Position of the first leaf of the chunk still open at this digest (null when none is open). */
  readonly openChunkFirstPosition: number | null;
}

/**
 * The root of the aligned subtree of leaves [index × chunkSize, (index + 1) × chunkSize): every tree that
 * holds those leaves holds this subtree, so proofs and verification reuse it instead of reading the feed.
 */
export interface ChunkRoot {
  readonly index: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  readonly root: string;
}

export const DIGEST_STORE = Symbol('DIGEST_STORE');

export interface DigestStore {
  readonly chunkSize: number;
  latest(): Promise<DigestRecord | undefined>;
  get(upToPosition: number): Promise<DigestRecord | undefined>;
  /** Digests in position order. */
  list(options?: { readonly afterPosition?: number; readonly limit?: number }): Promise<LedgerDigest[]>;
  /** Stores a digest and the chunks completed since the previous one, atomically; false when it existed. */
  save(digest: DigestRecord, chunks: readonly ChunkRoot[]): Promise<boolean>;
  /** Chunks with index in [fromIndex, toIndex), in order. */
  chunks(fromIndex: number, toIndex: number): Promise<ChunkRoot[]>;
  chunkContaining(position: number): Promise<ChunkRoot | undefined>;
  /** Position of a stored event, looked up by its id (the store's port cannot look ids up across streams). */
  positionOfEvent(eventId: string): Promise<number | undefined>;
}

export function toLedgerDigest(record: LedgerDigest): LedgerDigest {
  const { upToPosition, eventCount, root, algorithm, createdAt, keyId, signature } = record;
  return {
    upToPosition,
    eventCount,
    root,
    algorithm,
    createdAt,
    ...(keyId && signature ? { keyId, signature } : {}),
  };
}
