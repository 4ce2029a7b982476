// Events authenticated at write: the appending process signs each event's chain hash with a key that is
// configuration, never in the database, so whoever can write the tables cannot make a row that passes for
// one the ledger wrote, however correctly they compute its hash. HMAC-SHA-256; the key id is stored on the
// row, older keys keep verifying after a rotation.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StoredEvent } from './event-store.port';

/** Domain separation: an event signature can never pass for any other HMAC made with the same key. */
export const EVENT_SIGNATURE_PREFIX = 'ledger-event-v1\n';
/** Key id of the development key, which production refuses. */
export const DEVELOPMENT_SIGNING_KEY_ID = 'dev';
/** The development key: known to everyone, so it proves nothing; used only where no key is configured. */
export const DEVELOPMENT_SIGNING_KEY = Buffer.from('development-only-event-signing-key-0123456789', 'utf8');
export const MIN_SIGNING_KEY_BYTES = 32;
/** DI token of the process's EventSigning (the API's providers). */
export const EVENT_SIGNING = Symbol('EVENT_SIGNING');
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/** What a signed row carries besides the chain hash. */
export interface EventSignature {
  readonly signature: string;
  readonly keyId: string;
}

export interface SigningKeys {
  /** Key id → secret (at least 32 bytes). */
  readonly keys: ReadonlyMap<string, Buffer>;
  /** The key that signs new events (the newest); the others only verify. */
  readonly signingKeyId: string;
  /**
   * Rows at or below this position were written before events were signed: they are accepted without a
   * signature (and reported as legacy). Above it, a row without a valid signature is a forgery.
   */
  readonly unsignedUpTo?: number;
}

export type SignatureCheck =
  | { readonly ok: true; readonly legacy: boolean }
  | {
      readonly ok: false;
      readonly reason: 'signature_missing' | 'signature_unknown_key' | 'signature_mismatch';
      readonly message: string;
    };

/** hex(HMAC-SHA-256(key, "ledger-event-v1\n" + hash)). The hash commits to the canonical content and prevHash. */
export function eventSignature(key: Buffer, hash: string): string {
  return createHmac('sha256', key)
    .update(EVENT_SIGNATURE_PREFIX + hash, 'utf8')
    .digest('hex');
}

const developmentSignings = new Map<number, EventSigning>();

export class EventSigning {
  readonly signingKeyId: string;
  readonly unsignedUpTo: number;
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly signingKey: Buffer;

  constructor(config: SigningKeys) {
    if (config.keys.size === 0) throw new Error('No event signing key');
    for (const [kid, key] of config.keys) {
      if (!KEY_ID.test(kid)) throw new Error(`Signing key id "${kid}" must be 1-64 of A-Z a-z 0-9 . _ -`);
      if (key.length < MIN_SIGNING_KEY_BYTES)
        throw new Error(`Signing key "${kid}" has ${key.length} bytes; at least ${MIN_SIGNING_KEY_BYTES}`);
    }
    const signingKey = config.keys.get(config.signingKeyId);
    if (!signingKey) throw new Error(`No signing key "${config.signingKeyId}"`);
    this.keys = config.keys;
    this.signingKey = signingKey;
    this.signingKeyId = config.signingKeyId;
    this.unsignedUpTo = config.unsignedUpTo ?? 0;
  }

  /**
   * The development key alone: every process without configured keys signs and verifies with it. One instance
   * per bound, so that followers given none share it (and what one of them verified, FeedVerifier).
   */
  static development(unsignedUpTo = 0): EventSigning {
    let signing = developmentSignings.get(unsignedUpTo);
    if (!signing) {
      signing = new EventSigning({
        keys: new Map([[DEVELOPMENT_SIGNING_KEY_ID, DEVELOPMENT_SIGNING_KEY]]),
        signingKeyId: DEVELOPMENT_SIGNING_KEY_ID,
        unsignedUpTo,
      });
      developmentSignings.set(unsignedUpTo, signing);
    }
    return signing;
  }

  get isDevelopment(): boolean {
    return this.signingKey.equals(DEVELOPMENT_SIGNING_KEY);
  }

  sign(hash: string): EventSignature {
    return { signature: eventSignature(this.signingKey, hash), keyId: this.signingKeyId };
  }

  /** Checks the signature against the stored hash (whether the hash fits the content is checked apart). */
  check(event: Pick<StoredEvent, 'position' | 'hash' | 'signature' | 'keyId'>): SignatureCheck {
    if (event.signature == null || event.keyId == null) {
      if (event.position <= this.unsignedUpTo) return { ok: true, legacy: true };
      return {
        ok: false,
        reason: 'signature_missing',
        message: `no signature above LEDGER_UNSIGNED_UP_TO (${this.unsignedUpTo}): not written by the ledger`,
      };
    }
    const key = this.keys.get(event.keyId);
    if (!key) {
      return {
        ok: false,
        reason: 'signature_unknown_key',
        message: `signed with key "${event.keyId}", which is not among the configured keys`,
      };
    }
    const expected = Buffer.from(eventSignature(key, event.hash), 'hex');
    const given = SIGNATURE.test(event.signature) ? Buffer.from(event.signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return {
        ok: false,
        reason: 'signature_mismatch',
        message: `the signature does not fit the hash under key "${event.keyId}"`,
      };
    }
    return { ok: true, legacy: false };
  }
}
