// A subject's id is derived from its identifier (USCC or resident ID number), so registering the same
// school or person twice lands on the same stream and is refused there: uniqueness without a lookup.
// Keyed (HMAC) so that an id seen in public output cannot be turned back into an ID number.
import { createHmac } from 'node:crypto';
import { uuidV8FromDigest } from './uuid-v7';

export function subjectIdFor(identifier: string, secret: string): string {
  return uuidV8FromDigest(
    createHmac('sha256', secret).update(identifier.trim().toUpperCase(), 'utf8').digest(),
  );
}
