// The worked example of docs/ledger-proofs.md: these numbers are the ones printed there. If this spec
// fails, the document no longer describes the code; fix one or the other, never just the numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, eventSignature, EventSigning, hashEvent } from '@ledger/event-store';
import { DigestSigning, digestSigningInput } from './digest-signing';
import {
  consistencyPath,
  DIGEST_ALGORITHM,
  hashLeaf,
  leafData,
  MerkleFrontier,
  rangeRoot,
} from './merkle/merkle-tree';
import { verifyConsistencyProof, verifyDigestSignature, verifyInclusionProof } from './verify-proof';

const base = [
  {
    id: '01960000-0000-7000-8000-000000000001',
    streamId: 'subject-a',
    type: 'SubjectRegistered',
    data: { name: '厦门阳光实验学校' },
  },
  {
    id: '01960000-0000-7000-8000-000000000002',
    streamId: 'subject-a',
    type: 'PenaltyRecorded',
    data: { recordId: 'p-1', fine: 2 },
  },
  {
    id: '01960000-0000-7000-8000-000000000003',
    streamId: 'subject-b',
    type: 'SubjectRegistered',
    data: { name: '王老师' },
  },
  {
    id: '01960000-0000-7000-8000-000000000004',
    streamId: 'subject-a',
    type: 'RecordRevoked',
    data: { recordId: 'p-1' },
  },
  {
    id: '01960000-0000-7000-8000-000000000005',
    streamId: 'subject-b',
    type: 'HonourRecorded',
    data: { recordId: 'h-1' },
  },
];
const positions = [1, 2, 4, 5, 7]; // positions need not be contiguous: leaves are counted, not positions

function exampleFeed() {
  const heads = new Map<string, { revision: number; hash: string }>();
  return base.map((event, i) => {
    const head = heads.get(event.streamId);
    const revision = head ? head.revision + 1 : 0;
    const fields = {
      ...event,
      revision,
      metadata: { occurredAt: '2026-03-01T00:00:00+08:00', schemaVersion: 1 },
      recordedAt: `2026-03-01T02:00:0${i}.000Z`,
      prevHash: head?.hash ?? null,
    };
    const hash = hashEvent(fields);
    heads.set(event.streamId, { revision, hash });
    return { ...fields, position: positions[i]!, hash };
  });
}

describe('the worked example of docs/ledger-proofs.md', () => {
  const feed = exampleFeed();
  const leaves = feed.map(hashLeaf);

  it('hashes the third event over its canonical form', () => {
    const { id, streamId, revision, type, data, metadata, recordedAt, prevHash } = feed[2]!;
    expect(canonicalJson({ id, streamId, revision, type, data, metadata, recordedAt, prevHash })).toBe(
      '{"data":{"name":"王老师"},"id":"01960000-0000-7000-8000-000000000003","metadata":{"occurredAt":"2026-03-01T00:00:00+08:00","schemaVersion":1},' +
        '"prevHash":null,"recordedAt":"2026-03-01T02:00:02.000Z","revision":0,"streamId":"subject-b","type":"SubjectRegistered"}',
    );
    expect(feed.map((e) => e.hash)).toEqual([
      '1a26cbbf53f8754b9ccf7aad1cfab97ca7424afc7ee19dcd446ad471b0509ea2',
      '241e215b6d307d41422ecad7be7bd7082071543ac92241485ea301553cfee40e',
      '0e1ad0a677c5818bec3d89417da246832f20e51b8e3d50d6071e362d1c97d98c',
      '421fbd8b014068f9ae4b4c958b46d6663e1c197e1cabce2762941786581dc232',
      'e6cc53046dc41c6369bde0ad2483825eb8502a81390c121eadddf5c4f28272bf',
    ]);
  });

  it('makes the leaves, the inner nodes and the root', () => {
    expect(leafData(feed[2]!)).toBe(
      '{"hash":"0e1ad0a677c5818bec3d89417da246832f20e51b8e3d50d6071e362d1c97d98c","position":4,"revision":0,"streamId":"subject-b"}',
    );
    expect(leaves.map((l) => l.toString('hex'))).toEqual([
      'e2baff6129a22bfa39cf1feff518dacbfe21704eb6c26437c7f0f9c0fc022e19',
      '6ad8b0a62e11b4d93b43c527dd8905931d0a00d5a649582d6b8a8d668e03a16f',
      '21eeb4fd60bfd5a57caac8ae71ca6359523fe1701c8dc5ec385767c710038a30',
      '888e69b5b5532cb2796c8ad9ce44acb342224d6023c0693999ba1506060e23ba',
      '3169ee6ee1f9ada94ab96b2a1464b9f1fd02844b4b8b657f801759ff50172ae5',
    ]);
    expect(rangeRoot(leaves, 0, 2).toString('hex')).toBe(
      'ede92bb091dba13fbe6c0fd4a2601890542ad9d7a86e267d3fa90acfe35cb598',
    );
    expect(rangeRoot(leaves, 2, 4).toString('hex')).toBe(
      'f72ddeefa912bdafc27d5bcb73dbdaf2be65fcec5296f9452f94cb4e0a181be2',
    );
    expect(rangeRoot(leaves, 0, 4).toString('hex')).toBe(
      '57f2bec8ebd066dab96be893bcda5f112c5e3d17bfbf5621eb6521922288e8ff',
    );
    const root = '7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a';
    expect(rangeRoot(leaves).toString('hex')).toBe(root);
    const frontier = new MerkleFrontier();
    leaves.forEach((leaf) => frontier.push(leaf));
    expect(frontier.root().toString('hex')).toBe(root);
  });

  it('proves the third event (leaf 2 of 5)', () => {
    const proof = {
      algorithm: DIGEST_ALGORITHM,
      leaf: {
        position: 4,
        streamId: 'subject-b',
        revision: 0,
        hash: '0e1ad0a677c5818bec3d89417da246832f20e51b8e3d50d6071e362d1c97d98c',
      },
      leafIndex: 2,
      treeSize: 5,
      auditPath: [
        '888e69b5b5532cb2796c8ad9ce44acb342224d6023c0693999ba1506060e23ba',
        'ede92bb091dba13fbe6c0fd4a2601890542ad9d7a86e267d3fa90acfe35cb598',
        '3169ee6ee1f9ada94ab96b2a1464b9f1fd02844b4b8b657f801759ff50172ae5',
      ],
      digest: {
        upToPosition: 7,
        eventCount: 5,
        root: '7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a',
        algorithm: DIGEST_ALGORITHM,
      },
    };
    expect(verifyInclusionProof(proof, { event: feed[2]! })).toEqual({ valid: true });
  });

  it('signs the third event with the example key (32 bytes of 0x2a)', () => {
    const key = Buffer.alloc(32, 0x2a);
    expect(eventSignature(key, feed[2]!.hash)).toBe(
      '410b26892f1ee8d2d4296d4ccc85e7b5c52f173ffb0ba17a7106f54db5bec3b2',
    );
    const signing = new EventSigning({ keys: new Map([['example', key]]), signingKeyId: 'example' });
    expect(signing.check({ ...feed[2]!, ...signing.sign(feed[2]!.hash) })).toEqual({
      ok: true,
      legacy: false,
    });
  });

  it('signs the digest with the example Ed25519 key (seed: 32 bytes of 0x07)', () => {
    const digest = {
      upToPosition: 7,
      eventCount: 5,
      root: '7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a',
      algorithm: DIGEST_ALGORITHM,
      createdAt: '2026-03-01T02:00:05.000Z',
    };
    const signing = new DigestSigning([
      {
        kid: 'example-2026',
        privateKey: Buffer.alloc(32, 7).toString('base64'),
        notBefore: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(digestSigningInput(digest, 'example-2026').toString('utf8')).toBe(
      'ledger-digest-v1\n{"algorithm":"ledger-merkle-sha256-v1","createdAt":"2026-03-01T02:00:05.000Z","eventCount":5,' +
        '"keyId":"example-2026","root":"7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a","upToPosition":7}',
    );
    const keys = signing.keySet().keys;
    expect(keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: '6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw',
        kid: 'example-2026',
        use: 'sig',
        alg: 'EdDSA',
        notBefore: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const signed = signing.sign(digest);
    expect(signed.signature).toBe(
      'XPoDa-kNapo0vrYFoORdXnVmvUyL0YpPLmk2THXnlVhLoBla0BRf8bHFBerpRHsht8JIRYtCRjYlDmXkF7uYCQ',
    );
    expect(verifyDigestSignature(signed, keys)).toEqual({ valid: true });
    // docs/asyncapi.yaml's digest example is signed with the same example key.
    const asyncapi = JSON.parse(readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8'));
    const example = asyncapi.components.messages.LedgerDigest.examples.find(
      (e: { name: string }) => e.name === 'digest',
    ).payload;
    expect(verifyDigestSignature(example, keys)).toEqual({ valid: true });
  });

  it('proves that the five-leaf tree extends the three-leaf one', async () => {
    const path = await consistencyPath(3, 5, (lo, hi) => rangeRoot(leaves, lo, hi));
    expect(path.map((h) => h.toString('hex'))).toEqual([
      '21eeb4fd60bfd5a57caac8ae71ca6359523fe1701c8dc5ec385767c710038a30',
      '888e69b5b5532cb2796c8ad9ce44acb342224d6023c0693999ba1506060e23ba',
      'ede92bb091dba13fbe6c0fd4a2601890542ad9d7a86e267d3fa90acfe35cb598',
      '3169ee6ee1f9ada94ab96b2a1464b9f1fd02844b4b8b657f801759ff50172ae5',
    ]);
    const first = rangeRoot(leaves, 0, 3).toString('hex');
    expect(first).toBe(EXAMPLE_ROOT_3);
    const proof = {
      algorithm: DIGEST_ALGORITHM,
      from: { upToPosition: 4, eventCount: 3, root: first, algorithm: DIGEST_ALGORITHM },
      to: {
        upToPosition: 7,
        eventCount: 5,
        root: '7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a',
        algorithm: DIGEST_ALGORITHM,
      },
      proof: path.map((h) => h.toString('hex')),
    };
    expect(verifyConsistencyProof(proof)).toEqual({ valid: true });
  });
});

// MTH of the first three leaves: nodeHash(MTH[0..2), leaf2).
const EXAMPLE_ROOT_3 = '836780be37c6cd592041804a58d60e1672008b8b68db53ab35fb023135c4b806';
