// LEDGER_SIGNING_KEYS: a JSON object {keyId: base64 secret}; the last one listed signs new events, every one
// verifies (rotation: add a new key at the end, keep the old ones as long as rows signed with them exist).
import { DigestSigning, type DigestKeyConfig } from '@ledger/audit';
import { MIN_SIGNING_KEY_BYTES } from '@ledger/event-store';

export interface SigningKeyRing {
  readonly keys: ReadonlyMap<string, Buffer>;
  readonly signingKeyId: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Throws naming the faulty key id (never a secret). */
export function signingKeysFromJson(text: string, variable = 'LEDGER_SIGNING_KEYS'): SigningKeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${variable} must be a JSON object {"<key id>": "<base64 secret>"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${variable} must be a JSON object {"<key id>": "<base64 secret>"}`);
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw new Error(`${variable} must hold at least one key`);
  const keys = new Map<string, Buffer>();
  for (const [kid, value] of entries) {
    if (!KEY_ID.test(kid)) throw new Error(`${variable}: key id "${kid}" must be 1-64 of A-Z a-z 0-9 . _ -`);
    if (typeof value !== 'string' || !BASE64.test(value))
      throw new Error(`${variable}.${kid} must be a base64 string`);
    const secret = Buffer.from(value, 'base64');
    if (secret.length < MIN_SIGNING_KEY_BYTES)
      throw new Error(`${variable}.${kid} must decode to at least ${MIN_SIGNING_KEY_BYTES} bytes`);
    keys.set(kid, secret);
  }
  return { keys, signingKeyId: entries[entries.length - 1]![0] };
}

/** LEDGER_DIGEST_SIGNING_KEYS: a JSON array of {kid, privateKey (base64 Ed25519 seed) | publicKey, notBefore, notAfter?}. */
export function digestKeysFromJson(text: string): DigestKeyConfig[] {
  const variable = 'LEDGER_DIGEST_SIGNING_KEYS';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${variable} must be a JSON array of {kid, privateKey, notBefore, notAfter?}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new Error(`${variable} must be a non-empty JSON array of {kid, privateKey, notBefore, notAfter?}`);
  const keys = parsed.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new Error(`${variable}[${i}] must be an object {kid, privateKey, notBefore, notAfter?}`);
    const { kid, privateKey, publicKey, notBefore, notAfter } = entry as Record<string, unknown>;
    const text = (value: unknown, field: string, optional = false) => {
      if (value === undefined && optional) return undefined;
      if (typeof value !== 'string' || value === '')
        throw new Error(`${variable}[${i}].${field} must be a string`);
      return value;
    };
    return {
      kid: text(kid, 'kid')!,
      privateKey: text(privateKey, 'privateKey', true),
      publicKey: text(publicKey, 'publicKey', true),
      notBefore: text(notBefore, 'notBefore')!,
      notAfter: text(notAfter, 'notAfter', true),
    };
  });
  try {
    new DigestSigning(keys); // every key must load
  } catch (error) {
    throw new Error(`${variable}: ${(error as Error).message}`);
  }
  return keys;
}
