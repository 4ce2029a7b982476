// The separately written verifier against the prover's paths: every proof of every leaf of random trees
// verifies, and any single flipped bit anywhere in a proof makes it fail.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hashEvent, type StoredEvent } from '@ledger/event-store';
import { auditPath, DIGEST_ALGORITHM, hashLeaf, rangeRoot, type LeafFields } from './merkle/merkle-tree';
import { verifyInclusionProof, type ProofToVerify } from './verify-proof';

const leafOf = (seed: number, i: number): LeafFields => ({
  position: i * 2 + 1,
  streamId: `subject-${(seed + i) % 5}`,
  revision: i,
  hash: createHash('sha256').update(`${seed}:${i}`).digest('hex'),
});

function proofFor(seed: number, n: number, m: number): ProofToVerify {
  const fields = Array.from({ length: n }, (_, i) => leafOf(seed, i));
  const leaves = fields.map(hashLeaf);
  const root = rangeRoot(leaves).toString('hex');
  return {
    algorithm: DIGEST_ALGORITHM,
    leaf: fields[m]!,
    leafIndex: m,
    treeSize: n,
    auditPath: auditPath(m, n, (lo, hi) => rangeRoot(leaves, lo, hi)).map((h) => h.toString('hex')),
    digest: { upToPosition: fields[n - 1]!.position, eventCount: n, root, algorithm: DIGEST_ALGORITHM },
  };
}

const flipHexBit = (hex: string, bit: number): string => {
  const bytes = Buffer.from(hex, 'hex');
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << (bit % 8);
  return bytes.toString('hex');
};

const tree = fc
  .integer({ min: 1, max: 200 })
  .chain((n) => fc.record({ n: fc.constant(n), m: fc.integer({ min: 0, max: n - 1 }), seed: fc.nat() }));

describe('verifyInclusionProof', () => {
  it('accepts the proof of any leaf of any tree', () => {
    fc.assert(
      fc.property(tree, ({ n, m, seed }) =>
        expect(verifyInclusionProof(proofFor(seed, n, m))).toEqual({ valid: true }),
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a proof with any single bit flipped in the leaf hash, a sibling or the root', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat({ max: 255 }), ({ n, m, seed }, which, bit) => {
        const proof = proofFor(seed, n, m);
        const targets = proof.auditPath.length + 2;
        const target = which % targets;
        const broken: ProofToVerify =
          target === 0
            ? { ...proof, leaf: { ...proof.leaf, hash: flipHexBit(proof.leaf.hash, bit) } }
            : target === 1
              ? { ...proof, digest: { ...proof.digest, root: flipHexBit(proof.digest.root, bit) } }
              : {
                  ...proof,
                  auditPath: proof.auditPath.map((h, i) => (i === target - 2 ? flipHexBit(h, bit) : h)),
                };
        expect(verifyInclusionProof(broken).valid).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a proof whose leaf claims another position, revision, stream, index or tree size', () => {
    fc.assert(
      fc.property(
        tree.filter(({ n }) => n > 1),
        fc.integer({ min: 0, max: 5 }),
        ({ n, m, seed }, which) => {
          const proof = proofFor(seed, n, m);
          const other = (m + 1) % n;
          const variants: ProofToVerify[] = [
            { ...proof, leaf: { ...proof.leaf, position: proof.leaf.position + 1 } },
            { ...proof, leaf: { ...proof.leaf, revision: proof.leaf.revision + 1 } },
            { ...proof, leaf: { ...proof.leaf, streamId: `${proof.leaf.streamId}x` } },
            { ...proof, leafIndex: other },
            { ...proof, treeSize: n + 1, digest: { ...proof.digest, eventCount: n + 1 } },
            { ...proof, auditPath: proof.auditPath.slice(1) },
          ];
          // The tree size is bound by the digest the auditor holds, not by the path alone.
          expect(verifyInclusionProof(variants[which]!, { trustedDigest: proof.digest }).valid).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('checks the digest against a root obtained elsewhere', () => {
    const proof = proofFor(1, 10, 3);
    expect(verifyInclusionProof(proof, { trustedDigest: proof.digest }).valid).toBe(true);
    expect(verifyInclusionProof(proof, { trustedDigest: { root: '00'.repeat(32) } })).toEqual({
      valid: false,
      reason: 'the digest differs from the trusted digest',
    });
    expect(verifyInclusionProof(proof, { trustedDigest: { ...proof.digest, eventCount: 11 } }).valid).toBe(
      false,
    );
  });

  it("checks an event's content against the leaf with its own RFC 8785 code, agreeing with the store's", () => {
    const base = {
      id: '0193a1f2-7c4e-7b1a-9f00-2b1c3d4e5f60',
      streamId: 'subject-1',
      revision: 0,
      type: 'SubjectRegistered',
      data: {
        name: '厦门阳光实验学校',
        z: [1, 2.5, -0, 1e21, 'é'],
        a: { y: null, x: true, '\u00e9': 1, B: 2 },
      },
      metadata: { occurredAt: '2026-03-01T08:00:00.000Z', schemaVersion: 1, unset: undefined },
      recordedAt: '2026-03-01T08:00:01.000Z',
      prevHash: null,
    };
    const event: StoredEvent = { ...base, position: 1, hash: hashEvent(base) } as StoredEvent;
    const leaf = { position: 1, streamId: 'subject-1', revision: 0, hash: event.hash };
    const proof: ProofToVerify = {
      algorithm: DIGEST_ALGORITHM,
      leaf,
      leafIndex: 0,
      treeSize: 1,
      auditPath: [],
      digest: {
        upToPosition: 1,
        eventCount: 1,
        root: hashLeaf(leaf).toString('hex'),
        algorithm: DIGEST_ALGORITHM,
      },
    };
    expect(verifyInclusionProof(proof, { event })).toEqual({ valid: true });
    expect(
      verifyInclusionProof(proof, { event: { ...event, data: { ...base.data, name: 'other' } } }).valid,
    ).toBe(false);
  });
});
