// Case ids are derived, never drawn at random: the same triggering event always names the same case,
// so a re-delivered ListMembershipChanged finds its case already open instead of opening a second one.
import { createHash } from 'node:crypto';

export function caseIdFor(triggeringEventId: string): string {
  const bytes = createHash('sha256')
    .update(`joint-discipline-case:${triggeringEventId}`, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80; // version 8: custom (RFC 9562)
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
