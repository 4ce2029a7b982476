// An independent verifier of inclusion proofs, written from docs/ledger-proofs.md alone: it shares no
// code with the prover (nor with the event store's hashing), only SHA-256 and the documented bytes.
// An auditor can copy this one file; it needs nothing but Node's crypto.
import { createHash } from 'node:crypto';

export interface ProofToVerify {
  readonly algorithm: string;
  readonly leaf: {
    readonly position: number;
    readonly streamId: string;
    readonly revision: number;
    readonly hash: string;
  };
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes, hex, from the leaf's sibling up to the root's child. */
  readonly auditPath: readonly string[];
  readonly digest: {
    readonly upToPosition: number;
    readonly eventCount: number;
    readonly root: string;
    readonly algorithm: string;
  };
}

/** A stored event as exported: the fields its chain hash covers, plus position and hash. */
export interface EventToVerify {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
  readonly prevHash: string | null;
  readonly hash: string;
}

export type ProofVerdict = { readonly valid: true } | { readonly valid: false; readonly reason: string };

const HEX64 = /^[0-9a-f]{64}$/;
const STREAM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

/**
 * Checks that `proof.leaf` is leaf `leafIndex` of the tree whose root the digest states. With `event`,
 * also checks that the event's content hashes to the leaf's chain hash; with `trustedDigest` (a digest
 * obtained elsewhere, e.g. from Kafka), that the digest in the proof is that one. A path alone does not
 * pin the tree size (leaf 0 of 5 and of 6 can share a path): the size is bound by the trusted digest.
 */
export function verifyInclusionProof(
  proof: ProofToVerify,
  options: {
    readonly event?: EventToVerify;
    readonly trustedDigest?: {
      readonly root: string;
      readonly eventCount?: number;
      readonly upToPosition?: number;
    };
  } = {},
): ProofVerdict {
  const fail = (reason: string): ProofVerdict => ({ valid: false, reason });
  const { leaf, digest } = proof;
  if (proof.algorithm !== 'ledger-merkle-sha256-v1' || digest.algorithm !== proof.algorithm) {
    return fail(`unknown algorithm ${proof.algorithm}/${digest.algorithm}`);
  }
  if (
    !isCount(leaf.position) ||
    leaf.position < 1 ||
    !isCount(leaf.revision) ||
    !STREAM_ID.test(leaf.streamId) ||
    !HEX64.test(leaf.hash)
  ) {
    return fail('malformed leaf');
  }
  if (!isCount(proof.leafIndex) || !isCount(proof.treeSize) || proof.leafIndex >= proof.treeSize)
    return fail('leaf index outside the tree');
  if (proof.treeSize !== digest.eventCount) return fail('tree size differs from the digest event count');
  if (leaf.position > digest.upToPosition) return fail('leaf position beyond the digest');
  if (!HEX64.test(digest.root) || !proof.auditPath.every((h) => HEX64.test(h))) return fail('malformed hash');
  const trusted = options.trustedDigest;
  if (
    trusted &&
    (trusted.root !== digest.root ||
      (trusted.eventCount ?? digest.eventCount) !== digest.eventCount ||
      (trusted.upToPosition ?? digest.upToPosition) !== digest.upToPosition)
  ) {
    return fail('the digest differs from the trusted digest');
  }

  if (options.event) {
    const e = options.event;
    if (
      e.position !== leaf.position ||
      e.streamId !== leaf.streamId ||
      e.revision !== leaf.revision ||
      e.hash !== leaf.hash
    ) {
      return fail('event does not match the leaf');
    }
    const content = jcs({
      id: e.id,
      streamId: e.streamId,
      revision: e.revision,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
      prevHash: e.prevHash,
    });
    if (sha256(Buffer.from(content, 'utf8')).toString('hex') !== e.hash)
      return fail('event content does not hash to its chain hash');
  }

  // Leaf bytes: 0x00 || UTF-8 of {"hash":"…","position":N,"revision":N,"streamId":"…"} (members in that order).
  const leafJson = `{"hash":"${leaf.hash}","position":${leaf.position},"revision":${leaf.revision},"streamId":"${leaf.streamId}"}`;
  let r = sha256(Buffer.concat([Buffer.from([0]), Buffer.from(leafJson, 'utf8')]));

  // RFC 9162 §2.1.3.2, with arithmetic instead of 32-bit bit operations.
  let fn = proof.leafIndex;
  let sn = proof.treeSize - 1;
  for (const siblingHex of proof.auditPath) {
    const p = Buffer.from(siblingHex, 'hex');
    if (sn === 0) return fail('audit path too long');
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.concat([Buffer.from([1]), p, r]));
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = sha256(Buffer.concat([Buffer.from([1]), r, p]));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fail('audit path too short');
  return r.toString('hex') === digest.root
    ? { valid: true }
    : fail('computed root differs from the digest root');
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** RFC 8785 for JSON values: members sorted by UTF-16 code units; ECMAScript number and string forms. */
function jcs(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('not JSON: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jcs(v)}`).join(',')}}`;
  }
  throw new Error(`not JSON: ${typeof value}`);
}
