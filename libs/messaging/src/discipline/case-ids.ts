// Case ids are derived, never drawn at random: the same triggering event always names the same case,
// so a re-delivered ListMembershipChanged finds its case already open instead of opening a second one.
import { uuidV8FromName } from '@ledger/application';

export function caseIdFor(triggeringEventId: string): string {
  return uuidV8FromName(`joint-discipline-case:${triggeringEventId}`);
}
