// Signed digests and consistency proofs (issue 19 item 3), over the real API: the public keys at the
// well-known path, every digest signed under them, consistency proofs between digests that the independent
// verifier and `ledger-cli check-proof` accept offline; and what they catch: a forger who rewrites rows and
// recomputes the digests without the signing key (the signatures fail), and a fork of history (the proof
// from the digest a monitor kept to the new one fails).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeDigest,
  DigestSigning,
  openDigestStore,
  verifyConsistencyProof,
  verifyDigestSignature,
  type DigestKeySet,
  type LedgerDigest,
} from '@ledger/audit';
import { hashEvent, PostgresEventStore } from '@ledger/event-store';
import { EXIT, run } from '../../apps/ledger-cli/src/main';
import { eventually } from '../kafka/support/kafka';
import { randomUscc } from '../support/identifiers';
import { sql, TEST_DATABASE_URL } from '../support/postgres';
import { AUDIT_KEYS, startAuditLedger, type AuditLedger, type Backend } from './support/audit-ledger';

const digestKey = {
  kid: 'province-2026',
  privateKey: randomBytes(32).toString('base64'),
  notBefore: '2026-01-01T00:00:00Z',
};
const eventKeys = { 'events-2026': randomBytes(32) };

describe.each<Backend>(['postgres', 'sqlite'])('signed digests and consistency proofs (%s)', (backend) => {
  let ledger: AuditLedger;
  let digests: LedgerDigest[];
  let keys: DigestKeySet;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-signed-'));
  const saved = { ...process.env };

  beforeAll(async () => {
    ledger = await startAuditLedger(
      backend,
      { digestEveryEvents: 2, digestEverySeconds: 0.1, digestChunkSize: 4 },
      {
        digestSigningKeys: [digestKey],
        signingKeys: { keys: new Map(Object.entries(eventKeys)), signingKeyId: 'events-2026' },
      },
    );
    for (let i = 0; i < 5; i++) {
      const created = await ledger.request('POST', '/api/v1/subjects', {
        body: {
          kind: 'training_institution',
          name: `厦门某培训学校${i}`,
          identifier: randomUscc(),
          jurisdiction: '350213',
        },
      });
      expect(created.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 150)); // let a digest be made between some of them
    }
    await eventually(
      async () => {
        digests = (await ledger.request('GET', '/api/v1/audit/digests', { as: AUDIT_KEYS.auditor })).body;
        return digests.length >= 2;
      },
      30_000,
      'two digests',
    );
  });
  afterAll(async () => {
    process.env = saved;
    await ledger?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the public keys at the well-known path, without an API key and without private parts', async () => {
    const served = await ledger.request('GET', '/.well-known/ledger-keys.json', { as: '' });
    expect(served.status).toBe(200);
    keys = served.body;
    expect(keys.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        x: new DigestSigning([digestKey]).keySet().keys[0]!.x,
        kid: 'province-2026',
        use: 'sig',
        alg: 'EdDSA',
        notBefore: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain(digestKey.privateKey);
  });

  it('signs every digest; the independent verifier accepts each under the served keys', () => {
    for (const digest of digests) {
      expect(digest).toMatchObject({
        keyId: 'province-2026',
        signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
      });
      expect(verifyDigestSignature(digest, keys.keys)).toEqual({ valid: true });
      expect(verifyDigestSignature({ ...digest, root: 'f'.repeat(64) }, keys.keys).valid).toBe(false);
    }
  });

  it('proves that each later digest extends the earlier ones, checked offline by the verifier and the CLI', async () => {
    const [first] = digests;
    const latest = digests[digests.length - 1]!;
    const answer = await ledger.request(
      'GET',
      `/api/v1/audit/consistency?from=${first!.upToPosition}&to=${latest.upToPosition}`,
      { as: AUDIT_KEYS.auditor },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ algorithm: 'ledger-merkle-sha256-v1', from: first, to: latest });
    expect(answer.body.proof.length).toBeGreaterThan(0);
    expect(verifyConsistencyProof(answer.body, { trustedFrom: first, trustedTo: latest })).toEqual({
      valid: true,
    });
    const same = await ledger.request(
      'GET',
      `/api/v1/audit/consistency?from=${first!.upToPosition}&to=${first!.upToPosition}`,
      {
        as: AUDIT_KEYS.auditor,
      },
    );
    expect(same.body.proof).toEqual([]);
    expect(verifyConsistencyProof(same.body)).toEqual({ valid: true });

    const files = {
      proof: join(dir, `${backend}-consistency.json`),
      keys: join(dir, `${backend}-keys.json`),
      otherKeys: join(dir, `${backend}-other-keys.json`),
      digests: join(dir, `${backend}-digests.json`),
    };
    writeFileSync(files.proof, JSON.stringify(answer.body));
    writeFileSync(files.keys, JSON.stringify(keys));
    writeFileSync(files.digests, JSON.stringify(digests));
    const other = new DigestSigning([
      { ...digestKey, privateKey: randomBytes(32).toString('base64') },
    ]).keySet();
    writeFileSync(files.otherKeys, JSON.stringify(other));
    const out: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      process.env = { PATH: saved.PATH }; // offline: no database configured at all
      expect(await run(['check-proof', files.proof, '--keys', files.keys, '--digests', files.digests])).toBe(
        EXIT.ok,
      );
      expect(out.join('')).toMatch(/^OK consistency$/m);
      out.length = 0;
      expect(await run(['check-proof', files.proof, '--keys', files.otherKeys])).toBe(
        EXIT.verificationFailed,
      );
      expect(out.join('')).toMatch(/FAILED consistency: digest up to \d+: the signature does not fit/);
    } finally {
      process.env = { ...saved };
      write.mockRestore();
    }
  });

  it('answers bad requests for consistency proofs with 4xx and a stable code', async () => {
    const [first, second] = digests;
    const get = (query: string) =>
      ledger.request('GET', `/api/v1/audit/consistency?${query}`, { as: AUDIT_KEYS.auditor });
    const reversed = await get(`from=${second!.upToPosition}&to=${first!.upToPosition}`);
    expect(reversed).toMatchObject({ status: 400, body: { error: { code: 'AUDIT.DIGESTS_OUT_OF_ORDER' } } });
    expect((await get(`from=${first!.upToPosition}&to=999999`)).body).toMatchObject({
      error: { code: 'AUDIT.DIGEST_NOT_FOUND' },
    });
    const bad = await get('from=abc&to=2');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect(
      (await ledger.request('GET', `/api/v1/audit/consistency?from=1&to=2`, { as: AUDIT_KEYS.xiamen }))
        .status,
    ).toBe(403);
  });

  (backend === 'postgres' ? it : it.skip)(
    'catches a rewrite of rows and digests made without the keys: signatures and the proof from a kept digest fail',
    async () => {
      const kept = digests[0]!; // what a monitor held before the rewrite
      const schema = ledger.config.databaseSchema;
      // The forger: database access, no keys. Rewrites a stream with recomputed hashes, then the digests.
      const store = await PostgresEventStore.open({
        connectionString: TEST_DATABASE_URL,
        schema,
        signing: null,
      });
      try {
        const [first] = await store.readAll({ after: 0, limit: 1 });
        const data = { ...(first!.data as object), name: '另一所学校' };
        const hash = hashEvent({ ...first!, data });
        await sql(`UPDATE ${schema}.events SET data = $2, hash = $3 WHERE position = $1`, [
          first!.position,
          JSON.stringify(data),
          hash,
        ]);
        const stream = await store.readStream(first!.streamId);
        let prevHash = hash;
        for (const event of stream.slice(1)) {
          const next = hashEvent({ ...event, prevHash });
          await sql(`UPDATE ${schema}.events SET prev_hash = $2, hash = $3 WHERE position = $1`, [
            event.position,
            prevHash,
            next,
          ]);
          prevHash = next;
        }
        await sql(`DELETE FROM ${schema}.audit_digests`);
        await sql(`DELETE FROM ${schema}.audit_digest_chunks`);
        const forgedDigests = await openDigestStore(store, { chunkSize: 4 });
        const ownKey = new DigestSigning([{ ...digestKey, privateKey: randomBytes(32).toString('base64') }]);
        for (const digest of digests)
          await computeDigest(store, forgedDigests, {
            upToPosition: digest.upToPosition,
            signing: null,
            digestSigning: ownKey,
          });
      } finally {
        await store.close();
      }

      const now: LedgerDigest[] = (
        await ledger.request('GET', '/api/v1/audit/digests', { as: AUDIT_KEYS.auditor })
      ).body;
      expect(now.map((d) => d.upToPosition)).toEqual(digests.map((d) => d.upToPosition));
      // Every recomputed digest differs from what was published, and none verifies under the published keys.
      for (const digest of now) expect(verifyDigestSignature(digest, keys.keys).valid).toBe(false);
      expect(now[0]!.root).not.toBe(kept.root);
      // The fork: the ledger can prove its rewritten history consistent with itself, never with the kept digest.
      const latest = now[now.length - 1]!;
      const proof = (
        await ledger.request(
          'GET',
          `/api/v1/audit/consistency?from=${kept.upToPosition}&to=${latest.upToPosition}`,
          {
            as: AUDIT_KEYS.auditor,
          },
        )
      ).body;
      expect(verifyConsistencyProof(proof)).toEqual({ valid: true }); // consistent with its own forged digests
      expect(verifyConsistencyProof(proof, { trustedFrom: kept })).toMatchObject({ valid: false });
      expect(verifyConsistencyProof({ ...proof, from: kept })).toMatchObject({ valid: false });
    },
  );
});
