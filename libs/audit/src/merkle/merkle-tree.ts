// The Merkle tree over the global feed (RFC 6962 / RFC 9162 shape, SHA-256, domain-separated leaves and
// nodes). Leaves bind each event's position, stream, revision and chain hash, so editing, removing,
// reordering or moving an event changes the root. docs/ledger-proofs.md specifies every byte.
import { createHash } from 'node:crypto';
import { canonicalJson } from '@ledger/event-store';

/** Names the leaf layout, the tree shape and the hash: what a digest's root means. */
export const DIGEST_ALGORITHM = 'ledger-merkle-sha256-v1';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** What a leaf commits to: where the event sits in the feed and in its stream, and its chain hash. */
export interface LeafFields {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

/** The leaf's bytes before prefixing: RFC 8785 JSON of exactly these four members. */
export function leafData(event: LeafFields): string {
  return canonicalJson({
    hash: event.hash,
    position: event.position,
    revision: event.revision,
    streamId: event.streamId,
  });
}

/** SHA-256(0x00 || leafData). */
export function hashLeaf(event: LeafFields): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leafData(event), 'utf8').digest();
}

/** SHA-256(0x01 || left || right). */
export function hashNode(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The root of no leaves, as RFC 6962 defines it: SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** Largest power of two strictly below n (n >= 2): where RFC 6962 splits a range. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Hash of the range [lo, hi) of a tree, RFC 6962 style, given the hashes of its leaves. */
export function rangeRoot(leaves: readonly Buffer[], lo = 0, hi = leaves.length): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = splitPoint(n);
  return hashNode(rangeRoot(leaves, lo, lo + k), rangeRoot(leaves, lo + k, hi));
}

/**
 * The audit path of leaf m in a tree of n leaves (RFC 6962 §2.1.1 PATH), nearest sibling first.
 * `subtree(lo, hi)` supplies the hash of any range the path needs, from leaves or stored subtree roots.
 */
export function auditPath(m: number, n: number, subtree: (lo: number, hi: number) => Buffer): Buffer[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m >= n) {
    throw new RangeError(`Leaf ${m} is not in a tree of ${n} leaves`);
  }
  const path: Buffer[] = [];
  let lo = 0;
  let hi = n;
  // Walk down from the root; each step records the sibling range's hash. Reversed at the end (leaf first).
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < lo + k) {
      path.push(subtree(lo + k, hi));
      hi = lo + k;
    } else {
      path.push(subtree(lo, lo + k));
      lo += k;
    }
  }
  return path.reverse();
}

export interface FrontierPeak {
  readonly height: number;
  readonly hash: string;
}

/** The serialisable state of a frontier: enough to go on appending without the leaves. */
export interface FrontierState {
  readonly size: number;
  readonly peaks: readonly FrontierPeak[];
}

/**
 * An append-only Merkle tree kept as its peaks: the roots of the perfect subtrees that the binary form
 * of the size describes, largest (leftmost) first. Appending merges equal peaks; the RFC 6962 root is the
 * right fold of the peaks. Memory is O(log n), so a digest continues from the last one without rereading.
 */
export class MerkleFrontier {
  private readonly heights: number[] = [];
  private readonly hashes: Buffer[] = [];
  private count = 0;

  /** `chunkHeight`: subtrees of 2^chunkHeight leaves are reported by `push` when they complete. */
  constructor(readonly chunkHeight = 10) {}

  static from(state: FrontierState, chunkHeight = 10): MerkleFrontier {
    const frontier = new MerkleFrontier(chunkHeight);
    let expected = 0;
    for (const peak of state.peaks) {
      frontier.heights.push(peak.height);
      frontier.hashes.push(Buffer.from(peak.hash, 'hex'));
      expected += 2 ** peak.height;
    }
    if (expected !== state.size)
      throw new Error(`Frontier peaks cover ${expected} leaves, not ${state.size}`);
    frontier.count = state.size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf hash; returns the root of the aligned 2^chunkHeight-leaf subtree it completed, if any. */
  push(leafHash: Buffer): Buffer | undefined {
    let height = 0;
    let hash = leafHash;
    let completed = this.chunkHeight === 0 ? leafHash : undefined;
    while (this.heights.length > 0 && this.heights[this.heights.length - 1] === height) {
      this.heights.pop();
      hash = hashNode(this.hashes.pop()!, hash);
      height += 1;
      if (height === this.chunkHeight) completed = hash;
    }
    this.heights.push(height);
    this.hashes.push(hash);
    this.count += 1;
    return completed;
  }

  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_ROOT;
    let root = this.hashes[this.hashes.length - 1]!;
    for (let i = this.hashes.length - 2; i >= 0; i--) root = hashNode(this.hashes[i]!, root);
    return root;
  }

  state(): FrontierState {
    return {
      size: this.count,
      peaks: this.heights.map((height, i) => ({ height, hash: this.hashes[i]!.toString('hex') })),
    };
  }
}

/**
 * The consistency proof from a tree of m leaves to one of n ≥ m leaves (RFC 9162 §2.1.4.1 PROOF(m, D[n])):
 * the hashes that let someone holding both roots check that the first tree is a prefix of the second.
 * `subtree(lo, hi)` supplies the hash of any range it needs.
 */
export async function consistencyPath(
  m: number,
  n: number,
  subtree: (lo: number, hi: number) => Buffer | Promise<Buffer>,
): Promise<Buffer[]> {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 1 || m > n)
    throw new RangeError(`No consistency proof from ${m} to ${n} leaves`);
  const proof: Buffer[] = [];
  // SUBPROOF(m, D[lo..hi), b), iteratively: each step appends the sibling range's hash; reversed at the end.
  let lo = 0;
  let hi = n;
  let mm = m;
  let complete = true; // b: the subtree [lo, lo + mm) is the whole first tree
  while (mm !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (mm <= k) {
      proof.push(await subtree(lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(await subtree(lo, lo + k));
      lo += k;
      mm -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(await subtree(lo, hi));
  return proof.reverse();
}
