// Signed digests: the ledger signs every digest it makes with Ed25519 under a key that is configuration, so
// that whoever controls the database and the digest topic cannot put a digest of their own beside the real
// ones. Public keys, with key ids and validity, are a JWK set (GET /.well-known/ledger-keys.json,
// `ledger-cli ledger-keys`); docs/ledger-proofs.md §4 says how to check a signature without this code.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@ledger/event-store';
import type { LedgerDigest } from './digest-store';

/** Domain separation: a digest signature can never pass for a signature over anything else. */
export const DIGEST_SIGNATURE_PREFIX = 'ledger-digest-v1\n';
export const DEVELOPMENT_DIGEST_KEY_ID = 'dev-digest';
/** DI token of the process's DigestSigning (the API's providers). */
export const DIGEST_SIGNING = Symbol('DIGEST_SIGNING');
/** Known to everyone: signatures under it prove nothing. Used only where no key is configured. */
export const DEVELOPMENT_DIGEST_SEED = createHash('sha256')
  .update('development-only-digest-signing-key')
  .digest();
const DEVELOPMENT_NOT_BEFORE = '2000-01-01T00:00:00.000Z';
/** PKCS #8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** One key as configured: a private key signs and verifies; a public one (a retired key) only verifies. */
export interface DigestKeyConfig {
  readonly kid: string;
  /** base64 of the 32-byte Ed25519 seed. */
  readonly privateKey?: string;
  /** base64url of the 32-byte Ed25519 public key (JWK `x`), for keys whose private part is gone. */
  readonly publicKey?: string;
  /** The key signs (and its signatures count) for digests made from this instant… */
  readonly notBefore: string;
  /** …until this one (exclusive); absent: no end. */
  readonly notAfter?: string;
}

/** A public key as published: an RFC 8037 OKP JWK with the key id and the validity of its signatures. */
export interface DigestPublicKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'EdDSA';
  readonly notBefore: string;
  readonly notAfter?: string;
}

export interface DigestKeySet {
  readonly keys: readonly DigestPublicKey[];
}

export interface DigestSignature {
  readonly keyId: string;
  /** base64url of the 64-byte Ed25519 signature. */
  readonly signature: string;
}

type SignedFields = Pick<LedgerDigest, 'upToPosition' | 'eventCount' | 'root' | 'algorithm' | 'createdAt'>;

/** The bytes signed: the prefix and the RFC 8785 form of the digest's five fields and the key id. */
export function digestSigningInput(digest: SignedFields, keyId: string): Buffer {
  const { upToPosition, eventCount, root, algorithm, createdAt } = digest;
  return Buffer.from(
    DIGEST_SIGNATURE_PREFIX + canonicalJson({ algorithm, createdAt, eventCount, keyId, root, upToPosition }),
    'utf8',
  );
}

export type DigestSignatureCheck =
  | { readonly valid: true; readonly keyId: string }
  | {
      readonly valid: false;
      readonly reason: 'unsigned' | 'unknown_key' | 'outside_key_validity' | 'bad_signature';
      readonly message: string;
    };

/** Checks a digest's signature against a published key set (what an outside verifier or monitor does). */
export function checkDigestSignature(
  digest: SignedFields & Partial<DigestSignature>,
  keySet: DigestKeySet,
): DigestSignatureCheck {
  if (!digest.keyId || !digest.signature)
    return { valid: false, reason: 'unsigned', message: 'the digest carries no signature' };
  const key = keySet.keys.find((k) => k.kid === digest.keyId);
  if (!key) return { valid: false, reason: 'unknown_key', message: `no published key "${digest.keyId}"` };
  const made = Date.parse(digest.createdAt);
  if (!(made >= Date.parse(key.notBefore)) || (key.notAfter && !(made < Date.parse(key.notAfter))))
    return {
      valid: false,
      reason: 'outside_key_validity',
      message: `made at ${digest.createdAt}, outside the validity of key "${key.kid}"`,
    };
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  const ok = verify(
    null,
    digestSigningInput(digest, key.kid),
    publicKey,
    Buffer.from(digest.signature, 'base64url'),
  );
  return ok
    ? { valid: true, keyId: key.kid }
    : { valid: false, reason: 'bad_signature', message: `the signature does not fit under key "${key.kid}"` };
}

interface Key {
  readonly config: DigestKeyConfig;
  readonly privateKey?: KeyObject;
  readonly public: DigestPublicKey;
}

export class DigestSigning {
  private readonly keys: readonly Key[];

  constructor(configs: readonly DigestKeyConfig[]) {
    if (configs.length === 0) throw new Error('No digest signing key');
    this.keys = configs.map((config) => {
      if (!KEY_ID.test(config.kid))
        throw new Error(`Digest key id "${config.kid}" must be 1-64 of A-Z a-z 0-9 . _ -`);
      if (Number.isNaN(Date.parse(config.notBefore)))
        throw new Error(`Digest key "${config.kid}": notBefore must be an ISO 8601 instant`);
      if (config.notAfter !== undefined && Number.isNaN(Date.parse(config.notAfter)))
        throw new Error(`Digest key "${config.kid}": notAfter must be an ISO 8601 instant`);
      let privateKey: KeyObject | undefined;
      let x: string;
      if (config.privateKey !== undefined) {
        const seed = Buffer.from(config.privateKey, 'base64');
        if (seed.length !== 32)
          throw new Error(`Digest key "${config.kid}": privateKey must be a 32-byte seed`);
        privateKey = createPrivateKey({
          key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
          format: 'der',
          type: 'pkcs8',
        });
        x = createPublicKey(privateKey).export({ format: 'jwk' }).x!;
      } else if (config.publicKey !== undefined) {
        if (Buffer.from(config.publicKey, 'base64url').length !== 32)
          throw new Error(`Digest key "${config.kid}": publicKey must be 32 bytes`);
        x = config.publicKey;
      } else {
        throw new Error(`Digest key "${config.kid}" has neither privateKey nor publicKey`);
      }
      const published: DigestPublicKey = {
        kty: 'OKP',
        crv: 'Ed25519',
        x,
        kid: config.kid,
        use: 'sig',
        alg: 'EdDSA',
        notBefore: new Date(config.notBefore).toISOString(),
        ...(config.notAfter ? { notAfter: new Date(config.notAfter).toISOString() } : {}),
      };
      return { config, privateKey, public: published };
    });
  }

  static development(): DigestSigning {
    return new DigestSigning([
      {
        kid: DEVELOPMENT_DIGEST_KEY_ID,
        privateKey: DEVELOPMENT_DIGEST_SEED.toString('base64'),
        notBefore: DEVELOPMENT_NOT_BEFORE,
      },
    ]);
  }

  get isDevelopment(): boolean {
    return this.keys.some((k) => k.config.privateKey === DEVELOPMENT_DIGEST_SEED.toString('base64'));
  }

  /** The public keys, newest first: what /.well-known/ledger-keys.json serves. */
  keySet(): DigestKeySet {
    return {
      keys: [...this.keys]
        .sort((a, b) => Date.parse(b.public.notBefore) - Date.parse(a.public.notBefore))
        .map((k) => k.public),
    };
  }

  /** Signs with the private key valid at the digest's createdAt that became valid last. */
  sign<D extends SignedFields>(digest: D): D & DigestSignature {
    const made = Date.parse(digest.createdAt);
    const key = this.keys
      .filter(
        (k) =>
          k.privateKey &&
          Date.parse(k.public.notBefore) <= made &&
          (!k.public.notAfter || made < Date.parse(k.public.notAfter)),
      )
      .sort((a, b) => Date.parse(b.public.notBefore) - Date.parse(a.public.notBefore))[0];
    if (!key) throw new Error(`No digest signing key is valid at ${digest.createdAt}`);
    const signature = sign(null, digestSigningInput(digest, key.public.kid), key.privateKey!);
    return { ...digest, keyId: key.public.kid, signature: signature.toString('base64url') };
  }

  /**
   * Signs other bytes the ledger vouches for (a credit report's seal) with the key valid at `at`; callers
   * prefix the bytes with their own domain separator, never `ledger-digest-v1`.
   */
  signBytes(input: Buffer, at: string): DigestSignature {
    if (input.toString('utf8').startsWith(DIGEST_SIGNATURE_PREFIX))
      throw new Error('signBytes never signs what could pass for a digest');
    const made = Date.parse(at);
    const key = this.keys
      .filter(
        (k) =>
          k.privateKey &&
          Date.parse(k.public.notBefore) <= made &&
          (!k.public.notAfter || made < Date.parse(k.public.notAfter)),
      )
      .sort((a, b) => Date.parse(b.public.notBefore) - Date.parse(a.public.notBefore))[0];
    if (!key) throw new Error(`No signing key is valid at ${at}`);
    return { keyId: key.public.kid, signature: sign(null, input, key.privateKey!).toString('base64url') };
  }

  check(digest: SignedFields & Partial<DigestSignature>): DigestSignatureCheck {
    return checkDigestSignature(digest, this.keySet());
  }
}
