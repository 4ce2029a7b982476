import { randomBytes } from 'node:crypto';
import { DigestSigning, type DigestKeyConfig } from './digest-signing';
import { verifyDigestSignature } from './verify-proof';

const digest = {
  upToPosition: 7,
  eventCount: 5,
  root: '7930de991f8540e9bf34d097b41dbde5dabc26c5071bc7228944adeb8d212e2a',
  algorithm: 'ledger-merkle-sha256-v1',
  createdAt: '2026-03-01T02:00:05.000Z',
};
const seed = () => randomBytes(32).toString('base64');
const keys: DigestKeyConfig[] = [
  { kid: '2025', privateKey: seed(), notBefore: '2025-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z' },
  { kid: '2026', privateKey: seed(), notBefore: '2026-01-01T00:00:00Z' },
];

describe('signed digests', () => {
  const signing = new DigestSigning(keys);
  const published = signing.keySet();

  it('signs with the key valid when the digest was made; an outside verifier accepts it from the key set', () => {
    const signed = signing.sign(digest);
    expect(signed.keyId).toBe('2026');
    expect(signing.sign({ ...digest, createdAt: '2025-06-01T00:00:00.000Z' }).keyId).toBe('2025');
    expect(signing.check(signed)).toEqual({ valid: true, keyId: '2026' });
    expect(verifyDigestSignature(signed, published.keys)).toEqual({ valid: true });
    expect(published.keys.map((k) => [k.kid, k.kty, k.crv, k.alg])).toEqual([
      ['2026', 'OKP', 'Ed25519', 'EdDSA'],
      ['2025', 'OKP', 'Ed25519', 'EdDSA'],
    ]);
    expect(JSON.stringify(published)).not.toMatch(/"d"|privateKey/);
  });

  it('refuses a changed digest, an unknown key, a signature outside its key’s validity, and none', () => {
    const signed = signing.sign(digest);
    for (const changed of [
      { ...signed, root: 'f'.repeat(64) },
      { ...signed, eventCount: 6 },
      { ...signed, upToPosition: 8 },
      { ...signed, createdAt: '2026-03-01T02:00:06.000Z' },
    ]) {
      expect(signing.check(changed)).toMatchObject({ valid: false, reason: 'bad_signature' });
      expect(verifyDigestSignature(changed, published.keys).valid).toBe(false);
    }
    const other = new DigestSigning([{ kid: '2026', privateKey: seed(), notBefore: '2026-01-01T00:00:00Z' }]);
    expect(signing.check(other.sign(digest))).toMatchObject({ valid: false, reason: 'bad_signature' });
    expect(signing.check({ ...signed, keyId: 'x' })).toMatchObject({ reason: 'unknown_key' });
    // A key retired at the start of 2026 cannot vouch for a digest made after.
    const old = new DigestSigning([{ ...keys[0]!, notAfter: undefined }]).sign(digest);
    expect(signing.check(old)).toMatchObject({ valid: false, reason: 'outside_key_validity' });
    expect(verifyDigestSignature(old, published.keys).valid).toBe(false);
    expect(signing.check(digest)).toMatchObject({ reason: 'unsigned' });
  });

  it('keeps verifying with a retired public key after its private half is gone', () => {
    const signed = signing.sign({ ...digest, createdAt: '2025-06-01T00:00:00.000Z' });
    const x = published.keys.find((k) => k.kid === '2025')!.x;
    const later = new DigestSigning([{ ...keys[0]!, privateKey: undefined, publicKey: x }, keys[1]!]);
    expect(later.check(signed)).toEqual({ valid: true, keyId: '2025' });
    expect(() => later.sign({ ...digest, createdAt: '2025-06-01T00:00:00.000Z' })).toThrow(
      /No digest signing key/,
    );
  });
});
