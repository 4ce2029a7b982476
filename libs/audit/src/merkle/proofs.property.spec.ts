// Property tests of the proofs: for any tree sizes, what the prover makes the independent verifier
// (verify-proof.ts, written from docs/ledger-proofs.md) accepts, and any change to it is refused.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { verifyConsistencyProof, verifyInclusionProof } from '../verify-proof';
import { auditPath, consistencyPath, DIGEST_ALGORITHM, hashLeaf, rangeRoot } from './merkle-tree';

const leafOf = (i: number) => ({
  position: 2 * i + 1,
  streamId: `subject-${i % 7}`,
  revision: Math.floor(i / 7),
  hash: createHash('sha256').update(String(i)).digest('hex'),
});
const treeOf = (n: number) => Array.from({ length: n }, (_, i) => hashLeaf(leafOf(i)));
const digestOf = (leaves: readonly Buffer[], n: number) => ({
  upToPosition: leafOf(n - 1).position,
  eventCount: n,
  root: rangeRoot(leaves, 0, n).toString('hex'),
  algorithm: DIGEST_ALGORITHM,
});

/** Sizes 1 ≤ m ≤ n ≤ 300. */
const sizes = fc
  .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

async function proofFor(m: number, n: number) {
  const leaves = treeOf(n);
  const path = await consistencyPath(m, n, (lo, hi) => rangeRoot(leaves, lo, hi));
  return {
    algorithm: DIGEST_ALGORITHM,
    from: digestOf(leaves, m),
    to: digestOf(leaves, n),
    proof: path.map((h) => h.toString('hex')),
  };
}

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  it('hold from every earlier tree to every later one', async () => {
    await fc.assert(
      fc.asyncProperty(sizes, async ([m, n]) => {
        const proof = await proofFor(m, n);
        expect(verifyConsistencyProof(proof)).toEqual({ valid: true });
        // At most about 2·log2(n) hashes.
        expect(proof.proof.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)) + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('fail when any hash of the proof is changed, dropped or added', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizes.filter(([m, n]) => m < n),
        fc.nat(),
        fc.constantFrom('flip', 'drop', 'add'),
        async ([m, n], pick, how) => {
          const proof = await proofFor(m, n);
          const hashes = [...proof.proof];
          const i = pick % Math.max(1, hashes.length);
          if (how === 'flip' && hashes.length > 0)
            hashes[i] = (hashes[i]![0] === '0' ? '1' : '0') + hashes[i]!.slice(1);
          else if (how === 'drop' && hashes.length > 0) hashes.splice(i, 1);
          else hashes.push('00'.repeat(32));
          expect(verifyConsistencyProof({ ...proof, proof: hashes }).valid).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fail for a fork: a second tree whose first m leaves differ from the first tree', async () => {
    await fc.assert(
      fc.asyncProperty(
        sizes.filter(([m, n]) => m < n),
        fc.nat(),
        async ([m, n], pick) => {
          const leaves = treeOf(n);
          const forked = [...leaves];
          forked[pick % m] = hashLeaf({ ...leafOf(pick % m), hash: 'ff'.repeat(32) });
          const path = await consistencyPath(m, n, (lo, hi) => rangeRoot(forked, lo, hi));
          const proof = {
            algorithm: DIGEST_ALGORITHM,
            from: digestOf(leaves, m), // the digest the monitor trusted
            to: digestOf(forked, n), // a later digest of a rewritten history
            proof: path.map((h) => h.toString('hex')),
          };
          expect(verifyConsistencyProof(proof).valid).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuse a proof for trees of other sizes than the trusted digests', async () => {
    const proof = await proofFor(5, 11);
    expect(verifyConsistencyProof(proof, { trustedFrom: proof.from, trustedTo: proof.to })).toEqual({
      valid: true,
    });
    expect(verifyConsistencyProof(proof, { trustedTo: { ...proof.to, eventCount: 12 } }).valid).toBe(false);
    expect(verifyConsistencyProof({ ...proof, from: { ...proof.from, eventCount: 6 } }).valid).toBe(false);
    expect(verifyConsistencyProof({ ...proof, from: proof.to, to: proof.from }).valid).toBe(false);
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  it('hold for every leaf of every tree, and fail for another leaf index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), (n, pick) => {
        const leaves = treeOf(n);
        const index = pick % n;
        const path = auditPath(index, n, (lo, hi) => rangeRoot(leaves, lo, hi)).map((h) => h.toString('hex'));
        const proof = {
          algorithm: DIGEST_ALGORITHM,
          leaf: leafOf(index),
          leafIndex: index,
          treeSize: n,
          auditPath: path,
          digest: digestOf(leaves, n),
        };
        expect(verifyInclusionProof(proof)).toEqual({ valid: true });
        if (n > 1) expect(verifyInclusionProof({ ...proof, leafIndex: (index + 1) % n }).valid).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
