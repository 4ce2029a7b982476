// Many inclusion proofs against one digest at once, for a credit report: each chunk of the feed a proven
// event lies in is read once, the digest's open tail once, and inner nodes are computed once and shared.
import { createHash } from 'node:crypto';
import { canonicalJson, type EventStore, type StoredEvent } from '@ledger/event-store';
import type { DigestRecord, DigestStore } from './digest-store';
import { ProofUnavailable } from './inclusion-proof';
import { auditPath, hashLeaf, hashNode, rangeRoot, splitPoint, type LeafFields } from './merkle/merkle-tree';
import type { DigestKeySet, DigestSigning } from './digest-signing';
import { createPublicKey, verify } from 'node:crypto';

export interface BatchProof {
  readonly eventId: string;
  readonly algorithm: string;
  readonly leaf: LeafFields;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly auditPath: readonly string[];
}

/** Proofs of the given events (already read, each at or below the digest) against `digest`, in position order. */
export async function proveInclusions(
  events: EventStore,
  digests: DigestStore,
  proven: readonly StoredEvent[],
  digest: DigestRecord,
): Promise<BatchProof[]> {
  const size = digest.chunkSize;
  const n = digest.eventCount;
  const fullChunks = Math.floor(n / size);
  const differs = (why: string) =>
    new ProofUnavailable(
      'AUDIT.LEDGER_DIFFERS_FROM_DIGEST',
      `The ledger no longer matches the digest up to ${digest.upToPosition}: ${why}; run verification`,
    );
  for (const event of proven)
    if (event.position > digest.upToPosition)
      throw new ProofUnavailable('AUDIT.EVENT_NOT_IN_DIGEST', `Event ${event.id} came after the digest`);
  const chunkRoots = await digests.chunks(0, fullChunks);
  const complete = chunkRoots.length === fullChunks && chunkRoots.every((c, i) => c.index === i);
  const leaves = new Map<number, Buffer>();
  const indexOfPosition = new Map<number, number>();
  const load = async (firstIndex: number, after: number, count: number) => {
    const batch = (await events.readAll({ after, limit: count })).filter(
      (e) => e.position <= digest.upToPosition,
    );
    if (batch.length !== count) throw differs(`expected ${count} events after position ${after}`);
    batch.forEach((event, i) => {
      leaves.set(firstIndex + i, hashLeaf(event));
      indexOfPosition.set(event.position, firstIndex + i);
    });
  };
  if (complete) {
    const needed = new Set<number>();
    for (const event of proven) {
      const own = chunkRoots.find(
        (c) => c.firstPosition <= event.position && event.position <= c.lastPosition,
      );
      if (own) needed.add(own.index);
    }
    for (const index of needed) {
      const chunk = chunkRoots[index]!;
      await load(index * size, chunk.firstPosition - 1, size);
      const lo = index * size;
      const root = rangeRoot(Array.from({ length: size }, (_, i) => leaves.get(lo + i)!)).toString('hex');
      if (root !== chunk.root) throw differs(`chunk ${index} no longer gives its root`);
    }
    if (n % size !== 0)
      await load(fullChunks * size, fullChunks > 0 ? chunkRoots[fullChunks - 1]!.lastPosition : 0, n % size);
  } else {
    for (let after = 0, index = 0; index < n;) {
      const batch = (await events.readAll({ after, limit: 5000 })).filter(
        (e) => e.position <= digest.upToPosition,
      );
      if (batch.length === 0) break;
      for (const event of batch) {
        leaves.set(index, hashLeaf(event));
        indexOfPosition.set(event.position, index++);
      }
      after = batch[batch.length - 1]!.position;
    }
    if (leaves.size !== n) throw differs(`it covered ${n} events, the feed holds ${leaves.size}`);
  }
  const rootsByIndex = complete ? chunkRoots.map((c) => Buffer.from(c.root, 'hex')) : [];
  const memo = new Map<string, Buffer>();
  const subtree = (lo: number, hi: number): Buffer => {
    const key = `${lo}:${hi}`;
    const known = memo.get(key);
    if (known) return known;
    let hash: Buffer;
    const width = hi - lo;
    if (width === 1) {
      const leaf = leaves.get(lo);
      if (!leaf) throw differs(`leaf ${lo} is needed but was not read`);
      hash = leaf;
    } else if (
      complete &&
      lo % size === 0 &&
      width % size === 0 &&
      Number.isInteger(Math.log2(width)) &&
      hi <= fullChunks * size
    ) {
      hash = rangeRoot(rootsByIndex, lo / size, hi / size);
    } else {
      const k = splitPoint(width);
      hash = hashNode(subtree(lo, lo + k), subtree(lo + k, hi));
    }
    memo.set(key, hash);
    return hash;
  };
  if (subtree(0, n).toString('hex') !== digest.root) throw differs('the recomputed root differs');
  return [...proven]
    .sort((a, b) => a.position - b.position)
    .map((event) => {
      const leafIndex = indexOfPosition.get(event.position);
      if (leafIndex === undefined || leaves.get(leafIndex)!.compare(hashLeaf(event)) !== 0)
        throw differs(`event ${event.id} is not where the digest put position ${event.position}`);
      return {
        eventId: event.id,
        algorithm: digest.algorithm,
        leaf: {
          position: event.position,
          streamId: event.streamId,
          revision: event.revision,
          hash: event.hash,
        },
        leafIndex,
        treeSize: n,
        auditPath: auditPath(leafIndex, n, subtree).map((hash) => hash.toString('hex')),
      };
    });
}

/** Domain separation: a report seal can never pass for a digest signature, nor the other way round. */
export const REPORT_SEAL_PREFIX = 'ledger-credit-report-v1\n';

/** SHA-256 (hex) of the RFC 8785 form of the report without `verification.seal`: what the seal signs. */
export function reportContentHash(report: { readonly verification?: object }): string {
  const { verification, ...content } = report as { verification?: Record<string, unknown> };
  const { seal: _seal, ...unsealed } = verification ?? {};
  const canonical = canonicalJson(
    verification === undefined ? content : { ...content, verification: unsealed },
  );
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface ReportSeal {
  readonly algorithm: 'Ed25519';
  readonly contentHash: string;
  readonly keyId: string;
  readonly signature: string;
}

/** Seals a report with the digest key valid at its issue instant. */
export function sealReport(
  report: { readonly issuedAt: string; readonly verification?: object },
  signing: DigestSigning,
): ReportSeal {
  const contentHash = reportContentHash(report);
  const { keyId, signature } = signing.signBytes(
    Buffer.from(REPORT_SEAL_PREFIX + contentHash, 'utf8'),
    report.issuedAt,
  );
  return { algorithm: 'Ed25519', contentHash, keyId, signature };
}

export type ReportSealCheck =
  { readonly valid: true; readonly keyId: string } | { readonly valid: false; readonly reason: string };

/** Checks a report's seal against a published key set: its content hash, then the signature. */
export function checkReportSeal(
  report: { readonly issuedAt: string; readonly verification?: { readonly seal?: Partial<ReportSeal> } },
  keySet: DigestKeySet,
): ReportSealCheck {
  const seal = report.verification?.seal;
  if (!seal?.contentHash || !seal.keyId || !seal.signature)
    return { valid: false, reason: 'the report carries no seal' };
  if (reportContentHash(report) !== seal.contentHash)
    return {
      valid: false,
      reason: 'the report content does not hash to the sealed content hash: it was changed',
    };
  const key = keySet.keys.find((k) => k.kid === seal.keyId);
  if (!key) return { valid: false, reason: `no published key "${seal.keyId}"` };
  const at = Date.parse(report.issuedAt);
  if (!(at >= Date.parse(key.notBefore)) || (key.notAfter && !(at < Date.parse(key.notAfter))))
    return { valid: false, reason: `issued at ${report.issuedAt}, outside the validity of key "${key.kid}"` };
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  const ok = verify(
    null,
    Buffer.from(REPORT_SEAL_PREFIX + seal.contentHash, 'utf8'),
    publicKey,
    Buffer.from(seal.signature, 'base64url'),
  );
  return ok
    ? { valid: true, keyId: key.kid }
    : { valid: false, reason: `the seal does not verify under key "${key.kid}"` };
}
