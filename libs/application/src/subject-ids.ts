// A subject's id is derived from its identifier (USCC or resident ID number), so registering the same
// school or person twice lands on the same stream and is refused there: uniqueness without a lookup.
// Keyed (HMAC) so that an id seen in public output cannot be turned back into an ID number.
import { createHmac } from 'node:crypto';

export function subjectIdFor(identifier: string, secret: string): string {
  const bytes = createHmac('sha256', secret)
    .update(identifier.trim().toUpperCase(), 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
