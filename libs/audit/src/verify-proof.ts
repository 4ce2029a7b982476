// An independent verifier of inclusion proofs, written from docs/ledger-proofs.md alone: it shares no
// code with the prover (nor with the event store's hashing), only SHA-256 and the documented bytes.
// An auditor can copy this one file; it needs nothing but Node's crypto. Inclusion proofs (§5), consistency
// proofs (§6) and digest signatures (§4) of docs/ledger-proofs.md.
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';

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

export interface DigestToVerify {
  readonly upToPosition: number;
  readonly eventCount: number;
  readonly root: string;
  readonly algorithm: string;
  readonly createdAt?: string;
  readonly keyId?: string;
  readonly signature?: string;
}

export interface ConsistencyProofToVerify {
  readonly algorithm: string;
  readonly from: DigestToVerify;
  readonly to: DigestToVerify;
  /** Hex hashes, RFC 9162 §2.1.4 order. */
  readonly proof: readonly string[];
}

/**
 * Checks that the tree of `to` extends the tree of `from` (RFC 9162 §2.1.4.2). With trusted copies of the
 * digests (held outside the ledger, signatures checked), also that the proof speaks of those.
 */
export function verifyConsistencyProof(
  proof: ConsistencyProofToVerify,
  options: { readonly trustedFrom?: DigestToVerify; readonly trustedTo?: DigestToVerify } = {},
): ProofVerdict {
  const fail = (reason: string): ProofVerdict => ({ valid: false, reason });
  const { from, to } = proof;
  if (
    proof.algorithm !== 'ledger-merkle-sha256-v1' ||
    from.algorithm !== proof.algorithm ||
    to.algorithm !== proof.algorithm
  )
    return fail(`unknown algorithm ${proof.algorithm}`);
  const same = (a: DigestToVerify, b: DigestToVerify | undefined) =>
    !b || (a.root === b.root && a.eventCount === b.eventCount && a.upToPosition === b.upToPosition);
  if (!same(from, options.trustedFrom)) return fail('the first digest differs from the trusted one');
  if (!same(to, options.trustedTo)) return fail('the second digest differs from the trusted one');
  const m = from.eventCount;
  const n = to.eventCount;
  if (!isCount(m) || !isCount(n) || m < 1 || m > n) return fail('tree sizes out of order');
  if (from.upToPosition > to.upToPosition) return fail('digest positions out of order');
  if (!HEX64.test(from.root) || !HEX64.test(to.root) || !proof.proof.every((h) => HEX64.test(h)))
    return fail('malformed hash');
  if (m === n) {
    if (proof.proof.length !== 0) return fail('a proof between equal trees must be empty');
    return from.root === to.root && from.upToPosition === to.upToPosition
      ? { valid: true }
      : fail('equal tree sizes with different roots or positions');
  }
  const node = (left: Buffer, right: Buffer) => sha256(Buffer.concat([Buffer.from([1]), left, right]));
  const path: Buffer[] = proof.proof.map((h) => Buffer.from(h, 'hex'));
  // 2. If m is an exact power of 2, the first tree's root is the path's first node.
  if (Number.isInteger(Math.log2(m))) path.unshift(Buffer.from(from.root, 'hex'));
  if (path.length === 0) return fail('empty proof');
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = path[0]!;
  let sr: Buffer = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return fail('proof too short');
  if (fr.toString('hex') !== from.root) return fail('the proof does not give the first root');
  if (sr.toString('hex') !== to.root) return fail('the proof does not give the second root');
  return { valid: true };
}

/** A published digest key: an Ed25519 JWK with its key id and the validity of its signatures. */
export interface DigestKeyToTrust {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly kid: string;
  readonly notBefore: string;
  readonly notAfter?: string;
}

/** Checks a digest's Ed25519 signature (§4) against keys obtained from the ledger's key set and kept. */
export function verifyDigestSignature(
  digest: DigestToVerify,
  keys: readonly DigestKeyToTrust[],
): ProofVerdict {
  const fail = (reason: string): ProofVerdict => ({ valid: false, reason });
  if (!digest.keyId || !digest.signature || !digest.createdAt) return fail('the digest is not signed');
  const key = keys.find((k) => k.kid === digest.keyId);
  if (!key || key.kty !== 'OKP' || key.crv !== 'Ed25519') return fail(`no Ed25519 key "${digest.keyId}"`);
  const made = Date.parse(digest.createdAt);
  if (
    !(made >= Date.parse(key.notBefore)) ||
    (key.notAfter !== undefined && !(made < Date.parse(key.notAfter)))
  )
    return fail(`made outside the validity of key "${key.kid}"`);
  const signed = Buffer.from(
    'ledger-digest-v1\n' +
      jcs({
        algorithm: digest.algorithm,
        createdAt: digest.createdAt,
        eventCount: digest.eventCount,
        keyId: digest.keyId,
        root: digest.root,
        upToPosition: digest.upToPosition,
      }),
    'utf8',
  );
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  return verifySignature(null, signed, publicKey, Buffer.from(digest.signature, 'base64url'))
    ? { valid: true }
    : fail('the signature does not fit');
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
