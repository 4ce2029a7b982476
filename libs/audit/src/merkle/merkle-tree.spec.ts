import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  auditPath,
  EMPTY_ROOT,
  hashLeaf,
  hashNode,
  leafData,
  MerkleFrontier,
  rangeRoot,
  type LeafFields,
} from './merkle-tree';

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafOf = (i: number): LeafFields => ({
  position: i * 3 + 1,
  streamId: `subject-${i % 7}`,
  revision: Math.floor(i / 7),
  hash: sha256(Buffer.from(String(i))).toString('hex'),
});

describe('the leaf', () => {
  it('is SHA-256 of 0x00 and the RFC 8785 JSON of position, stream, revision and chain hash', () => {
    const leaf = { position: 12, streamId: 'subject-a', revision: 3, hash: 'ab'.repeat(32) };
    expect(leafData(leaf)).toBe(
      `{"hash":"${'ab'.repeat(32)}","position":12,"revision":3,"streamId":"subject-a"}`,
    );
    expect(hashLeaf(leaf)).toEqual(sha256(Buffer.from([0]), Buffer.from(leafData(leaf))));
  });

  it('changes when the event moves to another position, stream or revision', () => {
    const leaf = leafOf(5);
    const variants = [
      { ...leaf, position: leaf.position + 1 },
      { ...leaf, streamId: 'subject-x' },
      { ...leaf, revision: leaf.revision + 1 },
    ];
    for (const variant of variants) expect(hashLeaf(variant)).not.toEqual(hashLeaf(leaf));
  });
});

describe('the tree (RFC 6962 shape)', () => {
  const leaves = Array.from({ length: 8 }, (_, i) => hashLeaf(leafOf(i)));

  it('splits at the largest power of two below the size', () => {
    const [a, b, c, d, e] = leaves as [Buffer, Buffer, Buffer, Buffer, Buffer];
    expect(rangeRoot([a])).toEqual(a);
    expect(rangeRoot([a, b, c])).toEqual(hashNode(hashNode(a, b), c));
    expect(rangeRoot([a, b, c, d, e])).toEqual(hashNode(hashNode(hashNode(a, b), hashNode(c, d)), e));
    expect(rangeRoot([])).toEqual(EMPTY_ROOT);
  });

  it('domain-separates nodes from leaves: 0x01 || left || right', () => {
    expect(hashNode(leaves[0]!, leaves[1]!)).toEqual(sha256(Buffer.from([1]), leaves[0]!, leaves[1]!));
  });
});

describe('the frontier', () => {
  it('gives the same root as the whole tree for every size, and survives a round trip through its state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 300 }), (n, cut) => {
        const leaves = Array.from({ length: n }, (_, i) => hashLeaf(leafOf(i)));
        const first = new MerkleFrontier(2);
        const split = Math.min(cut, n);
        leaves.slice(0, split).forEach((leaf) => first.push(leaf));
        const resumed = MerkleFrontier.from(first.state(), 2);
        leaves.slice(split).forEach((leaf) => resumed.push(leaf));
        expect(resumed.size).toBe(n);
        expect(resumed.root()).toEqual(rangeRoot(leaves));
      }),
    );
  });

  it('reports each aligned chunk root as it completes', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => hashLeaf(leafOf(i)));
    const frontier = new MerkleFrontier(3);
    const chunks = leaves
      .map((leaf) => frontier.push(leaf))
      .flatMap((root, i) => (root ? [[i, root] as const] : []));
    expect(chunks.map(([i]) => i)).toEqual([7, 15, 23, 31]);
    chunks.forEach(([i, root]) => expect(root).toEqual(rangeRoot(leaves, i - 7, i + 1)));
  });

  it('refuses a state whose peaks do not add up to its size', () => {
    const frontier = new MerkleFrontier();
    [0, 1, 2].forEach((i) => frontier.push(hashLeaf(leafOf(i))));
    expect(() => MerkleFrontier.from({ ...frontier.state(), size: 4 })).toThrow(/cover 3 leaves/);
  });
});

describe('the audit path', () => {
  it('has one sibling per level, nearest first, and rebuilds the root', () => {
    const leaves = Array.from({ length: 5 }, (_, i) => hashLeaf(leafOf(i)));
    const subtree = (lo: number, hi: number) => rangeRoot(leaves, lo, hi);
    // Leaf 4 of 5 hangs alone on the right: its only sibling is the left four.
    expect(auditPath(4, 5, subtree)).toEqual([rangeRoot(leaves, 0, 4)]);
    expect(auditPath(2, 5, subtree)).toEqual([leaves[3], rangeRoot(leaves, 0, 2), leaves[4]]);
    expect(auditPath(0, 1, subtree)).toEqual([]);
    expect(() => auditPath(5, 5, subtree)).toThrow(RangeError);
  });
});
