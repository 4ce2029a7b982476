// UUIDs the ledger makes: version 7 (RFC 9562, time-ordered, so event ids sort roughly by creation and
// index well) and version 8 (name-based: the same name always gives the same id).
import { createHash, randomBytes } from 'node:crypto';

/** Formats 16 bytes as a UUID of the given version with the RFC 9562 variant. */
function formatUuid(bytes: Buffer, version: 7 | 8): string {
  bytes[6] = (bytes[6]! & 0x0f) | (version << 4);
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Random bytes are drawn 4 KiB at a time: one system call per 256 ids instead of one per id.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

export function uuidV7(now = Date.now()): string {
  if (offset + 16 > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + 16));
  offset += 16;
  bytes.writeUIntBE(now, 0, 6);
  return formatUuid(bytes, 7);
}

/** A name-based id: the first 16 bytes of a digest (SHA-256 or an HMAC) of the name. */
export function uuidV8FromDigest(digest: Buffer): string {
  return formatUuid(Buffer.from(digest.subarray(0, 16)), 8);
}

export function uuidV8FromName(name: string): string {
  return uuidV8FromDigest(createHash('sha256').update(name, 'utf8').digest());
}
